//! What the index is told ([`SegmentSummary`]) and what it answers: session rows, filters,
//! findings, facets and the state of a session when a segment arrives.

use reprise_core::record::SessionInfo;
use reprise_core::{Platform, SegmentId};
use serde::Serialize;

use super::device::SizeClass;
use crate::analysis::Finding;
use crate::replay::Rect;

/// What the index learns from one stored segment.
#[derive(Debug, Clone, PartialEq)]
pub struct SegmentSummary {
    /// The segment.
    pub id: SegmentId,
    /// The app whose API key uploaded it.
    pub app: String,
    /// The segment's Session record: metadata and the user at the segment's start.
    pub session: SessionInfo,
    /// The last user id the segment names (its Session record, then its User records).
    pub user_id: Option<String>,
    /// SDK version from the `X-Reprise-Sdk` header, used when the metadata has none.
    pub sdk_header: Option<String>,
    /// Time of the first record.
    pub start_ms: i64,
    /// Time of the last record.
    pub end_ms: i64,
    /// Records in the segment.
    pub records: u32,
    /// Size of the segment as stored.
    pub bytes: u64,
    /// Size of its body decompressed.
    pub raw_bytes: u64,
    /// Findings known when it is indexed, merged with it. Ingest leaves this empty: the
    /// analysis queue finds a segment's findings after the answer (`crate::analysis_worker`).
    pub findings: Vec<Finding>,
    /// The distinct screens it views (`device::screens_viewed`).
    pub screens: Vec<String>,
    /// Metadata strings cut to the collector's length limit.
    pub truncated_fields: u32,
}

/// Which app a session belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    /// No segment of it was accepted yet.
    Unclaimed,
    /// The app whose key created it.
    App(String),
}

/// What the index knows of a session when one of its segments arrives, read in one query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionState {
    /// Whose it is.
    pub owner: Owner,
    /// The highest sequence number indexed.
    pub highest_sequence: Option<u32>,
    /// Whether the arriving segment is indexed already.
    pub indexed: bool,
    /// Whether the session was erased (its uploads are refused).
    pub erased: bool,
    /// Whether somebody watches the session live in the player now.
    pub watched: bool,
}

/// One session as the index knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionRow {
    /// Session id (UUID text).
    pub session_id: String,
    /// App name of the API key that uploaded it.
    pub app: String,
    /// App id from the metadata (package name or bundle id).
    pub app_id: String,
    /// `android`, `ios` or `other`.
    pub platform: String,
    /// OS name.
    pub os_name: String,
    /// OS version.
    pub os_version: String,
    /// Device manufacturer.
    pub device_manufacturer: String,
    /// Device model.
    pub device_model: String,
    /// App version.
    pub app_version: String,
    /// App build.
    pub app_build: String,
    /// SDK version.
    pub sdk_version: String,
    /// The latest user id seen (a later segment's wins; a logout does not erase it).
    pub user_id: Option<String>,
    /// When the session started (Session record), Unix ms.
    pub started_ms: i64,
    /// Earliest record time of the stored segments.
    pub start_ms: i64,
    /// Latest record time of the stored segments.
    pub end_ms: i64,
    /// Segments stored.
    pub segments: i64,
    /// Records in them.
    pub records: i64,
    /// Their stored (compressed) size.
    pub bytes: i64,
    /// Their decompressed size.
    pub raw_bytes: i64,
    /// Rage taps found.
    pub rage_taps: i64,
    /// Dead taps found.
    pub dead_taps: i64,
    /// Layout issues found (distinct kind, screen and view).
    pub layout_issues: i64,
    /// Screen width at the start, dp (0 for sessions indexed before it was kept).
    pub width_dp: i64,
    /// Screen height at the start, dp.
    pub height_dp: i64,
    /// Pixels per dp at the start, in thousandths (2625 for 2.625; 0 when unknown).
    pub density_milli: i64,
    /// `portrait` or `landscape` at the start (empty when unknown).
    pub orientation: String,
    /// Locale at the start (`en-GB`).
    pub locale: String,
    /// Notes on the session, bookmarks included.
    pub notes: i64,
}

