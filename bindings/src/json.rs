//! View trees as JSON in the core's own shape (its serde form): what a test or a mask preview
//! exports of the tree it would hand the SDK, and what the platform suites read back from the
//! fixtures the Rust side exports (`reprise-fixtures`' `export-fixtures`), so that neither
//! platform mirrors the core's fields: a field added to the core's `ViewNode` reaches both
//! through the bindings alone.

use reprise_core::ViewTree;

use crate::error::panic_reason;

/// Why a view tree could not be read from, or written as, JSON. Kotlin sees
/// `ViewTreeJsonException` subclasses, Swift a `ViewTreeJsonError` enum.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum ViewTreeJsonError {
    /// The text is not JSON of a view tree (syntax, a missing field, a value of the wrong type).
    #[error("not a view tree in JSON: {reason}")]
    Invalid {
        /// What serde_json reported, with the line and column.
        reason: String,
    },
    /// A bug inside the SDK (a caught panic); the host app keeps running.
    #[error("internal error: {reason}")]
    Internal {
        /// What happened.
        reason: String,
    },
}

/// Decodes a view tree from the core's JSON form (as [`view_tree_to_json`] writes it). Only the
/// shape is checked here; the tree's structure is checked when it is recorded, as for any tree.
#[uniffi::export]
pub fn view_tree_from_json(json: String) -> Result<ViewTree, ViewTreeJsonError> {
    caught(|| serde_json::from_str(&json).map_err(|e| ViewTreeJsonError::Invalid { reason: e.to_string() }))
}

/// Encodes a view tree as the core's JSON form, unmasked: what the platform layer would hand the
/// SDK (masking happens in the core when the tree is captured). A non-finite number (NaN, an
/// infinity) is written as `null`, which [`view_tree_from_json`] refuses.
#[uniffi::export]
pub fn view_tree_to_json(tree: ViewTree) -> Result<String, ViewTreeJsonError> {
    caught(|| serde_json::to_string(&tree).map_err(|e| ViewTreeJsonError::Invalid { reason: e.to_string() }))
}

/// Runs `f`, turning a panic into [`ViewTreeJsonError::Internal`].
fn caught<T>(f: impl FnOnce() -> Result<T, ViewTreeJsonError>) -> Result<T, ViewTreeJsonError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .unwrap_or_else(|payload| Err(ViewTreeJsonError::Internal { reason: panic_reason(payload) }))
}

#[cfg(test)]
mod tests {
    use reprise_core::{NodeKind, PxRect, ViewNode};

    use super::*;

    #[test]
    fn a_tree_round_trips_and_bad_json_is_a_typed_error() {
        let mut tree = ViewTree::default();
        let class = tree.class("android.widget.TextView");
        let mut node = ViewNode::new(7, None, NodeKind::Text, PxRect::new(1.0, 2.0, 300.0, 40.0));
        node.class = class;
        node.text = Some("Hello".into());
        tree.push(node);
        let json = view_tree_to_json(tree.clone()).expect("encodes");
        assert_eq!(view_tree_from_json(json.clone()), Ok(tree));

        assert!(matches!(view_tree_from_json("{".into()), Err(ViewTreeJsonError::Invalid { .. })));
        let missing = json.replace("\"nodes\"", "\"nodez\"");
        assert!(matches!(view_tree_from_json(missing), Err(ViewTreeJsonError::Invalid { .. })));
    }
}
