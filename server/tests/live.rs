//! Live view end to end, over real HTTP on loopback: the real SDK (`reprise_core::Sdk`, its
//! recorder, disk queue and uploader) records real RICO screens into a collector; while nobody
//! watches, a new snapshot waits in the open 60 s segment; once the player's long poll watches
//! the session, the next upload's answer carries the live flag and the SDK seals and sends the
//! following snapshots within seconds, without being asked to flush.

mod common;

use std::time::Duration;

use common::*;
use reprise_core::live::LIVE_HEADER;
use reprise_core::upload::UploadConfig;
use reprise_core::{Event, RecorderConfig, Sdk, SdkConfig};
use reprise_server::clock::now_ms;
use reprise_server::{AccessToken, RunningServer};
use serde_json::Value;

const TOKEN: &str = "player-token-for-live-tests";

async fn live(client: &reqwest::Client, addr: std::net::SocketAddr, query: String) -> (u16, Value) {
    let response = client
        .get(format!("http://{addr}{query}"))
        .header("authorization", format!("Bearer {TOKEN}"))
        .send()
        .await
        .expect("answers");
    let status = response.status().as_u16();
    (status, serde_json::from_slice(&response.bytes().await.expect("body")).unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_watched_session_is_sent_in_short_segments_and_an_unwatched_one_is_not() {
    let screens = rico_screens(&["3363", "33618", "33656"]);
    let data = tempfile::tempdir().expect("temp dir");
    let device = tempfile::tempdir().expect("device dir");
    let mut config = config(data.path());
    config.access_token = Some(AccessToken::new(TOKEN).expect("token"));
    let server = RunningServer::start(config).await.expect("starts");
    let (client, addr) = (client(), server.addr());
    let upload = UploadConfig { endpoint: format!("http://{addr}"), api_key: KEY.into(), ..Default::default() };
    let recorder = RecorderConfig { max_segment_age: Duration::from_secs(60), ..RecorderConfig::default() };
    let sdk_config = SdkConfig { data_dir: device.path().to_owned(), recorder, queue: Default::default(), upload: Some(upload) };
    let sdk = Sdk::start(sdk_config, metadata(&screens[0]), now_ms()).expect("SDK starts");
    let id = sdk.session_id();
    let snapshot = |i: usize| {
        sdk.record(now_ms(), Event::ScreenView { name: screens[i].name.clone() }).expect("records");
        sdk.record(now_ms(), Event::Snapshot(screens[i].tree.clone())).expect("records");
    };
    let segments = || server.index().progress(id).expect("query").map_or(0, |p| p.segments);
    snapshot(0);
    let left = tokio::task::block_in_place(|| sdk.flush_and_upload(Duration::from_secs(10))).expect("uploads");
    assert_eq!((left, segments()), (0, 1));

    // Nobody watches: the next screen stays in the open segment.
    snapshot(1);
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(segments(), 1, "an unwatched session keeps its 60 s segments");
    let (status, state) = live(&client, addr, format!("/v1/sessions/{id}/live?after=1&wait_ms=0")).await;
    assert_eq!(status, 200, "{state}");
    assert_eq!((state["segments"].as_i64(), state["recording"].as_bool()), (Some(1), Some(true)), "{state}");

    // The player watches now. The app's next upload (here: going to the background) is answered
    // with the flag...
    let left = tokio::task::block_in_place(|| sdk.flush_and_upload(Duration::from_secs(10))).expect("uploads");
    assert_eq!((left, segments()), (0, 2));
    // ...and from then on the SDK seals by itself within seconds.
    snapshot(2);
    let (status, state) = live(&client, addr, format!("/v1/sessions/{id}/live?after=2&wait_ms=15000")).await;
    assert_eq!(status, 200, "{state}");
    assert_eq!(state["segments"].as_i64(), Some(3), "the watched session's new screen arrived without a flush: {state}");

    // Upload answers say so in their header, and in the JSON.
    let copy = reprise_core::SegmentId { session: id, sequence: 0 };
    let bytes = server.state().store().get(copy).expect("store").expect("stored");
    let mut request = client.post(format!("http://{addr}/v1/segments")).body(bytes);
    for (name, value) in Upload::claiming(&[], &id.to_string(), 0).headers {
        request = request.header(name, value);
    }
    let answer = request.send().await.expect("answers");
    assert_eq!(answer.headers().get(LIVE_HEADER).and_then(|v| v.to_str().ok()), Some("1"));
    let body: Value = serde_json::from_slice(&answer.bytes().await.expect("body")).expect("json");
    assert_eq!((body["stored"].as_bool(), body["live"].as_bool()), (Some(false), Some(true)), "{body}");
    // The app goes to the background: its segment arrives, and the session still counts as live
    // for a while (an app often comes back; the browser test waits for the badge to go).
    sdk.record(now_ms(), Event::Lifecycle(reprise_core::Lifecycle::Background)).expect("records");
    let (status, state) = live(&client, addr, format!("/v1/sessions/{id}/live?after=3&wait_ms=15000")).await;
    assert_eq!(status, 200, "{state}");
    assert_eq!((state["segments"].as_i64(), state["recording"].as_bool()), (Some(4), Some(true)), "{state}");
    tokio::task::block_in_place(|| sdk.shutdown()).expect("shuts down");

    // Bad polls get clear answers.
    let (status, body) = live(&client, addr, format!("/v1/sessions/{id}/live?wait_ms=99999")).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("bad_parameter")), "{body}");
    let (status, _) = live(&client, addr, format!("/v1/sessions/{}/live?wait_ms=0", reprise_core::SessionId::new_v7(T0))).await;
    assert_eq!(status, 404);
    server.shutdown().await.expect("shuts down");
}

#[tokio::test(flavor = "multi_thread")]
async fn uploads_of_an_unwatched_session_carry_no_live_flag() {
    let session = record_session(T0, &["3363", "33618"], None);
    let data = tempfile::tempdir().expect("temp dir");
    let server = start(data.path()).await;
    let client = client();
    let mut request = client.post(format!("http://{}/v1/segments", server.addr())).body(session.segments[0].bytes.clone());
    for (name, value) in Upload::of(&session.segments[0].bytes).headers {
        request = request.header(name, value);
    }
    let answer = request.send().await.expect("answers");
    assert_eq!(answer.status().as_u16(), 200);
    assert!(answer.headers().get(LIVE_HEADER).is_none());
    let body: Value = serde_json::from_slice(&answer.bytes().await.expect("body")).expect("json");
    assert!(body.get("live").is_none(), "{body}");
    server.shutdown().await.expect("shuts down");
}
