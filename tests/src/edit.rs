//! Editing a view tree the way an app changes its screen: scroll a list, remove a view, add a
//! subtree, move a view to another parent. Tests derive realistic next snapshots with it.
//!
//! The editor keeps every node in a slot with explicit child lists, so an edit never has to
//! renumber anything; [`TreeEditor::to_tree`] writes the attached nodes back out in pre-order.

use reprise_core::{PxRect, ViewNode, ViewTree};
use thiserror::Error;

use crate::identity::Fnv1a;

/// An edit that would not leave a tree.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EditError {
    /// No attached node has this slot.
    #[error("no attached node in slot {0}")]
    NoSuchNode(usize),
    /// The root cannot be removed or moved.
    #[error("the root cannot be removed or moved")]
    Root,
    /// A node cannot move under itself or its own descendant.
    #[error("node {node} cannot move under its own descendant {parent}")]
    Cycle {
        /// The node being moved.
        node: usize,
        /// The parent asked for.
        parent: usize,
    },
}

/// A view tree open for editing. Slots are stable: a node keeps its slot number through edits;
/// slot 0 is the root.
#[derive(Debug, Clone)]
pub struct TreeEditor {
    classes: Vec<String>,
    nodes: Vec<ViewNode>,
    parent: Vec<Option<usize>>,
    children: Vec<Vec<usize>>,
    attached: Vec<bool>,
}

impl TreeEditor {
    /// Opens `tree` (parents before children; siblings keep their order). An empty tree gives an
    /// editor with no root, on which every edit fails.
    pub fn new(tree: &ViewTree) -> Self {
        let n = tree.nodes.len();
        let mut children = vec![Vec::new(); n];
        let mut parent = vec![None; n];
        let mut attached = vec![false; n];
        for (i, node) in tree.nodes.iter().enumerate() {
            match node.parent.map(|p| p as usize) {
                None if i == 0 => attached[0] = true,
                Some(p) if p < i && attached[p] => {
                    parent[i] = Some(p);
                    children[p].push(i);
                    attached[i] = true;
                }
                _ => {}
            }
        }
        Self { classes: tree.classes.clone(), nodes: tree.nodes.clone(), parent, children, attached }
    }

    /// The node in `slot`, attached or not.
    pub fn node(&self, slot: usize) -> Option<&ViewNode> {
        self.nodes.get(slot)
    }

    /// The node in `slot`, to change its properties (its `parent` field is ignored: use
    /// [`TreeEditor::reparent`]).
    pub fn node_mut(&mut self, slot: usize) -> Option<&mut ViewNode> {
        self.nodes.get_mut(slot)
    }

    /// The children of `slot`, back to front.
    pub fn children(&self, slot: usize) -> &[usize] {
        self.children.get(slot).map_or(&[], Vec::as_slice)
    }

    /// The parent of `slot`; `None` for the root or a detached node.
    pub fn parent(&self, slot: usize) -> Option<usize> {
        self.parent.get(slot).copied().flatten()
    }

    /// Whether `slot` holds a node that is part of the tree.
    pub fn is_attached(&self, slot: usize) -> bool {
        self.attached.get(slot).copied().unwrap_or(false)
    }

    /// `slot` and all its descendants, in pre-order.
    pub fn subtree(&self, slot: usize) -> Vec<usize> {
        let mut out = Vec::new();
        if slot >= self.nodes.len() {
            return out;
        }
        let mut stack = vec![slot];
        while let Some(s) = stack.pop() {
            out.push(s);
            stack.extend(self.children[s].iter().rev());
        }
        out
    }

    /// Every attached node, in pre-order.
    pub fn preorder(&self) -> Vec<usize> {
        if self.is_attached(0) { self.subtree(0) } else { Vec::new() }
    }

    /// The first attached node, in pre-order, for which `pred` holds.
    pub fn find(&self, mut pred: impl FnMut(usize, &ViewNode) -> bool) -> Option<usize> {
        self.preorder().into_iter().find(|&s| pred(s, &self.nodes[s]))
    }

