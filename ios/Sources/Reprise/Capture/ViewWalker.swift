/// The screen a capture draws on: its size and scale, and the keyboard's frame while it is shown.
public struct ScreenGeometry: Equatable, Sendable {
    /// The screen's bounds in points (`UIScreen.bounds`, which follows the orientation).
    public var size: CaptureSize
    /// Pixels per point (`UIScreen.scale`).
    public var scale: Double
    /// The keyboard's frame in screen points while it is shown, else nil.
    public var keyboardFrame: CaptureRect?
    public init(size: CaptureSize, scale: Double, keyboardFrame: CaptureRect? = nil) {
        self.size = size; self.scale = scale; self.keyboardFrame = keyboardFrame
    }
}

/// Walks windows of views into the core's `ViewTree`: one synthetic root for the screen, then
/// every window in z-order (lowest level first, so alerts and sheets come after, above the
/// screen), each window's views parents first, siblings back to front. Each view is read by its
/// reader from the ``ViewReaderRegistry``; a class name enters the tree's class table once.
/// Runs on the main thread; it only reads.
public struct ViewWalker {
    /// The class name of the synthetic root node.
    public static let screenClassName = "UIScreen"

    public var registry: ViewReaderRegistry
    /// At most this many nodes per tree; views beyond it are left out.
    public var maxNodes: Int

    public init(registry: ViewReaderRegistry = .shared, maxNodes: Int = 5_000) {
        self.registry = registry
        self.maxNodes = max(1, maxNodes)
    }

    /// The windows of the foreground scenes, in the order they are drawn.
    public static func windows(of scenes: [any SceneLike]) -> [any WindowLike] {
        let visible = scenes.filter(\.isForeground).flatMap(\.sceneWindows).filter { !$0.isHidden && $0.opacity > 0.01 }
        // Stable: windows of the same level keep UIKit's order.
        return visible.enumerated().sorted { a, b in
            a.element.level != b.element.level ? a.element.level < b.element.level : a.offset < b.offset
        }.map(\.element)
    }

    /// One capture of `windows` (drawing order; see ``windows(of:)``) on `screen`.
    public func capture(_ windows: [any WindowLike], screen: ScreenGeometry) -> ViewTree {
        var builder = TreeBuilder(registry: registry, scale: screen.scale, maxNodes: maxNodes)
        builder.addRoot(CaptureRect(x: 0, y: 0, width: screen.size.width, height: screen.size.height))
        for window in windows {
            if window.isKeyboardWindow {
                if let frame = screen.keyboardFrame { builder.addKeyboard(window, frame: frame) }
                continue
            }
            builder.addWindow(window)
        }
        return builder.tree
    }
}

/// The state of one walk: the nodes so far and the class table.
struct TreeBuilder {
    let registry: ViewReaderRegistry
    let scale: Double
    let maxNodes: Int
    private(set) var classes: [String] = []
    private var classIndex: [String: UInt32] = [:]
    private(set) var nodes: [ViewNode] = []
    private(set) var truncated = 0

    init(registry: ViewReaderRegistry, scale: Double, maxNodes: Int) {
        self.registry = registry
        self.scale = scale.isFinite && scale > 0 ? scale : 1
        self.maxNodes = maxNodes
        nodes.reserveCapacity(256)
    }

    var tree: ViewTree { ViewTree(classes: classes, nodes: nodes) }

    mutating func addRoot(_ frame: CaptureRect) {
        var root = node(identity: 1, parent: nil, className: ViewWalker.screenClassName, frame: frame)
        root.flags.clipsChildren = true
        nodes.append(root)
    }

    /// The keyboard as a placeholder of its frame: an empty box, nothing inside recorded.
    mutating func addKeyboard(_ window: any WindowLike, frame: CaptureRect) {
        guard nodes.count < maxNodes else { truncated += 1; return }
        var placeholder = node(identity: window.captureIdentity, parent: 0, className: window.captureClassName, frame: frame)
        placeholder.kind = .other
        placeholder.privacy = .hide
        nodes.append(placeholder)
    }

    /// A window and its views, depth first, without recursion.
    mutating func addWindow(_ window: any WindowLike) {
        let origin = window.originInScreen
        var stack: [(view: any ViewLike, parent: UInt32)] = [(window, 0)]
        while let (view, parent) = stack.popLast() {
            if view.isHidden || view.opacity <= 0.01 || view is PrivacyMarkerLike { continue }
            guard nodes.count < maxNodes else { truncated += 1; continue }
            let index = UInt32(nodes.count)
            let walk = add(view, parent: parent, origin: origin)
            guard walk else { continue }
            let children = view.childViews
            for child in children.reversed() { stack.append((child, index)) }
        }
    }

