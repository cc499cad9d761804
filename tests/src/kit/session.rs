//! Writing sessions through the real core: a `SessionWriter` with fresh counters, capturing trees
//! as the recorder would, the sessions the collector's tests upload (real RICO screens with
//! scrolls, touches and a login), and a real `Recorder` over real screens into a disk queue.

use std::sync::Arc;
use std::time::Duration;

use reprise_core::capture::CaptureLimits;
use reprise_core::record::UserInfo;
use reprise_core::stats::Counters;
use reprise_core::{
    DiskQueue, Event, Lifecycle, PrivacyRules, Recorder, RecorderConfig, SealedSegment, SegmentId, SessionId,
    SessionMetadata, SessionStart, SessionWriter, Snapshot, TouchAction, TouchSample, ViewTree,
};

use crate::edit::TreeEditor;
use crate::kit::screens;
use crate::screen::ParsedScreen;

/// A fixed session start, Unix milliseconds, so runs are comparable.
pub const T0: i64 = 1_700_000_000_000;
/// How long each screen of a [`record_session`] is shown; one segment per screen by default.
pub const SCREEN_MS: i64 = 10_000;

/// A writer for one session started at `started_ms` on the device `metadata` describes, with
/// fresh counters.
pub fn writer(config: RecorderConfig, metadata: SessionMetadata, started_ms: i64) -> (SessionWriter, Arc<Counters>) {
    let start = SessionStart { id: SessionId::new_v7(started_ms), started_ms, metadata, user: UserInfo::default() };
    let counters = Arc::new(Counters::default());
    let writer = SessionWriter::new(config, start, counters.clone()).expect("writer starts");
    (writer, counters)
}

/// The default capture limits.
pub fn limits() -> CaptureLimits {
    RecorderConfig::default().capture_limits()
}

/// Captures a tree with the default limits, as the recorder would.
pub fn capture(tree: &ViewTree, density: f32, rules: &PrivacyRules) -> Snapshot {
    Snapshot::capture(tree.clone(), density, rules, &limits()).expect("a test tree is a valid tree")
}

/// A session recorded through the real writer.
#[derive(Debug, Clone)]
pub struct RecordedSession {
    /// Its id.
    pub id: SessionId,
    /// Its metadata.
    pub metadata: SessionMetadata,
    /// The user id set during the session (after the first segment).
    pub user_id: Option<String>,
    /// Its sealed segments, in order.
    pub segments: Vec<SealedSegment>,
}

/// The metadata of the test app (`com.example.shop` 2.4.0) on the device a screen came from.
pub fn metadata(screen: &ParsedScreen) -> SessionMetadata {
    SessionMetadata {
        app_id: "com.example.shop".into(),
        app_version: "2.4.0".into(),
        app_build: "240".into(),
        sdk_version: "0.1.0".into(),
        ..screen.metadata()
    }
}

/// Records a session over real RICO screens, [`SCREEN_MS`] each: a screen view, its snapshot, a
/// scrolled snapshot every second (when the screen has a list), a tap and a drag. The user logs
/// in during the second screen. Each screen becomes one segment (the segment age is `SCREEN_MS`).
pub fn record_session(started_ms: i64, screens: &[&str], user_id: Option<&str>) -> RecordedSession {
    record_session_with(started_ms, screens, user_id, 1)
}

/// [`record_session`] with `screens_per_segment` screens sealed into each segment (6 gives the
/// SDK's default 60 s segments).
pub fn record_session_with(
    started_ms: i64,
    screens: &[&str],
    user_id: Option<&str>,
    screens_per_segment: u64,
) -> RecordedSession {
    let parsed = screens::rico_screens(screens);
    record_screens(started_ms, &parsed, metadata(&parsed[0]), user_id, screens_per_segment, &mut |_, _, _| {})
}

