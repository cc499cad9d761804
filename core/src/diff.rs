//! Snapshot diffing: what changed between two frames, as removed, added, moved and changed nodes
//! and the child lists that changed.

use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use crate::frame::{Field, Frame, FrameNode};

/// A node whose position relative to its parent changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Moved {
    /// The node.
    pub id: u32,
    /// New left edge in dp, relative to the parent.
    pub x: i32,
    /// New top edge in dp, relative to the parent.
    pub y: i32,
}

/// A node some of whose properties changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Changed {
    /// The node.
    pub id: u32,
    /// The new values of the fields that changed.
    pub fields: Vec<Field>,
}

/// The complete ordered child list of a parent whose children changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Children {
    /// The parent.
    pub parent: u32,
    /// Its children, back to front.
    pub ids: Vec<u32>,
}

/// What changed from one frame to the next. Applying it (see `replay.rs`) to the first
/// frame gives the second exactly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Diff {
    /// Nodes that are gone, each with its whole subtree (only the top of a removed subtree is
    /// listed; descendants moved to a surviving parent are not removed).
    pub removed: Vec<u32>,
    /// New nodes, parents before children.
    pub added: Vec<FrameNode>,
    /// Nodes that moved within their parent.
    pub moved: Vec<Moved>,
    /// Nodes whose properties changed.
    pub changed: Vec<Changed>,
    /// Parents whose child lists changed (new parents with children included).
    pub children: Vec<Children>,
}

impl Diff {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.removed.is_empty()
            && self.added.is_empty()
            && self.moved.is_empty()
            && self.changed.is_empty()
            && self.children.is_empty()
    }
}

/// Where a node sits: its index in the frame and its parent and previous sibling, by id.
#[derive(Debug, Clone, Copy)]
struct Place {
    index: usize,
    parent: u32,
    prev_sibling: u32,
}

/// Fills `out` with where each node of a pre-order frame sits. The previous sibling comes from a
/// stack of the current ancestors, each with the last child seen under it.
fn places(frame: &Frame, out: &mut FxHashMap<u32, Place>, path: &mut Vec<(u32, u32)>) {
    out.clear();
    out.reserve(frame.nodes.len());
    path.clear();
    for (index, node) in frame.nodes.iter().enumerate() {
        while path.last().is_some_and(|&(id, _)| id != node.parent) {
            path.pop();
        }
        let prev_sibling = match path.last_mut() {
            Some((_, last_child)) => std::mem::replace(last_child, node.id),
            None => 0,
        };
        path.push((node.id, 0));
        out.insert(node.id, Place { index, parent: node.parent, prev_sibling });
    }
}

/// Diffs successive frames, remembering the last one.
#[derive(Debug, Default)]
pub struct Differ {
    prev: Option<Frame>,
    prev_places: FxHashMap<u32, Place>,
    next_places: FxHashMap<u32, Place>,
    path: Vec<(u32, u32)>,
}

impl Differ {
    /// The last frame seen, if any.
    pub fn last(&self) -> Option<&Frame> {
        self.prev.as_ref()
    }

    /// Forgets the last frame: the next one is a keyframe.
    pub fn reset(&mut self) {
        self.prev = None;
    }

    /// Makes `frame` the reference for the next diff.
    pub fn set(&mut self, frame: Frame) {
        places(&frame, &mut self.prev_places, &mut self.path);
        self.prev = Some(frame);
    }

    /// What changed from the last frame to `frame`, which becomes the last frame. `None` when
    /// there is no last frame or the root changed: the caller writes a keyframe instead.
    pub fn diff(&mut self, frame: Frame) -> Option<Diff> {
        places(&frame, &mut self.next_places, &mut self.path);
        let result = match &self.prev {
            Some(prev) if prev.root() == frame.root() => Some(compute(prev, &self.prev_places, &frame, &self.next_places)),
            _ => None,
        };
        std::mem::swap(&mut self.prev_places, &mut self.next_places);
        self.prev = Some(frame);
        result
    }
}

fn compute(
    prev_frame: &Frame,
    prev: &FxHashMap<u32, Place>,
    frame: &Frame,
    next: &FxHashMap<u32, Place>,
) -> Diff {
    let mut diff = Diff::default();
    let mut dirty: FxHashSet<u32> = FxHashSet::default();
    for node in &frame.nodes {
        let place = next[&node.id];
        match prev.get(&node.id) {
            None => {
                diff.added.push(node.clone());
                dirty.insert(node.parent);
            }
            Some(old_place) => {
                if old_place.parent != place.parent || old_place.prev_sibling != place.prev_sibling {
                    dirty.insert(node.parent);
                }
                let old = &prev_frame.nodes[old_place.index];
                if (old.x, old.y) != (node.x, node.y) {
                    diff.moved.push(Moved { id: node.id, x: node.x, y: node.y });
                }
                let mut fields = old.props.changes_to(&node.props);
                if old.class != node.class {
                    fields.insert(0, Field::Class(node.class));
                }
                if !fields.is_empty() {
                    diff.changed.push(Changed { id: node.id, fields });
                }
            }
        }
    }
    for node in &prev_frame.nodes {
        match next.get(&node.id) {
            // Gone: listed only where its parent stays; a reader removes the whole subtree.
            None if next.contains_key(&node.parent) => {
                dirty.insert(node.parent);
                diff.removed.push(node.id);
            }
            None => {}
            // Moved to another parent: the old parent's child list changed.
            Some(place) if place.parent != node.parent => {
                dirty.insert(node.parent);
            }
            Some(_) => {}
        }
    }
    dirty.remove(&0);
    if !dirty.is_empty() {
        let mut lists: FxHashMap<u32, Vec<u32>> = dirty
            .iter()
            .filter(|parent| next.contains_key(parent))
            .map(|&parent| (parent, Vec::new()))
            .collect();
        for node in &frame.nodes {
            if let Some(list) = lists.get_mut(&node.parent) {
                list.push(node.id);
            }
        }
        let mut children: Vec<Children> =
            lists.into_iter().map(|(parent, ids)| Children { parent, ids }).collect();
        children.sort_by_key(|c| next[&c.parent].index);
        diff.children = children;
    }
    diff
}
