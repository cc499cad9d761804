// UIKit glue (NOT RUN here: these machines have no UIKit). UIView as the walker's ViewLike.
#if canImport(UIKit) && !os(watchOS)
import ObjectiveC
import UIKit

private var privacyKey: UInt8 = 0

extension UIView: ViewLike {
    public var captureClassName: String { NSStringFromClass(type(of: self)) }
    public var frameInWindow: CaptureRect { CaptureRect(convert(bounds, to: nil)) }
    public var opacity: Double { Double(alpha) }
    public var backgroundARGB: UInt32? { backgroundColor.flatMap(ARGB.of) }
    public var cornerRadius: Double { Double(layer.cornerRadius) }
    public var childViews: [any ViewLike] { subviews }

    /// The app's privacy choice for this view and its subtree (`.mask`, `.unmask`, `.hide`),
    /// kept in an associated object.
    public var reprisePrivacy: PrivacyOverride {
        get { (objc_getAssociatedObject(self, &privacyKey) as? Box)?.value ?? .inherit }
        set { objc_setAssociatedObject(self, &privacyKey, Box(newValue), .OBJC_ASSOCIATION_RETAIN_NONATOMIC) }
    }

    private final class Box { let value: PrivacyOverride; init(_ v: PrivacyOverride) { value = v } }
}

extension CaptureRect {
    init(_ r: CGRect) { self.init(x: Double(r.origin.x), y: Double(r.origin.y), width: Double(r.width), height: Double(r.height)) }
}

extension CapturePoint {
    init(_ p: CGPoint) { self.init(x: Double(p.x), y: Double(p.y)) }
}

/// Colours as the core's ARGB.
enum ARGB {
    static func of(_ color: UIColor) -> UInt32? {
        var r: CGFloat = 0, g: CGFloat = 0, b: CGFloat = 0, a: CGFloat = 0
        guard color.getRed(&r, green: &g, blue: &b, alpha: &a) else { return nil }
        func byte(_ v: CGFloat) -> UInt32 { UInt32(max(0, min(255, (v * 255).rounded()))) }
        return byte(a) << 24 | byte(r) << 16 | byte(g) << 8 | byte(b)
    }
}
#endif
