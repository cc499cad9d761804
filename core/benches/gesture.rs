//! Gesture engine benchmarks.
//!
//! `cargo bench -p reprise-core --bench gesture` measures, with criterion, the cost of pushing a
//! realistic mixed stream of raw samples (taps, double taps, long presses, scrolls and flings,
//! pinches, two-finger pans, at 60 Hz with jitter) through the engine with a 500-node frame to
//! hit-test against, and of a plain 60 Hz drag. It then prints the median cost per sample and the
//! bytes per second that a continuous 60 Hz drag costs through the `SessionWriter` (sealed,
//! compressed), next to the same samples as JSON events gzipped, the way peer SDKs ship them.

use std::hint::black_box;
use std::io::Write;
use std::sync::Arc;
use std::time::Instant;

use criterion::{Criterion, Throughput, criterion_group};
use reprise_core::frame::flag;
use reprise_core::record::{Record, UserInfo, write_record};
use reprise_core::stats::Counters;
use reprise_core::{
    DecodeLimits, Frame, FrameNode, GestureConfig, GestureEngine, NodeKind, NodeProps, RecorderConfig, SessionId,
    SessionMetadata, SessionStart, SessionWriter, Text, TextShape, TouchAction, TouchSample, decode,
};

const T0: i64 = 1_700_000_000_000_000;
const DENSITY: f32 = 2.75;
/// 60 Hz.
const FRAME_US: f64 = 1_000_000.0 / 60.0;

fn props(kind: NodeKind, width: i32, height: i32, flags: u16, text: Option<&str>) -> NodeProps {
    NodeProps {
        kind,
        width,
        height,
        flags: flags | flag::VISIBLE | flag::ENABLED,
        alpha: 255,
        background: None,
        text_color: None,
        corner_radius: 0,
        font_size: 14,
        text: text.map(|t| Text::Masked(TextShape::of(t))),
        description: None,
        scroll_x: 0,
        scroll_y: 0,
    }
}

/// A 497-node feed screen (360x800 dp): toolbar, a clipping list of 54 rows of 9 nodes, a bottom
/// bar.
fn feed_frame() -> Frame {
    let mut nodes = Vec::new();
    let mut next = 1u32;
    let mut add = |parent: u32, x: i32, y: i32, props: NodeProps| {
        let id = next;
        next += 1;
        nodes.push(FrameNode { id, parent, class: id % 17, x, y, props, clip: None });
        id
    };
    let root = add(0, 0, 0, props(NodeKind::Container, 360, 800, 0, None));
    let toolbar = add(root, 0, 0, props(NodeKind::Container, 360, 56, 0, None));
    add(toolbar, 16, 16, props(NodeKind::Text, 200, 24, 0, Some("Home")));
    add(toolbar, 264, 8, props(NodeKind::Button, 40, 40, flag::CLICKABLE, None));
    add(toolbar, 312, 8, props(NodeKind::Button, 40, 40, flag::CLICKABLE, None));
    let list = add(root, 0, 56, props(NodeKind::Scroll, 360, 688, flag::SCROLLABLE | flag::CLIPS_CHILDREN, None));
    for row in 0..54 {
        let r = add(list, 0, row * 100, props(NodeKind::Container, 360, 100, flag::CLICKABLE, None));
        add(r, 16, 16, props(NodeKind::Image, 48, 48, 0, None));
        add(r, 76, 14, props(NodeKind::Text, 200, 20, 0, Some("Ada Lovelace")));
        add(r, 76, 38, props(NodeKind::Text, 260, 36, 0, Some("A note about the analytical engine")));
        add(r, 300, 14, props(NodeKind::Text, 44, 16, 0, Some("3m")));
        let actions = add(r, 76, 76, props(NodeKind::Container, 200, 20, 0, None));
        add(actions, 0, 0, props(NodeKind::Button, 40, 20, flag::CLICKABLE, None));
        add(actions, 60, 0, props(NodeKind::Button, 40, 20, flag::CLICKABLE, None));
        add(r, 0, 99, props(NodeKind::Container, 360, 1, 0, None));
    }
    let bar = add(root, 0, 744, props(NodeKind::Container, 360, 56, 0, None));
    for i in 0..4 {
        add(bar, i * 90, 0, props(NodeKind::Button, 90, 56, flag::CLICKABLE, None));
    }
    Frame { nodes }
}

