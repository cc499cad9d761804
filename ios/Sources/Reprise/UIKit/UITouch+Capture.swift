// UIKit glue (NOT RUN here): UITouch and UIEvent for the touch batcher.
#if canImport(UIKit) && !os(watchOS)
import UIKit

extension UITouch: TouchLike {
    public var touchPhase: TouchPhase {
        switch phase {
        case .began: return .began
        case .moved: return .moved
        case .stationary: return .stationary
        case .ended: return .ended
        case .cancelled: return .cancelled
        default: return .other
        }
    }
    public var locationInWindow: CapturePoint { CapturePoint(location(in: nil)) }
    public var windowOrigin: CapturePoint { window.map { CapturePoint($0.frame.origin) } ?? .zero }
    public var pressure: Double? { maximumPossibleForce > 0 ? Double(force / maximumPossibleForce) : nil }
    public var majorRadiusPoints: Double { Double(majorRadius) }
}

/// A touches event as the batcher reads it.
struct UIKitTouchEvent: TouchEventLike {
    let event: UIEvent
    var eventTouches: [any TouchLike] { Array(event.allTouches ?? []) }
    func coalesced(for touch: any TouchLike) -> [any TouchLike] {
        guard let touch = touch as? UITouch else { return [] }
        return event.coalescedTouches(for: touch) ?? []
    }
}
#endif
