//! Core work per snapshot and bandwidth of the reference session, each next to the peer-style
//! baseline (full JSON wireframes, gzip) measured in the same run.
//!
//! `cargo bench -p reprise-core --bench snapshot` prints the reference-session report first, then
//! criterion's timings. `docs/PERFORMANCE.md` quotes both.

use std::io::Write;
use std::sync::Arc;

use criterion::{BatchSize, BenchmarkId, Criterion};
use reprise_core::stats::Counters;
use reprise_core::{
    Event, NodeKind, PrivacyRules, RecorderConfig, SessionId, SessionMetadata, SessionStart, SessionWriter,
    Snapshot, TouchAction, TouchSample, ViewTree,
};
use reprise_fixtures::kit::feed::{self, DENSITY, Feed};
use serde::Serialize;

const T0: i64 = 1_700_000_000_000;

fn writer(config: RecorderConfig) -> SessionWriter {
    let metadata = SessionMetadata { density: DENSITY, ..Default::default() };
    let start = SessionStart { id: SessionId::new_v7(T0), started_ms: T0, metadata, user: Default::default() };
    SessionWriter::new(config, start, Arc::new(Counters::default())).expect("writer")
}

fn capture(tree: ViewTree) -> Snapshot {
    let limits = RecorderConfig::default().capture_limits();
    Snapshot::capture(tree, DENSITY, &PrivacyRules::default(), &limits).expect("valid tree")
}

/// A peer-style wireframe: flat, absolute, in dp, text masked as same-length 'x'.
#[derive(Serialize)]
struct Wireframe {
    id: u64,
    #[serde(rename = "type")]
    kind: &'static str,
    x: i64,
    y: i64,
    width: i64,
    height: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<String>,
    #[serde(rename = "shapeStyle", skip_serializing_if = "Option::is_none")]
    shape_style: Option<ShapeStyle>,
    #[serde(rename = "textStyle", skip_serializing_if = "Option::is_none")]
    text_style: Option<TextStyle>,
}

#[derive(Serialize)]
struct ShapeStyle {
    #[serde(rename = "backgroundColor")]
    background_color: String,
    #[serde(rename = "cornerRadius")]
    corner_radius: i64,
}

#[derive(Serialize)]
struct TextStyle {
    family: &'static str,
    size: i64,
    color: String,
}

/// One snapshot as peers ship it: every visible view as a full wireframe record.
fn peer_snapshot_json(tree: &ViewTree, timestamp: i64) -> Vec<u8> {
    let dp = |v: f32| (v / DENSITY).round() as i64;
    let wireframes: Vec<Wireframe> = tree
        .nodes
        .iter()
        .map(|n| Wireframe {
            id: n.identity,
            kind: match n.kind {
                NodeKind::Text | NodeKind::Input | NodeKind::Button => "text",
                NodeKind::Image => "placeholder",
                _ => "shape",
            },
            x: dp(n.bounds.left),
            y: dp(n.bounds.top),
            width: dp(n.bounds.width),
            height: dp(n.bounds.height),
            text: n.text.as_ref().map(|t| t.chars().map(|c| if c.is_whitespace() { c } else { 'x' }).collect()),
            shape_style: n.background_color.map(|c| ShapeStyle {
                background_color: format!("#{:08x}", c),
                corner_radius: dp(n.corner_radius),
            }),
            text_style: n.text_color.map(|c| TextStyle { family: "roboto", size: dp(n.font_size), color: format!("#{:08x}", c) }),
        })
        .collect();
    let record = serde_json::json!({ "type": 10, "timestamp": timestamp, "data": { "wireframes": wireframes } });
    serde_json::to_vec(&record).expect("json")
}

fn peer_touch_json(sample: &TouchSample) -> Vec<u8> {
    let kind = match sample.action {
        TouchAction::Down | TouchAction::PointerDown => "down",
        TouchAction::Up | TouchAction::PointerUp | TouchAction::Cancel => "up",
        TouchAction::Move => "move",
    };
    let record = serde_json::json!({
        "type": 11, "timestamp": sample.time_us / 1000,
        "data": { "source": 2, "pointerEventType": kind, "pointerType": "touch", "pointerId": sample.pointer_id,
                  "x": (sample.x / DENSITY).round(), "y": (sample.y / DENSITY).round() }
    });
    serde_json::to_vec(&record).expect("json")
}

fn gzip(data: &[u8]) -> usize {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(data).expect("gzip");
    encoder.finish().expect("gzip").len()
}