/// Deterministic jitter in [-amplitude, amplitude].
struct Jitter {
    state: u64,
    amplitude: f32,
}

impl Jitter {
    fn next(&mut self) -> f32 {
        self.state = self.state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (((self.state >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0) * self.amplitude
    }
}

/// Builds a stream of samples one 60 Hz frame at a time.
struct Stream {
    samples: Vec<TouchSample>,
    frame: u64,
    jitter: Jitter,
}

impl Stream {
    fn time(&self) -> i64 {
        T0 + (self.frame as f64 * FRAME_US) as i64
    }

    fn push(&mut self, id: u32, action: TouchAction, x: f32, y: f32) {
        let (jx, jy) = (self.jitter.next(), self.jitter.next());
        let time_us = self.time();
        self.samples.push(TouchSample {
            pointer_id: id,
            action,
            x: x + jx,
            y: y + jy,
            time_us,
            pressure: Some(0.4),
            size: None,
        });
    }

    fn wait(&mut self, frames: u64) {
        self.frame += frames;
    }

    /// One pointer down at (x, y), moving by (dx, dy) px per frame for `frames` frames, then up.
    fn stroke(&mut self, x: f32, y: f32, dx: f32, dy: f32, frames: u64) {
        self.push(0, TouchAction::Down, x, y);
        for i in 1..=frames {
            self.wait(1);
            self.push(0, TouchAction::Move, x + dx * i as f32, y + dy * i as f32);
        }
        self.wait(1);
        self.push(0, TouchAction::Up, x + dx * frames as f32, y + dy * frames as f32);
    }

    /// Two pointers about (x, y), `span` px apart, changing span by `dspan` and moving by `dx` px
    /// per frame.
    fn two_fingers(&mut self, x: f32, y: f32, span: f32, dspan: f32, dx: f32, frames: u64) {
        self.push(0, TouchAction::Down, x - span / 2.0, y);
        self.wait(2);
        self.push(1, TouchAction::PointerDown, x + span / 2.0, y);
        for i in 1..=frames {
            self.wait(1);
            let (s, cx) = (span + dspan * i as f32, x + dx * i as f32);
            self.push(0, TouchAction::Move, cx - s / 2.0, y);
            self.push(1, TouchAction::Move, cx + s / 2.0, y);
        }
        let (s, cx) = (span + dspan * frames as f32, x + dx * frames as f32);
        self.wait(1);
        self.push(1, TouchAction::PointerUp, cx + s / 2.0, y);
        self.wait(1);
        self.push(0, TouchAction::Up, cx - s / 2.0, y);
    }
}

/// About a minute of mixed use at 60 Hz: flings and slow scrolls of the feed, taps on rows and
/// buttons, double taps, long presses, pinches and two-finger pans.
fn mixed_stream() -> Vec<TouchSample> {
    let mut s = Stream { samples: Vec::new(), frame: 0, jitter: Jitter { state: 1, amplitude: 1.0 } };
    for round in 0..12 {
        let x = 300.0 + (round * 37 % 400) as f32;
        s.stroke(x, 1600.0, 0.5, -45.0, 14); // fling up
        s.wait(30);
        s.stroke(x, 900.0, 0.0, 6.0, 60); // slow scroll
        s.wait(40);
        s.stroke(x, 700.0, 0.0, 0.0, 5); // tap on a row
        s.wait(50);
        s.stroke(900.0, 2100.0, 0.0, 0.0, 4); // tap on a bottom-bar button
        s.wait(10);
        s.stroke(900.0, 2100.0, 0.0, 0.0, 4); // ... twice: a double tap
        s.wait(40);
        s.stroke(x, 1200.0, 0.0, 0.0, 36); // long press
        s.wait(40);
        s.two_fingers(540.0, 1200.0, 300.0, 12.0, 0.0, 30); // pinch out
        s.wait(40);
        s.two_fingers(540.0, 1200.0, 400.0, 0.0, 8.0, 30); // two-finger pan
        s.wait(60);
    }
    s.samples
}

/// One pointer dragged continuously for `seconds` at 60 Hz, scrolling a feed up and down at up to
/// ~900 dp/s along a path that never repeats (incommensurate periods), with the 1-3 px of noise a
/// moving finger shows in the real traces.
fn continuous_drag(seconds: u64) -> Vec<TouchSample> {
    let mut s = Stream { samples: Vec::new(), frame: 0, jitter: Jitter { state: 2, amplitude: 1.5 } };
    let wave = |t: f32, period: f32, phase: f32| (std::f32::consts::TAU * t / period + phase).sin();
    let at = |frame: u64| {
        let t = frame as f32 / 60.0;
        let y = 1300.0 + 500.0 * wave(t, 1.7, 0.0) + 200.0 * wave(t, 0.83, 1.0);
        let x = 540.0 + 40.0 * wave(t, 3.1, 0.0) + 15.0 * wave(t, 1.13, 2.0);
        (x, y)
    };
    let (x, y) = at(0);
    s.push(0, TouchAction::Down, x, y);
    let frames = seconds * 60;
    for _ in 1..frames {
        s.wait(1);
        let (x, y) = at(s.frame);
        s.push(0, TouchAction::Move, x, y);
    }
    s.wait(1);
    let (x, y) = at(s.frame);
    s.push(0, TouchAction::Up, x, y);
    s.samples
}

fn run(stream: &[TouchSample], frame: &Frame) -> usize {
    let mut engine = GestureEngine::new(GestureConfig::default(), DENSITY);
    let mut out = Vec::with_capacity(64);
    for sample in stream {
        engine.push(sample, Some(frame), &mut out);
    }
    out.len()
}

fn bench_engine(c: &mut Criterion) {
    let frame = feed_frame();
    let mixed = mixed_stream();
    let drag = continuous_drag(10);
    let mut group = c.benchmark_group("gesture");
    group.throughput(Throughput::Elements(mixed.len() as u64));
    group.bench_function("mixed_stream_500_node_frame", |b| b.iter(|| run(black_box(&mixed), &frame)));
    group.throughput(Throughput::Elements(drag.len() as u64));
    group.bench_function("drag_60hz", |b| b.iter(|| run(black_box(&drag), &frame)));
    group.finish();
}

criterion_group!(benches, bench_engine);

/// The median over runs of the mean cost per sample, in nanoseconds.
fn median_ns_per_sample(stream: &[TouchSample], frame: &Frame) -> f64 {
    let mut per_sample: Vec<f64> = (0..101)
        .map(|_| {
            let start = Instant::now();
            black_box(run(black_box(stream), frame));
            start.elapsed().as_nanos() as f64 / stream.len() as f64
        })
        .collect();
    per_sample.sort_by(f64::total_cmp);
    per_sample[per_sample.len() / 2]
}

/// What a stream of samples costs once recorded.
struct Cost {
    /// Bytes of the sealed segments, headers and session records included.
    total: usize,
    /// Segments sealed.
    segments: usize,
    /// Touch, gesture and struggle records alone, framed: before compression ...
    raw: usize,
    /// ... and compressed as a segment body is.
    compressed: usize,
    /// Gesture and struggle records among them.
    gestures: usize,
}

/// Records `samples` through a session writer (default configuration) and measures the result.
fn through_writer(samples: &[TouchSample], density: f32) -> Option<Cost> {
    let start_ms = samples.first()?.time_us / 1000;
    let session = SessionStart {
        id: SessionId::new_v7(start_ms),
        started_ms: start_ms,
        metadata: SessionMetadata { density, ..SessionMetadata::default() },
        user: UserInfo::default(),
    };
    let config = RecorderConfig::default();
    let level = config.zstd_level;
    let mut writer = SessionWriter::new(config, session, Arc::new(Counters::default())).ok()?;
    for sample in samples {
        writer.touches(std::slice::from_ref(sample));
    }
    writer.seal();
    let sealed = writer.take_sealed();
    let total = sealed.iter().map(|s| s.bytes.len()).sum();
    let (mut raw, mut scratch, mut prev, mut gestures) = (Vec::new(), Vec::new(), start_ms, 0);
    for segment in &sealed {
        for record in decode(&segment.bytes, DecodeLimits::default()).ok()?.records.records {
            if matches!(record.record, Record::Touches(_) | Record::Gesture(_) | Record::Struggle(_)) {
                gestures += usize::from(!matches!(record.record, Record::Touches(_)));
                write_record(&mut raw, &mut scratch, prev, &record).ok()?;
                prev = record.time_ms;
            }
        }
    }
    let compressed = zstd::bulk::compress(&raw, level).ok()?.len();
    Some(Cost { total, segments: sealed.len(), raw: raw.len(), compressed, gestures })
}

/// The same samples as peer SDKs ship them: one JSON pointer event each, gzipped.
fn peer_style_bytes(samples: &[TouchSample], density: f32) -> usize {
    let events: Vec<serde_json::Value> = samples
        .iter()
        .map(|s| {
            serde_json::json!({
                "timestamp": s.time_us / 1000,
                "type": "pointer",
                "data": {
                    "pointerEventType": match s.action { TouchAction::Down => "down", TouchAction::Up => "up", _ => "move" },
                    "pointerType": "touch",
                    "pointerId": s.pointer_id,
                    "x": (s.x / density).round(),
                    "y": (s.y / density).round(),
                }
            })
        })
        .collect();
    let json = serde_json::to_vec(&events).unwrap_or_default();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&json).ok().and_then(|()| gz.finish().ok()).map_or(0, |v| v.len())
}

fn print_cost(what: &str, samples: &[TouchSample], density: f32) {
    let (Some(first), Some(last)) = (samples.first(), samples.last()) else { return };
    let seconds = (last.time_us - first.time_us) as f64 / 1e6;
    let Some(cost) = through_writer(samples, density) else {
        println!("{what}: could not record");
        return;
    };
    let peer = peer_style_bytes(samples, density);
    let n = samples.len() as f64;
    println!("{what}: {} samples over {seconds:.1} s at density {density}", samples.len());
    println!(
        "  touch + gesture records: {:.0} B/s compressed, {:.2} B/sample ({:.2} B/sample before compression; {} gesture records)",
        cost.compressed as f64 / seconds,
        cost.compressed as f64 / n,
        cost.raw as f64 / n,
        cost.gestures
    );
    println!(
        "  whole sealed segments:   {:.0} B/s ({} segments, headers and session records included)",
        cost.total as f64 / seconds,
        cost.segments
    );
    println!(
        "  peer-style JSON + gzip:  {:.0} B/s ({:.1}x the touch + gesture records)",
        peer as f64 / seconds,
        peer as f64 / cost.compressed.max(1) as f64
    );
}

/// The Flutter engine's real 3.4 s scroll recording, as raw samples.
fn flutter_recording() -> Vec<TouchSample> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/data/traces/flutter-scroll-record/scrollingRecord.json");
    let json: serde_json::Value =
        std::fs::read(path).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or(serde_json::Value::Null);
    let events = json.as_array().into_iter().flatten().flat_map(|p| p["events"].as_array().into_iter().flatten());
    events
        .filter_map(|e| {
            let action = match e["change"].as_i64()? {
                4 => TouchAction::Down,
                5 => TouchAction::Move,
                6 => TouchAction::Up,
                _ => return None,
            };
            Some(TouchSample {
                pointer_id: 0,
                action,
                x: e["physicalX"].as_f64()? as f32,
                y: e["physicalY"].as_f64()? as f32,
                time_us: e["timeStamp"].as_i64()?,
                pressure: e["pressure"].as_f64().map(|p| p as f32),
                size: None,
            })
        })
        .collect()
}

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    if std::env::args().any(|a| a == "--bench") {
        let frame = feed_frame();
        let mixed = mixed_stream();
        let drag = continuous_drag(10);
        println!();
        println!("## Gestures");
        println!(
            "mixed stream ({} samples, 500-node frame): median {:.0} ns per sample",
            mixed.len(),
            median_ns_per_sample(&mixed, &frame)
        );
        println!(
            "60 Hz drag ({} samples): median {:.0} ns per sample",
            drag.len(),
            median_ns_per_sample(&drag, &frame)
        );
        print_cost("continuous 60 Hz drag", &continuous_drag(60), DENSITY);
        print_cost("real Flutter scroll recording (~110 Hz)", &flutter_recording(), 2.625);
    }
}
