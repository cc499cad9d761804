//! Where each node of a [`Frame`] is on the screen: absolute rectangles and the clip in effect.
//!
//! Frame coordinates are relative to the parent; players, the renderer and the analysis all need
//! them absolute, together with the region the node can show in (the screen, narrowed by every
//! ancestor that clips its children, and by the padded box of one that clips to its padding). One forward pass over the pre-ordered nodes with an
//! explicit ancestor stack: no recursion, so deep frames are fine.

use reprise_core::frame::flag;
use reprise_core::{Frame, FrameNode};
use serde::Serialize;

/// An axis-aligned rectangle in dp (wide integers: sums of untrusted offsets cannot overflow).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rect {
    /// Left edge.
    pub x: i64,
    /// Top edge.
    pub y: i64,
    /// Width (never negative).
    pub w: i64,
    /// Height (never negative).
    pub h: i64,
}

impl Rect {
    /// A rectangle; negative sizes become zero.
    pub fn new(x: i64, y: i64, w: i64, h: i64) -> Self {
        Self { x, y, w: w.max(0), h: h.max(0) }
    }

    /// Right edge.
    pub fn right(&self) -> i64 {
        self.x.saturating_add(self.w)
    }

    /// Bottom edge.
    pub fn bottom(&self) -> i64 {
        self.y.saturating_add(self.h)
    }

    /// Area in square dp.
    pub fn area(&self) -> i64 {
        self.w.saturating_mul(self.h)
    }

    /// Whether it covers nothing.
    pub fn is_empty(&self) -> bool {
        self.w == 0 || self.h == 0
    }

    /// The overlap of two rectangles (empty when they do not meet).
    pub fn intersect(&self, other: &Rect) -> Rect {
        let x = self.x.max(other.x);
        let y = self.y.max(other.y);
        Rect::new(x, y, self.right().min(other.right()) - x, self.bottom().min(other.bottom()) - y)
    }

    /// Whether `other` lies wholly inside this one.
    pub fn contains(&self, other: &Rect) -> bool {
        other.x >= self.x && other.y >= self.y && other.right() <= self.right() && other.bottom() <= self.bottom()
    }
}

/// One node placed on the screen.
#[derive(Debug, Clone, Copy)]
pub struct Placed<'a> {
    /// The node.
    pub node: &'a FrameNode,
    /// Its bounds, absolute.
    pub rect: Rect,
    /// The region it can show in: the screen, narrowed by every ancestor that clips its children.
    pub clip: Rect,
    /// Whether it and every ancestor are visible with a non-zero opacity.
    pub visible: bool,
    /// Its opacity times every ancestor's, 0 to 255.
    pub alpha: u8,
    /// How many ancestors it has.
    pub depth: u32,
}

/// The nodes of a frame placed on a `screen` (usually `0, 0, viewport width, viewport height`),
/// in the frame's pre-order (later entries are drawn on top). Nodes whose parent is not an earlier
/// node are placed as if under the screen.
pub fn place<'a>(frame: &'a Frame, screen: Rect) -> Vec<Placed<'a>> {
    struct Scope {
        id: u32,
        x: i64,
        y: i64,
        clip: Rect,
        visible: bool,
        alpha: u32,
        depth: u32,
    }
    let mut stack: Vec<Scope> = Vec::new();
    let mut out = Vec::with_capacity(frame.nodes.len());
    for node in &frame.nodes {
        while stack.last().is_some_and(|s| s.id != node.parent) {
            stack.pop();
        }
        let (px, py, pclip, pvisible, palpha, depth) = match stack.last() {
            Some(s) => (s.x, s.y, s.clip, s.visible, s.alpha, s.depth + 1),
            None => (0, 0, screen, true, 255, 0),
        };
        let p = &node.props;
        let rect = Rect::new(px + i64::from(node.x), py + i64::from(node.y), i64::from(p.width), i64::from(p.height));
        let alpha = palpha * u32::from(p.alpha) / 255;
        let visible = pvisible && p.has(flag::VISIBLE) && !p.has(flag::HIDDEN) && alpha > 0;
        let clip = if clips_children(p) { pclip.intersect(&rect) } else { pclip };
        let clip = node.clip.map_or(clip, |inset| clip.intersect(&padded(rect, inset)));
        out.push(Placed { node, rect, clip: pclip, visible, alpha: alpha as u8, depth });
        stack.push(Scope { id: node.id, x: rect.x, y: rect.y, clip, visible, alpha, depth });
    }
    out
}

/// `rect` less its padding `inset` (Android's `clipToPadding`): the box its children show in.
fn padded(rect: Rect, inset: reprise_core::ClipInset) -> Rect {
    let (left, top) = (i64::from(inset.left), i64::from(inset.top));
    Rect::new(rect.x + left, rect.y + top, rect.w - left - i64::from(inset.right), rect.h - top - i64::from(inset.bottom))
}

