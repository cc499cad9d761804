//! Which node of a [`Frame`] a gesture landed on.
//!
//! One forward pass over the pre-ordered nodes with an explicit ancestor stack (no recursion, so a
//! 5,000-level frame is fine). A node can be hit when it and all its ancestors are visible and
//! not fully transparent, and the point lies inside its bounds and inside every ancestor that
//! clips its children. Later nodes in pre-order are drawn on top, so the last hittable
//! interactive node is the innermost, topmost one: the target. Without one, the last hittable
//! node of any kind is named, marked non-interactive (what a dead tap is about).

use crate::frame::{Frame, FrameNode, flag};
use crate::view::NodeKind;

use super::Target;

/// An absolute rectangle, in dp, as wide integers so sums cannot overflow.
#[derive(Debug, Clone, Copy)]
struct Rect {
    left: i64,
    top: i64,
    right: i64,
    bottom: i64,
}

impl Rect {
    const EVERYWHERE: Rect = Rect { left: i64::MIN, top: i64::MIN, right: i64::MAX, bottom: i64::MAX };

    fn contains(&self, x: f64, y: f64) -> bool {
        x >= self.left as f64 && y >= self.top as f64 && x < self.right as f64 && y < self.bottom as f64
    }

    fn intersect(&self, other: &Rect) -> Rect {
        Rect {
            left: self.left.max(other.left),
            top: self.top.max(other.top),
            right: self.right.min(other.right),
            bottom: self.bottom.min(other.bottom),
        }
    }
}

/// What an ancestor passes down to its descendants.
#[derive(Debug, Clone, Copy)]
struct Scope {
    id: u32,
    left: i64,
    top: i64,
    visible: bool,
    clip: Rect,
}

/// Whether taps or drags on a node do something, as far as the recorded properties tell.
/// Web views count: what happens inside them is never captured.
pub fn is_interactive(node: &FrameNode) -> bool {
    let p = &node.props;
    p.has(flag::ENABLED)
        && (p.has(flag::CLICKABLE)
            || p.has(flag::SCROLLABLE)
            || matches!(p.kind, NodeKind::Button | NodeKind::Input | NodeKind::WebView))
}

/// The node under (`x`, `y`) in dp: the innermost visible interactive one, else the topmost
/// visible one (with `interactive` false), else `None`.
pub fn hit_test(frame: &Frame, x: f32, y: f32) -> Option<Target> {
    let (x, y) = (f64::from(x), f64::from(y));
    let mut stack: Vec<Scope> = Vec::new();
    let mut interactive: Option<&FrameNode> = None;
    let mut any: Option<&FrameNode> = None;
    for node in &frame.nodes {
        // Pre-order: the parent is on the stack; whatever is above it is finished.
        while stack.last().is_some_and(|s| s.id != node.parent) {
            stack.pop();
        }
        let parent =
            stack.last().copied().unwrap_or(Scope { id: 0, left: 0, top: 0, visible: true, clip: Rect::EVERYWHERE });
        let left = parent.left.saturating_add(i64::from(node.x));
        let top = parent.top.saturating_add(i64::from(node.y));
        let bounds = Rect {
            left,
            top,
            right: left.saturating_add(i64::from(node.props.width.max(0))),
            bottom: top.saturating_add(i64::from(node.props.height.max(0))),
        };
        let visible = parent.visible && node.props.has(flag::VISIBLE) && node.props.alpha > 0;
        if visible && bounds.contains(x, y) && parent.clip.contains(x, y) {
            any = Some(node);
            if is_interactive(node) {
                interactive = Some(node);
            }
        }
        let clip = if node.props.has(flag::CLIPS_CHILDREN) { parent.clip.intersect(&bounds) } else { parent.clip };
        stack.push(Scope { id: node.id, left, top, visible, clip });
    }
    interactive.map(|n| target(n, true)).or_else(|| any.map(|n| target(n, false)))
}

