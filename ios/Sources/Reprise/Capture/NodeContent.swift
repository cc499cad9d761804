/// What a reader says about one view, beyond the geometry every view has. Starts as an opaque
/// box: no text, not interactive, children walked.
public struct NodeContent: Equatable {
    public var kind: NodeKind = .container
    /// The text shown (masked by the core unless the rules unmask it).
    public var text: String?
    public var textARGB: UInt32?
    /// The font size in points.
    public var fontPointSize: Double = 0
    public var clickable = false
    public var scrollable = false
    public var focusable = false
    public var enabled = true
    /// A secure text entry: always masked, length included.
    public var password = false
    /// A switch's or checkbox's on/off state (the core withholds it where inputs are masked).
    public var checked: Bool?
    /// A progress view's or slider's position from 0 to 1 (withheld like ``checked``).
    public var progress: Double?
    /// The scroll offset in points (scroll views).
    public var scrollOffset: CapturePoint = .zero
    /// A privacy override the reader imposes (placeholders and unknown content: `.mask`).
    public var privacy: PrivacyOverride = .inherit
    /// Whether the walker descends into the subviews (false for placeholders: web views, maps).
    public var walksChildren = true
    /// Extra children that are not views (a SwiftUI hosting view's accessibility elements).
    public var elements: [AccessibilityNode] = []
    /// SwiftUI privacy markers: each region's privacy applies to the elements inside it.
    public var regions: [PrivacyRegion] = []
    public init() {}
}

/// A frame (window points) and the privacy of the elements inside it.
public struct PrivacyRegion: Equatable, Sendable {
    public var frame: CaptureRect
    public var privacy: PrivacyOverride
    public init(frame: CaptureRect, privacy: PrivacyOverride) { self.frame = frame; self.privacy = privacy }
}
