//! Layout issues in one snapshot: what a reviewer with the Android Accessibility Scanner or
//! Xcode's Accessibility Inspector would flag, judged from the recorded hierarchy alone.
//!
//! Only what the user could see is judged: a node must be visible (itself and every ancestor,
//! with some opacity) and show at least part of itself inside the screen and its clipping
//! ancestors. Views wholly off-screen or hidden are not shown at all, so they are not defects.
//! "Content" below means a node that shows something of its own or takes taps: text, an image,
//! or an interactive node ([`is_interactive`], the core's definition, also used by hit-testing).
//!
//! - **off_screen**: content partly outside the screen, by at least [`MIN_CUT_DP`], unless an
//!   ancestor scrolls (content scrolled half out of view is normal).
//! - **clipped**: content cut by an ancestor that clips its children, by at least
//!   [`MIN_CUT_DP`]; only ancestors below the nearest scrolling ancestor count, because a scroll
//!   container (and what holds it) cutting its rows at its edge is how scrolling looks.
//! - **overlap**: two interactive nodes whose visible parts overlap by at least [`MIN_CUT_DP`]
//!   both ways, neither containing the other (a row and the checkbox in it is normal), the later
//!   one not inside a layer laid over the earlier (a drawer, a dialog, an overlay holding a
//!   floating button: an ancestor of it, not of the other, that covers the overlap and reaches
//!   beyond it). Scroll containers are left out: things float over them by design, and taps go
//!   to what they hold.
//! - **small_target**: a node that takes taps of its own (`takes_own_taps`: scroll containers
//!   aside, and a button-like node the platform marks not clickable, such as a list row's radio
//!   circle, when a clickable ancestor takes its taps), not degenerate (both sides
//!   at least [`MIN_TARGET_SIDE_DP`]: a 1 dp separator is not a target), narrower or shorter than
//!   [`MIN_TARGET_ANDROID_DP`] (Android) or [`MIN_TARGET_IOS_PT`] (iOS and others) by more than
//!   capture's 1 dp rounding, measured on its full bounds so a row scrolled half out of view is
//!   not "small".
//! - **truncated_text**: text whose extent, laid out by the scene's own [`layout_text`] (the
//!   player's wrapping), needs more lines than its box shows or a line wider than the box, beyond
//!   [`TEXT_SLACK`]. Text of unknown size is judged at [`UNKNOWN_FONT_DP`]. Input fields are left
//!   out (they scroll their text). Masked text keeps its shape, so this works on masked sessions.
//!
//! A node is reported once per kind; an off-screen or clipped node's descendants are not
//! reported again for the same cut. A node covered by an opaque view drawn after it (a dialog, a
//! sheet, a spinner's icon over its label: a later node outside its subtree, with an opaque
//! background, whose visible part holds the node's) cannot be seen or tapped, so it is not
//! reported as truncated, small or overlapping. An ancestor laid over another target counts as a
//! layer when it is opaque, even if it is no larger than what it holds (a drawer's panel exactly
//! the size of its list).

use reprise_core::frame::flag;
use reprise_core::gesture::hit_test::is_interactive;
use reprise_core::{Frame, FrameNode, NodeKind, Platform};

use super::{Finding, FindingKind};
use crate::replay::scene::{LINE_HEIGHT, drawn_text, font_size_of, layout_text};
use crate::replay::{Placed, Rect, Screen, place};

/// Smallest cut or overlap reported, in dp: bounds are rounded to whole dp when captured, so one
/// dp is noise.
pub const MIN_CUT_DP: i64 = 2;
/// Most pair comparisons and ancestor steps the overlap check spends on one snapshot.
pub const MAX_OVERLAP_STEPS: usize = 1_000_000;
/// Font size assumed when judging text whose size was not recorded, dp: small print, so that
/// text reported truncated would not fit at any common size.
pub const UNKNOWN_FONT_DP: f32 = 10.0;
/// How far text may overrun its box before it is called truncated, as a fraction of the width
/// and of a line's height: the layout's fixed advance is an average over real fonts.
pub const TEXT_SLACK: f32 = 0.15;
/// Minimum tap target on Android (Material, Accessibility Scanner), dp.
pub const MIN_TARGET_ANDROID_DP: i64 = 48;
/// Minimum tap target on iOS (Human Interface Guidelines), pt.
pub const MIN_TARGET_IOS_PT: i64 = 44;
/// A target with a side under this is degenerate (a separator, a 1 dp hairline), not judged, dp.
pub const MIN_TARGET_SIDE_DP: i64 = 4;
/// Most comparisons the occlusion check spends on one snapshot; beyond them nodes count as seen.
pub const MAX_OCCLUSION_STEPS: usize = 1_000_000;

