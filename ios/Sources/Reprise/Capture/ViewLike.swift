// The small protocols the capture logic is written against. `UIView`, `UIWindow` and `UIWindowScene`
// conform in the UIKit files (ios/Sources/Reprise/UIKit); the tests conform fakes built from real
// iOS view dumps. Everything a capture reads of a view goes through these.

/// A view as the walker reads it: geometry, drawing properties, accessibility and children.
/// Read on the main thread only, as UIKit requires.
public protocol ViewLike: AnyObject {
    /// The runtime class name (`UILabel`, `MyChartView`): one entry of the tree's class table.
    var captureClassName: String { get }
    /// The frame in its window's coordinates, in points (`convert(bounds, to: nil)`).
    var frameInWindow: CaptureRect { get }
    /// `isHidden`: a hidden view and its subtree are not drawn and not captured.
    var isHidden: Bool { get }
    /// `alpha`, from 0 to 1.
    var opacity: Double { get }
    /// `clipsToBounds`.
    var clipsToBounds: Bool { get }
    /// The solid background colour as ARGB, when there is one.
    var backgroundARGB: UInt32? { get }
    /// `layer.cornerRadius`, in points.
    var cornerRadius: Double { get }
    /// `accessibilityLabel`: recorded as the node's content description, masked like text.
    var accessibilityLabel: String? { get }
    /// `accessibilityIdentifier`: the view's id name in the player's inspector (the core keeps it
    /// only when it is shaped like an identifier, since it is never masked); privacy rules can
    /// name views by it.
    var accessibilityIdentifier: String? { get }
    /// The subviews, back to front.
    var childViews: [any ViewLike] { get }
    /// The app's privacy choice for this view (``ViewLike/reprisePrivacy`` has a portable default;
    /// UIKit keeps it in an associated object).
    var reprisePrivacy: PrivacyOverride { get }
}

extension ViewLike {
    /// The platform identity the core maps to a stable node id: the object's address.
    var captureIdentity: UInt64 { UInt64(UInt(bitPattern: ObjectIdentifier(self).hashValue)) }
}

/// A window: a view with a level (z-order between windows) and an origin on the screen.
public protocol WindowLike: ViewLike {
    /// `windowLevel.rawValue`: normal 0, status bar 1000, alert 2000; higher is drawn above.
    var level: Double { get }
    /// The window's origin in screen coordinates, in points (`frame.origin`).
    var originInScreen: CapturePoint { get }
    /// The name of the view controller on top (presented, pushed or selected), if any; a new
    /// one starts a screen and is captured at once.
    var topViewControllerName: String? { get }
}

extension WindowLike {
    /// Whether this is the system's keyboard window, recorded as a placeholder of the keyboard's frame.
    public var isKeyboardWindow: Bool { KeyboardWindows.classNames.contains(captureClassName) }
}

/// The system's keyboard windows, by class name.
public enum KeyboardWindows {
    /// `UIRemoteKeyboardWindow` (iOS 9 and later) and `UITextEffectsWindow` (which hosts the
    /// keyboard's views and text effects).
    public static let classNames: Set<String> = ["UIRemoteKeyboardWindow", "UITextEffectsWindow"]
}

/// A scene (`UIWindowScene`): its windows, and whether it is in the foreground.
public protocol SceneLike: AnyObject {
    /// Whether the scene is in the foreground (active or inactive); background scenes are not captured.
    var isForeground: Bool { get }
    /// Its windows, in the order UIKit lists them.
    var sceneWindows: [any WindowLike] { get }
}
