//! Crash safety: a child process records and flushes into a disk queue and is killed with SIGKILL
//! at random moments, 200 times; then the queue is uploaded to the real collector. Every segment
//! whose flush returned must be there exactly once, and nothing corrupt may have been accepted.
//!
//! Slow (about half a minute), so ignored by default; `scripts/test.sh` runs it with
//! `cargo test -p reprise-fixtures --test crash_safety -- --ignored`.

mod support;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reprise_core::{DiskQueue, QueueConfig, SegmentId, Uploader};
use support::*;

const KILLS: u64 = 200;

/// A small deterministic generator for the kill delays.
fn next(seed: &mut u64) -> u64 {
    *seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
    *seed >> 33
}

#[test]
#[ignore = "slow: run with --ignored (scripts/test.sh does)"]
fn segments_whose_flush_returned_survive_sigkill_and_arrive_once() {
    let queue_dir = temp_dir("crash-queue");
    let promised: Arc<Mutex<BTreeSet<String>>> = Arc::default();
    let interrupted: Arc<Mutex<(u64, u64)>> = Arc::default();
    let mut seed = 0x5eed_u64;
    for run in 0..KILLS {
        let mut child = Command::new(env!("CARGO_BIN_EXE_crash_child"))
            .arg(&queue_dir)
            .arg(run.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn the child");
        let stdout = child.stdout.take().expect("stdout");
        let promised_by_child = promised.clone();
        let interrupted_by_child = interrupted.clone();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(id) = line.strip_prefix("persisted ") {
                    promised_by_child.lock().expect("lock").insert(id.to_owned());
                } else if let Some(counts) = line.strip_prefix("recovered ") {
                    // What the previous kill left: partial writes and damaged files.
                    let count = |key: &str| {
                        counts.split(' ').find_map(|kv| kv.strip_prefix(key)).and_then(|n| n.parse::<u64>().ok()).unwrap_or(0)
                    };
                    let mut total = interrupted_by_child.lock().expect("lock");
                    total.0 += count("temp=");
                    total.1 += count("corrupt=");
                }
            }
        });
        std::thread::sleep(Duration::from_millis(5 + next(&mut seed) % 150));
        child.kill().expect("SIGKILL");
        child.wait().expect("reaped");
        reader.join().expect("reader");
    }
    let promised = promised.lock().expect("lock").clone();
    assert!(promised.len() > 100, "the children persisted {} segments in all", promised.len());

    // Recovery, then upload to the real collector.
    let (queue, report) = DiskQueue::open(&queue_dir, QueueConfig::default(), 1_700_000_000_000).expect("queue opens");
    let queued: BTreeSet<String> = queue.oldest(usize::MAX, &[]).iter().map(ToString::to_string).collect();
    assert!(promised.is_subset(&queued), "a segment whose flush returned was lost: {:?}", promised.difference(&queued).next());
    let rt = runtime();
    let server = collector(&rt, "127.0.0.1:0".parse().expect("addr"), temp_dir("crash-data"));
    let uploader = Uploader::start(queue.clone(), upload_config(server.addr())).expect("uploader");
    assert_eq!(uploader.drain(Duration::from_secs(120)), 0);
    let stats = uploader.stats();
    assert_eq!((stats.dropped_rejected, stats.dropped_too_large), (0, 0), "the collector refused a segment");

    let store = server.state().store();
    let sessions: BTreeSet<_> = queued.iter().map(|id| id.parse::<SegmentId>().expect("segment id").session).collect();
    let mut stored: Vec<SegmentId> = Vec::new();
    for session in sessions {
        let ids = store.list_session(session).expect("list");
        let indexed = server.index().indexed_segments(session).expect("index");
        assert_eq!(indexed.len(), ids.len(), "each stored segment indexed once");
        stored.extend(ids);
    }
    let stored_names: BTreeSet<String> = stored.iter().map(ToString::to_string).collect();
    assert_eq!(stored_names.len(), stored.len(), "no segment stored twice");
    assert!(promised.is_subset(&stored_names), "a promised segment did not reach the collector");
    for id in &stored {
        let bytes = store.get(*id).expect("get").expect("stored");
        reprise_core::decode(&bytes, Default::default()).expect("no corrupt segment was accepted");
    }
    let (temp, corrupt) = *interrupted.lock().expect("lock");
    println!(
        "{KILLS} kills: {} segments promised, {} queued, {} stored once each; kills left {} partial writes and {} damaged files, all removed on recovery",
        promised.len(),
        queued.len(),
        stored.len(),
        temp + u64::from(report.temp_removed),
        corrupt + u64::from(report.corrupt_removed),
    );
}
