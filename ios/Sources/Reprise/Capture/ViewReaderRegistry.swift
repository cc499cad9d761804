import Foundation

/// The readers that turn views into node content, one per class of view. The first reader whose
/// type the view is (apps' readers first, newest first; then the built-in ones, most specific
/// first) reads it; a view no reader claims is an opaque box with no text (fail closed). Which
/// reader a class gets is decided once per class and cached.
///
/// ```swift
/// ViewReaderRegistry.shared.register(ChartView.self) { chart, content in
///     content.kind = .image          // drawn as a placeholder
/// }
/// ViewReaderRegistry.shared.setPrivacy(.hide, forAccessibilityIdentifier: "card-number")
/// ```
public final class ViewReaderRegistry: @unchecked Sendable {
    /// The registry ``Reprise/start(_:)`` captures with.
    public static let shared = ViewReaderRegistry()

    struct Reader {
        let name: String
        let matches: (any ViewLike) -> Bool
        let read: (any ViewLike, inout NodeContent) -> Void
    }

    private let lock = NSLock()
    private var appReaders: [Reader] = []
    private let builtIn: [Reader]
    private var cache: [ObjectIdentifier: Int] = [:]  // class -> index in `ordered`, -1: none
    private var ordered: [Reader] = []
    private var identifierPrivacy: [String: PrivacyOverride] = [:]

    /// A registry with the built-in readers only.
    public init() {
        builtIn = BuiltInReaders.all
        ordered = builtIn
    }

    /// Registers a reader for views of type `type` (a class, or a protocol the class conforms
    /// to). It takes precedence over the built-in readers and earlier registrations.
    public func register<V>(_ type: V.Type, _ read: @escaping (V, inout NodeContent) -> Void) {
        let reader = Reader(name: String(describing: type), matches: { $0 is V }, read: { view, content in
            if let view = view as? V { read(view, &content) }
        })
        lock.lock(); defer { lock.unlock() }
        appReaders.insert(reader, at: 0)
        ordered = appReaders + builtIn
        cache.removeAll()
    }

    /// Applies `privacy` to every view (and SwiftUI element) whose accessibility identifier is
    /// `identifier`; `.inherit` removes the rule.
    public func setPrivacy(_ privacy: PrivacyOverride, forAccessibilityIdentifier identifier: String) {
        lock.lock(); defer { lock.unlock() }
        identifierPrivacy[identifier] = privacy == .inherit ? nil : privacy
    }

    func privacy(forAccessibilityIdentifier identifier: String?) -> PrivacyOverride {
        guard let identifier else { return .inherit }
        lock.lock(); defer { lock.unlock() }
        return identifierPrivacy[identifier] ?? .inherit
    }

    /// The content of `view` as its reader reads it.
    func content(of view: any ViewLike) -> NodeContent {
        var content = NodeContent()
        if let reader = reader(for: view) {
            reader.read(view, &content)
        } else {
            content.privacy = .mask  // unknown content: never shown
        }
        return content
    }

    /// The name of the reader `view` gets ("none" when no reader claims it), for tests and debugging.
    public func readerName(for view: any ViewLike) -> String { reader(for: view)?.name ?? "none" }

    private func reader(for view: any ViewLike) -> Reader? {
        let key = ObjectIdentifier(type(of: view))
        lock.lock(); defer { lock.unlock() }
        let index: Int
        if let cached = cache[key] {
            index = cached
        } else {
            index = ordered.firstIndex { $0.matches(view) } ?? -1
            cache[key] = index
        }
        return index >= 0 ? ordered[index] : nil
    }
}