/// Whether a node clips its children to its bounds: when it says so, and always when it scrolls
/// (Android's scrolling containers and iOS's `UIScrollView` clip their content on the device
/// whatever a walker read, so rows scrolled out of a list never show over what surrounds it).
pub fn clips_children(p: &reprise_core::NodeProps) -> bool {
    p.has(flag::CLIPS_CHILDREN) || p.has(flag::SCROLLABLE) || p.kind == reprise_core::NodeKind::Scroll
}

#[cfg(test)]
pub(crate) mod tests {
    use reprise_core::{NodeKind, NodeProps};

    use super::*;

    /// A visible container node for tests (the analysis's tests build on it too).
    pub(crate) fn node(id: u32, parent: u32, x: i32, y: i32, w: i32, h: i32, flags: u16) -> FrameNode {
        let props = NodeProps {
            kind: NodeKind::Container,
            width: w,
            height: h,
            flags: flags | flag::VISIBLE,
            alpha: 255,
            background: None,
            text_color: None,
            corner_radius: 0,
            font_size: 0,
            text: None,
            description: None,
            scroll_x: 0,
            scroll_y: 0,
        };
        FrameNode { id, parent, class: 0, x, y, props, clip: None }
    }

    #[test]
    fn positions_add_up_and_clipping_ancestors_narrow_the_clip() {
        let frame = Frame {
            nodes: vec![
                node(1, 0, 0, 0, 400, 800, 0),
                node(2, 1, 10, 100, 200, 50, flag::CLIPS_CHILDREN),
                node(3, 2, 150, 5, 100, 20, 0),
                node(4, 1, 0, 700, 400, 200, 0),
            ],
        };
        let placed = place(&frame, Rect::new(0, 0, 400, 800));
        assert_eq!(placed[2].rect, Rect::new(160, 105, 100, 20));
        assert_eq!(placed[2].clip, Rect::new(10, 100, 200, 50));
        assert_eq!(placed[2].depth, 2);
        // A sibling after a deeper subtree goes back to the root's scope.
        assert_eq!(placed[3].rect, Rect::new(0, 700, 400, 200));
        assert_eq!(placed[3].clip, Rect::new(0, 0, 400, 800));
    }

    #[test]
    fn a_container_that_clips_to_its_padding_shows_its_children_in_the_padded_box() {
        // A list from y 100 to 300 with 16 dp of padding above and 8 below (clipToPadding).
        let mut list = node(2, 1, 0, 100, 400, 200, 0);
        list.clip = Some(reprise_core::ClipInset { left: 4, top: 16, right: 4, bottom: 8 });
        let frame = Frame { nodes: vec![node(1, 0, 0, 0, 400, 800, 0), list, node(3, 2, 0, 0, 400, 50, 0)] };
        let placed = place(&frame, Rect::new(0, 0, 400, 800));
        assert_eq!(placed[2].clip, Rect::new(4, 116, 392, 176));
        // The list itself is not clipped by its own padding, and an inset larger than the box is empty.
        assert_eq!(placed[1].clip, Rect::new(0, 0, 400, 800));
        let mut tight = frame.clone();
        tight.nodes[1].clip = Some(reprise_core::ClipInset { left: 0, top: 150, right: 0, bottom: 150 });
        assert!(place(&tight, Rect::new(0, 0, 400, 800))[2].clip.is_empty());
    }

    #[test]
    fn a_scrolling_container_clips_its_rows_even_when_not_marked_as_clipping() {
        // A list from y 100 to 300 scrolled so that its first row sits above it, its last below.
        let mut list = node(2, 1, 0, 100, 400, 200, flag::SCROLLABLE);
        list.props.kind = NodeKind::Scroll;
        let frame = Frame {
            nodes: vec![node(1, 0, 0, 0, 400, 800, 0), list, node(3, 2, 0, -40, 400, 60, 0), node(4, 2, 0, 180, 400, 60, 0)],
        };
        let placed = place(&frame, Rect::new(0, 0, 400, 800));
        for row in &placed[2..] {
            assert_eq!(row.clip, Rect::new(0, 100, 400, 200), "row {} is clipped to the list", row.node.id);
        }
        // Without the scroll flag and kind, a container that does not clip lets them spill.
        let mut plain = frame.clone();
        plain.nodes[1].props.kind = NodeKind::Container;
        plain.nodes[1].props.flags &= !flag::SCROLLABLE;
        assert_eq!(place(&plain, Rect::new(0, 0, 400, 800))[2].clip, Rect::new(0, 0, 400, 800));
    }

    #[test]
    fn opacity_and_visibility_are_inherited() {
        let mut frame = Frame { nodes: vec![node(1, 0, 0, 0, 100, 100, 0), node(2, 1, 0, 0, 10, 10, 0)] };
        frame.nodes[0].props.alpha = 128;
        let placed = place(&frame, Rect::new(0, 0, 100, 100));
        assert_eq!(placed[1].alpha, 128);
        assert!(placed[1].visible);
        frame.nodes[0].props.flags &= !flag::VISIBLE;
        assert!(!place(&frame, Rect::new(0, 0, 100, 100))[1].visible);
    }
}
