//! Rebuilding the view hierarchy from keyframes and diffs, as the player and the tests do.
//!
//! Records come from untrusted bytes, so every reference is checked and every walk is iterative
//! and guarded: a hostile diff gives an error, never a panic or an endless loop.

use rustc_hash::{FxHashMap, FxHashSet};

use thiserror::Error;

use crate::details::NodeDetail;
use crate::diff::Diff;
use crate::frame::{Frame, FrameNode, NodeProps};
use crate::record::Record;

/// A record that cannot be applied to the replayed state.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ReplayError {
    /// A diff arrived before any keyframe.
    #[error("diff without a preceding keyframe")]
    NoKeyframe,
    /// A diff names a node the state does not have.
    #[error("diff names unknown node {0}")]
    UnknownNode(u32),
    /// A keyframe or diff leaves the tree without a root, or with a node reachable twice.
    #[error("tree structure is inconsistent: {0}")]
    Structure(String),
}

#[derive(Debug, Clone)]
struct Node {
    parent: u32,
    class: u32,
    x: i32,
    y: i32,
    props: NodeProps,
    children: Vec<u32>,
}

/// The hierarchy as of the records applied so far.
#[derive(Debug, Default, Clone)]
pub struct Replayer {
    nodes: FxHashMap<u32, Node>,
    root: Option<u32>,
    classes: FxHashMap<u32, String>,
    details: FxHashMap<u32, NodeDetail>,
}

impl Replayer {
    /// An empty replayer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Applies one record. Returns whether the hierarchy changed; records that are not about the
    /// hierarchy are ignored.
    pub fn apply(&mut self, record: &Record) -> Result<bool, ReplayError> {
        match record {
            Record::Classes(defs) => {
                for def in defs {
                    self.classes.insert(def.id, def.name.clone());
                }
                Ok(false)
            }
            Record::Keyframe(frame) => self.keyframe(frame).map(|()| true),
            Record::Diff(diff) => self.diff(diff).map(|()| true),
            Record::Details(details) => {
                self.details(details);
                Ok(false)
            }
            _ => Ok(false),
        }
    }

    /// The details of node `id` (its id name, toggle state, progress, elevation), if it has any.
    pub fn detail(&self, id: u32) -> Option<&NodeDetail> {
        self.details.get(&id)
    }

    /// Applies a details record: an empty detail clears the node's; a detail of a node the
    /// hierarchy does not have is dropped (it went, or the record is hostile).
    fn details(&mut self, details: &[NodeDetail]) {
        for detail in details {
            if detail.is_empty() {
                self.details.remove(&detail.id);
            } else if self.nodes.contains_key(&detail.id) {
                self.details.insert(detail.id, detail.clone());
            }
        }
    }

    /// The name of a class id, once defined.
    pub fn class_name(&self, class: u32) -> Option<&str> {
        self.classes.get(&class).map(String::as_str)
    }

    fn keyframe(&mut self, frame: &Frame) -> Result<(), ReplayError> {
        let mut nodes: FxHashMap<u32, Node> = FxHashMap::default();
        let mut root = None;
        for (i, n) in frame.nodes.iter().enumerate() {
            if i == 0 {
                if n.parent != 0 {
                    return Err(ReplayError::Structure("keyframe root has a parent".into()));
                }
                root = Some(n.id);
            } else {
                let parent = nodes
                    .get_mut(&n.parent)
                    .ok_or_else(|| ReplayError::Structure(format!("node {} before its parent {}", n.id, n.parent)))?;
                parent.children.push(n.id);
            }
            let node = Node { parent: n.parent, class: n.class, x: n.x, y: n.y, props: n.props.clone(), children: Vec::new() };
            if nodes.insert(n.id, node).is_some() || n.id == 0 {
                return Err(ReplayError::Structure(format!("node id {} repeated or zero", n.id)));
            }
        }
        self.nodes = nodes;
        self.root = root;
        self.details.clear();
        Ok(())
    }

    fn diff(&mut self, diff: &Diff) -> Result<(), ReplayError> {
        let Some(root) = self.root else { return Err(ReplayError::NoKeyframe) };
        for n in &diff.added {
            if n.id == 0 || self.nodes.contains_key(&n.id) {
                return Err(ReplayError::Structure(format!("added node {} exists already", n.id)));
            }
            let node = Node { parent: n.parent, class: n.class, x: n.x, y: n.y, props: n.props.clone(), children: Vec::new() };
            self.nodes.insert(n.id, node);
        }
        for list in &diff.children {
            for &child in &list.ids {
                if child == root || child == list.parent {
                    return Err(ReplayError::Structure(format!("node {child} cannot be a child of {}", list.parent)));
                }
                self.nodes.get_mut(&child).ok_or(ReplayError::UnknownNode(child))?.parent = list.parent;
            }
            let parent = self.nodes.get_mut(&list.parent).ok_or(ReplayError::UnknownNode(list.parent))?;
            parent.children.clone_from(&list.ids);
        }
        for &id in &diff.removed {
            if id == root {
                return Err(ReplayError::Structure("a diff cannot remove the root".into()));
            }
            let node = self.nodes.remove(&id).ok_or(ReplayError::UnknownNode(id))?;
            self.details.remove(&id);
            if let Some(parent) = self.nodes.get_mut(&node.parent) {
                parent.children.retain(|&c| c != id);
            }
            let mut stack: Vec<(u32, Vec<u32>)> = vec![(id, node.children)];
            while let Some((owner, children)) = stack.pop() {
                for child in children {
                    if self.nodes.get(&child).is_some_and(|c| c.parent == owner)
                        && let Some(removed) = self.nodes.remove(&child) {
                            self.details.remove(&child);
                            stack.push((child, removed.children));
                        }
                }
            }
        }
        for m in &diff.moved {
            let node = self.nodes.get_mut(&m.id).ok_or(ReplayError::UnknownNode(m.id))?;
            (node.x, node.y) = (m.x, m.y);
        }
        for c in &diff.changed {
            let node = self.nodes.get_mut(&c.id).ok_or(ReplayError::UnknownNode(c.id))?;
            for field in &c.fields {
                match field {
                    crate::frame::Field::Class(class) => node.class = *class,
                    other => node.props.apply(other.clone()),
                }
            }
        }
        Ok(())
    }

    /// The hierarchy now, in pre-order; `None` before the first keyframe. Only nodes reachable
    /// from the root through consistent parent links are included.
    pub fn frame(&self) -> Option<Frame> {
        let root = self.root?;
        let mut out = Vec::with_capacity(self.nodes.len());
        let mut seen: FxHashSet<u32> = FxHashSet::default();
        let mut stack = vec![root];
        while let Some(id) = stack.pop() {
            let Some(node) = self.nodes.get(&id) else { continue };
            if !seen.insert(id) {
                continue;
            }
            out.push(FrameNode {
                id,
                parent: if id == root { 0 } else { node.parent },
                class: node.class,
                x: node.x,
                y: node.y,
                props: node.props.clone(),
                clip: self.details.get(&id).and_then(|d| d.clip),
            });
            for &child in node.children.iter().rev() {
                if self.nodes.get(&child).is_some_and(|c| c.parent == id) {
                    stack.push(child);
                }
            }
        }
        Some(Frame { nodes: out })
    }
}
