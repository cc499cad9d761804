//! Building view trees by hand: a builder that interns class names as nodes are added, and a
//! visible node with the defaults the synthetic screens use.

use reprise_core::{NodeFlags, NodeKind, PxRect, ViewNode, ViewTree};

/// Builds a tree node by node, parents first, interning class names.
#[derive(Debug, Clone, Default)]
pub struct TreeBuilder {
    tree: ViewTree,
}

impl TreeBuilder {
    /// Appends `node` with class `class` and returns its index (what its children name as parent).
    pub fn add(&mut self, mut node: ViewNode, class: &str) -> u32 {
        node.class = self.tree.class(class);
        self.tree.push(node)
    }

    /// The tree built so far.
    pub fn finish(self) -> ViewTree {
        self.tree
    }
}

/// A visible node at (`x`, `y`) px of size `w` x `h`; text nodes get a 42 px font in dark grey.
pub fn node(identity: u64, parent: Option<u32>, kind: NodeKind, x: f32, y: f32, w: f32, h: f32) -> ViewNode {
    let mut n = ViewNode::new(identity, parent, kind, PxRect::new(x, y, w, h));
    n.flags = NodeFlags::visible();
    if kind == NodeKind::Text {
        n.font_size = 42.0;
        n.text_color = Some(0xff22_2222);
    }
    n
}
