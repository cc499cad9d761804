//! Building view trees by hand: a builder that interns class names as nodes are added, a
//! visible node with the defaults the synthetic screens use, and the synthetic rows the Kotlin
//! suite uses (exported by `export-fixtures`).

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

/// Class names of [`rows`], by index.
const ROW_CLASSES: [&str; 5] = [
    "android.widget.FrameLayout",
    "android.widget.LinearLayout",
    "android.widget.TextView",
    "android.widget.ImageView",
    "android.widget.Button",
];

/// A synthetic list of `count` nodes: a 1080 x 2400 px scroll root, then rows 240 px high, each
/// a white container with a title, an image and a "Buy" button, until `count` nodes. Node `i`
/// has identity `1000 + i`. A tree of `n` nodes is the first `n` nodes of any larger one, so
/// the Kotlin suite takes prefixes of one exported tree (and scrolls it by moving every node
/// but the root up and setting `scroll_y`), where it used to build the same rows itself.
pub fn rows(count: usize) -> ViewTree {
    let mut nodes: Vec<ViewNode> = Vec::with_capacity(count);
    let push = |nodes: &mut Vec<ViewNode>, parent: Option<usize>, kind: NodeKind, class: u32, bounds: PxRect, text: Option<&str>| {
        let mut n = ViewNode::new(1000 + nodes.len() as u64, parent.map(|p| p as u32), kind, bounds);
        n.class = class;
        n.flags.clickable = kind == NodeKind::Button;
        n.flags.scrollable = kind == NodeKind::Scroll;
        n.background_color = (kind == NodeKind::Container).then_some(0xffff_ffff);
        n.text_color = text.map(|_| 0xff22_2222);
        n.font_size = if text.is_some() { 42.0 } else { 0.0 };
        n.text = text.map(str::to_owned);
        nodes.push(n);
    };
    push(&mut nodes, None, NodeKind::Scroll, 0, PxRect::new(0.0, 0.0, 1080.0, 2400.0), None);
    let mut row = 0;
    while nodes.len() < count {
        let top = row as f32 * 240.0;
        let parent = nodes.len();
        push(&mut nodes, Some(0), NodeKind::Container, 1, PxRect::new(0.0, top, 1080.0, 240.0), None);
        let title = format!("Row {row} title text");
        let children = [
            (NodeKind::Text, 2, PxRect::new(200.0, top + 20.0, 700.0, 60.0), Some(title.as_str())),
            (NodeKind::Image, 3, PxRect::new(20.0, top + 20.0, 160.0, 160.0), None),
            (NodeKind::Button, 4, PxRect::new(900.0, top + 20.0, 160.0, 80.0), Some("Buy")),
        ];
        for (kind, class, bounds, text) in children {
            if nodes.len() < count {
                push(&mut nodes, Some(parent), kind, class, bounds, text);
            }
        }
        row += 1;
    }
    nodes.truncate(count);
    ViewTree::new(ROW_CLASSES.iter().map(|c| (*c).to_owned()).collect(), nodes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_smaller_row_list_is_a_prefix_of_a_larger_one() {
        let big = rows(500);
        assert_eq!(big.nodes.len(), 500);
        for n in [1, 2, 10, 20, 100] {
            assert_eq!(rows(n).nodes, big.nodes[..n], "{n} nodes");
        }
        assert_eq!(big.nodes[2].text.as_deref(), Some("Row 0 title text"));
        assert_eq!(big.nodes[5].parent, Some(0));
        assert_eq!(big.nodes[5].bounds, PxRect::new(0.0, 240.0, 1080.0, 240.0));
    }
}
