//! Capture: a platform [`ViewTree`] becomes, in one pass on the caller's thread, a [`Snapshot`]:
//! validated, sanitized, masked, hidden subtrees pruned, bounds quantized to whole dp relative to
//! the parent, nodes in pre-order. The worker then gives it ids (`ids.rs`), making a
//! [`Frame`](crate::frame::Frame).

use thiserror::Error;

use crate::density::Density;
use crate::details::{ClipInset, NodeDetail};
use crate::frame::{FrameNode, NodeProps, flag};
use crate::mask::PrivacyRules;
use crate::view::{NodeKind, PrivacyOverride, PxInsets, ViewNode, ViewTree};

/// Largest absolute coordinate, in pixels, that a bound may have; beyond it values are clamped.
const MAX_COORD_PX: f32 = 10_000_000.0;

/// A view tree whose structure cannot be recorded.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SnapshotError {
    /// The tree has no nodes.
    #[error("the view tree is empty")]
    Empty,
    /// The first node has a parent.
    #[error("the first node must be the root and have no parent")]
    RootHasParent,
    /// A node other than the first has no parent.
    #[error("node {index} has no parent, but only the first node may be a root")]
    SecondRoot {
        /// The node's index.
        index: u32,
    },
    /// A parent comes at or after its child: a forward reference, a self-reference or a cycle.
    #[error("node {index} names node {parent} as parent, but a parent must come before its child (a cycle?)")]
    ParentAfterChild {
        /// The node's index.
        index: u32,
        /// The parent index it named.
        parent: u32,
    },
}

/// What capturing a tree had to correct; the recorder adds these to its stats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CaptureReport {
    /// NaN, infinite or out-of-range numbers replaced, and negative sizes made zero.
    pub sanitized_values: u32,
    /// Strings cut to the configured maximum length.
    pub clamped_strings: u32,
    /// Nodes beyond the configured maximum, dropped.
    pub dropped_nodes: u32,
}

/// Limits applied while capturing a tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaptureLimits {
    /// Longest text or description kept, in characters.
    pub max_text_chars: usize,
    /// Longest class name kept, in characters.
    pub max_class_chars: usize,
    /// Most nodes kept from one tree (parents come first, so cutting keeps a valid tree).
    pub max_nodes: usize,
}

/// A view hierarchy as the core keeps it: masked, quantized, in pre-order, still named by the
/// platform's identities. The worker gives it ids (`IdMap::assign` in `ids.rs`), which turns its
/// nodes into a [`Frame`] in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// Nodes in pre-order, the root first. Until ids are assigned, each node's `id` is 0, its
    /// `parent` is its parent's index in this list (0 for the root, which is always first) and its
    /// `class` is an index into [`Snapshot::classes`].
    pub nodes: Vec<FrameNode>,
    /// The platform identity of each node, in the same order.
    pub identities: Vec<u64>,
    /// Class names, clamped.
    pub classes: Vec<String>,
    /// The nodes that have details (an id name, a toggle state, a progress, an elevation), each
    /// with its index in [`Snapshot::nodes`] in its `id` until ids are assigned.
    pub details: Vec<NodeDetail>,
    /// What capture corrected.
    pub report: CaptureReport,
}

impl Snapshot {
    /// Captures a platform tree: validates its structure, sanitizes numbers, clamps strings,
    /// applies the privacy rules and quantizes bounds at `density` pixels per dp.
    ///
    /// Fails on an empty tree, a root with a parent, a second root, or a parent that does not
    /// come before its child (which is how a parent cycle would show).
    pub fn capture(
        tree: ViewTree,
        density: f32,
        rules: &PrivacyRules,
        limits: &CaptureLimits,
    ) -> Result<Snapshot, SnapshotError> {
        let mut report = CaptureReport::default();
        let ViewTree { mut classes, mut nodes } = tree;
        if nodes.is_empty() {
            return Err(SnapshotError::Empty);
        }
        if nodes.len() > limits.max_nodes {
            report.dropped_nodes = u32::try_from(nodes.len() - limits.max_nodes).unwrap_or(u32::MAX);
            nodes.truncate(limits.max_nodes);
        }
        let density = Density::new(density).get();
        let order = visit_order(&nodes)?;

        // One pass, parents first: effective privacy, exclusion under a hidden view, absolute
        // position in dp, then the node in its recorded form.
        let mut state = vec![NodeState::default(); nodes.len()];
        let mut out = Vec::with_capacity(nodes.len());
        let mut identities = Vec::with_capacity(nodes.len());
        let mut details = Vec::new();
        let count = nodes.len() as u32;
        let class_count = classes.len() as u32;
        let mut visit = |index: usize, nodes: &mut [ViewNode]| {
            let node = &mut nodes[index];
            let parent = node.parent.map(|p| state[p as usize]);
            let inherited = parent.map_or(PrivacyOverride::Inherit, |p| p.privacy);
            let excluded = parent.is_some_and(|p| p.excluded || p.hides);
            let left = to_dp(sanitize(node.bounds.left, &mut report), density);
            let top = to_dp(sanitize(node.bounds.top, &mut report), density);
            state[index] = NodeState {
                abs_x: left,
                abs_y: top,
                new_index: out.len() as u32,
                privacy: if node.privacy == PrivacyOverride::Inherit { inherited } else { node.privacy },
                hides: node.privacy == PrivacyOverride::Hide,
                excluded,
            };
            if excluded {
                return;
            }
            let mut props = capture_props(node, state[index].privacy, density, rules, limits, &mut report);
            if node.privacy == PrivacyOverride::Hide {
                props.flags |= flag::HIDDEN;
                props.text = None;
                props.description = None;
            }
            if let Some(detail) = capture_detail(node, state[index].privacy, density, rules, limits, &mut report) {
                details.push(detail.for_node(out.len() as u32));
            }
            let (px, py) = parent.map_or((0, 0), |p| (p.abs_x, p.abs_y));
            identities.push(node.identity);
            out.push(FrameNode {
                id: 0,
                parent: parent.map_or(0, |p| p.new_index),
                // An out-of-range class index names the empty class at the end of the table.
                class: node.class.min(class_count),
                x: clamp_i32(left - px),
                y: clamp_i32(top - py),
                props,
                clip: None,
            });
        };
        match order {
            None => (0..count as usize).for_each(|i| visit(i, &mut nodes)),
            Some(order) => order.iter().for_each(|&i| visit(i as usize, &mut nodes)),
        }
        for name in &mut classes {
            *name = clamp(std::mem::take(name), limits.max_class_chars, &mut report);
        }
        classes.push(String::new());
        Ok(Snapshot { nodes: out, identities, classes, details, report })
    }
}