    /// Moves `slot` and its subtree by `dx`, `dy` pixels.
    pub fn shift(&mut self, slot: usize, dx: f32, dy: f32) {
        for s in self.subtree(slot) {
            let b = &mut self.nodes[s].bounds;
            b.left += dx;
            b.top += dy;
        }
    }

    /// Removes `slot` and its subtree from the tree.
    pub fn remove(&mut self, slot: usize) -> Result<(), EditError> {
        let parent = self.attached_parent(slot)?;
        self.children[parent].retain(|&c| c != slot);
        self.parent[slot] = None;
        for s in self.subtree(slot) {
            self.attached[s] = false;
        }
        Ok(())
    }

    /// Moves `slot` (with its subtree, bounds unchanged on screen) to be the last (front-most)
    /// child of `new_parent`.
    pub fn reparent(&mut self, slot: usize, new_parent: usize) -> Result<(), EditError> {
        let old = self.attached_parent(slot)?;
        if !self.is_attached(new_parent) {
            return Err(EditError::NoSuchNode(new_parent));
        }
        if self.subtree(slot).contains(&new_parent) {
            return Err(EditError::Cycle { node: slot, parent: new_parent });
        }
        self.children[old].retain(|&c| c != slot);
        self.children[new_parent].push(slot);
        self.parent[slot] = Some(new_parent);
        Ok(())
    }

    /// Copies the subtree at `source` as the last child of `new_parent`, moved by `dx`, `dy`
    /// pixels, with new identities (each the old one hashed with `salt`). Returns the copy's slot.
    pub fn copy_subtree(&mut self, source: usize, new_parent: usize, dx: f32, dy: f32, salt: u64) -> Result<usize, EditError> {
        if !self.is_attached(source) {
            return Err(EditError::NoSuchNode(source));
        }
        if !self.is_attached(new_parent) {
            return Err(EditError::NoSuchNode(new_parent));
        }
        // The subtree as it is now: copying under a node of the subtree itself must not copy the
        // copy.
        let order = self.subtree(source);
        let mut copy_of = std::collections::HashMap::with_capacity(order.len());
        for src in order {
            let parent = if src == source { new_parent } else { copy_of[&self.parent[src].unwrap_or(source)] };
            let mut node = self.nodes[src].clone();
            node.identity = Fnv1a::default().write_u64(salt).write_u64(node.identity).finish();
            node.bounds = PxRect { left: node.bounds.left + dx, top: node.bounds.top + dy, ..node.bounds };
            let slot = self.nodes.len();
            self.nodes.push(node);
            self.parent.push(Some(parent));
            self.children.push(Vec::new());
            self.attached.push(true);
            self.children[parent].push(slot);
            copy_of.insert(src, slot);
        }
        Ok(copy_of[&source])
    }

    /// Scrolls the content of `container` by `dy` pixels (positive: content moves up, as when
    /// the finger drags up): every descendant moves by `-dy`, the container's `scroll_y` grows by
    /// `dy`, and children that end up wholly outside the container's bounds are removed, as a
    /// recycling list does. Returns how many children were removed.
    pub fn scroll(&mut self, container: usize, dy: f32) -> Result<usize, EditError> {
        if !self.is_attached(container) {
            return Err(EditError::NoSuchNode(container));
        }
        let frame = self.nodes[container].bounds;
        let children = self.children[container].clone();
        let mut removed = 0;
        for child in children {
            self.shift(child, 0.0, -dy);
            let b = self.nodes[child].bounds;
            if b.top + b.height <= frame.top || b.top >= frame.top + frame.height {
                self.remove(child)?;
                removed += 1;
            }
        }
        self.nodes[container].scroll_y += dy;
        Ok(removed)
    }

