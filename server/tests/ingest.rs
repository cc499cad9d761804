//! Uploads that the collector accepts: a real recorded session stored once and indexed, repeats
//! and concurrent duplicates stored once, apps kept apart, a storage failure answered as a
//! retryable 500, and a draining collector answering 503.

mod common;

use std::sync::Arc;

use common::*;
use reprise_core::{DecodeLimits, Platform, SegmentId, SessionId, decode};
use reprise_server::{PutOutcome, RunningServer, SegmentStore, SessionFilter, StoreError};

const SCREENS: [&str; 3] = ["3363", "33618", "33656"];

/// The tests run where `REPRISE_TEST_BACKEND` says, not on the default by mistake.
#[tokio::test]
async fn the_collector_runs_on_the_backend_the_tests_name() {
    let data = tempfile::tempdir().expect("temp dir");
    let server = start(data.path()).await;
    let (store, index) = (server.state().store().describe(), server.index().describe());
    let expected = match backend() {
        Backend::Files => ("files in ", "SQLite "),
        Backend::Postgres => ("files in ", "PostgreSQL 127.0.0.1:"),
        Backend::Scale => ("s3://", "PostgreSQL 127.0.0.1:"),
    };
    assert!(store.starts_with(expected.0) && index.starts_with(expected.1), "{:?}: {store}; {index}", backend());
    server.shutdown().await.expect("clean shutdown");
}

#[tokio::test]
async fn a_recorded_session_is_stored_once_decodable_and_indexed() {
    let session = record_session(T0, &SCREENS, Some("user-42"));
    assert!(session.segments.len() >= 3, "one segment per screen at least: {}", session.segments.len());
    let data = tempfile::tempdir().expect("temp dir");
    let server = start(data.path()).await;
    let client = client();

    for segment in &session.segments {
        let reply = Upload::of(&segment.bytes).send(&client, server.addr()).await;
        assert_eq!(reply.status, 200, "{reply:?}");
        assert_eq!(reply.json["stored"], true);
        assert_eq!(reply.json["segment"], segment.header.id().to_string());
    }

    // In the store: one object per segment, byte for byte what was sent, decodable, nothing else.
    settled(&server).await;
    let held = holdings(data.path(), &server);
    assert_eq!(held.files.len(), session.segments.len(), "{:?}", held.files);
    for segment in &session.segments {
        let sequence = segment.header.sequence;
        let stored = stored(data.path(), session.id, sequence).unwrap_or_else(|| panic!("segment {sequence} is stored"));
        assert_eq!(stored, segment.bytes);
        let decoded = decode(&stored, DecodeLimits::default()).expect("the stored segment decodes");
        assert_eq!(decoded.header, segment.header);
    }
    let listed = server.state().store().list_session(session.id).expect("list");
    let expected: Vec<SegmentId> = session.segments.iter().map(|s| s.header.id()).collect();
    assert_eq!(listed, expected);

    // In the index: one row with the session's metadata, user and totals.
    let row = server.index().session(session.id).expect("query").expect("the session is indexed");
    let m = &session.metadata;
    assert_eq!(row.session_id, session.id.to_string());
    assert_eq!(row.app, APP);
    assert_eq!(
        (row.app_id.as_str(), row.app_version.as_str(), row.app_build.as_str(), row.sdk_version.as_str()),
        ("com.example.shop", "2.4.0", "240", "0.1.0")
    );
    assert_eq!(row.platform, "android");
    assert_eq!((row.os_name.as_str(), row.os_version.as_str()), (m.os_name.as_str(), m.os_version.as_str()));
    assert_eq!(
        (row.device_manufacturer.as_str(), row.device_model.as_str()),
        (m.device_manufacturer.as_str(), m.device_model.as_str())
    );
    assert_eq!(row.device_model, "Nexus 6P");
    assert_eq!(row.user_id.as_deref(), Some("user-42"));
    assert_eq!(row.started_ms, T0);
    let first = &session.segments[0].header;
    let last = &session.segments[session.segments.len() - 1].header;
    assert_eq!((row.start_ms, row.end_ms), (first.start_ms, last.end_ms()));
    assert_eq!(row.segments, session.segments.len() as i64);
    let records: u64 = session.segments.iter().map(|s| u64::from(s.header.record_count)).sum();
    let bytes: usize = session.segments.iter().map(|s| s.bytes.len()).sum();
    let raw: u64 = session.segments.iter().map(|s| u64::from(s.header.raw_len)).sum();
    assert_eq!((row.records, row.bytes, row.raw_bytes), (records as i64, bytes as i64, raw as i64));
    assert_eq!(server.index().indexed_segments(session.id).expect("query").len(), session.segments.len());

    // The query the player will use finds it by app, platform and user, and only then.
    let index = server.index();
    let by = |filter: SessionFilter| index.sessions(&filter).expect("query").len();
    assert_eq!(by(SessionFilter { app: Some(APP.into()), ..Default::default() }), 1);
    assert_eq!(by(SessionFilter { app: Some(OTHER_APP.into()), ..Default::default() }), 0);
    assert_eq!(by(SessionFilter { platform: Some(Platform::Android), ..Default::default() }), 1);
    assert_eq!(by(SessionFilter { platform: Some(Platform::Ios), ..Default::default() }), 0);
    assert_eq!(by(SessionFilter { user_id: Some("user-42".into()), ..Default::default() }), 1);
    assert_eq!(by(SessionFilter { user_id: Some("someone".into()), ..Default::default() }), 0);

    assert_eq!(health(&client, server.addr()).await, 200);
    server.shutdown().await.expect("clean shutdown");
}

