//! Retention and erasure over real HTTP on loopback, on sessions recorded from real RICO
//! screens, on whichever backend the run names (files + SQLite, or SeaweedFS + PostgreSQL): a
//! user's sessions erased through the admin endpoint leave nothing in the store, in any index
//! table or in the replay cache, and stay erased (a late upload gets 410); the admin token's
//! rules; the retention sweep a collector runs at start; `reprise erase` on the command line;
//! an erasure interrupted after its tombstone finished by the next sweep.

mod common;

use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;

use common::*;
use reprise_core::SessionId;
use reprise_server::clock::now_ms;
use reprise_server::erasure;
use reprise_server::retention::Retention;
use reprise_server::index::{ErasureReason, SESSION_TABLES};
use reprise_server::{AccessToken, ConfigError, RunningServer, StartError};
use serde_json::Value;

const TOKEN: &str = "player-token-for-erasure-tests";
const ADMIN: &str = "admin-token-for-erasure-tests";

async fn start_with(data: &Path, admin: Option<&str>) -> RunningServer {
    let mut config = config(data);
    config.access_token = Some(AccessToken::new(TOKEN).expect("token"));
    config.admin_token = admin.map(|t| AccessToken::new(t).expect("admin token"));
    RunningServer::start(config).await.expect("starts")
}

async fn upload_all(client: &reqwest::Client, addr: SocketAddr, sessions: &[&RecordedSession]) {
    for session in sessions {
        for segment in &session.segments {
            let reply = Upload::of(&segment.bytes).send(client, addr).await;
            assert_eq!(reply.status, 200, "{reply:?}");
        }
    }
}

