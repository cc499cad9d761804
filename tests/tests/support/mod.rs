//! Shared by the delivery tests: the real collector on loopback, the fault proxy in front of it,
//! and sessions recorded from real screens into a real disk queue.

#![allow(dead_code)]

pub mod proxy;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use reprise_core::{DiskQueue, Event, QueueConfig, Recorder, RecorderConfig, SegmentId, UploadConfig};
use reprise_fixtures::data;
use reprise_server::{ApiKeys, RunningServer, ServerConfig};

/// The API key the tests' collector accepts.
pub const KEY: &str = "test-key-1234-0123456789";

/// A fresh directory under the system temp dir.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("reprise-delivery-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// A multi-threaded runtime for the collector and the proxy.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime")
}

/// Starts the real collector on `listen` with its data under `data_dir`.
pub fn collector(rt: &tokio::runtime::Runtime, listen: SocketAddr, data_dir: PathBuf) -> RunningServer {
    let keys = ApiKeys::new([("demo".to_string(), KEY.to_string())]).expect("keys");
    rt.block_on(RunningServer::start(ServerConfig::new(listen, data_dir, keys))).expect("collector starts")
}

/// Upload settings for an endpoint, with short backoffs so tests run fast.
pub fn upload_config(addr: SocketAddr) -> UploadConfig {
    UploadConfig {
        endpoint: format!("http://{addr}"),
        api_key: KEY.into(),
        initial_backoff: Duration::from_millis(50),
        max_backoff: Duration::from_millis(400),
        request_timeout: Duration::from_secs(5),
        ..Default::default()
    }
}

/// Records `segments` segments of a session from real RICO screens into `queue` (one flush per
/// screen) and returns their ids.
pub fn record_session(queue: &DiskQueue, segments: usize) -> Vec<SegmentId> {
    let dir = data::default_dir();
    let ids = data::rico_ids(&dir).expect("fixtures");
    let screens: Vec<_> = ids.iter().take(segments).map(|id| data::load_rico(&dir, id).expect("screen")).collect();
    let t0 = 1_700_000_000_000;
    let before = queue.oldest(usize::MAX, &[]);
    let recorder = Recorder::start(RecorderConfig::default(), screens[0].metadata(), t0, Box::new(queue.clone())).expect("recorder");
    recorder.set_user_id(Some("user-7".into()));
    for (i, screen) in screens.iter().enumerate() {
        let t = t0 + i as i64 * 1000;
        recorder.record(t, Event::ScreenView { name: screen.name.clone() }).expect("record");
        recorder.record(t, Event::Snapshot(screen.tree.clone())).expect("record");
        recorder.flush().expect("flush");
    }
    recorder.shutdown().expect("shutdown");
    queue.oldest(usize::MAX, &[]).into_iter().filter(|id| !before.contains(id)).collect()
}

/// Opens a queue in a fresh directory.
pub fn queue(name: &str) -> DiskQueue {
    DiskQueue::open(temp_dir(name), QueueConfig::default(), 1_700_000_000_000).expect("queue").0
}

/// Waits until `done` holds or `timeout` passes; returns whether it held.
pub fn wait_until(timeout: Duration, mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    done()
}

/// Asserts that the collector holds exactly `ids`, each byte for byte as queued (`originals`),
/// once, and that every stored segment decodes.
pub fn assert_stored_once(server: &RunningServer, ids: &[SegmentId], originals: &[(SegmentId, Vec<u8>)]) {
    let store = server.state().store();
    let mut sessions: Vec<_> = ids.iter().map(|id| id.session).collect();
    sessions.dedup();
    let mut stored = Vec::new();
    for session in sessions {
        stored.extend(store.list_session(session).expect("list"));
        let indexed = server.index().indexed_segments(session).expect("index");
        let mut unique = indexed.clone();
        unique.dedup();
        assert_eq!(indexed, unique, "a segment indexed twice");
    }
    assert_eq!(stored, ids, "the collector holds exactly the recorded segments");
    for (id, bytes) in originals {
        let got = store.get(*id).expect("get").expect("stored");
        assert_eq!(&got, bytes, "{id} stored byte for byte");
        reprise_core::decode(&got, Default::default()).expect("stored segments decode");
    }
}
