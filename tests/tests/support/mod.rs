//! Shared by the delivery tests (and the upload benchmark): the fault proxy in front of the real
//! collector, disk queues in fresh directories, waiting, and checking what the collector stored.
//! The collector itself, its keys and upload settings, and the recorded sessions are the test
//! kit's (`reprise_fixtures::kit::{collector, session}`).

#![allow(dead_code)]

pub mod proxy;

use std::time::{Duration, Instant};

use reprise_core::{DiskQueue, QueueConfig, SegmentId};
use reprise_fixtures::kit::session::T0;
use reprise_fixtures::kit::temp::temp_dir;
use reprise_server::RunningServer;

/// Opens a queue in a fresh directory.
pub fn queue(name: &str) -> DiskQueue {
    DiskQueue::open(temp_dir(name), QueueConfig::default(), T0).expect("queue").0
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
