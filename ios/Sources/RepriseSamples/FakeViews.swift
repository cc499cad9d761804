// Fake UIKit: classes shaped like UIView and its subclasses, conforming to the same protocols the
// UIKit files make UIKit conform to. The tests build them from real iOS view dumps
// (tests/data/ios-canvas-highlighter); the benchmark builds a 500-node tree of them.
import Reprise

/// A fake `UIView`.
open class FakeView: ViewLike {
    public var className: String
    public var frame: CaptureRect
    public var isHidden = false
    public var opacity = 1.0
    public var clipsToBounds = false
    public var backgroundARGB: UInt32?
    public var cornerRadius = 0.0
    public var accessibilityLabel: String?
    public var accessibilityIdentifier: String?
    public var subviews: [FakeView] = []
    public weak var superview: FakeView?

    public init(_ className: String = "UIView", frame: CaptureRect) {
        self.className = className
        self.frame = frame
    }

    public var captureClassName: String { className }
    /// Fakes keep their frame in window coordinates already.
    public var frameInWindow: CaptureRect { frame }
    public var childViews: [any ViewLike] { subviews }

    public func addSubview(_ view: FakeView) {
        view.superview = self
        subviews.append(view)
    }

    /// Moves this view and its subtree by `dy` points (a scroll, a layout change).
    public func shift(dy: Double) {
        frame.origin.y += dy
        for s in subviews { s.shift(dy: dy) }
    }

    /// Every view of the subtree, this one first.
    public var allViews: [FakeView] { [self] + subviews.flatMap(\.allViews) }
}

/// A fake `UIWindow`.
public final class FakeWindow: FakeView, WindowLike {
    public var level: Double
    public var originInScreen: CapturePoint = .zero
    public var topViewControllerName: String?
    public init(_ className: String = "UIWindow", frame: CaptureRect, level: Double = 0, controller: String? = nil) {
        self.level = level
        self.topViewControllerName = controller
        super.init(className, frame: frame)
    }
}

/// A fake `UIWindowScene`.
public final class FakeScene: SceneLike {
    public var isForeground: Bool
    public var windows: [FakeWindow]
    public init(_ windows: [FakeWindow], foreground: Bool = true) { self.windows = windows; isForeground = foreground }
    public var sceneWindows: [any WindowLike] { windows }
}

public final class FakeLabel: FakeView, LabelLike {
    public var text: String?
    public var textARGB: UInt32? = 0xff00_0000
    public var fontPointSize = 17.0
    public init(_ className: String = "UILabel", frame: CaptureRect, text: String?) {
        self.text = text
        super.init(className, frame: frame)
    }
}

public final class FakeTextField: FakeView, TextFieldLike {
    public var text: String?
    public var placeholder: String?
    public var isSecureTextEntry: Bool
    public var isEnabled = true
    public var textARGB: UInt32? = 0xff00_0000
    public var fontPointSize = 17.0
    public init(frame: CaptureRect, text: String?, secure: Bool = false) {
        self.text = text
        isSecureTextEntry = secure
        super.init("UITextField", frame: frame)
    }
}

public final class FakeTextView: FakeView, TextViewLike {
    public var text: String?
    public var isEditable = true
    public var isSecureTextEntry = false
    public var textARGB: UInt32? = 0xff00_0000
    public var fontPointSize = 15.0
    public var scrollOffset: CapturePoint = .zero
    public init(frame: CaptureRect, text: String?) {
        self.text = text
        super.init("UITextView", frame: frame)
    }
}

public final class FakeButton: FakeView, ButtonLike {
    public var titleText: String?
    public var isEnabled = true
    public var textARGB: UInt32? = 0xff00_7aff
    public var fontPointSize = 17.0
    public init(_ className: String = "UIButton", frame: CaptureRect, title: String?) {
        titleText = title
        super.init(className, frame: frame)
    }
}

public final class FakeSwitch: FakeView, SwitchLike {
    public var isOn = false
    public var isEnabled = true
    public init(frame: CaptureRect) { super.init("UISwitch", frame: frame) }
}

public final class FakeProgressView: FakeView, ProgressLike {
    public var fraction: Double
    public var isInteractive = false
    public var isEnabled = true
    public init(frame: CaptureRect, fraction: Double) { self.fraction = fraction; super.init("UIProgressView", frame: frame) }
}

public final class FakeSegmentedControl: FakeView, SegmentedControlLike {
    public var segmentTitles: [String?]
    public var selectedSegmentIndex = 0
    public var isEnabled = true
    public init(frame: CaptureRect, titles: [String?]) {
        segmentTitles = titles
        super.init("UISegmentedControl", frame: frame)
    }
}

public final class FakeImageView: FakeView, ImageViewLike {
    public var hasImage = true
    public init(frame: CaptureRect) { super.init("UIImageView", frame: frame) }
}

/// A fake `UIScrollView` (or `UITableView`, `UICollectionView`, by class name).
public final class FakeScrollView: FakeView, ScrollViewLike {
    public var scrollOffset: CapturePoint = .zero
    /// Scrolls by `dy` points: the offset grows and the content moves up.
    public func scroll(by dy: Double) {
        scrollOffset.y += dy
        for s in subviews { s.shift(dy: -dy) }
    }
}

public final class FakeCell: FakeView, CellLike {}
public final class FakeWebView: FakeView, WebViewLike {}
public final class FakeMapView: FakeView, MapViewLike {}

public final class FakeHostingView: FakeView, AccessibilityContainerLike {
    public var accessibilityNodes: [AccessibilityNode] = []
}

/// A fake of the view the SwiftUI `.reprisePrivacy(_:)` modifier puts behind its content.
public final class FakePrivacyMarker: FakeView, PrivacyMarkerLike {
    public init(frame: CaptureRect, privacy: PrivacyOverride) {
        super.init("RepriseSwiftUIPrivacyMarker", frame: frame)
        reprisePrivacy = privacy
    }
}

extension Samples {
    /// A fake UIKit feed of `count` views: a window, a table, and cells of a content view with a
    /// title, a subtitle, an image and a button. Scrolled by `offset` points.
    public static func fakeFeed(_ count: Int, offset: Double = 0) -> FakeWindow {
        let window = FakeWindow(frame: CaptureRect(x: 0, y: 0, width: 390, height: 844), controller: "FeedViewController")
        let table = FakeScrollView("UITableView", frame: window.frame)
        table.scrollOffset = CapturePoint(x: 0, y: offset)
        window.addSubview(table)
        var n = 2, row = 0
        while n < count {
            let top = Double(row) * 88 - offset
            let cell = FakeCell("FeedCell", frame: CaptureRect(x: 0, y: top, width: 390, height: 88))
            table.addSubview(cell); n += 1
            let content = FakeView("UITableViewCellContentView", frame: cell.frame)
            if n < count { cell.addSubview(content); n += 1 }
            let parts: [FakeView] = [
                FakeLabel(frame: CaptureRect(x: 84, y: top + 12, width: 240, height: 22), text: "Row \(row) title text"),
                FakeLabel(frame: CaptureRect(x: 84, y: top + 38, width: 240, height: 18), text: "A subtitle for row \(row)"),
                FakeImageView(frame: CaptureRect(x: 16, y: top + 12, width: 56, height: 56)),
                FakeButton(frame: CaptureRect(x: 330, y: top + 28, width: 44, height: 32), title: "Buy"),
            ]
            for part in parts where n < count { content.addSubview(part); n += 1 }
            row += 1
        }
        return window
    }
}