#[tokio::test]
async fn the_same_segment_twice_is_stored_once_and_answered_200_both_times() {
    let session = record_session(T0, &SCREENS[..1], None);
    let segment = &session.segments[0];
    let data = tempfile::tempdir().expect("temp dir");
    let server = start(data.path()).await;
    let client = client();

    let first = Upload::of(&segment.bytes).send(&client, server.addr()).await;
    assert_eq!((first.status, &first.json["stored"]), (200, &serde_json::json!(true)), "{first:?}");
    settled(&server).await;
    let after_first = holdings(data.path(), &server);
    let second = Upload::of(&segment.bytes).send(&client, server.addr()).await;
    assert_eq!((second.status, &second.json["stored"]), (200, &serde_json::json!(false)), "{second:?}");
    assert_eq!(second.json["segment"], segment.header.id().to_string());

    settled(&server).await;
    assert_eq!(holdings(data.path(), &server), after_first, "a repeat changes nothing (nor analyses it again)");
    assert_eq!(after_first.files.len(), 1);
    assert_eq!(after_first.indexed, 1);
    assert_eq!(after_first.sessions[0].segments, 1);
    assert_eq!(after_first.sessions[0].user_id, None);
}

/// A crash between storing and indexing leaves a stored segment the index does not count: the
/// SDK's retry is answered `stored: false` and indexes it from the stored copy, not the upload.
#[tokio::test]
async fn a_retry_of_a_segment_stored_but_not_indexed_indexes_the_stored_copy() {
    let session = record_session(T0, &SCREENS[..2], Some("user-7"));
    let first_copy = &session.segments[0].bytes;
    let data = tempfile::tempdir().expect("temp dir");
    let id = reprise_core::SegmentId { session: session.id, sequence: 0 };
    assert_eq!(test_store(data.path()).put_if_absent(id, first_copy).expect("stored before the crash"), PutOutcome::Stored);
    let server = start(data.path()).await;
    assert_eq!(server.index().segment_count().expect("count"), 0);
    // The retry carries other bytes under the same id (another segment of the session, renamed).
    let other = with_id(&session.segments[1].bytes, session.id, 0);
    let reply = Upload::of(&other).send(&client(), server.addr()).await;
    assert_eq!((reply.status, &reply.json["stored"]), (200, &serde_json::json!(false)), "{reply:?}");
    let row = server.index().session(session.id).expect("query").expect("indexed now");
    assert_eq!((row.segments, row.bytes), (1, first_copy.len() as i64), "the index describes the stored copy");
    assert_eq!(stored(data.path(), session.id, 0).expect("kept"), *first_copy);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_concurrent_posts_of_one_segment_store_it_once() {
    let session = record_session(T0, &SCREENS[..1], Some("user-7"));
    let bytes = Arc::new(session.segments[0].bytes.clone());
    let data = tempfile::tempdir().expect("temp dir");
    let server = start(data.path()).await;
    let addr = server.addr();

    let barrier = Arc::new(tokio::sync::Barrier::new(20));
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let (bytes, barrier) = (bytes.clone(), barrier.clone());
            tokio::spawn(async move {
                // A client each, so that the 20 requests travel on 20 connections at once.
                let client = client();
                barrier.wait().await;
                Upload::of(&bytes).send(&client, addr).await
            })
        })
        .collect();
    let mut stored = 0;
    for task in tasks {
        let reply = task.await.expect("task");
        assert_eq!(reply.status, 200, "{reply:?}");
        if reply.json["stored"] == true {
            stored += 1;
        }
    }
    assert_eq!(stored, 1, "exactly one request stored the segment");

    settled(&server).await;
    let held = holdings(data.path(), &server);
    assert_eq!(held.files.len(), 1, "{:?}", held.files);
    assert_eq!(common::stored(data.path(), session.id, 0).expect("stored"), *bytes);
    assert_eq!(held.indexed, 1);
    assert_eq!((held.sessions.len(), held.sessions[0].segments), (1, 1));
}