async fn call(client: &reqwest::Client, method: reqwest::Method, url: String, token: Option<&str>) -> (u16, Value) {
    let mut request = client.request(method, url);
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let response = request.send().await.expect("answers");
    let status = response.status().as_u16();
    let body = response.bytes().await.expect("body");
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

/// The session ids an erasure report lists, sorted.
fn reported(report: &Value) -> Vec<String> {
    let mut ids: Vec<String> =
        report["sessions"].as_array().expect("sessions").iter().map(|s| s["session_id"].as_str().expect("id").to_owned()).collect();
    ids.sort();
    ids
}

/// Rows of `session` in every index table but the tombstones.
fn rows_left(data: &Path, session: SessionId) -> Vec<(String, i64)> {
    rows_of(data, session).into_iter().filter(|(table, n)| table != "erased" && *n > 0).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn erasing_a_user_leaves_nothing_of_their_sessions_and_keeps_the_others() {
    let alice_a = record_session(T0, &["3363", "33618"], Some("alice-erase"));
    let alice_b = record_session(T0 + 100_000, &["33656", "3363"], Some("alice-erase"));
    let bob = record_session(T0 + 200_000, &["3363", "33656"], Some("bob-keep"));
    let data = tempfile::tempdir().expect("temp dir");
    let server = start_with(data.path(), Some(ADMIN)).await;
    let (client, addr) = (client(), server.addr());
    upload_all(&client, addr, &[&alice_a, &alice_b, &bob]).await;
    settled(&server).await;
    // The player watched one of them: it is in the replay cache.
    let events = format!("http://{addr}/v1/sessions/{}/events", alice_a.id);
    assert_eq!(call(&client, reqwest::Method::GET, events.clone(), Some(TOKEN)).await.0, 200);
    assert!(!server.state().timelines().is_empty());
    let bob_before = (stored_of(data.path(), bob.id), rows_of(data.path(), bob.id));

    let url = format!("http://{addr}/v1/admin/users/alice-erase");
    let (status, report) = call(&client, reqwest::Method::DELETE, url.clone(), Some(ADMIN)).await;
    assert_eq!(status, 200, "{report}");
    let mut expected = vec![alice_a.id.to_string(), alice_b.id.to_string()];
    expected.sort();
    assert_eq!(reported(&report), expected);
    let entries = report["sessions"].as_array().expect("sessions");
    for session in [&alice_a, &alice_b] {
        let entry = entries.iter().find(|e| e["session_id"] == session.id.to_string()).expect("reported");
        assert_eq!(entry["stored_segments"], session.segments.len(), "{entry}");
        assert_eq!(entry["index"]["segments"], session.segments.len(), "{entry}");
        assert_eq!(entry["index"]["session"], true, "{entry}");
    }

    for session in [&alice_a, &alice_b] {
        assert!(stored_of(data.path(), session.id).is_empty(), "segments left in the store");
        assert_eq!(rows_left(data.path(), session.id), vec![], "rows left in the index");
        let (status, _) = call(&client, reqwest::Method::GET, format!("http://{addr}/v1/sessions/{}", session.id), Some(TOKEN)).await;
        assert_eq!(status, 404);
    }
    assert!(!server.state().timelines().forget(alice_a.id), "the replay was dropped from the cache");
    assert_eq!((stored_of(data.path(), bob.id), rows_of(data.path(), bob.id)), bob_before, "bob's session is untouched");
    let (_, list) = call(&client, reqwest::Method::GET, format!("http://{addr}/v1/sessions"), Some(TOKEN)).await;
    assert_eq!(list["total"], 1, "{list}");

    // The SDK still holds a segment of an erased session: it is refused for good, not stored.
    let late = Upload::of(&alice_a.segments[0].bytes).send(&client, addr).await;
    late.assert_error(410, "session_erased");
    assert!(stored_of(data.path(), alice_a.id).is_empty());
    assert_eq!(rows_left(data.path(), alice_a.id), vec![]);
    // Erasing again finds nothing more.
    let (status, again) = call(&client, reqwest::Method::DELETE, url, Some(ADMIN)).await;
    assert_eq!((status, reported(&again)), (200, vec![]));
    server.shutdown().await.expect("shuts down");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_admin_endpoints_need_their_own_token() {
    let session = record_session(T0, &["3363", "33618"], Some("carol"));
    let data = tempfile::tempdir().expect("temp dir");
    let closed = start_with(data.path(), None).await;
    let client = client();
    upload_all(&client, closed.addr(), &[&session]).await;
    let user = |addr: SocketAddr| format!("http://{addr}/v1/admin/users/carol");
    let (status, body) = call(&client, reqwest::Method::DELETE, user(closed.addr()), Some(TOKEN)).await;
    assert_eq!((status, body["error"].as_str()), (403, Some("admin_closed")), "{body}");
    closed.shutdown().await.expect("shuts down");

    let open = start_with(data.path(), Some(ADMIN)).await;
    let addr = open.addr();
    for token in [None, Some(TOKEN), Some(KEY), Some("admin-token-for-erasure-test")] {
        let (status, body) = call(&client, reqwest::Method::DELETE, user(addr), token).await;
        assert_eq!(status, 401, "{token:?}: {body}");
    }
    let too_long = format!("http://{addr}/v1/admin/users/{}", "u".repeat(reprise_server::admin::MAX_USER_ID_LEN + 1));
    let (status, body) = call(&client, reqwest::Method::DELETE, too_long, Some(ADMIN)).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("bad_parameter")), "{body}");
    let unknown = format!("http://{addr}/v1/admin/sessions/{}", SessionId::new_v7(T0 + 5));
    assert_eq!(call(&client, reqwest::Method::DELETE, unknown, Some(ADMIN)).await.0, 404);
    let other_app = format!("http://{addr}/v1/admin/users/carol?app=someone-else");
    let (status, report) = call(&client, reqwest::Method::DELETE, other_app, Some(ADMIN)).await;
    assert_eq!((status, reported(&report)), (200, vec![]), "another app's filter erases nothing");
    assert!(!stored_of(data.path(), session.id).is_empty());
    let one = format!("http://{addr}/v1/admin/sessions/{}", session.id);
    let (status, report) = call(&client, reqwest::Method::DELETE, one, Some(ADMIN)).await;
    assert_eq!((status, reported(&report)), (200, vec![session.id.to_string()]));
    assert!(stored_of(data.path(), session.id).is_empty());
    open.shutdown().await.expect("shuts down");

    // The admin token must be a door of its own.
    let mut config = config(data.path());
    config.access_token = Some(AccessToken::new(TOKEN).expect("token"));
    config.admin_token = Some(AccessToken::new(TOKEN).expect("token"));
    let refused = RunningServer::start(config).await.err().expect("refused");
    assert!(matches!(refused, StartError::Config(ConfigError::AdminTokenIsAccessToken)), "{refused}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_collector_erases_sessions_past_retention_when_it_starts() {
    let old = record_session(T0, &["3363", "33618"], Some("dora"));
    let fresh = record_session(T0 + 100_000, &["33656"], Some("dora"));
    let data = tempfile::tempdir().expect("temp dir");
    let first = start_with(data.path(), None).await;
    let client = client();
    upload_all(&client, first.addr(), &[&old, &fresh]).await;
    first.shutdown().await.expect("shuts down");
    // Retention counts from arrival: both arrived just now. Age one past 30 days.
    set_received(data.path(), old.id, now_ms() - 31 * 86_400_000);
    set_received(data.path(), fresh.id, now_ms() - 29 * 86_400_000);

    let mut config = config(data.path());
    config.retention = Retention { days: 30, ..Retention::default() };
    let second = RunningServer::start(config).await.expect("starts");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while second.index().session(old.id).expect("query").is_some() {
        assert!(std::time::Instant::now() < deadline, "the sweep at start did not erase the old session");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(stored_of(data.path(), old.id).is_empty());
    assert_eq!(rows_left(data.path(), old.id), vec![]);
    assert_eq!(stored_of(data.path(), fresh.id).len(), fresh.segments.len(), "the fresh session stays");
    assert!(second.index().session(fresh.id).expect("query").is_some());
    second.shutdown().await.expect("shuts down");
}

#[test]
fn an_erasure_interrupted_after_its_tombstone_is_finished_by_the_next_sweep() {
    let session = record_session(T0, &["3363", "33618"], Some("erin"));
    let data = tempfile::tempdir().expect("temp dir");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let server = runtime.block_on(start_with(data.path(), None));
    runtime.block_on(upload_all(&client(), server.addr(), &[&session]));
    runtime.block_on(server.shutdown()).expect("shuts down");

    let (store, index) = (test_store(data.path()), test_index(data.path()));
    // Step 1 done, then the process died: the session is refused but still there.
    index.tombstone(session.id, ErasureReason::Request, now_ms()).expect("tombstone");
    assert!(!stored_of(data.path(), session.id).is_empty());
    let keep_all = Retention { days: 0, ..Retention::default() };
    let report = erasure::sweep(store.as_ref(), &index, &keep_all, now_ms()).expect("sweeps");
    assert_eq!(report.sessions.len(), 1);
    assert_eq!(report.stored_segments(), session.segments.len() as u64);
    assert!(stored_of(data.path(), session.id).is_empty());
    assert_eq!(rows_left(data.path(), session.id), vec![]);
    assert!(erasure::sweep(store.as_ref(), &index, &keep_all, now_ms()).expect("sweeps").sessions.is_empty());
}

#[test]
fn every_index_table_of_a_session_is_one_erasure_empties() {
    let data = tempfile::tempdir().expect("temp dir");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let server = runtime.block_on(start_with(data.path(), None));
    runtime.block_on(server.shutdown()).expect("shuts down");
    let mut expected: Vec<String> = SESSION_TABLES.iter().map(|t| t.to_string()).chain(["erased".to_owned()]).collect();
    expected.sort();
    assert_eq!(session_tables(data.path()), expected, "a table with a session_id column must be in SESSION_TABLES");
}

#[test]
fn reprise_erase_on_the_command_line() {
    let gone = record_session(T0, &["3363", "33618"], Some("frank"));
    let aged = record_session(T0 + 50_000, &["33618", "33656"], Some("gina"));
    let kept = record_session(T0 + 100_000, &["33656", "3363"], Some("hana"));
    let data = tempfile::tempdir().expect("temp dir");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let server = runtime.block_on(start_with(data.path(), None));
    runtime.block_on(upload_all(&client(), server.addr(), &[&gone, &aged, &kept]));
    runtime.block_on(server.shutdown()).expect("shuts down");
    set_received(data.path(), aged.id, now_ms() - 8 * 86_400_000);

    let erase = |args: &[&str]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_reprise"));
        command.arg("erase").arg("--data").arg(data.path()).args(serve_backend_args(data.path())).args(args);
        let out = command.output().expect("runs");
        let report: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
        (out.status.code(), report, String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let (code, report, stderr) = erase(&["--user", "frank"]);
    assert_eq!((code, reported(&report)), (Some(0), vec![gone.id.to_string()]), "{stderr}");
    assert!(stderr.contains("erased 1 sessions"), "{stderr}");
    assert!(stored_of(data.path(), gone.id).is_empty());
    // Eight days old: kept for 30, erased at 7.
    let (code, report, stderr) = erase(&["--expired", "--retention-days", "30"]);
    assert_eq!((code, reported(&report)), (Some(0), vec![]), "{stderr}");
    let (code, report, stderr) = erase(&["--expired", "--retention-days", "7"]);
    assert_eq!((code, reported(&report)), (Some(0), vec![aged.id.to_string()]), "{stderr}");
    assert!(stored_of(data.path(), aged.id).is_empty());
    assert_eq!(stored_of(data.path(), kept.id).len(), kept.segments.len());
    // Nothing named, or an unknown session: refused with a reason.
    let (code, _, stderr) = erase(&[]);
    assert_eq!(code, Some(2), "{stderr}");
    let (code, _, stderr) = erase(&["--session", &SessionId::new_v7(T0 + 9).to_string()]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("no session"), "{stderr}");
}
