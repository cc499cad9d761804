import Foundation

extension ViewLike {
    /// The app's privacy choice for this view and its subtree: `.mask` (text and images masked
    /// whatever the mode), `.unmask` (shown, passwords excepted), `.hide` (an empty box, nothing
    /// below it recorded), `.inherit` (the default). It becomes the core's per-node override.
    ///
    /// This default keeps the choice in ``PrivacyStore``; `UIView` keeps it in an associated object.
    public var reprisePrivacy: PrivacyOverride {
        get { PrivacyStore.shared.privacy(of: self) }
        set { PrivacyStore.shared.setPrivacy(newValue, of: self) }
    }
}

/// Privacy choices of views that have no storage of their own, keyed by object identity. An
/// entry goes when its view is deallocated (the weak reference is checked, so a new object at a
/// reused address does not inherit it).
public final class PrivacyStore: @unchecked Sendable {
    public static let shared = PrivacyStore()

    private struct Entry { weak var view: AnyObject?; var privacy: PrivacyOverride }
    private let lock = NSLock()
    private var entries: [ObjectIdentifier: Entry] = [:]

    public init() {}

    public func privacy(of view: AnyObject) -> PrivacyOverride {
        lock.lock(); defer { lock.unlock() }
        guard let entry = entries[ObjectIdentifier(view)], entry.view === view else { return .inherit }
        return entry.privacy
    }

    public func setPrivacy(_ privacy: PrivacyOverride, of view: AnyObject) {
        lock.lock(); defer { lock.unlock() }
        entries = entries.filter { $0.value.view != nil }
        entries[ObjectIdentifier(view)] = privacy == .inherit ? nil : Entry(view: view, privacy: privacy)
    }
}