/// Per-node state while capturing, indexed by input position.
#[derive(Debug, Clone, Copy, Default)]
struct NodeState {
    abs_x: i64,
    abs_y: i64,
    new_index: u32,
    privacy: PrivacyOverride,
    hides: bool,
    excluded: bool,
}

/// Checks the structure (one root first, every parent before its child) and returns the order
/// in which to visit the nodes for a pre-order result: `None` when the input already is in
/// pre-order (what a depth-first platform walk gives), else the order.
fn visit_order(nodes: &[ViewNode]) -> Result<Option<Vec<u32>>, SnapshotError> {
    let mut ancestors: Vec<u32> = vec![0];
    let mut preorder = true;
    for (index, node) in nodes.iter().enumerate() {
        let index = index as u32;
        match (index, node.parent) {
            (0, None) => continue,
            (0, Some(_)) => return Err(SnapshotError::RootHasParent),
            (_, None) => return Err(SnapshotError::SecondRoot { index }),
            (_, Some(parent)) if parent >= index => return Err(SnapshotError::ParentAfterChild { index, parent }),
            (_, Some(parent)) if preorder => {
                while ancestors.last().is_some_and(|&a| a != parent) {
                    ancestors.pop();
                }
                preorder = !ancestors.is_empty();
                ancestors.push(index);
            }
            _ => {}
        }
    }
    if preorder {
        return Ok(None);
    }
    // Children in sibling order, as offsets into one array, then an iterative depth-first walk.
    let count = nodes.len();
    let mut start = vec![0u32; count + 1];
    for node in &nodes[1..] {
        if let Some(p) = node.parent {
            start[p as usize + 1] += 1;
        }
    }
    for i in 0..count {
        start[i + 1] += start[i];
    }
    let mut fill = start.clone();
    let mut children = vec![0u32; count.saturating_sub(1)];
    for (index, node) in nodes.iter().enumerate().skip(1) {
        if let Some(p) = node.parent {
            children[fill[p as usize] as usize] = index as u32;
            fill[p as usize] += 1;
        }
    }
    let mut order = Vec::with_capacity(count);
    let mut stack = vec![0u32];
    while let Some(index) = stack.pop() {
        order.push(index);
        let (from, to) = (start[index as usize] as usize, start[index as usize + 1] as usize);
        stack.extend(children[from..to].iter().rev());
    }
    Ok(Some(order))
}

fn capture_props(
    node: &mut ViewNode,
    privacy: PrivacyOverride,
    density: f32,
    rules: &PrivacyRules,
    limits: &CaptureLimits,
    report: &mut CaptureReport,
) -> NodeProps {
    let f = node.flags;
    let mut flags = 0;
    for (on, bit) in [
        (f.clickable, flag::CLICKABLE),
        (f.scrollable, flag::SCROLLABLE),
        (f.focusable, flag::FOCUSABLE),
        (f.enabled, flag::ENABLED),
        (f.visible, flag::VISIBLE),
        (f.clips_children, flag::CLIPS_CHILDREN),
        (f.password, flag::PASSWORD),
    ] {
        if on {
            flags |= bit;
        }
    }
    let image_masked = node.kind == NodeKind::Image && rules.masks_image(privacy);
    if image_masked {
        flags |= flag::IMAGE_PLACEHOLDER;
    }
    let text_privacy = if image_masked { PrivacyOverride::Mask } else { privacy };
    let kind = node.kind;
    let text_of = |value: Option<String>, report: &mut CaptureReport| {
        value.map(|s| rules.apply(&clamp(s, limits.max_text_chars, report), kind, f.password, text_privacy))
    };
    let text = text_of(node.text.take(), report);
    let description = text_of(node.content_description.take(), report);
    let width = sanitize(node.bounds.width, report);
    let height = sanitize(node.bounds.height, report);
    let alpha = fraction(node.alpha, 1.0, report);
    NodeProps {
        kind: node.kind,
        width: size_dp(width, density, report),
        height: size_dp(height, density, report),
        flags,
        alpha: round(f64::from(alpha) * 255.0) as u8,
        background: node.background_color,
        text_color: node.text_color,
        corner_radius: small_dp(sanitize(node.corner_radius, report), density),
        font_size: small_dp(sanitize(node.font_size, report), density),
        text,
        description,
        scroll_x: clamp_i32(to_dp(sanitize(node.scroll_x, report), density)),
        scroll_y: clamp_i32(to_dp(sanitize(node.scroll_y, report), density)),
    }
}

