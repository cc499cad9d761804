//! An id-independent form of a hierarchy, to compare what was captured with what replay rebuilt.
//!
//! A [`Snapshot`] names nodes by platform identity and parents by index; a replayed [`Frame`]
//! names them by core ids and interned class ids. Both become the same pre-order list of
//! (parent index, class name, x, y, props) when the hierarchy is the same.

use std::collections::HashMap;

use reprise_core::{Frame, NodeProps, Replayer, Snapshot};
use thiserror::Error;

/// One node in canonical form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CanonicalNode {
    /// Index of the parent in the canonical list; `None` for the root.
    pub parent: Option<usize>,
    /// The class name.
    pub class: String,
    /// Left edge in dp, relative to the parent.
    pub x: i32,
    /// Top edge in dp, relative to the parent.
    pub y: i32,
    /// Everything else.
    pub props: NodeProps,
}

/// A replayed frame that cannot be put in canonical form.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CanonicalError {
    /// A node's class id was never defined by a `Classes` record.
    #[error("class id {0} is not defined")]
    UnknownClass(u32),
    /// A node names a parent that does not come before it.
    #[error("node {node} names parent {parent}, which does not come before it")]
    ParentNotBefore {
        /// The node's id.
        node: u32,
        /// The parent id it names.
        parent: u32,
    },
}

/// The canonical form of a captured snapshot.
pub fn of_snapshot(snapshot: &Snapshot) -> Vec<CanonicalNode> {
    snapshot
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| CanonicalNode {
            parent: (i > 0).then_some(n.parent as usize),
            class: snapshot.classes.get(n.class as usize).cloned().unwrap_or_default(),
            x: n.x,
            y: n.y,
            props: n.props.clone(),
        })
        .collect()
}

/// The canonical form of a replayed frame, with class names from the replayer that built it.
pub fn of_frame(frame: &Frame, replayer: &Replayer) -> Result<Vec<CanonicalNode>, CanonicalError> {
    let mut index_of: HashMap<u32, usize> = HashMap::with_capacity(frame.nodes.len());
    let mut out = Vec::with_capacity(frame.nodes.len());
    for (i, n) in frame.nodes.iter().enumerate() {
        let parent = match (i, n.parent) {
            (0, _) => None,
            (_, p) => Some(*index_of.get(&p).ok_or(CanonicalError::ParentNotBefore { node: n.id, parent: p })?),
        };
        let class = replayer.class_name(n.class).ok_or(CanonicalError::UnknownClass(n.class))?.to_owned();
        out.push(CanonicalNode { parent, class, x: n.x, y: n.y, props: n.props.clone() });
        index_of.insert(n.id, i);
    }
    Ok(out)
}

/// The first position where two canonical lists differ, described for a test failure message;
/// `None` when they are equal.
pub fn first_difference(expected: &[CanonicalNode], actual: &[CanonicalNode]) -> Option<String> {
    for (i, (e, a)) in expected.iter().zip(actual).enumerate() {
        if e != a {
            return Some(format!("node {i} differs:\n expected {e:?}\n   actual {a:?}"));
        }
    }
    (expected.len() != actual.len())
        .then(|| format!("lengths differ: expected {} nodes, got {}", expected.len(), actual.len()))
}
