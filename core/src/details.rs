//! What a node says about itself beyond how it is drawn: the developer's name for it, a toggle's
//! state, a progress bar's position and its elevation. Recorded as [`Record::Details`]
//! (kind 17, format 1.1) beside the keyframe or diff of the same snapshot, so a reader that does
//! not know the kind (format 1.0) skips it and still draws the frame.
//!
//! A keyframe is followed by the details of every node that has any; a diff by those that
//! changed, and by an empty detail for each node that lost its own.
//!
//! Since format 1.2 a detail may also carry a [`ClipInset`]: the padded box a node's children
//! are clipped to (Android's `clipToPadding`). It travels in a list after the 1.1 details of the
//! same record, so a 1.1 reader, which ignores payload bytes after the fields it knows, reads the
//! same details as before and draws the children unclipped.
//!
//! [`Record::Details`]: crate::record::Record::Details

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// The details of one node (kind 17 carries a list of them).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct NodeDetail {
    /// The node's id in the frames of the session.
    pub id: u32,
    /// The developer's name for the view: the resource entry name on Android, the accessibility
    /// identifier on iOS. Code, not user data: never masked.
    pub id_name: Option<String>,
    /// A checkbox's, switch's or radio button's state, unless privacy withheld it.
    pub checked: Option<bool>,
    /// A progress bar's or slider's position in thousandths, unless privacy withheld it.
    pub progress: Option<u16>,
    /// The node has a toggle state or a progress that privacy withheld (inputs are masked there).
    pub withheld: bool,
    /// Elevation above its parent, dp.
    pub elevation: u16,
    /// The box its children are clipped to, inset from its bounds (format 1.2; carried after the
    /// 1.1 details, see the module doc, so postcard skips it here).
    #[serde(skip)]
    pub clip: Option<ClipInset>,
}

/// Insets from a node's bounds, in dp, of the box its children are clipped to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ClipInset {
    /// From the left edge.
    pub left: u16,
    /// From the top edge.
    pub top: u16,
    /// From the right edge.
    pub right: u16,
    /// From the bottom edge.
    pub bottom: u16,
}

impl ClipInset {
    /// Whether every side is 0 (the bounds themselves).
    pub fn is_zero(&self) -> bool {
        *self == ClipInset::default()
    }
}

impl NodeDetail {
    /// Whether the detail says nothing beyond the node's id.
    pub fn is_empty(&self) -> bool {
        self.id_name.is_none()
            && self.checked.is_none()
            && self.progress.is_none()
            && !self.withheld
            && self.elevation == 0
            && self.clip.is_none()
    }

    /// The same detail for node `id`.
    pub fn for_node(mut self, id: u32) -> Self {
        self.id = id;
        self
    }
}

/// The details last written for each node of a session, so a diff sends only what changed.
#[derive(Debug, Default)]
pub struct DetailTracker {
    last: FxHashMap<u32, NodeDetail>,
}

impl DetailTracker {
    /// At a keyframe: every detail is written, and becomes the new state.
    pub fn keyframe(&mut self, details: Vec<NodeDetail>) -> Vec<NodeDetail> {
        self.last.clear();
        self.last.extend(details.iter().map(|d| (d.id, d.clone())));
        details
    }

    /// At a diff: the details that differ from the last written, and an empty detail for each
    /// node that had one and has none now (nodes removed from the frame included; a reader drops
    /// a detail of a node it does not have).
    pub fn changes(&mut self, details: Vec<NodeDetail>) -> Vec<NodeDetail> {
        let mut out = Vec::new();
        let mut next: FxHashMap<u32, NodeDetail> = FxHashMap::default();
        next.reserve(details.len());
        for detail in details {
            if self.last.remove(&detail.id).as_ref() != Some(&detail) {
                out.push(detail.clone());
            }
            next.insert(detail.id, detail);
        }
        let mut cleared: Vec<u32> = self.last.keys().copied().collect();
        cleared.sort_unstable();
        out.extend(cleared.into_iter().map(|id| NodeDetail { id, ..NodeDetail::default() }));
        self.last = next;
        out
    }

    /// Forgets everything (a new session).
    pub fn reset(&mut self) {
        self.last.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(id: u32, name: &str) -> NodeDetail {
        NodeDetail { id, id_name: Some(name.into()), ..NodeDetail::default() }
    }

    #[test]
    fn a_diff_sends_what_changed_and_clears_what_went() {
        let mut tracker = DetailTracker::default();
        let all = tracker.keyframe(vec![named(1, "title"), named(2, "agree")]);
        assert_eq!(all.len(), 2);
        assert!(tracker.changes(vec![named(1, "title"), named(2, "agree")]).is_empty());
        let toggled = NodeDetail { checked: Some(true), ..named(2, "agree") };
        assert_eq!(tracker.changes(vec![named(1, "title"), toggled.clone()]), vec![toggled.clone()]);
        assert_eq!(tracker.changes(vec![toggled]), vec![NodeDetail { id: 1, ..NodeDetail::default() }]);
    }

    #[test]
    fn an_empty_detail_is_empty() {
        assert!(NodeDetail { id: 7, ..NodeDetail::default() }.is_empty());
        assert!(!NodeDetail { elevation: 2, ..NodeDetail::default() }.is_empty());
        assert!(!NodeDetail { withheld: true, ..NodeDetail::default() }.is_empty());
        assert!(!NodeDetail { clip: Some(ClipInset { top: 8, ..ClipInset::default() }), ..NodeDetail::default() }.is_empty());
    }
}
