//! What the collector finds in a session so app teams can filter and jump to it: struggle signals
//! (rage and dead taps, recognized on the device) and layout issues found in the snapshots.
//!
//! Findings are computed per stored segment (each replays alone) and kept in the session index,
//! one row per layout issue and node however long it lasts, one per rage or dead tap.

pub mod layout_issues;
pub mod segment;

use serde::{Deserialize, Serialize};

use crate::replay::Rect;

pub use layout_issues::layout_issues;
pub use segment::analyze_segment;

/// What a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// Several taps in quick succession in one spot.
    RageTap,
    /// A tap on something non-interactive after which nothing changed.
    DeadTap,
    /// A view partly outside the screen.
    OffScreen,
    /// A view cut by an ancestor that clips its children.
    Clipped,
    /// Two interactive views overlapping each other.
    Overlap,
    /// An interactive view smaller than the platform's minimum tap target (48 dp, 44 pt).
    SmallTarget,
    /// Text longer than its view can show.
    TruncatedText,
}

impl FindingKind {
    /// Every kind.
    pub const ALL: [FindingKind; 7] = [
        FindingKind::RageTap,
        FindingKind::DeadTap,
        FindingKind::OffScreen,
        FindingKind::Clipped,
        FindingKind::Overlap,
        FindingKind::SmallTarget,
        FindingKind::TruncatedText,
    ];

    /// The name used in the index and the API.
    pub fn name(self) -> &'static str {
        match self {
            FindingKind::RageTap => "rage_tap",
            FindingKind::DeadTap => "dead_tap",
            FindingKind::OffScreen => "off_screen",
            FindingKind::Clipped => "clipped",
            FindingKind::Overlap => "overlap",
            FindingKind::SmallTarget => "small_target",
            FindingKind::TruncatedText => "truncated_text",
        }
    }

    /// The kind named `name`.
    pub fn from_name(name: &str) -> Option<FindingKind> {
        FindingKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Whether it is a layout issue (not a struggle signal).
    pub fn is_layout(self) -> bool {
        !matches!(self, FindingKind::RageTap | FindingKind::DeadTap)
    }
}

/// One thing found, with where and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// What it is.
    pub kind: FindingKind,
    /// When it was first seen (layout issues) or happened (taps), Unix ms.
    pub time_ms: i64,
    /// The node concerned (the tap's target for struggles; 0 when none was known).
    pub node_id: u32,
    /// The node's bounds on the screen when found, in dp (the tap point for struggles without a
    /// target).
    pub rect: Rect,
    /// A short human explanation ("48x30 dp, under 48 dp", "overlaps node 12").
    pub detail: String,
}