#[tokio::test]
async fn each_app_sees_only_its_sessions() {
    let shop = record_session(T0, &SCREENS[..1], Some("u1"));
    let news = record_session(T0 + 60_000, &SCREENS[1..2], Some("u2"));
    let data = tempfile::tempdir().expect("temp dir");
    let server = start(data.path()).await;
    let client = client();
    let reply = Upload::of(&shop.segments[0].bytes).send(&client, server.addr()).await;
    assert_eq!(reply.status, 200);
    let reply = Upload::of(&news.segments[0].bytes)
        .set("authorization", &format!("Bearer {OTHER_KEY}"))
        .send(&client, server.addr())
        .await;
    assert_eq!(reply.status, 200);

    let apps = |app: &str| {
        let filter = SessionFilter { app: Some(app.into()), ..Default::default() };
        server.index().sessions(&filter).expect("query").into_iter().map(|r| r.session_id).collect::<Vec<_>>()
    };
    assert_eq!(apps(APP), vec![shop.id.to_string()]);
    assert_eq!(apps(OTHER_APP), vec![news.id.to_string()]);
    // Most recent first.
    let all = server.index().sessions(&SessionFilter::default()).expect("query");
    assert_eq!(all.iter().map(|r| r.session_id.clone()).collect::<Vec<_>>(), [news.id.to_string(), shop.id.to_string()]);
}

/// A store whose disk is gone.
struct BrokenStore;

impl SegmentStore for BrokenStore {
    fn put_if_absent(&self, id: SegmentId, _bytes: &[u8]) -> Result<PutOutcome, StoreError> {
        let source = std::io::Error::other("disk unplugged");
        Err(StoreError::Io { op: "write", path: id.to_string().into(), source })
    }

    fn get(&self, _id: SegmentId) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(None)
    }

    fn list_session(&self, _session: SessionId) -> Result<Vec<SegmentId>, StoreError> {
        Ok(Vec::new())
    }

    fn sessions(&self) -> Result<Vec<SessionId>, StoreError> {
        Ok(Vec::new())
    }

    fn contains(&self, _id: SegmentId) -> Result<bool, StoreError> {
        Ok(false)
    }

    fn delete(&self, _id: SegmentId) -> Result<bool, StoreError> {
        Ok(false)
    }

    fn describe(&self) -> String {
        "a store whose disk is gone".into()
    }

    fn check_writable(&self) -> Result<(), StoreError> {
        let source = std::io::Error::other("disk unplugged");
        Err(StoreError::Io { op: "write", path: "probe".into(), source })
    }
}

#[tokio::test]
async fn a_storage_failure_is_a_retryable_500_indexes_nothing_and_fails_the_health_check() {
    let session = record_session(T0, &SCREENS[..1], None);
    let data = tempfile::tempdir().expect("temp dir");
    let server = RunningServer::start_with_store(config(data.path()), Arc::new(BrokenStore)).await.expect("starts");
    let client = client();
    let reply = Upload::of(&session.segments[0].bytes).send(&client, server.addr()).await;
    reply.assert_error(500, "storage_failed");
    assert!(!reply.reason().contains("unplugged"), "internal details stay in the log: {reply:?}");
    assert_eq!(server.index().segment_count().expect("count"), 0);
    let response = client.get(format!("http://{}/healthz", server.addr())).send().await.expect("answers");
    assert_eq!(response.status().as_u16(), 503);
    let body: serde_json::Value = serde_json::from_slice(&response.bytes().await.expect("body")).expect("json");
    assert_eq!(body["status"], "storage_failing");
    assert!(!body.to_string().contains("unplugged"), "internal details stay in the log: {body}");
}

#[tokio::test]
async fn a_draining_collector_answers_503_and_stores_nothing() {
    let session = record_session(T0, &SCREENS[..1], None);
    let data = tempfile::tempdir().expect("temp dir");
    let server = start(data.path()).await;
    let client = client();
    server.begin_shutdown();
    let response = client
        .post(format!("http://{}/v1/segments", server.addr()))
        .header("authorization", format!("Bearer {KEY}"))
        .body(session.segments[0].bytes.clone())
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status().as_u16(), 503);
    assert_eq!(response.headers().get("retry-after").and_then(|v| v.to_str().ok()), Some("5"));
    let body: serde_json::Value = serde_json::from_slice(&response.bytes().await.expect("body")).expect("json");
    assert_eq!(body["error"], "shutting_down");
    assert_eq!(health(&client, server.addr()).await, 503);
    assert!(holdings(data.path(), &server).files.is_empty());
    server.shutdown().await.expect("clean shutdown");
}
