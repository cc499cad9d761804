//! What the analysis adds to ingest, per segment.
//!
//! `cargo bench -p reprise-server --bench analysis` measures, with criterion, on the ingest
//! benchmark's real segments (60 s of six RICO screens each: keyframes, a scrolled diff a second
//! where the screen has a list, taps and drags): `ingest::validate` as ingest runs it (header
//! checks, decompression, decoding, summary, analysis), decoding alone, and
//! `analysis::analyze_segment` alone (replaying every snapshot of the segment and judging it).
//! It then prints the median of each per segment and the analysis's share of `validate`.

#[path = "../tests/common/mod.rs"]
mod common;

use std::hint::black_box;
use std::time::Instant;

use common::*;
use criterion::{Criterion, criterion_group};
use reprise_core::{DecodeLimits, SegmentHeader, decode};
use reprise_fixtures::data;
use reprise_server::analysis::analyze_segment;
use reprise_server::ingest::{UploadHeaders, validate};
use reprise_server::replay::Timeline;
use reprise_server::Limits;

/// The ingest benchmark's segments: 10 sessions of 6 screens from different starting points.
fn segments() -> Vec<Vec<u8>> {
    let ids = data::rico_ids(&data::default_dir()).expect("RICO fixtures");
    (0..10)
        .flat_map(|i| {
            let screens: Vec<&str> = (0..6).map(|k| ids[(i * 2 + k) % ids.len()].as_str()).collect();
            record_session_with(T0 + i as i64 * 3_600_000, &screens, Some("bench-user"), 6).segments
        })
        .map(|s| s.bytes)
        .collect()
}

fn upload(bytes: &[u8]) -> UploadHeaders {
    let header = SegmentHeader::read(bytes).expect("header");
    UploadHeaders { app: APP.into(), id: header.id(), sdk: None }
}

fn bench(c: &mut Criterion) {
    let segments = segments();
    let mut group = c.benchmark_group("analysis");
    group.bench_function("validate (with analysis), all segments", |b| {
        b.iter(|| {
            for s in &segments {
                black_box(validate(&upload(s), s, &Limits::default()).expect("valid"));
            }
        })
    });
    group.bench_function("decode, all segments", |b| {
        b.iter(|| {
            for s in &segments {
                black_box(decode(s, DecodeLimits::default()).expect("decodes"));
            }
        })
    });
    let decoded: Vec<_> = segments.iter().map(|s| decode(s, DecodeLimits::default()).expect("decodes")).collect();
    group.bench_function("analyze_segment, all segments", |b| {
        b.iter_batched(
            || decoded.clone(),
            |decoded| {
                for d in decoded {
                    let id = d.header.id();
                    black_box(analyze_segment(id.session, id.sequence, d));
                }
            },
            criterion::BatchSize::LargeInput,
        )
    });
    group.finish();
}

/// Median wall time of `f` over `runs` runs, in microseconds per segment.
fn median_us_per_segment(runs: usize, segments: usize, mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1e6 / segments as f64
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn summary() {
    let segments = segments();
    let n = segments.len();
    let snapshots: usize = segments
        .iter()
        .map(|s| {
            let d = decode(s, DecodeLimits::default()).expect("decodes");
            d.records.records.iter().filter(|r| matches!(r.record, reprise_core::Record::Keyframe(_) | reprise_core::Record::Diff(_))).count()
        })
        .sum();
    let validate_us = median_us_per_segment(30, n, || {
        for s in &segments {
            black_box(validate(&upload(s), s, &Limits::default()).expect("valid"));
        }
    });
    let decoded: Vec<_> = segments.iter().map(|s| decode(s, DecodeLimits::default()).expect("decodes")).collect();
    let analysis_us = median_us_per_segment(30, n, || {
        for d in decoded.clone() {
            let id = d.header.id();
            black_box(analyze_segment(id.session, id.sequence, d));
        }
    });
    let clone_us = median_us_per_segment(30, n, || {
        black_box(decoded.clone());
    });
    let replay_us = median_us_per_segment(30, n, || {
        for d in decoded.clone() {
            let id = d.header.id();
            let timeline = Timeline::from_records(id.session, [(id.sequence, Ok(d))]);
            black_box(timeline.frames_from(0).count());
        }
    });
    let analysis_us = (analysis_us - clone_us).max(0.0);
    let replay_us = (replay_us - clone_us).max(0.0);
    let mean_kb = segments.iter().map(Vec::len).sum::<usize>() as f64 / n as f64 / 1000.0;
    println!(
        "{n} real segments ({mean_kb:.1} KB, {:.1} snapshots each): validate {validate_us:.0} us per segment, \
         of which analysis {analysis_us:.0} us ({:.0}%; rebuilding the snapshots' frames {replay_us:.0} us of it)",
        snapshots as f64 / n as f64,
        100.0 * analysis_us / validate_us
    );
}

criterion_group!(benches, bench);

fn main() {
    if std::env::args().any(|a| a == "--bench") {
        benches();
        Criterion::default().configure_from_args().final_summary();
    }
    summary();
}