/// The minimum tap target side for `platform`.
pub fn min_target(platform: Platform) -> i64 {
    match platform {
        Platform::Android => MIN_TARGET_ANDROID_DP,
        Platform::Ios | Platform::Other => MIN_TARGET_IOS_PT,
    }
}

/// What one node inherits from its ancestors, beyond what [`place`] computes.
#[derive(Debug, Clone, Copy)]
struct Inherited {
    /// Some ancestor scrolls its content.
    in_scroll: bool,
    /// The region left by clipping ancestors below the nearest scrolling one (`None`: unbounded).
    local_clip: Option<Rect>,
    /// An ancestor was already reported off-screen / clipped.
    off_screen_reported: bool,
    clipped_reported: bool,
    /// Index one past the node's last descendant in pre-order.
    subtree_end: usize,
    /// Index of the parent in pre-order.
    parent: Option<usize>,
    /// Some ancestor is clickable (and enabled): it takes taps on what it holds.
    clickable_ancestor: bool,
}

/// Every layout issue in `frame` shown on `screen`, found at `time_ms`.
pub fn layout_issues(time_ms: i64, frame: &Frame, screen: Screen, platform: Platform) -> Vec<Finding> {
    let full = Rect::new(0, 0, i64::from(screen.width), i64::from(screen.height));
    let placed = place(frame, full);
    let mut inherited = inherit(&placed);
    let hidden = occlusion(&placed, &inherited);
    let mut out = Vec::new();
    let finding = |kind, p: &Placed<'_>, detail: String| Finding::at(kind, time_ms, p.node.id, p.rect, detail);
    let min = min_target(platform);
    let mut targets: Vec<usize> = Vec::new();
    for (i, p) in placed.iter().enumerate() {
        if !p.visible || p.rect.is_empty() || p.clip.intersect(&p.rect).is_empty() {
            continue;
        }
        let node = p.node;
        let info = inherited[i];
        let content = shows_content(node);
        if content && !info.in_scroll && !info.off_screen_reported {
            let cut = outside(&p.rect, &full);
            if cut >= MIN_CUT_DP {
                out.push(finding(FindingKind::OffScreen, p, format!("{cut} dp outside the screen")));
                mark(&mut inherited, i, |h| h.off_screen_reported = true);
            }
        }
        if content && !info.clipped_reported
            && let Some(local) = info.local_clip
        {
            let cut = outside(&p.rect.intersect(&full), &local);
            if cut >= MIN_CUT_DP {
                out.push(finding(FindingKind::Clipped, p, format!("{cut} dp cut off by a clipping ancestor")));
                mark(&mut inherited, i, |h| h.clipped_reported = true);
            }
        }
        if takes_own_taps(node, &info) && !hidden[i] {
            // Bounds are rounded to whole dp at capture: one dp short is within rounding.
            let degenerate = p.rect.w < MIN_TARGET_SIDE_DP || p.rect.h < MIN_TARGET_SIDE_DP;
            if !degenerate && (p.rect.w + 1 < min || p.rect.h + 1 < min) {
                let unit = if platform == Platform::Android { "dp" } else { "pt" };
                let detail = format!("{}x{} {unit}, under {min} {unit}", p.rect.w, p.rect.h);
                out.push(finding(FindingKind::SmallTarget, p, detail));
            }
            targets.push(i);
        }
        if let Some(detail) = truncation(p).filter(|_| !hidden[i]) {
            out.push(finding(FindingKind::TruncatedText, p, detail));
        }
    }
    overlaps(&placed, &inherited, &hidden, &targets, &mut out, time_ms);
    out
}