    /// Adds one view's node; returns whether to walk its subviews.
    private mutating func add(_ view: any ViewLike, parent: UInt32, origin: CapturePoint) -> Bool {
        var chosen = view.reprisePrivacy
        if chosen == .inherit { chosen = registry.privacy(forAccessibilityIdentifier: view.accessibilityIdentifier) }
        var n = node(identity: view.captureIdentity, parent: parent, className: view.captureClassName,
                     frame: view.frameInWindow.offsetBy(origin))
        n.alpha = Float(min(1, max(0, view.opacity)))
        n.flags.clipsChildren = view.clipsToBounds
        n.backgroundColor = view.backgroundARGB
        n.cornerRadius = Float(max(0, view.cornerRadius) * scale)
        if chosen == .hide {
            // Nothing of a hidden view is read: an empty box, and nothing below it.
            n.privacy = .hide
            nodes.append(n)
            return false
        }
        let content = registry.content(of: view)
        n.kind = content.kind
        n.text = content.text
        n.contentDescription = view.accessibilityLabel
        n.textColor = content.textARGB
        n.fontSize = Float(content.fontPointSize * scale)
        n.flags.clickable = content.clickable
        n.flags.scrollable = content.scrollable
        n.flags.focusable = content.focusable
        n.flags.enabled = content.enabled
        n.flags.password = content.password
        n.scrollX = Float(content.scrollOffset.x * scale)
        n.scrollY = Float(content.scrollOffset.y * scale)
        n.privacy = content.privacy == .hide ? .hide : (chosen != .inherit ? chosen : content.privacy)
        n.idName = view.accessibilityIdentifier
        n.checked = content.checked
        n.progress = content.progress.map { Float($0) }
        let index = UInt32(nodes.count)
        nodes.append(n)
        if n.privacy == .hide { return false }
        for (i, element) in content.elements.enumerated() {
            // The innermost marker around the element decides, then the hosting view's own choice.
            let region = content.regions.filter { $0.frame.contains(element.frame) }
                .min { $0.frame.size.width * $0.frame.size.height < $1.frame.size.width * $1.frame.size.height }
            addElement(element, parent: index, owner: view.captureIdentity, position: i, origin: origin,
                       privacy: region?.privacy ?? .inherit)
        }
        return content.walksChildren
    }

    /// A SwiftUI accessibility element as a node under its hosting view.
    private mutating func addElement(_ element: AccessibilityNode, parent: UInt32, owner: UInt64, position: Int, origin: CapturePoint,
                                     privacy: PrivacyOverride) {
        guard nodes.count < maxNodes else { truncated += 1; return }
        let identity = (owner ^ (UInt64(position + 1) &* 0x9E37_79B9_7F4A_7C15)) &* 1_099_511_628_211
        var n = node(identity: identity, parent: parent, className: "SwiftUI.\(element.role)", frame: element.frame.offsetBy(origin))
        switch element.role {
        case .button: n.kind = .button; n.flags.clickable = true; n.text = element.label
        case .staticText, .header: n.kind = .text; n.text = element.label
        case .image: n.kind = .image; n.contentDescription = element.label
        case .textField: n.kind = .input; n.text = element.value; n.contentDescription = element.label; n.flags.clickable = true
        case .secureTextField: n.kind = .input; n.text = element.value; n.flags.password = true; n.flags.clickable = true
        case .adjustable: n.kind = .button; n.flags.clickable = true; n.contentDescription = element.label
        case .other: n.kind = .other; n.text = element.label; n.privacy = .mask  // unknown: never shown
        }
        n.idName = element.identifier
        let rule = registry.privacy(forAccessibilityIdentifier: element.identifier)
        if rule != .inherit { n.privacy = rule } else if privacy != .inherit { n.privacy = privacy }
        if n.privacy == .hide { n.text = nil; n.contentDescription = nil }
        nodes.append(n)
    }

    private mutating func node(identity: UInt64, parent: UInt32?, className: String, frame: CaptureRect) -> ViewNode {
        ViewNode(identity: identity, parent: parent, kind: .container, classIndex: intern(className), bounds: frame.pixels(scale),
                 flags: NodeFlags(clickable: false, scrollable: false, focusable: false, enabled: true, visible: true,
                                  clipsChildren: false, password: false),
                 alpha: 1, backgroundColor: nil, textColor: nil, cornerRadius: 0, fontSize: 0, text: nil,
                 contentDescription: nil, scrollX: 0, scrollY: 0, privacy: .inherit)
    }

    private mutating func intern(_ name: String) -> UInt32 {
        if let i = classIndex[name] { return i }
        let i = UInt32(classes.count)
        classes.append(name)
        classIndex[name] = i
        return i
    }
}
