//! Crash safety: child processes record and flush into disk queues and are killed with SIGKILL
//! at random moments, 1,000 times in all (four lanes side by side, each with its own queue); then
//! the queues are uploaded to the real collector. Every segment whose flush returned must be
//! there exactly once, and nothing corrupt may have been accepted. Each kill comes a random
//! 0-40 ms after the child reported its first persisted segment, so what is checked does not
//! depend on the machine's speed.
//!
//! Slow (about a minute), so ignored by default; `scripts/test.sh` runs it with
//! `cargo test -p reprise-fixtures --test crash_safety -- --ignored`.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use reprise_core::{DiskQueue, QueueConfig, SegmentId, Uploader};
use reprise_fixtures::kit::collector::{runtime, start_on, upload_config};
use reprise_fixtures::kit::temp::temp_dir;

/// Lanes run side by side, each killing its own children over its own queue.
const LANES: u64 = 4;
/// Kills per lane.
const KILLS_PER_LANE: u64 = 250;

/// A small deterministic generator for the kill delays.
fn next(seed: &mut u64) -> u64 {
    *seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
    *seed >> 33
}

/// What the children of all lanes said: the segments they promised, and what recovery found.
#[derive(Default)]
struct Said {
    promised: BTreeSet<String>,
    temp: u64,
    corrupt: u64,
}

/// Runs one lane: `KILLS_PER_LANE` children over `queue_dir`, each killed soon after its first
/// persisted segment.
fn lane(lane: u64, queue_dir: &Path, said: &Arc<Mutex<Said>>) {
    let mut seed = 0x5eed_u64 + lane;
    for run in 0..KILLS_PER_LANE {
        let mut child = Command::new(env!("CARGO_BIN_EXE_crash_child"))
            .arg(queue_dir)
            .arg((lane * KILLS_PER_LANE + run).to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn the child");
        let stdout = child.stdout.take().expect("stdout");
        let said_by_child = said.clone();
        let (first_persisted, persisted) = mpsc::channel::<()>();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(id) = line.strip_prefix("persisted ") {
                    said_by_child.lock().expect("lock").promised.insert(id.to_owned());
                    let _ = first_persisted.send(());
                } else if let Some(counts) = line.strip_prefix("recovered ") {
                    // What the previous kill left: partial writes and damaged files.
                    let count = |key: &str| {
                        counts.split(' ').find_map(|kv| kv.strip_prefix(key)).and_then(|n| n.parse::<u64>().ok()).unwrap_or(0)
                    };
                    let mut said = said_by_child.lock().expect("lock");
                    said.temp += count("temp=");
                    said.corrupt += count("corrupt=");
                }
            }
        });
        // However slow the machine, the child gets to persist before it is killed.
        let _ = persisted.recv_timeout(Duration::from_secs(60));
        std::thread::sleep(Duration::from_millis(next(&mut seed) % 40));
        child.kill().expect("SIGKILL");
        child.wait().expect("reaped");
        reader.join().expect("reader");
    }
}

#[test]
#[ignore = "slow: run with --ignored (scripts/test.sh does)"]
fn segments_whose_flush_returned_survive_sigkill_and_arrive_once() {
    let queues: Vec<_> = (0..LANES).map(|i| temp_dir(&format!("crash-queue-{i}"))).collect();
    let said: Arc<Mutex<Said>> = Arc::default();
    std::thread::scope(|scope| {
        for (i, queue_dir) in queues.iter().enumerate() {
            let said = &said;
            scope.spawn(move || lane(i as u64, queue_dir, said));
        }
    });
    let said = std::mem::take(&mut *said.lock().expect("lock"));
    let promised = said.promised;
    assert!(!promised.is_empty(), "no child persisted a segment");

    // Recovery, then upload to the real collector.
    let rt = runtime();
    let server = start_on(&rt, "127.0.0.1:0".parse().expect("addr"), temp_dir("crash-data"));
    let mut queued: BTreeSet<String> = BTreeSet::new();
    let mut recovered = (0u64, 0u64);
    for queue_dir in &queues {
        let (queue, report) = DiskQueue::open(queue_dir, QueueConfig::default(), 1_700_000_000_000).expect("queue opens");
        queued.extend(queue.oldest(usize::MAX, &[]).iter().map(ToString::to_string));
        recovered.0 += u64::from(report.temp_removed);
        recovered.1 += u64::from(report.corrupt_removed);
        let uploader = Uploader::start(queue.clone(), upload_config(server.addr())).expect("uploader");
        assert_eq!(uploader.drain(Duration::from_secs(120)), 0);
        let stats = uploader.stats();
        assert_eq!((stats.dropped_rejected, stats.dropped_too_large), (0, 0), "the collector refused a segment");
    }
    assert!(promised.is_subset(&queued), "a segment whose flush returned was lost: {:?}", promised.difference(&queued).next());
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
    println!(
        "{} kills: {} segments promised, {} queued, {} stored once each; kills left {} partial writes and {} damaged files, all removed on recovery",
        LANES * KILLS_PER_LANE,
        promised.len(),
        queued.len(),
        stored.len(),
        said.temp + recovered.0,
        said.corrupt + recovered.1,
    );
}