/// Why the text a node draws is truncated, if it is: laid out as the scene draws it, it needs more lines
/// than the box shows or a line wider than the box, beyond [`TEXT_SLACK`] (the layout's fixed
/// advance is an average over real fonts). Input fields scroll their text and are left out.
fn truncation(p: &Placed<'_>) -> Option<String> {
    let props = &p.node.props;
    let text = drawn_text(props).filter(|_| props.kind != NodeKind::Input)?;
    let size = if props.font_size > 0 {
        font_size_of(props)
    } else {
        // Unknown size: small print, or smaller when the box is shorter than a line of it, so
        // that what is reported would not fit at any legible size.
        UNKNOWN_FONT_DP.min(p.rect.h as f32 / LINE_HEIGHT)
    };
    let width = p.rect.w as f32 * (1.0 + TEXT_SLACK);
    let layout = layout_text(text, width, p.rect.h as f32, size);
    // A line shows when no more than TEXT_SLACK of its height is cut.
    let shown = ((p.rect.h as f32 / layout.line_height + TEXT_SLACK).floor() as usize).max(1);
    if layout.lines.len() > shown {
        return Some(format!("needs {} lines, {shown} shown", layout.lines.len()));
    }
    let widest = (0..layout.lines.len()).map(|l| layout.line_width(l)).fold(0.0, f32::max);
    (widest - width >= layout.advance).then(|| format!("{widest:.0} dp of text in {} dp", p.rect.w))
}

