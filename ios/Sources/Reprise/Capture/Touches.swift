/// What a touch is doing, as `UITouch.Phase` says.
public enum TouchPhase: Sendable {
    case began, moved, stationary, ended, cancelled
    /// Phases that are not finger contacts (pencil hovering, region entered/exited): ignored.
    case other
}

/// A touch as the batcher reads it (`UITouch`). The same object for the whole contact, as UIKit
/// guarantees; coalesced touches are other objects and are read through their event.
public protocol TouchLike: AnyObject {
    var touchPhase: TouchPhase { get }
    /// `location(in: nil)`: in its window's coordinates, in points.
    var locationInWindow: CapturePoint { get }
    /// The origin of the touch's window on the screen, in points.
    var windowOrigin: CapturePoint { get }
    /// `timestamp`: seconds of system uptime.
    var timestamp: Double { get }
    /// `force / maximumPossibleForce` from 0 to 1; nil when the device measures no force.
    var pressure: Double? { get }
    /// `majorRadius`, in points.
    var majorRadiusPoints: Double { get }
}

/// One touch event (`UIEvent` of type `.touches`): its touches and their coalesced samples.
public protocol TouchEventLike {
    /// `allTouches`: every touch of the event, in no particular order.
    var eventTouches: [any TouchLike] { get }
    /// `coalescedTouches(for:)`: the samples since the last event, the touch's own last.
    func coalesced(for touch: any TouchLike) -> [any TouchLike]
}

/// Turns touch events into the core's raw samples and holds them until the frame ends: one FFI
/// call per frame (``drain()``). Each contact gets a small pointer id, the lowest free one, for as
/// long as it is down. Phases map to the core's actions: the first finger down `.down`, further
/// fingers `.pointerDown`; moved and stationary `.move` (every coalesced sample of a move); a
/// finger up `.pointerUp`, the last one `.up`; cancelled `.cancel`. Positions are in screen
/// pixels: the location in the window plus the window's origin, times the scale. Not
/// thread-safe: the main thread only.
public final class TouchBatcher {
    /// Samples held at most before ``add(_:)`` asks for an early drain.
    public static let maxPending = 512

    private let scale: Double
    private let uptimeToUnixSeconds: Double
    private var pointers: [ObjectIdentifier: UInt32] = [:]
    private var pending: [TouchSample] = []

    /// `scale`: pixels per point; `uptimeToUnixSeconds`: what to add to a touch timestamp (uptime)
    /// to get Unix time (``Clock/uptimeToUnixSeconds``).
    public init(scale: Double, uptimeToUnixSeconds: Double) {
        self.scale = scale.isFinite && scale > 0 ? scale : 1
        self.uptimeToUnixSeconds = uptimeToUnixSeconds
    }

    /// The pointers currently down.
    public var activePointers: Int { pointers.count }

    /// Reads one event; returns true when the batch is full and should be drained now.
    @discardableResult
    public func add(_ event: any TouchEventLike) -> Bool {
        // UIKit gives a set: order the touches so that the samples are deterministic.
        let touches = event.eventTouches.filter { $0.touchPhase != .other }.sorted { a, b in
            let (pa, pb) = (order(a.touchPhase), order(b.touchPhase))
            if pa != pb { return pa < pb }
            let (ia, ib) = (pointers[ObjectIdentifier(a)] ?? .max, pointers[ObjectIdentifier(b)] ?? .max)
            if ia != ib { return ia < ib }
            return (a.timestamp, a.locationInWindow.x, a.locationInWindow.y) < (b.timestamp, b.locationInWindow.x, b.locationInWindow.y)
        }
        for touch in touches {
            let key = ObjectIdentifier(touch)
            switch touch.touchPhase {
            case .began:
                guard pointers[key] == nil else { continue }
                let action: TouchAction = pointers.isEmpty ? .down : .pointerDown
                let id = freePointerId()
                pointers[key] = id
                pending.append(sample(touch, id, action))
            case .moved:
                guard let id = pointers[key] else { continue }
                let samples = event.coalesced(for: touch)
                for s in samples.isEmpty ? [touch] : samples { pending.append(sample(s, id, .move)) }
            case .stationary:
                guard let id = pointers[key] else { continue }
                pending.append(sample(touch, id, .move))
            case .ended, .cancelled:
                guard let id = pointers.removeValue(forKey: key) else { continue }
                let action: TouchAction = touch.touchPhase == .cancelled ? .cancel : (pointers.isEmpty ? .up : .pointerUp)
                pending.append(sample(touch, id, action))
            case .other:
                continue
            }
        }
        return pending.count >= Self.maxPending
    }

    /// The samples since the last drain, for one `touches` call; empty when nothing happened.
    public func drain() -> [TouchSample] {
        defer { pending.removeAll(keepingCapacity: true) }
        return pending
    }

    /// Forgets every pointer (the app went to the background mid-touch).
    public func reset() { pointers.removeAll() }

    private func order(_ phase: TouchPhase) -> Int {
        switch phase {
        case .began: return 0
        case .moved, .stationary: return 1
        case .ended, .cancelled: return 2
        case .other: return 3
        }
    }

    private func freePointerId() -> UInt32 {
        let used = Set(pointers.values)
        var id: UInt32 = 0
        while used.contains(id) { id += 1 }
        return id
    }

    private func sample(_ touch: any TouchLike, _ pointer: UInt32, _ action: TouchAction) -> TouchSample {
        let p = touch.locationInWindow, o = touch.windowOrigin
        let micros = ((touch.timestamp + uptimeToUnixSeconds) * 1_000_000).rounded()
        return TouchSample(
            pointerId: pointer, action: action,
            x: Float((p.x + o.x) * scale), y: Float((p.y + o.y) * scale),
            timeUs: micros.isFinite && abs(micros) < 9e18 ? Int64(micros) : 0,
            pressure: touch.pressure.map { Float(min(1, max(0, $0))) },
            size: touch.majorRadiusPoints > 0 ? Float(touch.majorRadiusPoints * scale) : nil
        )
    }
}
