//! Two `reprise serve` processes on one S3 bucket (SeaweedFS) and one PostgreSQL database, as
//! `scripts/scale-backends.sh` starts them: uploads spread across both, one collector killed
//! with SIGKILL mid-run and started again. Every acknowledged segment is stored once and indexed
//! once, each segment is analysed once by one of the two analysis workers (the killed one's claims
//! lapse to the others), each session replays identically from either collector, and a
//! collector whose timeline cache holds a session notices a segment the other one indexed.

mod common;

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use reprise_core::SegmentId;
use reprise_server::store::segment_key;
use serde_json::Value;

const TOKEN: &str = "player-token-for-scale-tests-1c";
const SCREENS: [&str; 6] = ["3363", "33618", "33656", "3363", "33618", "33656"];
/// Tries of one upload before the test gives up on it (each on the next collector).
const UPLOAD_TRIES: usize = 200;

/// The collectors' processes, killed when the test ends, however it ends.
struct Collectors(Vec<Child>);

impl Drop for Collectors {
    fn drop(&mut self) {
        for child in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Starts `reprise serve` on the backend named by `shared`, with a data folder of its own.
fn serve(shared: &Path, own: &Path) -> (Child, SocketAddr) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_reprise"));
    command
        .arg("serve")
        .args(["--listen", "127.0.0.1:0", "--api-key", &format!("{APP}={KEY}"), "--access-token", TOKEN, "--data"])
        .arg(own)
        .args(serve_backend_args(shared))
        .stderr(Stdio::inherit());
    let (child, addr, _) = spawn_serve(command);
    (child, addr)
}

/// Posts a segment; the status, or `None` when no collector answered.
async fn post(client: &reqwest::Client, addr: SocketAddr, bytes: &[u8]) -> Option<u16> {
    let upload = Upload::of(bytes);
    let mut request = client.post(format!("http://{addr}/v1/segments")).body(upload.body.clone());
    for (name, value) in &upload.headers {
        request = request.header(name.as_str(), value.as_str());
    }
    Some(request.send().await.ok()?.status().as_u16())
}

async fn api(client: &reqwest::Client, addr: SocketAddr, path: &str) -> Value {
    let response = client.get(format!("http://{addr}{path}")).bearer_auth(TOKEN).send().await.expect("answers");
    assert_eq!(response.status().as_u16(), 200, "{path}");
    serde_json::from_slice(&response.bytes().await.expect("body")).expect("json")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs SeaweedFS and PostgreSQL: scripts/scale-backends.sh"]
async fn two_collectors_share_one_store_and_index_through_a_sigkill() {
    assert_eq!(backend(), Backend::Scale, "run by scripts/scale-backends.sh");
    let shared = tempfile::tempdir().expect("temp dir");
    let (a_dir, b_dir) = (tempfile::tempdir().expect("temp dir"), tempfile::tempdir().expect("temp dir"));
    let sessions: Vec<RecordedSession> =
        (0..6).map(|i| record_session(T0 + i * 100_000, &SCREENS, Some(&format!("user-{i}")))).collect();
    // Every segment but the last of session 0 (kept for the cache check), sessions interleaved.
    let mut queue = VecDeque::new();
    let longest = sessions.iter().map(|s| s.segments.len()).max().expect("sessions");
    for n in 0..longest {
        for (i, session) in sessions.iter().enumerate() {
            if let Some(segment) = session.segments.get(n)
                && !(i == 0 && n == session.segments.len() - 1)
            {
                queue.push_back(segment.bytes.clone());
            }
        }
    }
    let total = queue.len();

    let (a, a_addr) = serve(shared.path(), a_dir.path());
    let (b, b_addr) = serve(shared.path(), b_dir.path());
    let mut collectors = Collectors(vec![a, b]);
    let addrs = Arc::new(Mutex::new([a_addr, b_addr]));
    let queue = Arc::new(Mutex::new(queue));
    let acked = Arc::new(AtomicUsize::new(0));
    let refused = Arc::new(AtomicUsize::new(0));
    let uploaders: Vec<_> = (0..4)
        .map(|lane| {
            let (addrs, queue, acked, refused) = (addrs.clone(), queue.clone(), acked.clone(), refused.clone());
            tokio::spawn(async move {
                let client = client();
                let mut n = lane;
                loop {
                    let Some(bytes) = queue.lock().expect("queue").pop_front() else { break };
                    // As the SDK does: an upload that is not answered 200 is sent again, here
                    // to the other collector.
                    let mut tries = 0;
                    loop {
                        let addr = addrs.lock().expect("addrs")[n % 2];
                        n += 1;
                        match post(&client, addr, &bytes).await {
                            Some(200) => break,
                            status => {
                                refused.fetch_add(1, Ordering::SeqCst);
                                tries += 1;
                                assert!(tries < UPLOAD_TRIES, "segment {} never acknowledged: {status:?}", segment_id(&bytes));
                                tokio::time::sleep(Duration::from_millis(20)).await;
                            }
                        }
                    }
                    acked.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(15)).await;
                }
            })
        })
        .collect();

    // A third of the way in, collector B dies without a chance to finish anything, and starts again.
    while acked.load(Ordering::SeqCst) < total / 3 {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    collectors.0[1].kill().expect("SIGKILL");
    collectors.0[1].wait().expect("reaped");
    let killed_at = acked.load(Ordering::SeqCst);
    assert!(killed_at < total, "the kill came mid-run: {killed_at} of {total} acknowledged");
    let (b, b_addr) = serve(shared.path(), b_dir.path());
    collectors.0[1] = b;
    addrs.lock().expect("addrs")[1] = b_addr;
    for uploader in uploaders {
        uploader.await.expect("uploader");
    }
    assert_eq!(acked.load(Ordering::SeqCst), total);
    eprintln!("{total} segments acknowledged; B killed after {killed_at}; {} tries unanswered", refused.load(Ordering::SeqCst));

    // Stored once: the bucket holds exactly the acknowledged segments, byte for byte.
    let sent: Vec<(SegmentId, &[u8])> = sessions
        .iter()
        .enumerate()
        .flat_map(|(i, s)| {
            let keep = if i == 0 { s.segments.len() - 1 } else { s.segments.len() };
            s.segments[..keep].iter().map(|seg| (seg.header.id(), seg.bytes.as_slice()))
        })
        .collect();
    let mut expected: Vec<(std::path::PathBuf, u64)> =
        sent.iter().map(|(id, bytes)| (segment_key(*id).into(), bytes.len() as u64)).collect();
    expected.sort();
    let store = test_store(shared.path());
    let index = test_index(shared.path());
    assert_eq!(stored_objects(shared.path()), expected, "each acknowledged segment stored once, nothing else");
    for (id, bytes) in &sent {
        assert_eq!(store.get(*id).expect("get").as_deref(), Some(*bytes), "{id}");
    }
    // Indexed once: the shared index counted each segment once, whichever collector took it.
    assert_eq!(index.segment_count().expect("count"), total as u64);
    for (i, session) in sessions.iter().enumerate() {
        let n = if i == 0 { session.segments.len() - 1 } else { session.segments.len() };
        assert_eq!(index.indexed_segments(session.id).expect("query"), (0..n as u32).collect::<Vec<_>>());
        let row = index.session(session.id).expect("query").expect("row");
        let bytes: usize = session.segments[..n].iter().map(|s| s.bytes.len()).sum();
        assert_eq!((row.segments, row.bytes), (n as i64, bytes as i64), "session {i}");
        assert_eq!(row.user_id.as_deref(), Some(format!("user-{i}").as_str()));
    }
    // Analysed once: both workers drew from one queue (B's claims when it was killed lapse after
    // the lease), and each segment's analysis was written by one of them, once.
    let deadline = std::time::Instant::now() + reprise_server::analysis_worker::LEASE + Duration::from_secs(30);
    while index.analysis_backlog().expect("backlog").pending > 0 && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(index.analysis_backlog().expect("backlog"), reprise_server::index::Backlog::default(), "the queue drained");
    for session in &sessions {
        let twice = index_sql(shared.path(), "SELECT count(*) FROM segments WHERE session_id = $1 AND analysed <> 1".into(), session.id.to_string());
        assert_eq!(twice, vec![0], "every segment of {} analysed exactly once", session.id);
    }

    // The same replay from either collector.
    let client = client();
    for session in &sessions {
        let events = format!("/v1/sessions/{}/events", session.id);
        let (from_a, from_b) = (api(&client, a_addr, &events).await, api(&client, b_addr, &events).await);
        assert!(from_a["markers"].as_array().is_some_and(|m| !m.is_empty()), "{events}: {from_a}");
        assert_eq!(from_a, from_b, "{events}");
        let start = session.segments[0].header.start_ms;
        let frames = format!("/v1/sessions/{}/frames?from_ms={start}&to_ms={}", session.id, start + 10_000);
        let from_a = api(&client, a_addr, &frames).await;
        assert!(from_a["frames"].as_array().is_some_and(|f| !f.is_empty()), "{frames}: {from_a}");
        assert_eq!(from_a, api(&client, b_addr, &frames).await, "{frames}");
        let detail = format!("/v1/sessions/{}", session.id);
        assert_eq!(api(&client, a_addr, &detail).await, api(&client, b_addr, &detail).await, "{detail}");
    }

    // A's cache holds session 0; the last segment goes to B; A answers with it at once.
    let first = &sessions[0];
    let last = first.segments.last().expect("segments");
    let events = format!("/v1/sessions/{}/events", first.id);
    let before = api(&client, a_addr, &events).await;
    assert_ne!(before["end_ms"].as_i64(), Some(last.header.end_ms()));
    assert_eq!(post(&client, b_addr, &last.bytes).await, Some(200));
    let after = api(&client, a_addr, &events).await;
    assert_eq!(after["end_ms"].as_i64(), Some(last.header.end_ms()), "collector A never serves a stale replay");
    assert_eq!(after, api(&client, b_addr, &events).await);
    drop(collectors);
}