/// Interactive nodes whose visible parts overlap, neither holding the other. A sweep over the
/// targets sorted by left edge compares only those that meet horizontally; at most
/// [`MAX_OVERLAP_STEPS`] comparisons and ancestor steps are spent on one snapshot (an untrusted
/// segment could hold thousands of stacked targets), after which the rest is not judged.
fn overlaps(placed: &[Placed<'_>], inherited: &[Inherited], hidden: &[bool], targets: &[usize], out: &mut Vec<Finding>, time_ms: i64) {
    let mut reported = std::collections::HashSet::new();
    let visible = |i: usize| placed[i].clip.intersect(&placed[i].rect);
    let mut by_left: Vec<(usize, Rect)> = targets.iter().map(|&i| (i, visible(i))).collect();
    by_left.sort_by_key(|&(_, r)| r.x);
    let mut budget = MAX_OVERLAP_STEPS;
    for (k, &(i, ri)) in by_left.iter().enumerate() {
        for &(j, rj) in &by_left[k + 1..] {
            if rj.x >= ri.right() {
                break;
            }
            budget = budget.saturating_sub(1);
            if budget == 0 {
                return;
            }
            // In pre-order b comes after a: it is drawn on top, and a holds it when b is inside
            // a's subtree.
            let (a, b) = if i < j { (i, j) } else { (j, i) };
            if b < inherited[a].subtree_end {
                continue;
            }
            let (pa, pb) = (&placed[a], &placed[b]);
            let both = ri.intersect(&rj);
            if both.w < MIN_CUT_DP
                || both.h < MIN_CUT_DP
                || pa.rect.contains(&pb.rect)
                || pb.rect.contains(&pa.rect)
                || in_layer_over(placed, inherited, a, b, &both, &mut budget)
                || hidden[a]
                || hidden[b]
            {
                continue;
            }
            if reported.insert(pb.node.id) {
                let detail = format!("overlaps node {} by {}x{} dp", pa.node.id, both.w, both.h);
                out.push(Finding::at(FindingKind::Overlap, time_ms, pb.node.id, pb.rect, detail));
            }
        }
    }
}

/// Whether `b` sits in a layer laid over `a` (a drawer, a dialog, an overlay holding a floating
/// button): an ancestor of `b` that is not an ancestor of `a` covers the overlap and reaches
/// beyond `b`. There `a` is hidden and cannot be tapped, so the two do not compete for taps.
fn in_layer_over(placed: &[Placed<'_>], inherited: &[Inherited], a: usize, b: usize, overlap: &Rect, budget: &mut usize) -> bool {
    let b_rect = placed[b].rect;
    let snug = Rect::new(b_rect.x - MIN_CUT_DP, b_rect.y - MIN_CUT_DP, b_rect.w + 2 * MIN_CUT_DP, b_rect.h + 2 * MIN_CUT_DP);
    let mut up = inherited[b].parent;
    while let Some(q) = up {
        *budget = budget.saturating_sub(1);
        if q <= a && a < inherited[q].subtree_end {
            return false;
        }
        let r = placed[q].rect;
        if r.contains(overlap) && (!snug.contains(&r) || opaque(&placed[q])) {
            return true;
        }
        up = inherited[q].parent;
    }
    false
}

/// Whether a placed node paints an opaque box: a fully opaque background, drawn fully opaque.
fn opaque(p: &Placed<'_>) -> bool {
    p.visible && p.alpha == 255 && p.node.props.background.is_some_and(|argb| argb >> 24 == 0xFF)
}

/// For each node, whether it is hidden under an opaque node drawn after it outside its subtree
/// whose visible part holds its visible part. Spends at most [`MAX_OCCLUSION_STEPS`] comparisons
/// (an untrusted snapshot may hold thousands of opaque boxes); after that nodes count as seen.
fn occlusion(placed: &[Placed<'_>], inherited: &[Inherited]) -> Vec<bool> {
    let covers: Vec<(usize, Rect)> =
        placed.iter().enumerate().filter(|(_, q)| opaque(q)).map(|(j, q)| (j, q.clip.intersect(&q.rect))).collect();
    let mut budget = MAX_OCCLUSION_STEPS;
    (0..placed.len())
        .map(|i| {
            let shown = placed[i].clip.intersect(&placed[i].rect);
            let first = covers.partition_point(|&(j, _)| j < inherited[i].subtree_end);
            !shown.is_empty()
                && covers[first..].iter().any(|(_, r)| {
                    budget = budget.saturating_sub(1);
                    budget > 0 && r.contains(&shown)
                })
        })
        .collect()
}

/// Whether a node shows something of its own or takes taps.
fn shows_content(node: &FrameNode) -> bool {
    let p = &node.props;
    p.text.is_some()
        || p.has(flag::IMAGE_PLACEHOLDER)
        || matches!(p.kind, NodeKind::Image | NodeKind::Text)
        || is_interactive(node)
}

/// An interactive node that takes taps (a container that only scrolls is not one).
fn is_tap_target(node: &FrameNode) -> bool {
    let p = &node.props;
    is_interactive(node)
        && !(p.has(flag::SCROLLABLE) && !p.has(flag::CLICKABLE) && !matches!(p.kind, NodeKind::Button | NodeKind::Input))
}

/// Whether a node takes taps of its own: a tap target, unless only its kind makes it one (a
/// button-like view the platform marks not clickable: a list row's radio circle or check mark)
/// and a clickable ancestor takes its taps (Android's `ListView` handles the tap on the whole
/// row). Such a node is neither a small target nor one of an overlapping pair; its ancestor is
/// judged instead.
fn takes_own_taps(node: &FrameNode, info: &Inherited) -> bool {
    let p = &node.props;
    let kind_only = p.kind == NodeKind::Button && !p.has(flag::CLICKABLE) && !p.has(flag::SCROLLABLE);
    is_tap_target(node) && !(kind_only && info.clickable_ancestor)
}

/// How far `r` reaches outside `bounds` on its worst side, dp (0 when inside).
fn outside(r: &Rect, bounds: &Rect) -> i64 {
    [bounds.x - r.x, r.right() - bounds.right(), bounds.y - r.y, r.bottom() - bounds.bottom()]
        .into_iter()
        .max()
        .unwrap_or(0)
        .max(0)
}

/// Sets a flag on every descendant of node `i`.
fn mark(inherited: &mut [Inherited], i: usize, set: impl Fn(&mut Inherited)) {
    let end = inherited[i].subtree_end;
    for h in &mut inherited[i + 1..end] {
        set(h);
    }
}

/// What each placed node inherits, in one pass with an ancestor stack.
fn inherit(placed: &[Placed<'_>]) -> Vec<Inherited> {
    let mut out = Vec::with_capacity(placed.len());
    // (node id, index in `placed`) of the current ancestors.
    let mut stack: Vec<(u32, usize)> = Vec::new();
    for (i, p) in placed.iter().enumerate() {
        while stack.last().is_some_and(|&(id, _)| id != p.node.parent) {
            if let Some((_, done)) = stack.pop() {
                out_end(&mut out, done, i);
            }
        }
        let mut here = Inherited {
            in_scroll: false,
            local_clip: None,
            off_screen_reported: false,
            clipped_reported: false,
            subtree_end: i + 1,
            parent: stack.last().map(|&(_, parent)| parent),
            clickable_ancestor: false,
        };
        if let Some(parent) = here.parent {
            let parent_info: &Inherited = &out[parent];
            let pp = &placed[parent];
            let props = &pp.node.props;
            here.clickable_ancestor =
                parent_info.clickable_ancestor || (props.has(flag::CLICKABLE) && props.has(flag::ENABLED));
            if props.has(flag::SCROLLABLE) {
                here.in_scroll = true;
                here.local_clip = None;
            } else {
                here.in_scroll = parent_info.in_scroll;
                here.local_clip = match (parent_info.local_clip, props.has(flag::CLIPS_CHILDREN)) {
                    (Some(c), true) => Some(c.intersect(&pp.rect)),
                    (None, true) => Some(pp.rect),
                    (c, false) => c,
                };
            }
        }
        out.push(here);
        stack.push((p.node.id, i));
    }
    let n = placed.len();
    while let Some((_, done)) = stack.pop() {
        out_end(&mut out, done, n);
    }
    out
}

fn out_end(out: &mut [Inherited], index: usize, end: usize) {
    if let Some(h) = out.get_mut(index) {
        h.subtree_end = end;
    }
}

#[cfg(test)]
mod tests {
    use reprise_core::{Text, TextShape};

    use super::*;

    const ANDROID: Screen = Screen { width: 400, height: 800, density: 2.0 };

    fn node(id: u32, parent: u32, kind: NodeKind, rect: [i32; 4], flags: u16) -> FrameNode {
        let mut n = crate::replay::layout::tests::node(id, parent, rect[0], rect[1], rect[2], rect[3], flags | flag::ENABLED);
        n.props.kind = kind;
        n
    }

    fn button(id: u32, parent: u32, rect: [i32; 4]) -> FrameNode {
        node(id, parent, NodeKind::Button, rect, flag::CLICKABLE)
    }

    fn text(id: u32, parent: u32, rect: [i32; 4], font_size: u16, s: &str) -> FrameNode {
        let mut n = node(id, parent, NodeKind::Text, rect, 0);
        n.props.font_size = font_size;
        n.props.text = Some(Text::Plain(s.to_owned()));
        n
    }

    fn root(children: Vec<FrameNode>) -> Frame {
        let mut nodes = vec![node(1, 0, NodeKind::Container, [0, 0, 400, 800], 0)];
        nodes.extend(children);
        Frame { nodes }
    }

    fn kinds(frame: &Frame, platform: Platform) -> Vec<(FindingKind, u32)> {
        let mut out: Vec<_> = layout_issues(7, frame, ANDROID, platform).into_iter().map(|f| (f.kind, f.node_id)).collect();
        out.sort_by_key(|&(k, n)| (k.name(), n));
        out
    }

    #[test]
    fn off_screen_is_content_partly_outside_unless_it_scrolls() {
        let frame = root(vec![
            button(2, 1, [360, 100, 80, 48]),  // 40 dp past the right edge
            button(3, 1, [500, 100, 80, 48]),  // wholly off: not shown, not judged
            button(4, 1, [399, 200, 50, 48]),  // 49 dp past, but
            node(5, 1, NodeKind::Scroll, [0, 300, 400, 500], flag::SCROLLABLE | flag::CLIPS_CHILDREN),
            button(6, 5, [0, 780, 400, 48]), // a row scrolled half out of view
        ]);
        let mut frame = frame;
        frame.nodes[3].props.flags &= !flag::VISIBLE; // node 4 is invisible
        assert_eq!(kinds(&frame, Platform::Android), vec![(FindingKind::OffScreen, 2)]);
    }

    #[test]
    fn clipped_is_a_cut_by_a_clipping_ancestor_below_any_scroll() {
        let row = node(2, 1, NodeKind::Container, [0, 100, 400, 50], flag::CLIPS_CHILDREN);
        let cut = text(3, 2, [10, 10, 100, 60], 14, "OK"); // 20 dp below the row
        let inner = text(4, 3, [0, 0, 50, 60], 14, "x"); // cut too, but its parent is reported
        let list = node(5, 1, NodeKind::Scroll, [0, 300, 400, 200], flag::SCROLLABLE | flag::CLIPS_CHILDREN);
        let list_row = node(6, 5, NodeKind::Container, [0, 180, 400, 60], 0); // cut by the list: scrolling
        let row_text = text(7, 6, [0, 0, 100, 20], 14, "row");
        let frame = root(vec![row, cut, inner, list, list_row, row_text]);
        assert_eq!(kinds(&frame, Platform::Android), vec![(FindingKind::Clipped, 3)]);
        // Without the clipping flag nothing cuts it.
        let mut frame = frame;
        frame.nodes[1].props.flags &= !flag::CLIPS_CHILDREN;
        assert!(kinds(&frame, Platform::Android).is_empty());
    }

    #[test]
    fn overlap_is_two_targets_competing_not_nesting_or_layers() {
        let frame = root(vec![
            button(2, 1, [0, 0, 100, 48]),
            button(3, 1, [90, 0, 100, 48]), // 10 dp into node 2
            button(4, 1, [189, 0, 100, 48]), // 1 dp into node 3: rounding
            node(5, 1, NodeKind::Container, [0, 100, 400, 60], flag::CLICKABLE),
            button(6, 5, [340, 106, 48, 48]), // a checkbox inside a clickable row
        ]);
        assert_eq!(kinds(&frame, Platform::Android), vec![(FindingKind::Overlap, 3)]);
        // A drawer over the first button: its row overlaps the button but lies in a layer.
        let mut frame = frame;
        frame.nodes.truncate(2);
        frame.nodes.push(node(7, 1, NodeKind::Container, [50, 0, 350, 800], 0));
        frame.nodes.push(node(8, 7, NodeKind::Container, [0, 0, 350, 56], flag::CLICKABLE));
        assert!(kinds(&frame, Platform::Android).is_empty());
    }

    #[test]
    fn small_targets_follow_the_platform_minimum() {
        let frame = root(vec![
            button(2, 1, [0, 0, 44, 44]),
            button(3, 1, [0, 100, 200, 47]), // within rounding of 48
            button(4, 1, [0, 200, 42, 100]),
            node(5, 1, NodeKind::Scroll, [0, 400, 400, 30], flag::SCROLLABLE), // scrolls, takes no taps
        ]);
        assert_eq!(
            kinds(&frame, Platform::Android),
            vec![(FindingKind::SmallTarget, 2), (FindingKind::SmallTarget, 4)]
        );
        assert_eq!(kinds(&frame, Platform::Ios), vec![(FindingKind::SmallTarget, 4)]);
        // Disabled views are not targets.
        let mut frame = frame;
        frame.nodes[3].props.flags &= !flag::ENABLED;
        assert_eq!(kinds(&frame, Platform::Ios), Vec::new());
    }

    #[test]
    fn truncated_text_uses_the_scene_layout_plain_or_masked() {
        // 14 dp text: 7 dp a character, 17.5 dp a line.
        let fits = text(2, 1, [0, 0, 140, 20], 14, "twenty characters ok");
        let long = text(3, 1, [0, 100, 140, 20], 14, "this label is far too long for one line");
        let wraps = text(4, 1, [0, 200, 140, 40], 14, "two lines of words fit here");
        let word = text(5, 1, [0, 300, 40, 20], 14, "Unbreakable");
        let mut field = text(6, 1, [0, 400, 100, 48], 14, "an input scrolls its long text");
        field.props.kind = NodeKind::Input;
        let frame = root(vec![fits, long, wraps, word, field]);
        let expected = vec![(FindingKind::TruncatedText, 3), (FindingKind::TruncatedText, 5)];
        assert_eq!(kinds(&frame, Platform::Android), expected);
        let mut masked = frame.clone();
        for n in &mut masked.nodes {
            if let Some(Text::Plain(s)) = &n.props.text {
                n.props.text = Some(Text::Masked(TextShape::of(s)));
            }
        }
        assert_eq!(kinds(&masked, Platform::Android), expected);
    }

    fn opaque_box(id: u32, parent: u32, rect: [i32; 4]) -> FrameNode {
        let mut n = node(id, parent, NodeKind::Container, rect, 0);
        n.props.background = Some(0xFFFF_FFFF);
        n
    }

    #[test]
    fn what_an_opaque_view_covers_is_not_judged() {
        // A truncated label and a small button, then a dialog drawn over both.
        let long = text(2, 1, [0, 100, 140, 20], 14, "this label is far too long for one line");
        let small = button(3, 1, [200, 100, 30, 30]);
        let frame = root(vec![long.clone(), small.clone()]);
        assert_eq!(kinds(&frame, Platform::Android), vec![(FindingKind::SmallTarget, 3), (FindingKind::TruncatedText, 2)]);
        let covered = root(vec![long.clone(), small.clone(), opaque_box(4, 1, [0, 50, 400, 200])]);
        assert!(kinds(&covered, Platform::Android).is_empty());
        // A see-through overlay (no opaque background) hides nothing.
        let mut glass = opaque_box(4, 1, [0, 50, 400, 200]);
        glass.props.background = Some(0x80FF_FFFF);
        assert_eq!(kinds(&root(vec![long, small, glass]), Platform::Android).len(), 2);
    }

    #[test]
    fn a_drawer_panel_the_size_of_its_list_is_a_layer() {
        // A button half under a drawer whose opaque panel is exactly as big as the list it holds.
        let frame = root(vec![
            button(2, 1, [200, 0, 200, 56]),
            opaque_box(3, 1, [0, 0, 300, 56]),
            node(4, 3, NodeKind::Container, [0, 0, 300, 56], flag::CLICKABLE),
        ]);
        let overlaps = |f: &Frame| kinds(f, Platform::Android).iter().filter(|(k, _)| *k == FindingKind::Overlap).count();
        assert_eq!(overlaps(&frame), 0);
        // The same panel see-through is no layer: the two compete for taps.
        let mut glass = frame.clone();
        glass.nodes[2].props.background = None;
        assert_eq!(overlaps(&glass), 1);
    }

    #[test]
    fn a_radio_circle_whose_list_takes_the_tap_is_no_target_of_its_own() {
        // RICO 3363: a `CheckedTextView` (a button by kind, not clickable) in a row of a
        // clickable `ListView`, which handles the tap on the whole row.
        let circle = |id, parent| node(id, parent, NodeKind::Button, [236, 4, 32, 43], 0);
        let list = node(2, 1, NodeKind::Scroll, [56, 122, 300, 465], flag::SCROLLABLE | flag::CLICKABLE);
        let row = node(3, 2, NodeKind::Container, [24, 0, 272, 47], 0);
        let in_list = root(vec![list, row, circle(4, 3)]);
        assert!(kinds(&in_list, Platform::Android).is_empty());
        // With no clickable ancestor its kind still makes it a target, and a small one.
        let mut still_list = in_list.clone();
        still_list.nodes[1].props.flags &= !flag::CLICKABLE;
        assert_eq!(kinds(&still_list, Platform::Android), vec![(FindingKind::SmallTarget, 4)]);
        // Marked clickable itself, it takes its own taps inside the list too.
        let mut clickable = in_list;
        clickable.nodes[3].props.flags |= flag::CLICKABLE;
        assert_eq!(kinds(&clickable, Platform::Android), vec![(FindingKind::SmallTarget, 4)]);
    }

    #[test]
    fn degenerate_targets_are_not_small_targets() {
        let frame = root(vec![button(2, 1, [0, 0, 304, 1]), button(3, 1, [0, 10, 1, 1]), button(4, 1, [0, 20, 30, 30])]);
        assert_eq!(kinds(&frame, Platform::Ios), vec![(FindingKind::SmallTarget, 4)]);
    }

    #[test]
    fn past_its_budget_the_occlusion_check_counts_nodes_as_seen() {
        // Enough opaque boxes, side by side so that none covers another or the text, to spend
        // MAX_OCCLUSION_STEPS (each is compared with every later one) before the text, after them
        // in pre-order, is judged; then a box that covers the text.
        let boxes = 1_500u32;
        assert!((boxes as usize).pow(2) / 2 > MAX_OCCLUSION_STEPS, "the boxes reach the budget");
        let mut children: Vec<FrameNode> =
            (0..boxes).map(|i| opaque_box(10 + i, 1, [(i % 80 * 5) as i32, (600 + i / 80 * 5) as i32, 5, 5])).collect();
        children.push(text(2, 1, [0, 100, 140, 20], 14, "this label is far too long for one line"));
        children.push(opaque_box(3, 1, [0, 50, 400, 200]));
        let found = kinds(&root(children.clone()), Platform::Android);
        assert_eq!(found, vec![(FindingKind::TruncatedText, 2)], "judged as seen once the budget is spent");
        // Without the boxes that spend it, the cover hides the text.
        let covered: Vec<FrameNode> = children.split_off(boxes as usize);
        assert!(kinds(&root(covered), Platform::Android).is_empty());
    }
}