/// The node's details, if it has any: its id name when it is shaped like an identifier, its
/// toggle state and progress where inputs are not masked (else only that they were withheld), its
/// elevation. A view the app hid has none.
fn capture_detail(
    node: &mut ViewNode,
    privacy: PrivacyOverride,
    density: f32,
    rules: &PrivacyRules,
    limits: &CaptureLimits,
    report: &mut CaptureReport,
) -> Option<NodeDetail> {
    let has_state = node.checked.is_some() || node.progress.is_some();
    if privacy == PrivacyOverride::Hide
        || (node.id_name.is_none() && !has_state && node.elevation == 0.0 && node.clip_insets.is_none())
    {
        return None;
    }
    let id_name = node.id_name.take().filter(|name| is_identifier(name, limits));
    let withheld = has_state && rules.masks_text(NodeKind::Input, false, privacy);
    let progress = node.progress.filter(|_| !withheld).map(|p| round(f64::from(fraction(p, 0.0, report)) * 1000.0) as u16);
    let detail = NodeDetail {
        id: 0,
        id_name,
        checked: node.checked.filter(|_| !withheld),
        progress,
        withheld,
        elevation: small_dp(sanitize(node.elevation, report), density),
        clip: node.clip_insets.map(|i| clip_inset(i, density, report)).filter(|c| !c.is_zero()),
    };
    (!detail.is_empty()).then_some(detail)
}

/// Whether an id name looks like one a developer wrote (`submit`, `login.button`,
/// `settings_cell_3`): not empty, within the class-name limit, no whitespace or control
/// characters. Anything else is likely content an app put there (an iOS accessibility identifier
/// set to a label) and is not recorded, since id names are never masked.
fn is_identifier(name: &str, limits: &CaptureLimits) -> bool {
    !name.is_empty() && name.chars().count() <= limits.max_class_chars && !name.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// A value from 0 to 1 (opacity, progress): clamped, and NaN replaced by `if_nan`, counting it.
fn fraction(value: f32, if_nan: f32, report: &mut CaptureReport) -> f32 {
    if value.is_nan() {
        report.sanitized_values += 1;
        if_nan
    } else {
        value.clamp(0.0, 1.0)
    }
}

/// Replaces NaN by zero and clamps infinities and huge values, counting each correction.
fn sanitize(value: f32, report: &mut CaptureReport) -> f32 {
    if value.is_nan() {
        report.sanitized_values += 1;
        0.0
    } else if value.abs() > MAX_COORD_PX {
        report.sanitized_values += 1;
        value.clamp(-MAX_COORD_PX, MAX_COORD_PX)
    } else {
        value
    }
}

fn to_dp(px: f32, density: f32) -> i64 {
    round(f64::from(px) / f64::from(density))
}

/// Rounds half away from zero, like `f64::round`, without the library call (the baseline x86-64
/// target has no rounding instruction).
pub(crate) fn round(v: f64) -> i64 {
    (v + 0.5f64.copysign(v)) as i64
}

fn size_dp(px: f32, density: f32, report: &mut CaptureReport) -> i32 {
    if px < 0.0 {
        report.sanitized_values += 1;
        0
    } else {
        clamp_i32(to_dp(px, density))
    }
}

/// Padding insets in dp (negative or NaN sides are 0).
fn clip_inset(insets: PxInsets, density: f32, report: &mut CaptureReport) -> ClipInset {
    let side = |px: f32, report: &mut CaptureReport| small_dp(sanitize(px, report), density);
    ClipInset {
        left: side(insets.left, report),
        top: side(insets.top, report),
        right: side(insets.right, report),
        bottom: side(insets.bottom, report),
    }
}

fn small_dp(px: f32, density: f32) -> u16 {
    to_dp(px.max(0.0), density).clamp(0, i64::from(u16::MAX)) as u16
}

fn clamp_i32(v: i64) -> i32 {
    v.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32
}

/// Cuts a string to at most `max_chars` characters, counting the cut.
fn clamp(mut s: String, max_chars: usize, report: &mut CaptureReport) -> String {
    if s.len() > max_chars
        && let Some((byte, _)) = s.char_indices().nth(max_chars) {
            s.truncate(byte);
            report.clamped_strings += 1;
        }
    s
}
