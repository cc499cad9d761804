// View trees to and from the core's JSON form, through the core's own serde (no field is
// mirrored here): for tests, mask previews, and the fixtures the Rust side exports.
package dev.reprise

/**
 * Decodes a tree from the core's JSON form (what [toJson] writes, or what the Rust fixtures
 * export). Throws [ViewTreeJsonException] when the text is not such a tree.
 */
fun viewTreeFromJson(json: String): ViewTree = dev.reprise.internal.ffi.viewTreeFromJson(json)

/**
 * The tree as the core's JSON form, unmasked: what this app would hand the SDK (masking happens
 * in the core when the tree is recorded). For tests and mask previews.
 */
fun ViewTree.toJson(): String = dev.reprise.internal.ffi.viewTreeToJson(this)
