// UIKit glue (NOT RUN here). UIWindow and UIWindowScene for the walker.
#if canImport(UIKit) && !os(watchOS)
import UIKit

extension UIWindow: WindowLike {
    public var level: Double { Double(windowLevel.rawValue) }
    public var originInScreen: CapturePoint { CapturePoint(frame.origin) }
    public var topViewControllerName: String? {
        var top = rootViewController
        for _ in 0..<32 { guard let next = top.flatMap(Self.child) else { break }; top = next }
        return top.map { NSStringFromClass(type(of: $0)) }
    }

    private static func child(_ vc: UIViewController) -> UIViewController? {
        if let presented = vc.presentedViewController, !presented.isBeingDismissed { return presented }
        if let nav = vc as? UINavigationController { return nav.visibleViewController }
        if let tabs = vc as? UITabBarController { return tabs.selectedViewController }
        return nil
    }
}

extension UIWindowScene: SceneLike {
    public var isForeground: Bool { activationState == .foregroundActive || activationState == .foregroundInactive }
    public var sceneWindows: [any WindowLike] { windows }
}
#endif
