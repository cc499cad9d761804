//! The SDK's CPU cost per uploaded segment: real segments (RICO screens) are queued, then the
//! uploader posts them to the real collector on loopback. The CPU time of the uploader's own
//! threads comes from `/proc/self/task/*/schedstat` (Linux), so the collector running in the same
//! process is not counted.
//!
//! `cargo bench -p reprise-fixtures --bench upload`

#[path = "../tests/support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use reprise_core::{Event, Recorder, RecorderConfig, Uploader};
use reprise_fixtures::data;
use reprise_fixtures::kit::collector::{runtime, start_on, upload_config};
use reprise_fixtures::kit::temp::temp_dir;
use support::*;

const SEGMENTS: usize = 400;

/// Nanoseconds on CPU of this process's threads named `name`.
fn thread_cpu_ns(name: &str) -> u64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else { return 0 };
    tasks
        .flatten()
        .filter(|t| std::fs::read_to_string(t.path().join("comm")).is_ok_and(|c| c.trim() == name))
        .filter_map(|t| std::fs::read_to_string(t.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next().and_then(|n| n.parse::<u64>().ok()))
        .sum()
}

fn main() {
    // `cargo bench` passes --bench; under `cargo test` this is a smoke run of a few segments.
    let full = std::env::args().any(|a| a == "--bench");
    run(if full { SEGMENTS } else { 8 });
}

fn run(segments: usize) {
    let rt = runtime();
    let server = start_on(&rt, "127.0.0.1:0".parse().expect("addr"), temp_dir("bench-upload-data"));
    let queue = queue("bench-upload");
    let dir = data::default_dir();
    let screens: Vec<_> = data::rico_ids(&dir).expect("fixtures").iter().map(|id| data::load_rico(&dir, id).expect("screen")).collect();
    let recorder = Recorder::start(RecorderConfig::default(), screens[0].metadata(), 1_700_000_000_000, Box::new(queue.clone())).expect("recorder");
    for i in 0..segments {
        let t = 1_700_000_000_000 + i as i64 * 1000;
        recorder.record(t, Event::Snapshot(screens[i % screens.len()].tree.clone())).expect("record");
        recorder.flush().expect("flush");
    }
    recorder.shutdown().expect("shutdown");
    let queued = queue.stats();

    let started = Instant::now();
    let uploader = Uploader::start(queue.clone(), upload_config(server.addr())).expect("uploader");
    let left = uploader.drain(Duration::from_secs(300));
    let wall = started.elapsed();
    let cpu_ns = thread_cpu_ns("reprise-upload");
    let stats = uploader.stats();
    uploader.shutdown();
    assert_eq!((left, stats.delivered as usize), (0, segments), "every segment delivered");
    println!(
        "uploaded {} segments ({} bytes, {:.1} KB average) to the collector on loopback (plain HTTP, concurrency 2)",
        segments,
        queued.bytes,
        queued.bytes as f64 / segments as f64 / 1024.0,
    );
    println!(
        "  SDK CPU (uploader threads): {:.1} ms in all = {:.0} us per segment; wall {:.0} ms = {:.0} segments/s",
        cpu_ns as f64 / 1e6,
        cpu_ns as f64 / 1e3 / segments as f64,
        wall.as_secs_f64() * 1e3,
        segments as f64 / wall.as_secs_f64()
    );
}
