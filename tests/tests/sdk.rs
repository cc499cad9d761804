//! The whole SDK (recorder, disk queue, uploader) against the real collector on loopback.

mod support;

use std::time::Duration;

use reprise_core::{
    Event, Lifecycle, NetworkType, Record, RecorderConfig, Sdk, SdkConfig, SegmentId, TouchAction, TouchSample,
};
use reprise_fixtures::data;
use reprise_fixtures::kit::collector::{KEY, runtime, start_on, upload_config};
use reprise_fixtures::kit::session::T0;
use reprise_fixtures::kit::temp::temp_dir;
use support::*;


fn config(data_dir: std::path::PathBuf, upload: Option<reprise_core::UploadConfig>) -> SdkConfig {
    SdkConfig { data_dir, recorder: RecorderConfig::default(), queue: Default::default(), upload }
}

fn tap(t_ms: i64, x: f32, y: f32) -> Event {
    let sample = |action, dt_ms: i64| TouchSample { pointer_id: 0, action, x, y, time_us: (t_ms + dt_ms) * 1000, pressure: None, size: None };
    Event::Touches(vec![sample(TouchAction::Down, 0), sample(TouchAction::Up, 70)])
}

fn stored_records(server: &reprise_server::RunningServer, session: reprise_core::SessionId) -> Vec<Record> {
    let store = server.state().store();
    store
        .list_session(session)
        .expect("list")
        .into_iter()
        .flat_map(|id: SegmentId| {
            let bytes = store.get(id).expect("get").expect("stored");
            reprise_core::decode(&bytes, Default::default()).expect("decodes").records.records
        })
        .map(|r| r.record)
        .collect()
}

#[test]
fn a_session_reaches_the_collector_when_the_app_goes_to_the_background() {
    let rt = runtime();
    let server = start_on(&rt, "127.0.0.1:0".parse().expect("addr"), temp_dir("sdk-data"));
    let dir = data::default_dir();
    let screen = data::load_rico(&dir, "3363").expect("screen");
    let sdk = Sdk::start(config(temp_dir("sdk-app"), Some(upload_config(server.addr()))), screen.metadata(), T0).expect("starts");
    sdk.recorder().set_user_id(Some("user-42".into()));
    sdk.record(T0, Event::Lifecycle(Lifecycle::Foreground)).expect("record");
    sdk.record(T0, Event::ScreenView { name: screen.name.clone() }).expect("record");
    sdk.record(T0 + 100, Event::Snapshot(screen.tree.clone())).expect("record");
    // A tap in the middle of the screen, then time passes so the tap is certain.
    sdk.record(T0 + 1000, tap(T0 + 1000, 720.0, 1200.0)).expect("record");
    sdk.record(T0 + 2000, Event::Lifecycle(Lifecycle::Background)).expect("record");
    let session = sdk.session_id();
    assert!(wait_until(Duration::from_secs(30), || sdk.stats().queue.segments == 0 && sdk.stats().upload.delivered >= 1));
    let row = server.index().session(session).expect("index").expect("row");
    assert_eq!((row.user_id.as_deref(), row.device_model.as_str()), (Some("user-42"), screen.metadata().device_model.as_str()));
    let records = stored_records(&server, session);
    assert!(records.iter().any(|r| matches!(r, Record::Keyframe(_))));
    let gesture = records.iter().find_map(|r| match r {
        Record::Gesture(g) => Some(g),
        _ => None,
    });
    let gesture = gesture.expect("the tap reached the collector as a gesture");
    assert!(matches!(gesture.kind, reprise_core::GestureKind::Tap));
    assert!(gesture.target.is_some(), "hit-tested against the real screen");
}

#[test]
fn offline_holds_uploads_until_connectivity_returns() {
    let rt = runtime();
    let server = start_on(&rt, "127.0.0.1:0".parse().expect("addr"), temp_dir("sdk-offline-data"));
    let dir = data::default_dir();
    let screen = data::load_rico(&dir, "33618").expect("screen");
    let mut metadata = screen.metadata();
    metadata.network = NetworkType::Offline;
    let sdk = Sdk::start(config(temp_dir("sdk-offline-app"), Some(upload_config(server.addr()))), metadata, T0).expect("starts");
    sdk.record(T0, Event::Snapshot(screen.tree.clone())).expect("record");
    sdk.flush().expect("flush");
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(sdk.stats().queue.segments, 1, "offline: persisted, not sent");
    assert!(server.index().session(sdk.session_id()).expect("index").is_none());
    sdk.record(T0 + 1000, Event::Connectivity(NetworkType::Wifi)).expect("record");
    assert!(wait_until(Duration::from_secs(30), || sdk.stats().upload.delivered == 1));
    assert!(server.index().session(sdk.session_id()).expect("index").is_some());
}

#[test]
fn what_one_run_queued_the_next_run_uploads() {
    let rt = runtime();
    let server = start_on(&rt, "127.0.0.1:0".parse().expect("addr"), temp_dir("sdk-restart-data"));
    let app_dir = temp_dir("sdk-restart-app");
    let dir = data::default_dir();
    let screen = data::load_rico(&dir, "33656").expect("screen");
    let first_session = {
        let sdk = Sdk::start(config(app_dir.clone(), None), screen.metadata(), T0).expect("starts");
        sdk.record(T0, Event::Snapshot(screen.tree.clone())).expect("record");
        assert_eq!(sdk.flush_and_upload(Duration::from_millis(10)).expect("flush"), 1, "no uploader: it stays queued");
        sdk.shutdown().expect("shutdown");
        sdk.session_id()
    };
    let sdk = Sdk::start(config(app_dir, Some(upload_config(server.addr()))), screen.metadata(), T0 + 60_000).expect("starts");
    assert_eq!(sdk.recovery().recovered, 1);
    assert_eq!(sdk.flush_and_upload(Duration::from_secs(30)).expect("flush"), 0);
    assert!(server.index().session(first_session).expect("index").is_some());
}

#[test]
fn an_insecure_endpoint_is_refused_at_start() {
    let dir = data::default_dir();
    let screen = data::load_rico(&dir, "3363").expect("screen");
    let upload = reprise_core::UploadConfig { endpoint: "http://collector.example.com".into(), api_key: KEY.into(), ..Default::default() };
    let err = Sdk::start(config(temp_dir("sdk-insecure"), Some(upload)), screen.metadata(), T0).unwrap_err();
    assert!(err.to_string().contains("must use https"), "{err}");
}
