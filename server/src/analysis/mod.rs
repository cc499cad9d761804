//! What the collector finds in a session so app teams can filter and jump to it: struggle signals
//! (rage and dead taps, recognized on the device; error taps, freezes, crashes, scroll thrash,
//! pinch-to-read, back-and-forth and form abandonment, read from the timeline in [`signals`]) and
//! layout issues found in the snapshots.
//!
//! Findings are computed per stored segment (each replays alone) and kept in the session index,
//! one row per layout issue, screen and view ([`view_key`]: the same view however the list holding
//! it scrolls) with the first and last moment it was seen, one per struggle.

pub mod layout_issues;
pub mod segment;
pub mod signals;
pub mod view_key;

use serde::{Deserialize, Serialize};

use crate::replay::Rect;

pub use layout_issues::layout_issues;
pub use segment::analyze_segment;
pub use signals::struggle_signals;

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
    /// A tap followed within a second by an error or a failed request.
    ErrorTap,
    /// The main thread did not respond for 2 s or more.
    Freeze,
    /// The app died of an uncaught error.
    Crash,
    /// Scrolling reversed again and again within seconds.
    ScrollThrash,
    /// A zoom-in pinch on a screen that does not zoom.
    PinchToRead,
    /// Coming back and forth between screens within seconds.
    BackAndForth,
    /// Input edited, then the screen left without a tap on a button.
    FormAbandonment,
}

impl FindingKind {
    /// Every kind, most urgent first: crashes and struggles, then truncation and off-screen
    /// views, then overlaps, then small targets (the order the player and the demo list them in).
    pub const ALL: [FindingKind; 14] = [
        FindingKind::Crash,
        FindingKind::RageTap,
        FindingKind::ErrorTap,
        FindingKind::DeadTap,
        FindingKind::Freeze,
        FindingKind::FormAbandonment,
        FindingKind::ScrollThrash,
        FindingKind::BackAndForth,
        FindingKind::PinchToRead,
        FindingKind::TruncatedText,
        FindingKind::OffScreen,
        FindingKind::Clipped,
        FindingKind::Overlap,
        FindingKind::SmallTarget,
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
            FindingKind::ErrorTap => "error_tap",
            FindingKind::Freeze => "freeze",
            FindingKind::Crash => "crash",
            FindingKind::ScrollThrash => "scroll_thrash",
            FindingKind::PinchToRead => "pinch_to_read",
            FindingKind::BackAndForth => "back_and_forth",
            FindingKind::FormAbandonment => "form_abandonment",
        }
    }

    /// The kind named `name`.
    pub fn from_name(name: &str) -> Option<FindingKind> {
        FindingKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Whether it is a layout issue (not a struggle signal).
    pub fn is_layout(self) -> bool {
        matches!(
            self,
            FindingKind::OffScreen | FindingKind::Clipped | FindingKind::Overlap | FindingKind::SmallTarget | FindingKind::TruncatedText
        )
    }
}

/// One thing found, with where and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// What it is.
    pub kind: FindingKind,
    /// When it was first seen (layout issues) or happened (taps), Unix ms.
    pub time_ms: i64,
    /// When it was last seen: a layout issue stays until the snapshot that no longer shows it (or
    /// its segment's end); a struggle ends when it happened, Unix ms.
    pub last_ms: i64,
    /// The screen it was seen on: the last screen view before it in its segment (empty when the
    /// segment named none before it).
    pub screen: String,
    /// Its view's identity across snapshots ([`view_key`]) for layout issues; empty for
    /// struggles, which are told apart by time.
    pub view: String,
    /// The node concerned (the tap's target for struggles; 0 when none was known).
    pub node_id: u32,
    /// The node's bounds on the screen when found, in dp (the tap point for struggles without a
    /// target).
    pub rect: Rect,
    /// A short human explanation ("48x30 dp, under 48 dp", "overlaps node 12").
    pub detail: String,
}

impl Finding {
    /// A finding at one moment (`last_ms` equal to `time_ms`), on no screen or view yet.
    pub fn at(kind: FindingKind, time_ms: i64, node_id: u32, rect: Rect, detail: String) -> Finding {
        Finding { kind, time_ms, last_ms: time_ms, screen: String::new(), view: String::new(), node_id, rect, detail }
    }
}

#[cfg(test)]
mod tests {
    use super::FindingKind;

    /// The player ranks and filters by its own copy of the kinds (`assets/player/kinds.js`): it
    /// lists every kind, in this order.
    #[test]
    fn the_players_list_of_kinds_is_this_one() {
        let js = include_str!("../../assets/player/kinds.js");
        let list = js.split_once("FINDING_KINDS = [").and_then(|(_, rest)| rest.split_once(']')).map_or("", |(list, _)| list);
        let listed: Vec<&str> = list.split('\'').skip(1).step_by(2).collect();
        let ours: Vec<&str> = FindingKind::ALL.iter().map(|k| k.name()).collect();
        assert_eq!(listed, ours);
    }
}