    /// The edited tree: attached nodes in pre-order, with parent indices to match.
    pub fn to_tree(&self) -> ViewTree {
        let order = self.preorder();
        let mut index = vec![u32::MAX; self.nodes.len()];
        let mut nodes = Vec::with_capacity(order.len());
        for (i, &slot) in order.iter().enumerate() {
            index[slot] = i as u32;
            let mut node = self.nodes[slot].clone();
            node.parent = self.parent[slot].map(|p| index[p]);
            nodes.push(node);
        }
        ViewTree::new(self.classes.clone(), nodes)
    }

    fn attached_parent(&self, slot: usize) -> Result<usize, EditError> {
        if !self.is_attached(slot) {
            return Err(EditError::NoSuchNode(slot));
        }
        self.parent[slot].ok_or(EditError::Root)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reprise_core::NodeKind;

    fn tree() -> ViewTree {
        // 0 ─┬─ 1 ─── 3
        //    └─ 2 ─┬─ 4
        //          └─ 5
        let parents = [None, Some(0), Some(0), Some(1), Some(2), Some(2)];
        let nodes = parents
            .iter()
            .enumerate()
            .map(|(i, &p)| ViewNode::new(i as u64 + 100, p, NodeKind::Container, PxRect::new(0.0, i as f32 * 10.0, 100.0, 10.0)))
            .collect();
        ViewTree::new(vec![], nodes)
    }

    fn shape(tree: &ViewTree) -> Vec<(u64, Option<u32>)> {
        tree.nodes.iter().map(|n| (n.identity, n.parent)).collect()
    }

    #[test]
    fn unedited_trees_come_back_in_pre_order() {
        let out = TreeEditor::new(&tree()).to_tree();
        assert_eq!(shape(&out), vec![(100, None), (101, Some(0)), (103, Some(1)), (102, Some(0)), (104, Some(3)), (105, Some(3))]);
    }

    #[test]
    fn remove_reparent_and_copy_keep_a_valid_tree() {
        let mut ed = TreeEditor::new(&tree());
        ed.reparent(3, 2).expect("reparent");
        assert_eq!(ed.reparent(2, 4), Err(EditError::Cycle { node: 2, parent: 4 }));
        assert_eq!(ed.remove(0), Err(EditError::Root));
        ed.remove(4).expect("remove");
        let copy = ed.copy_subtree(2, 1, 0.0, 5.0, 7).expect("copy");
        let out = ed.to_tree();
        assert_eq!(out.nodes.len(), 1 + 1 + 3 + 3);
        for (i, n) in out.nodes.iter().enumerate() {
            assert!(n.parent.is_none_or(|p| (p as usize) < i));
        }
        assert_eq!(ed.children(copy).len(), 2);
        assert_eq!(ed.node(copy).map(|n| n.bounds.top), Some(25.0));
        assert_ne!(ed.node(copy).map(|n| n.identity), Some(102));
    }

    #[test]
    fn copying_a_subtree_under_itself_copies_it_once() {
        let mut ed = TreeEditor::new(&tree());
        let copy = ed.copy_subtree(2, 4, 0.0, 0.0, 1).expect("copy");
        assert_eq!(ed.subtree(copy).len(), 3);
        assert_eq!(ed.to_tree().nodes.len(), 9);
    }

    #[test]
    fn scrolling_moves_content_and_drops_what_leaves() {
        let mut ed = TreeEditor::new(&tree());
        // Container 2 spans y 20..30; its children 4 (40..50) and 5 (50..60) scroll up by 31:
        // 4 ends at 9..19, above the container, and goes; 5 ends at 19..29 and stays.
        let removed = ed.scroll(2, 31.0).expect("scroll");
        assert_eq!(removed, 1);
        assert_eq!(ed.children(2), &[5]);
        assert_eq!(ed.node(5).map(|n| n.bounds.top), Some(19.0));
        assert_eq!(ed.node(2).map(|n| n.scroll_y), Some(31.0));
    }
}