/// Which sessions to list; `None` (or `false`) matches everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionFilter {
    /// App name (of the uploading key).
    pub app: Option<String>,
    /// OS family.
    pub platform: Option<Platform>,
    /// OS version, exactly.
    pub os_version: Option<String>,
    /// Device model, exactly.
    pub device_model: Option<String>,
    /// App version, exactly.
    pub app_version: Option<String>,
    /// User id, exactly.
    pub user_id: Option<String>,
    /// Part of a user id (case-insensitive substring).
    pub user_search: Option<String>,
    /// Only sessions with a rage tap.
    pub has_rage_taps: bool,
    /// Only sessions with a dead tap.
    pub has_dead_taps: bool,
    /// Only sessions with a layout issue.
    pub has_layout_issues: bool,
    /// Shortest duration (last record minus first), ms.
    pub min_duration_ms: Option<i64>,
    /// Longest duration, ms.
    pub max_duration_ms: Option<i64>,
    /// Only sessions with a finding of this kind (`error_tap`, `small_target`, ...).
    pub finding: Option<String>,
    /// Screen width class at the start.
    pub size_class: Option<SizeClass>,
    /// Orientation at the start (`portrait`, `landscape`).
    pub orientation: Option<String>,
    /// Density at the start, in thousandths (`device::density_milli`).
    pub density_milli: Option<i64>,
    /// Locale at the start, exactly.
    pub locale: Option<String>,
    /// Only sessions that viewed this screen.
    pub screen: Option<String>,
    /// Only sessions with a note (bookmarks included).
    pub has_notes: bool,
    /// Only sessions with a bookmark (a note at a moment).
    pub bookmarked: bool,
    /// The order of the rows.
    pub sort: SessionSort,
    /// Rows skipped before the first returned (paging).
    pub offset: u32,
    /// Most rows returned.
    pub limit: Option<u32>,
}

/// The orders the session list can be sorted in; ties go by session id, so pages never overlap.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SessionSort {
    /// Most recent first (the default).
    #[default]
    Recent,
    /// Oldest first.
    Oldest,
    /// Longest first.
    Longest,
    /// Shortest first.
    Shortest,
    /// By device manufacturer and model.
    Device,
    /// Most findings first (rage and dead taps and layout issues).
    Findings,
    /// Most rage taps first.
    RageTaps,
}

impl SessionSort {
    /// Every order, with the name the API takes.
    pub const ALL: [(SessionSort, &'static str); 7] = [
        (SessionSort::Recent, "recent"),
        (SessionSort::Oldest, "oldest"),
        (SessionSort::Longest, "longest"),
        (SessionSort::Shortest, "shortest"),
        (SessionSort::Device, "device"),
        (SessionSort::Findings, "findings"),
        (SessionSort::RageTaps, "rage_taps"),
    ];

    /// The order named `name`.
    pub fn from_name(name: &str) -> Option<SessionSort> {
        SessionSort::ALL.iter().find(|(_, n)| *n == name).map(|(s, _)| *s)
    }

    /// The SQL ORDER BY terms.
    pub fn order_by(self) -> &'static str {
        match self {
            SessionSort::Recent => "start_ms DESC, session_id",
            SessionSort::Oldest => "start_ms, session_id",
            SessionSort::Longest => "end_ms - start_ms DESC, session_id",
            SessionSort::Shortest => "end_ms - start_ms, session_id",
            SessionSort::Device => "device_manufacturer, device_model, start_ms DESC, session_id",
            SessionSort::Findings => "rage_taps + dead_taps + layout_issues DESC, start_ms DESC, session_id",
            SessionSort::RageTaps => "rage_taps DESC, start_ms DESC, session_id",
        }
    }
}

/// A stored finding of a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FindingRow {
    /// What it is (`rage_tap`, `dead_tap`, `off_screen`, `clipped`, `overlap`, `small_target`,
    /// `truncated_text`).
    pub kind: String,
    /// When, Unix ms (a layout issue: when first seen).
    pub time_ms: i64,
    /// The node concerned (0 when none).
    pub node_id: u32,
    /// Bounds on the screen, dp.
    pub rect: Rect,
    /// A short explanation.
    pub detail: String,
    /// When it was last seen, Unix ms (`time_ms` for a struggle; a layout issue stayed wrong
    /// from `time_ms` to `last_ms`).
    pub last_ms: i64,
    /// The screen it was seen on (empty when its segment named none before it).
    pub screen: String,
    /// What it is keyed by besides kind and screen: its view's identity across scrolling (layout
    /// issues), or `node N` (struggles, one row per moment).
    pub view_key: String,
}

/// The distinct values of the columns the player filters on, over all sessions, sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Facets {
    /// Platforms (`android`, `ios`, `other`).
    pub platform: Vec<String>,
    /// OS versions.
    pub os_version: Vec<String>,
    /// Device models.
    pub device_model: Vec<String>,
    /// App versions.
    pub app_version: Vec<String>,
    /// Densities, pixels per dp as the `density` filter takes them (`2.625`).
    pub density: Vec<String>,
    /// Locales.
    pub locale: Vec<String>,
    /// Screens viewed.
    pub screen: Vec<String>,
}

/// The index's text for a platform.
pub fn platform_name(platform: Platform) -> &'static str {
    match platform {
        Platform::Android => "android",
        Platform::Ios => "ios",
        Platform::Other => "other",
    }
}
