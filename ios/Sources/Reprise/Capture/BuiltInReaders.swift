/// The built-in readers, most specific first (a text view is a scroll view; a secure field is a
/// text field). Each is a few lines: what the widget shows and how it reacts.
enum BuiltInReaders {
    static let all: [ViewReaderRegistry.Reader] = [
        hostingReader,
        reader(WebViewLike.self, "web view") { _, c in
            c.kind = .webView; c.privacy = .hide; c.walksChildren = false
        },
        reader(MapViewLike.self, "map view") { _, c in
            c.kind = .image; c.privacy = .mask; c.walksChildren = false
        },
        reader(TextFieldLike.self, "text field") { view, c in
            c.kind = .input; c.text = view.text?.isEmpty == false ? view.text : view.placeholder
            c.password = view.isSecureTextEntry; c.enabled = view.isEnabled
            c.clickable = true; c.focusable = true
            c.textARGB = view.textARGB; c.fontPointSize = view.fontPointSize
        },
        reader(TextViewLike.self, "text view") { view, c in
            c.kind = view.isEditable ? .input : .text; c.text = view.text
            c.password = view.isSecureTextEntry; c.focusable = view.isEditable; c.clickable = view.isEditable
            c.scrollable = true; c.scrollOffset = view.scrollOffset
            c.textARGB = view.textARGB; c.fontPointSize = view.fontPointSize
            c.walksChildren = false  // its text is drawn by private subviews
        },
        reader(ButtonLike.self, "button") { view, c in
            c.kind = .button; c.text = view.titleText; c.enabled = view.isEnabled; c.clickable = true
            c.textARGB = view.textARGB; c.fontPointSize = view.fontPointSize
            c.walksChildren = false  // its title label and image are the button's own
        },
        reader(SwitchLike.self, "switch") { view, c in
            c.kind = .button; c.enabled = view.isEnabled; c.clickable = true; c.walksChildren = false
            c.checked = view.isOn
        },
        reader(ProgressLike.self, "progress") { view, c in
            c.kind = .other; c.enabled = view.isEnabled; c.clickable = view.isInteractive; c.walksChildren = false
            c.progress = view.fraction
        },
        reader(SegmentedControlLike.self, "segmented control") { view, c in
            c.kind = .button; c.enabled = view.isEnabled; c.clickable = true; c.walksChildren = false
            c.text = view.segmentTitles.map { $0 ?? "" }.joined(separator: " | ")
        },
        reader(LabelLike.self, "label") { view, c in
            c.kind = .text; c.text = view.text; c.textARGB = view.textARGB; c.fontPointSize = view.fontPointSize
        },
        reader(ImageViewLike.self, "image view") { _, c in
            c.kind = .image
        },
        reader(CellLike.self, "cell") { _, c in
            c.kind = .container; c.clickable = true
        },
        reader(ScrollViewLike.self, "scroll view") { view, c in
            c.kind = .scroll; c.scrollable = true; c.scrollOffset = view.scrollOffset
        },
        // Any other view: a plain box (container) with its children; its own drawing is not read,
        // so nothing private can come out of it.
        reader(ViewLike.self, "view") { _, c in
            c.kind = .container
        },
    ]

    /// A SwiftUI hosting view: its accessibility elements, with the privacy of the markers over them.
    static let hostingReader = ViewReaderRegistry.Reader(
        name: "hosting view",
        matches: { $0 is AccessibilityContainerLike && SwiftUIHosting.isHostingView($0.captureClassName) },
        read: { view, c in
            guard let view = view as? AccessibilityContainerLike else { return }
            c.kind = .container
            c.elements = view.accessibilityNodes
            c.regions = markers(under: view).map { PrivacyRegion(frame: $0.frameInWindow, privacy: $0.reprisePrivacy) }
                .filter { $0.privacy != .inherit }
        })

    /// The privacy markers among a hosting view's descendants (SwiftUI wraps them in a host view
    /// or two), at most `depth` levels down.
    static func markers(under view: any ViewLike, depth: Int = 4) -> [any PrivacyMarkerLike] {
        guard depth > 0 else { return [] }
        return view.childViews.flatMap { child -> [any PrivacyMarkerLike] in
            if let marker = child as? PrivacyMarkerLike { return [marker] }
            return markers(under: child, depth: depth - 1)
        }
    }

    private static func reader<V>(_ type: V.Type, _ name: String,
                                  _ read: @escaping (V, inout NodeContent) -> Void) -> ViewReaderRegistry.Reader {
        ViewReaderRegistry.Reader(name: name, matches: { $0 is V }, read: { view, content in
            if let view = view as? V { read(view, &content) }
        })
    }
}
