import Foundation
import RepriseFFI

extension ViewTree {
    /// Decodes a tree from the core's JSON form (what ``json()`` writes, or what the Rust
    /// fixtures export): the core's own decoder reads it, so this side mirrors none of its fields.
    /// Throws ``ViewTreeJsonError/Invalid(reason:)`` when the text is not such a tree.
    public init(json: String) throws {
        self = try viewTreeFromJson(json: json)
    }

    /// The tree as the core's JSON form, unmasked: what this app would hand the SDK (masking
    /// happens in the core when the tree is recorded). For tests and mask previews.
    public func json() throws -> String {
        try viewTreeToJson(tree: self)
    }
}
