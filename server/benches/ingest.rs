//! Collector ingest throughput: a load generator posts distinct real segments to a collector on
//! loopback with C concurrent uploaders and prints segments/s, MB/s and latency percentiles.
//!
//! `cargo bench -p reprise-server --bench ingest` runs the full measurement (C = 1, 8, 32; a few
//! thousand segments each). Under `cargo test` (no `--bench` flag) it runs a small smoke pass.
//! Every request goes to 127.0.0.1; every round is bounded in count and time.
//!
//! The segments are recorded through the core's `SessionWriter` from the 20 real RICO screens
//! (screen views, keyframes, scrolled diffs, touches: 60 s of six screens per segment), then copied
//! under distinct ids, ten per session (header and CRC rewritten), so that every upload is a new
//! segment.

#[path = "../tests/common/mod.rs"]
mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::*;
use reprise_core::SessionId;
use reprise_fixtures::data;

/// Segments uploaded per session.
const SEGMENTS_PER_SESSION: usize = 10;

/// One round's settings.
struct Round {
    uploaders: usize,
    segments: usize,
    max_time: Duration,
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    // Numbers after `--` choose the uploader counts (`cargo bench ... -- 16 64`).
    let chosen: Vec<usize> = std::env::args().filter_map(|a| a.parse().ok()).filter(|&c| c > 0).collect();
    let counts = if chosen.is_empty() { vec![1, 8, 32] } else { chosen };
    let rounds: Vec<Round> = if full {
        counts.into_iter().map(|c| Round { uploaders: c, segments: 4000, max_time: Duration::from_secs(30) }).collect()
    } else {
        [1, 8].into_iter().map(|c| Round { uploaders: c, segments: 40, max_time: Duration::from_secs(10) }).collect()
    };
    let templates = templates();
    let sizes: Vec<usize> = templates.iter().map(Vec::len).collect();
    let mean = sizes.iter().sum::<usize>() as f64 / sizes.len() as f64;
    println!(
        "collector ingest: {} real segments from RICO screens, {:.1} KB mean ({:.1} to {:.1} KB), distinct ids per upload",
        templates.len(),
        mean / 1000.0,
        *sizes.iter().min().unwrap_or(&0) as f64 / 1000.0,
        *sizes.iter().max().unwrap_or(&0) as f64 / 1000.0,
    );
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    // The analysis runs behind the 200: the last column is when the round's last segment had
    // been analysed too (the queue drained), from the round's start.
    println!("{:>10} {:>9} {:>10} {:>8} {:>9} {:>9} {:>11}", "uploaders", "segments", "segments/s", "MB/s", "p50 ms", "p99 ms", "analysed s");
    // Data directories are removed only at the end: deleting thousands of files between rounds
    // would make the next round's file creation slower (ext4 skips recently freed inodes).
    let mut kept = Vec::new();
    for round in rounds {
        kept.push(runtime.block_on(run(&round, &templates)));
    }
}

/// Real segments of varied sizes: 10 sessions of 6 screens (60 s, the SDK's default segment
/// age, so one segment each) from different starting points in the 20 RICO screens.
fn templates() -> Vec<Vec<u8>> {
    let ids = data::rico_ids(&data::default_dir()).expect("RICO fixtures");
    let mut out = Vec::new();
    for i in 0..10 {
        let screens: Vec<&str> = (0..6).map(|k| ids[(i * 2 + k) % ids.len()].as_str()).collect();
        let session = record_session_with(T0 + i as i64 * 3_600_000, &screens, Some("bench-user"), 6);
        out.extend(session.segments.into_iter().map(|s| s.bytes));
    }
    out
}

async fn run(round: &Round, templates: &[Vec<u8>]) -> tempfile::TempDir {
    // Distinct segments prepared up front: sessions of SEGMENTS_PER_SESSION segments (10 minutes
    // at the SDK's default 60 s segments), each a template under its own id and sequence.
    let sessions: Vec<SessionId> =
        (0..round.segments.div_ceil(SEGMENTS_PER_SESSION)).map(|i| SessionId::new_v7(T0 + i as i64)).collect();
    let uploads: Vec<Vec<u8>> = (0..round.segments)
        .map(|i| {
            let template = &templates[i % templates.len()];
            let sequence = (i % SEGMENTS_PER_SESSION) as u32;
            with_id(template, sessions[i / SEGMENTS_PER_SESSION], sequence)
        })
        .collect();
    let uploads = Arc::new(uploads);
    let data = tempfile::tempdir().expect("temp dir");
    let server = start(data.path()).await;
    let addr = server.addr();
    assert!(addr.ip().is_loopback());
    // reqwest is built with `rustls-no-provider` (the core brings its own ring provider), so the
    // load generator's client needs a process-wide provider; a second install is a no-op.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::builder().pool_max_idle_per_host(round.uploaders).build().expect("client");

    let next = Arc::new(AtomicUsize::new(0));
    let deadline = Instant::now() + round.max_time;
    let started = Instant::now();
    let workers: Vec<_> = (0..round.uploaders)
        .map(|_| {
            let (uploads, next, client) = (uploads.clone(), next.clone(), client.clone());
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut bytes = 0usize;
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= uploads.len() || Instant::now() > deadline {
                        break;
                    }
                    let t = Instant::now();
                    let reply = Upload::of(&uploads[i]).send(&client, addr).await;
                    latencies.push(t.elapsed());
                    assert_eq!((reply.status, &reply.json["stored"]), (200, &serde_json::json!(true)), "{reply:?}");
                    bytes += uploads[i].len();
                }
                (latencies, bytes)
            })
        })
        .collect();
    let mut latencies = Vec::new();
    let mut bytes = 0;
    for worker in workers {
        let (l, b) = worker.await.expect("uploader");
        latencies.extend(l);
        bytes += b;
    }
    let elapsed = started.elapsed();
    let stored = server.index().segment_count().expect("count") as usize;
    assert_eq!(stored, latencies.len(), "every accepted segment is indexed");
    server.analysis_settled(Duration::from_secs(300)).await.expect("the analysis queue reads");
    let analysed = started.elapsed();
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() - 1) as f64 * p).round() as usize].as_secs_f64() * 1000.0;
    let secs = elapsed.as_secs_f64();
    println!(
        "{:>10} {:>9} {:>10.0} {:>8.2} {:>9.2} {:>9.2} {:>11.2}",
        round.uploaders,
        latencies.len(),
        latencies.len() as f64 / secs,
        bytes as f64 / secs / 1e6,
        pct(0.50),
        pct(0.99),
        analysed.as_secs_f64(),
    );
    drop(client);
    server.shutdown().await.expect("shutdown");
    data
}
