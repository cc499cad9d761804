//! What the session list filters on about the device and the screens visited: the screen size
//! in dp (and its [`SizeClass`]), density, orientation and locale of the session's first segment,
//! and the name of every screen the session viewed. They are written into the index in the
//! transaction that counts a segment ([`device_statements`]), idempotently and in any order: the
//! device columns follow the earliest segment, as the rest of the metadata does, and a screen is
//! a row that is either there or not.

use reprise_core::{Orientation, Record, SessionMetadata, TimedRecord};

use super::database::{Stmt, Value};
use super::rows::SegmentSummary;

/// Most distinct screen names taken from one segment (a hostile one could name thousands).
pub const MAX_SCREENS_PER_SEGMENT: usize = 64;

/// The device columns, written when this segment is the earliest one counted (the session row's
/// `meta_sequence` is then its sequence).
const DEVICE: &str = "UPDATE sessions SET width_dp = ?2, height_dp = ?3, density_milli = ?4, orientation = ?5, locale = ?6 \
     WHERE session_id = ?1 AND meta_sequence = ?7";

const SCREEN: &str = "INSERT INTO session_screens (session_id, screen) VALUES (?1, ?2) ON CONFLICT DO NOTHING";

/// Material's window size classes, by the screen's width in dp.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SizeClass {
    /// Under 600 dp wide: phones in portrait.
    Compact,
    /// 600 to 839 dp: small tablets, foldables, phones in landscape.
    Medium,
    /// 840 dp and wider: tablets in landscape, desktops.
    Expanded,
}

impl SizeClass {
    /// Every class, with the name the API takes.
    pub const ALL: [(SizeClass, &'static str); 3] =
        [(SizeClass::Compact, "compact"), (SizeClass::Medium, "medium"), (SizeClass::Expanded, "expanded")];

    /// The class named `name`.
    pub fn from_name(name: &str) -> Option<SizeClass> {
        SizeClass::ALL.iter().find(|(_, n)| *n == name).map(|(c, _)| *c)
    }

    /// The widths it covers, dp, `min..max` (a session indexed before widths were, width 0, is in none).
    pub fn widths(self) -> (i64, i64) {
        match self {
            SizeClass::Compact => (1, 600),
            SizeClass::Medium => (600, 840),
            SizeClass::Expanded => (840, i64::MAX),
        }
    }
}

/// The index's text for an orientation.
pub fn orientation_name(o: Orientation) -> &'static str {
    match o {
        Orientation::Portrait => "portrait",
        Orientation::Landscape => "landscape",
    }
}

/// A density as the index keeps it: thousandths (2.625 is 2625), 0 when unknown or absurd.
pub fn density_milli(density: f64) -> i64 {
    if density.is_finite() && density > 0.0 && density <= 100.0 { (density * 1000.0).round() as i64 } else { 0 }
}

/// A density in thousandths as the `density` filter takes it: `2.625`, `3`.
pub fn density_text(milli: i64) -> String {
    let text = format!("{}.{:03}", milli / 1000, milli % 1000);
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// The screen's size in dp from the metadata's pixels and density (0 by 0 when it has no density).
pub fn size_dp(m: &SessionMetadata) -> (i64, i64) {
    let density = f64::from(m.density);
    if density_milli(density) == 0 {
        return (0, 0);
    }
    let dp = |px: u32| (f64::from(px) / density).round() as i64;
    (dp(m.screen_width_px), dp(m.screen_height_px))
}

/// The distinct names of the screens a segment's records view, in order, each cut to `max_chars`
/// characters, at most [`MAX_SCREENS_PER_SEGMENT`] of them.
pub fn screens_viewed(records: &[TimedRecord], max_chars: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in records {
        let Record::ScreenView(name) = &r.record else { continue };
        let name: String = name.chars().take(max_chars).collect();
        if !out.contains(&name) {
            if out.len() == MAX_SCREENS_PER_SEGMENT {
                break;
            }
            out.push(name);
        }
    }
    out
}

/// The statements that write what a segment says of its device and screens.
pub(super) fn device_statements(session_id: &Value, s: &SegmentSummary) -> Vec<Stmt> {
    let m = &s.session.metadata;
    let (width, height) = size_dp(m);
    let device = vec![
        session_id.clone(),
        width.into(),
        height.into(),
        density_milli(f64::from(m.density)).into(),
        orientation_name(m.orientation).into(),
        m.locale.as_str().into(),
        s.id.sequence.into(),
    ];
    let mut out = vec![Stmt::new(DEVICE, device)];
    out.extend(s.screens.iter().map(|name| Stmt::new(SCREEN, vec![session_id.clone(), name.as_str().into()])));
    out
}

#[cfg(test)]
mod tests {
    use reprise_core::TimedRecord;

    use super::*;

    #[test]
    fn a_segment_gives_at_most_its_limit_of_distinct_cut_screen_names() {
        let view = |i: usize, name: String| TimedRecord { time_ms: i as i64, record: Record::ScreenView(name) };
        let mut records: Vec<TimedRecord> = (0..MAX_SCREENS_PER_SEGMENT + 10).map(|i| view(i, format!("screen {i}"))).collect();
        records.insert(1, view(1, "screen 0".into()));
        records.insert(2, view(2, "é".repeat(300)));
        let screens = screens_viewed(&records, 256);
        assert_eq!(screens.len(), MAX_SCREENS_PER_SEGMENT);
        assert_eq!(&screens[..3], ["screen 0".to_owned(), "é".repeat(256), "screen 1".to_owned()]);
        assert_eq!(screens.iter().filter(|s| *s == "screen 0").count(), 1);
    }

    #[test]
    fn sizes_in_dp_and_classes() {
        let m = SessionMetadata { screen_width_px: 1440, screen_height_px: 2560, density: 3.5, ..Default::default() };
        assert_eq!(size_dp(&m), (411, 731));
        assert_eq!(size_dp(&SessionMetadata { density: 0.0, ..m.clone() }), (0, 0));
        assert_eq!(size_dp(&SessionMetadata { density: f32::NAN, ..m }), (0, 0));
        assert_eq!(density_milli(2.625), 2625);
        assert_eq!((density_text(2625), density_text(3000), density_text(1500)), ("2.625".into(), "3".into(), "1.5".into()));
        assert_eq!(SizeClass::from_name("medium").map(SizeClass::widths), Some((600, 840)));
        assert_eq!(SizeClass::from_name("huge"), None);
    }
}