/// Records `parsed` screens as [`record_session_with`] does, under `metadata`; `extra` is called
/// with the writer, the screen's index and its start time after each screen's first snapshot, to
/// add what a test needs (before the screen's first second: touches must come in time order).
pub fn record_screens(
    started_ms: i64,
    parsed: &[ParsedScreen],
    metadata: SessionMetadata,
    user_id: Option<&str>,
    screens_per_segment: u64,
    extra: &mut dyn FnMut(&mut SessionWriter, usize, i64),
) -> RecordedSession {
    let age = Duration::from_millis(SCREEN_MS as u64 * screens_per_segment.max(1));
    let config = RecorderConfig { max_segment_age: age, ..RecorderConfig::default() };
    let rules = PrivacyRules::default();
    let (mut writer, _) = writer(config, metadata.clone(), started_ms);
    for (i, screen) in parsed.iter().enumerate() {
        let t = started_ms + i as i64 * SCREEN_MS;
        writer.event(t, Event::ScreenView { name: screen.name.clone() });
        writer.snapshot(t, capture(&screen.tree, screen.density, &rules));
        extra(&mut writer, i, t);
        let editor = TreeEditor::new(&screen.tree);
        let list = editor.find(|slot, node| node.flags.scrollable && editor.children(slot).len() >= 3);
        for second in 1..SCREEN_MS / 1000 {
            let at = t + second * 1000;
            if let Some(list) = list {
                let mut scrolled = editor.clone();
                if scrolled.scroll(list, second as f32 * 42.0).is_ok() {
                    writer.snapshot(at, capture(&scrolled.to_tree(), screen.density, &rules));
                }
            }
            if second == 2 {
                writer.touches(&tap(at, 500.0, 900.0));
            }
            if second == 5 {
                writer.touches(&drag(at, 540.0, 1500.0, -600.0));
            }
        }
        if i == 1
            && let Some(user) = user_id
        {
            writer.set_user(t + 3_000, UserInfo { user_id: Some(user.to_owned()), attributes: Vec::new() });
        }
    }
    let end = started_ms + parsed.len() as i64 * SCREEN_MS - 500;
    writer.event(end, Event::Lifecycle(Lifecycle::Background));
    writer.seal();
    let segments = writer.take_sealed();
    RecordedSession { id: writer.session().id, metadata, user_id: user_id.map(str::to_owned), segments }
}

fn sample(action: TouchAction, x: f32, y: f32, time_us: i64) -> TouchSample {
    TouchSample { pointer_id: 0, action, x, y, time_us, pressure: Some(0.6), size: Some(0.1) }
}

/// A tap at (`x`, `y`) px at `time_ms`: down, and up 90 ms later.
pub fn tap(time_ms: i64, x: f32, y: f32) -> Vec<TouchSample> {
    let t = time_ms * 1000;
    vec![sample(TouchAction::Down, x, y, t), sample(TouchAction::Up, x + 1.0, y, t + 90_000)]
}

/// A drag from (`x`, `y`) px by `dy` px at `time_ms`: down, 20 moves 16.7 ms apart, up.
pub fn drag(time_ms: i64, x: f32, y: f32, dy: f32) -> Vec<TouchSample> {
    let t = time_ms * 1000;
    let mut out = vec![sample(TouchAction::Down, x, y, t)];
    for i in 1..=20 {
        let p = i as f32 / 20.0;
        out.push(sample(TouchAction::Move, x + 2.0 * p, y + dy * p, t + i * 16_667));
    }
    out.push(sample(TouchAction::Up, x + 2.0, y + dy, t + 21 * 16_667));
    out
}

/// Records `segments` segments of a session from the first real RICO screens into `queue`
/// through a real `Recorder` (one flush per screen, user `user-7`) and returns their ids.
pub fn record_to_queue(queue: &DiskQueue, segments: usize) -> Vec<SegmentId> {
    let ids: Vec<String> = crate::data::rico_ids(&screens::dir()).expect("fixtures").into_iter().take(segments).collect();
    let screens: Vec<ParsedScreen> = ids.iter().map(|id| screens::rico(id)).collect();
    let before = queue.oldest(usize::MAX, &[]);
    let recorder = Recorder::start(RecorderConfig::default(), screens[0].metadata(), T0, Box::new(queue.clone())).expect("recorder");
    recorder.set_user_id(Some("user-7".into()));
    for (i, screen) in screens.iter().enumerate() {
        let t = T0 + i as i64 * 1000;
        recorder.record(t, Event::ScreenView { name: screen.name.clone() }).expect("record");
        recorder.record(t, Event::Snapshot(screen.tree.clone())).expect("record");
        recorder.flush().expect("flush");
    }
    recorder.shutdown().expect("shutdown");
    queue.oldest(usize::MAX, &[]).into_iter().filter(|id| !before.contains(id)).collect()
}