/// The reference session: a 500-node feed, one snapshot a second, scrolling in bursts with
/// drags at 60 Hz, reading pauses and taps, for five minutes.
fn reference_session() {
    const SECONDS: i64 = 300;
    let mut writer = writer(RecorderConfig::default());
    let mut feed = Feed::new(500);
    let mut peer_batch: Vec<u8> = Vec::new();
    let mut peer_bytes = 0usize;
    let mut peer_raw = 0usize;
    let mut peak_buffer = 0usize;
    let mut touch_samples = 0usize;
    for second in 0..SECONDS {
        let now = T0 + second * 1000;
        // 8 s of scrolling (one drag a second), then 4 s of reading with a tap.
        let samples = if second % 12 < 8 {
            feed.scroll(420.0);
            feed::drag(now * 1000 + 100_000, 540.0, 1700.0, 420.0, 300)
        } else if second % 12 == 10 {
            feed::tap(now * 1000 + 300_000, 540.0, 1200.0)
        } else {
            Vec::new()
        };
        touch_samples += samples.len();
        let tree = feed.tree();
        for sample in &samples {
            peer_batch.extend(peer_touch_json(sample));
        }
        peer_batch.extend(peer_snapshot_json(&tree, now + 900));
        writer.touches(&samples);
        writer.snapshot(now + 900, capture(tree));
        peak_buffer = peak_buffer.max(writer.buffered_bytes());
        // Peers upload a gzip batch about every minute too.
        if second % 60 == 59 {
            peer_raw += peer_batch.len();
            peer_bytes += gzip(&peer_batch);
            peer_batch.clear();
        }
    }
    writer.seal();
    let segments = writer.take_sealed();
    let ours: usize = segments.iter().map(|s| s.bytes.len()).sum();
    let ours_raw: usize = segments.iter().map(|s| s.header.raw_len as usize).sum();
    let per_s = |b: usize| b as f64 / SECONDS as f64 / 1024.0;
    println!("reference session: {SECONDS} s, 500-node feed, 1 snapshot/s, {touch_samples} touch samples");
    println!("  reprise:   {:>9} bytes raw, {:>8} bytes sealed in {} segments = {:.3} KB/s", ours_raw, ours, segments.len(), per_s(ours));
    println!("  peer-style: {:>8} bytes JSON, {:>8} bytes gzip = {:.3} KB/s", peer_raw, peer_bytes, per_s(peer_bytes));
    println!("  ratio: peer-style / reprise = {:.1}x", peer_bytes as f64 / ours as f64);
    println!("  peak buffered bytes in the writer: {peak_buffer}");
}

fn trees(nodes: usize, count: usize) -> Vec<ViewTree> {
    let mut feed = Feed::new(nodes);
    (0..count)
        .map(|i| {
            feed.scroll(150.0 + (i % 5) as f32 * 40.0);
            feed.tree()
        })
        .collect()
}

fn per_snapshot(c: &mut Criterion) {
    let mut group = c.benchmark_group("snapshot");
    for nodes in [100usize, 500, 2000] {
        let cycle = trees(nodes, 60);
        let actual = cycle[0].nodes.len();
        // A lone keyframe: capture and mask, ids, encode, compress and seal on its own.
        let mut kf_writer = writer(RecorderConfig::default());
        let mut i = 0usize;
        group.bench_function(BenchmarkId::new("keyframe", actual), |b| {
            b.iter_batched(
                || {
                    i += 1;
                    (cycle[i % cycle.len()].clone(), i as i64)
                },
                |(tree, n)| {
                    kf_writer.snapshot(T0 + n * 1000, capture(tree));
                    kf_writer.seal();
                    kf_writer.take_sealed()
                },
                BatchSize::SmallInput,
            )
        });
        // Steady state: a 60 s segment at one snapshot a second (its opening keyframe and 59
        // diffs), compression at the seal included, amortized per snapshot.
        let mut diff_writer = writer(RecorderConfig { keyframe_interval: std::time::Duration::from_secs(3600), ..Default::default() });
        let mut j = 0usize;
        group.bench_function(BenchmarkId::new("diff", actual), |b| {
            b.iter_batched(
                || {
                    j += 1;
                    (cycle[j % cycle.len()].clone(), j as i64)
                },
                |(tree, n)| {
                    diff_writer.snapshot(T0 + n * 1000, capture(tree));
                    if n % 60 == 0 {
                        diff_writer.seal();
                        diff_writer.take_sealed();
                    }
                },
                BatchSize::SmallInput,
            )
        });
        // The peer-style baseline for the same snapshot: full JSON wireframes, gzip.
        let mut k = 0usize;
        group.bench_function(BenchmarkId::new("peer_json_gzip", actual), |b| {
            b.iter(|| {
                k += 1;
                gzip(&peer_snapshot_json(&cycle[k % cycle.len()], T0))
            })
        });
    }
    group.finish();
}

fn events(c: &mut Criterion) {
    let mut w = writer(RecorderConfig::default());
    let mut n = 0i64;
    c.bench_function("event/screen_view", |b| {
        b.iter(|| {
            n += 1;
            w.event(T0 + n, Event::ScreenView { name: "Feed".into() });
            if n % 10_000 == 0 {
                w.seal();
                w.take_sealed();
            }
        })
    });
}

fn main() {
    reference_session();
    let mut criterion = Criterion::default().configure_from_args();
    per_snapshot(&mut criterion);
    events(&mut criterion);
    criterion.final_summary();
}
