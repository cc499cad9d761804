// What the per-class readers read, one protocol per widget kind. The UIKit files make `UILabel`,
// `UITextField` and the others conform; apps can make their own classes conform, or register a
// reader of their own (``ViewReaderRegistry/register(_:_:)``).

/// Static text (`UILabel`).
public protocol LabelLike: ViewLike {
    var text: String? { get }
    /// The text colour as ARGB.
    var textARGB: UInt32? { get }
    /// The font's point size.
    var fontPointSize: Double { get }
}

/// A one-line text input (`UITextField`).
public protocol TextFieldLike: ViewLike {
    var text: String? { get }
    var placeholder: String? { get }
    /// `isSecureTextEntry`: always masked by the core, its length included.
    var isSecureTextEntry: Bool { get }
    var isEnabled: Bool { get }
    var textARGB: UInt32? { get }
    var fontPointSize: Double { get }
}

/// Multi-line text (`UITextView`), editable or not; it scrolls.
public protocol TextViewLike: ViewLike {
    var text: String? { get }
    var isEditable: Bool { get }
    var isSecureTextEntry: Bool { get }
    var textARGB: UInt32? { get }
    var fontPointSize: Double { get }
    /// `contentOffset`, in points.
    var scrollOffset: CapturePoint { get }
}

/// A button (`UIButton`): its title.
public protocol ButtonLike: ViewLike {
    var titleText: String? { get }
    var isEnabled: Bool { get }
    var textARGB: UInt32? { get }
    var fontPointSize: Double { get }
}

/// An on/off switch (`UISwitch`).
public protocol SwitchLike: ViewLike {
    var isOn: Bool { get }
    var isEnabled: Bool { get }
}

/// A progress view (`UIProgressView`) or a slider (`UISlider`): where it stands.
public protocol ProgressLike: ViewLike {
    /// The position from 0 to 1 (`progress`, or a slider's value within its range).
    var fraction: Double { get }
    /// Whether the user moves it (a slider) or only the app does (a progress view).
    var isInteractive: Bool { get }
    var isEnabled: Bool { get }
}

/// A segmented control (`UISegmentedControl`): its segment titles.
public protocol SegmentedControlLike: ViewLike {
    var segmentTitles: [String?] { get }
    var selectedSegmentIndex: Int { get }
    var isEnabled: Bool { get }
}

/// An image view (`UIImageView`): recorded as a placeholder, never its pixels.
public protocol ImageViewLike: ViewLike {
    var hasImage: Bool { get }
}

/// A scroll view (`UIScrollView`, and so `UITableView` and `UICollectionView`): its offset.
public protocol ScrollViewLike: ViewLike {
    /// `contentOffset`, in points.
    var scrollOffset: CapturePoint { get }
}

/// A table or collection cell (`UITableViewCell`, `UICollectionViewCell`): tappable.
public protocol CellLike: ViewLike {}

/// Web content (`WKWebView`): a placeholder, never its content.
public protocol WebViewLike: ViewLike {}

/// A map (`MKMapView`): a placeholder, never its tiles or labels.
public protocol MapViewLike: ViewLike {}

/// One accessibility element of a SwiftUI hosting view (what VoiceOver sees).
public struct AccessibilityNode: Equatable, Sendable {
    /// What the element is, from its accessibility traits.
    public enum Role: Equatable, Sendable { case button, staticText, image, textField, secureTextField, header, adjustable, other }
    /// Its frame in the window's coordinates, in points.
    public var frame: CaptureRect
    public var role: Role
    public var label: String?
    public var value: String?
    public var identifier: String?
    public init(frame: CaptureRect, role: Role, label: String? = nil, value: String? = nil, identifier: String? = nil) {
        self.frame = frame; self.role = role; self.label = label; self.value = value; self.identifier = identifier
    }
}

/// A view that can list its accessibility elements (`UIView.accessibilityElements`). A SwiftUI
/// hosting view draws its content instead of making subviews of it, so it is read through these.
public protocol AccessibilityContainerLike: ViewLike {
    var accessibilityNodes: [AccessibilityNode] { get }
}

/// A SwiftUI `.reprisePrivacy(_:)` marker: an invisible view behind the modified content whose
/// privacy applies to the accessibility elements inside its frame.
public protocol PrivacyMarkerLike: ViewLike {}

/// SwiftUI's hosting views, by class name (`_UIHostingView<...>`, `UIHostingView`, the private
/// generic's mangled name included).
public enum SwiftUIHosting {
    public static func isHostingView(_ className: String) -> Bool { className.contains("UIHostingView") }
}
