//! The demo's scenarios, recorded through the real recorder: the real strokes placed on the real
//! screens give the gestures and struggles the scenario says they do, where it says.

use reprise_core::{
    DecodeLimits, GestureKind, MemorySink, Platform, Record, Recorder, RecorderConfig, StruggleKind, decode,
};
use reprise_fixtures::scenario::{self, Session};
use reprise_fixtures::{data, gestures};

const T0: i64 = 1_700_000_000_000;

/// Records `session` and returns every record, decoded.
fn record(session: &Session) -> Vec<Record> {
    let sink = MemorySink::new();
    let recorder = Recorder::start(RecorderConfig::default(), session.metadata.clone(), session.start_ms, Box::new(sink.clone()))
        .expect("recorder");
    session.play(&recorder, |t, e| recorder.record(t, e)).expect("records");
    let stats = recorder.stats();
    assert_eq!(stats.dropped_overload_snapshots, 0, "paced like an app: {stats:?}");
    recorder.shutdown().expect("shutdown");
    sink.segments()
        .iter()
        .flat_map(|s| decode(&s.bytes, DecodeLimits::default()).expect("decodes").records.records)
        .map(|r| r.record)
        .collect()
}

/// The centre of the first visible view with `text` in the session's screens, in dp.
fn centre_dp(tree: &reprise_core::ViewTree, text: &str, density: f32) -> (f32, f32) {
    let n = tree.nodes.iter().find(|n| n.text.as_deref() == Some(text)).unwrap_or_else(|| panic!("{text}"));
    ((n.bounds.left + n.bounds.width / 2.0) / density, (n.bounds.top + n.bounds.height / 2.0) / density)
}

#[test]
fn the_android_session_has_real_gestures_a_rage_tap_on_follow_and_a_dead_tap_on_the_title() {
    let dir = data::default_dir();
    let session = scenario::android(&dir, T0).expect("builds");
    let names: Vec<&str> = session.screens.iter().map(|(_, n)| n.as_str()).collect();
    assert_eq!(names, ["Language picker", "Search results", "Schedule"]);
    let records = record(&session);
    let density = session.metadata.density;

    let screen_views = records.iter().filter(|r| matches!(r, Record::ScreenView(_))).count();
    assert_eq!(screen_views, session.screens.len());
    let (gestures, struggles) = gestures::of_records(&records);
    // Every stroke lands on the screen.
    let (w, h) = (session.metadata.screen_width_px as f32 / density, session.metadata.screen_height_px as f32 / density);
    for g in &gestures {
        assert!((0.0..=w).contains(&(g.x as f32)) && (0.0..=h).contains(&(g.y as f32)), "off screen: {g:?}");
    }
    let count = |f: fn(&GestureKind) -> bool| gestures.iter().filter(|g| f(&g.kind)).count();
    assert!(count(|k| matches!(k, GestureKind::Tap)) >= 4, "{gestures:#?}");
    assert!(count(|k| matches!(k, GestureKind::Scroll { .. })) >= 4, "{gestures:#?}");
    assert!(count(|k| matches!(k, GestureKind::Fling { .. })) >= 2, "{gestures:#?}");
    // The Flutter scroll on the schedule is one slow scroll upwards and no fling.
    let s3 = session.screens[2].0;
    let on_schedule: Vec<_> = gestures.iter().filter(|g| g.start_ms >= s3).collect();
    assert!(matches!(on_schedule[0].kind, GestureKind::Scroll { dy, .. } if dy < -300), "{:?}", on_schedule[0]);
    assert!(!on_schedule.iter().any(|g| matches!(g.kind, GestureKind::Fling { .. })));

    assert_eq!(struggles.len(), 2, "{struggles:#?}");
    let rage = struggles.iter().find(|s| s.kind == StruggleKind::RageTap).expect("a rage tap");
    let dead = struggles.iter().find(|s| s.kind == StruggleKind::DeadTap).expect("a dead tap");
    let search = data::load_rico(&dir, "33618").expect("screen");
    let schedule = data::load_rico(&dir, "33656").expect("screen");
    let (fx, fy) = centre_dp(&search.tree, "Follow", density);
    assert!((rage.x as f32 - fx).abs() < 12.0 && (rage.y as f32 - fy).abs() < 12.0, "{rage:?} vs Follow at ({fx}, {fy})");
    assert_eq!(rage.taps, 4);
    assert!(rage.target.as_ref().is_some_and(|t| t.interactive), "Follow is a button: {rage:?}");
    let (tx, ty) = centre_dp(&schedule.tree, "Schedule", density);
    assert!((dead.x as f32 - tx).abs() < 12.0 && (dead.y as f32 - ty).abs() < 12.0, "{dead:?} vs title at ({tx}, {ty})");
    assert!(dead.target.as_ref().is_some_and(|t| !t.interactive));
    assert_eq!(Some(dead.start_ms), session.dead_tap_ms);
    assert_eq!(Some(rage.start_ms), session.rage_tap_ms);

    // The failed request and the error breadcrumb are recorded.
    assert!(records.iter().any(|r| matches!(r, Record::Network(n) if n.status == Some(503))));
    assert!(records.iter().any(|r| matches!(r, Record::Breadcrumb(b) if b.level == reprise_core::LogLevel::Error)));
}

#[test]
fn the_ios_session_differs_in_every_filtered_field_and_has_no_struggle() {
    let dir = data::default_dir();
    let android = scenario::android(&dir, T0).expect("builds");
    let ios = scenario::ios(&dir, T0).expect("builds");
    assert_eq!(ios.metadata.platform, Platform::Ios);
    assert_ne!(ios.metadata.os_version, android.metadata.os_version);
    assert_ne!(ios.metadata.device_model, android.metadata.device_model);
    assert_ne!(ios.metadata.app_version, android.metadata.app_version);
    assert_ne!(ios.user_id, android.user_id);
    let records = record(&ios);
    let names: Vec<&str> = gestures::of_records(&records).0.iter().map(|g| gestures::kind_name(&g.kind)).collect();
    assert!(names.contains(&"tap") && names.contains(&"scroll") && names.contains(&"fling"), "{names:?}");
    assert!(!records.iter().any(|r| matches!(r, Record::Struggle(_))));
}
