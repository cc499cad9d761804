//! Replay rendering benchmarks (`reprise render`).
//!
//! `cargo bench -p reprise-server --bench render` measures, with criterion, painting one frame of
//! a real 596-node RICO screen (RICO 33656, as recorded through the core's `SessionWriter`) at
//! 1x, 2x and 2.625x, and exporting a whole recorded session (six real screens, 60 s: scrolled
//! snapshots, taps, drags) as a GIF, per second of session. It then encodes the same painted
//! frames with this crate's GIF writer and with `image`'s `GifEncoder` (NeuQuant, speed 10) and
//! prints the time and size of each. Under `cargo test` (no `--bench`) it runs each once.

#[path = "../tests/common/mod.rs"]
mod common;

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use common::*;
use criterion::{Criterion, Throughput};
use image::codecs::gif::GifEncoder;
use image::{Delay, RgbaImage};
use reprise_server::render::gif::GifWriter;
use reprise_server::render::{GifOptions, paint, render_gif, scene_at};
use reprise_server::replay::{Overlays, Timeline};
use reprise_server::{DirStore, SegmentStore};

/// The biggest RICO screen first (596 views), then five more.
const SCREENS: [&str; 6] = ["33656", "3360", "33608", "33618", "2181", "336"];

fn stored(data: &Path, screens: &[&str]) -> Timeline {
    let session = record_session(T0, screens, Some("bench-user"));
    let store = DirStore::open(data).expect("store");
    for segment in &session.segments {
        store.put_if_absent(segment.header.id(), &segment.bytes).expect("put");
    }
    Timeline::load(&store, session.id).expect("loads")
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let dir = tempfile::tempdir().expect("temp dir");
    let timeline = stored(dir.path(), &SCREENS);
    let length_s = (timeline.end_ms() - timeline.start_ms()) as f64 / 1000.0;
    let big = scene_at(&timeline, T0).expect("the first screen");
    let nodes = timeline.frame_at(T0).map_or(0, |f| f.1.nodes.len());
    println!(
        "replay rendering: RICO {} as recorded, {nodes} nodes, {} drawing ops, {}x{} dp; session of {} screens, {length_s:.1} s, {} snapshots",
        SCREENS[0],
        big.ops.len(),
        big.width,
        big.height,
        SCREENS.len(),
        timeline.snapshots.len()
    );
    if full {
        let mut c = Criterion::default().sample_size(10).configure_from_args();
        let mut group = c.benchmark_group("paint");
        for scale in [1.0f32, 2.0, 2.625] {
            group.bench_function(format!("596_node_screen_{scale}x"), |b| b.iter(|| paint(black_box(&big), &[], scale)));
        }
        group.finish();
        let mut group = c.benchmark_group("gif");
        group.throughput(Throughput::Elements(length_s.round() as u64));
        for scale in [1.0f32, 2.0] {
            let options = GifOptions { scale, ..GifOptions::default() };
            group.bench_function(format!("session_{scale}x_per_session_second"), |b| b.iter(|| render_gif(black_box(&timeline), &options).expect("renders")));
        }
        group.finish();
    } else {
        black_box(paint(&big, &[], 2.0));
        black_box(render_gif(&stored(dir.path(), &SCREENS[..1]), &GifOptions::default()).expect("renders"));
    }
    compare_quantizers(&timeline, if full { 120 } else { 8 });
}

/// Paints `count` frames of the session (snapshots and overlay samples in time order) at 1x and
/// encodes them with both GIF encoders.
fn compare_quantizers(timeline: &Timeline, count: usize) {
    let overlays = Overlays::of(timeline);
    let mut times: Vec<i64> = timeline.snapshots.iter().map(|s| s.time_ms).collect();
    times.extend(overlays.frames(15, timeline.start_ms(), timeline.end_ms()).iter().map(|f| f.time_ms));
    times.sort_unstable();
    times.dedup();
    let frames: Vec<RgbaImage> = times
        .iter()
        .take(count)
        .filter_map(|&t| Some(paint(&scene_at(timeline, t)?, &overlays.at(t), 1.0)))
        .collect();
    let Some(first) = frames.first() else { return };
    let (w, h) = first.dimensions();

    let start = Instant::now();
    let mut writer = GifWriter::new(w, h).expect("writer");
    for frame in &frames {
        writer.frame(frame.clone(), 7).expect("frame");
    }
    let ours = writer.finish().expect("gif");
    let ours_time = start.elapsed();

    let start = Instant::now();
    let mut theirs = Vec::new();
    {
        let mut encoder = GifEncoder::new_with_speed(&mut theirs, 10);
        for frame in &frames {
            let frame = image::Frame::from_parts(frame.clone(), 0, 0, Delay::from_numer_denom_ms(70, 1));
            encoder.encode_frame(frame).expect("frame");
        }
    }
    let theirs_time = start.elapsed();
    let per = |d: std::time::Duration| d.as_secs_f64() * 1000.0 / frames.len() as f64;
    println!("GIF encoding of {} painted frames at {w}x{h}:", frames.len());
    println!("  reprise GifWriter (changed rectangle, exact/nearest palette): {:.2} ms/frame, {} KB", per(ours_time), ours.len() / 1000);
    println!("  image GifEncoder (NeuQuant speed 10, whole frames):          {:.2} ms/frame, {} KB", per(theirs_time), theirs.len() / 1000);
}