fn target(node: &FrameNode, interactive: bool) -> Target {
    Target {
        id: node.id,
        kind: node.props.kind,
        label: node.props.text.clone().or_else(|| node.props.description.clone()),
        interactive,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::NodeProps;
    use crate::mask::Text;

    fn node(id: u32, parent: u32, x: i32, y: i32, w: i32, h: i32, flags: u16) -> FrameNode {
        FrameNode {
            id,
            parent,
            class: 0,
            x,
            y,
            props: NodeProps {
                kind: NodeKind::Container,
                width: w,
                height: h,
                flags: flags | flag::VISIBLE | flag::ENABLED,
                alpha: 255,
                background: None,
                text_color: None,
                corner_radius: 0,
                font_size: 0,
                text: None,
                description: None,
                scroll_x: 0,
                scroll_y: 0,
            },
            clip: None,
        }
    }

    fn hit_id(frame: &Frame, x: f32, y: f32) -> Option<(u32, bool)> {
        hit_test(frame, x, y).map(|t| (t.id, t.interactive))
    }

    #[test]
    fn innermost_topmost_interactive_node_wins() {
        let mut button = node(3, 2, 10, 10, 100, 40, flag::CLICKABLE);
        button.props.text = Some(Text::Plain("OK".into()));
        let frame = Frame {
            nodes: vec![
                node(1, 0, 0, 0, 400, 800, 0),
                node(2, 1, 0, 100, 400, 200, flag::CLICKABLE),
                button,
                node(4, 3, 0, 0, 50, 40, 0),   // a label inside the button, not interactive
                node(5, 1, 0, 0, 400, 150, 0), // a later, non-interactive overlay on top
            ],
        };
        let target = hit_test(&frame, 20.0, 120.0);
        assert_eq!(target.as_ref().map(|t| (t.id, t.interactive)), Some((3, true)));
        assert_eq!(target.and_then(|t| t.label), Some(Text::Plain("OK".into())));
        assert_eq!(hit_id(&frame, 300.0, 250.0), Some((2, true)));
        assert_eq!(hit_id(&frame, 300.0, 500.0), Some((1, false)));
        assert_eq!(hit_id(&frame, 500.0, 500.0), None);
    }

    #[test]
    fn later_siblings_are_on_top() {
        let frame = Frame {
            nodes: vec![
                node(1, 0, 0, 0, 400, 800, 0),
                node(2, 1, 0, 0, 200, 200, flag::CLICKABLE),
                node(3, 1, 100, 100, 200, 200, flag::CLICKABLE),
            ],
        };
        assert_eq!(hit_id(&frame, 150.0, 150.0), Some((3, true)));
        assert_eq!(hit_id(&frame, 50.0, 50.0), Some((2, true)));
    }

    #[test]
    fn invisible_transparent_clipped_and_disabled_nodes_are_skipped() {
        let mut hidden = node(3, 2, 0, 0, 100, 100, flag::CLICKABLE);
        hidden.props.flags &= !flag::VISIBLE;
        let mut transparent = node(4, 1, 0, 200, 100, 100, 0);
        transparent.props.alpha = 0;
        let mut disabled = node(7, 1, 200, 0, 100, 100, flag::CLICKABLE);
        disabled.props.flags &= !flag::ENABLED;
        let frame = Frame {
            nodes: vec![
                node(1, 0, 0, 0, 400, 800, 0),
                node(2, 1, 0, 0, 100, 100, 0),
                hidden,
                transparent,
                node(5, 4, 0, 0, 100, 100, flag::CLICKABLE), // child of a transparent parent
                node(6, 1, 0, 400, 100, 100, flag::CLIPS_CHILDREN),
                node(8, 6, 50, 50, 200, 200, flag::CLICKABLE), // overflows its clipping parent
                disabled,
            ],
        };
        assert_eq!(hit_id(&frame, 50.0, 50.0), Some((2, false)));
        assert_eq!(hit_id(&frame, 50.0, 250.0), Some((1, false)));
        assert_eq!(hit_id(&frame, 75.0, 475.0), Some((8, true)));
        assert_eq!(hit_id(&frame, 150.0, 475.0), Some((1, false)));
        assert_eq!(hit_id(&frame, 250.0, 50.0), Some((7, false)));
    }

    #[test]
    fn a_5000_level_frame_and_dangling_parents_do_not_break_the_walk() {
        let mut nodes = vec![node(1, 0, 0, 0, 10_000, 10_000, 0)];
        for id in 2..=5000 {
            nodes.push(node(id, id - 1, 1, 1, 10_000, 10_000, 0));
        }
        nodes.push(node(9001, 5000, 0, 0, 5, 5, flag::CLICKABLE));
        nodes.push(node(9000, 77_777, 0, 0, 1, 1, flag::CLICKABLE)); // no such parent: at the origin
        let frame = Frame { nodes };
        assert_eq!(hit_id(&frame, 5001.0, 5001.0), Some((9001, true)));
        assert_eq!(hit_id(&frame, 5010.0, 5010.0), Some((5000, false)));
        assert_eq!(hit_id(&frame, 0.5, 0.5), Some((9000, true)));
    }
}
