//! The demo's Android session (`reprise_fixtures::scenario::android`: three real RICO screens,
//! real touches from the recorded traces) recorded through the real `Recorder` into memory, then
//! decoded and summarised. (`reprise demo` records the same session through the whole SDK into a
//! running collector.)
//!
//! ```text
//! cargo run -p reprise-examples --bin scripted-session [-- --fixtures DIR]
//! ```
//!
//! `DIR` defaults to the repository's `tests/data`. The summary (segments, bytes, records by
//! kind, counters) is in `summary.rs`. The example ends by replaying
//! every record and checking the final hierarchy against a capture of the last screen.

#![forbid(unsafe_code)]

mod error;
mod summary;

use std::path::PathBuf;

use reprise_core::{MemorySink, Recorder, RecorderConfig, Snapshot};
use reprise_fixtures::{canonical, scenario};

use error::AppError;

/// The session's start: a fixed time, so runs print the same figures.
const T0: i64 = 1_700_000_000_000;

fn fixtures_dir() -> Result<PathBuf, AppError> {
    let mut args = std::env::args().skip(1);
    let mut dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join("tests").join("data");
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--fixtures" => dir = args.next().map(PathBuf::from).ok_or_else(|| AppError::Usage("--fixtures needs a folder".into()))?,
            "-h" | "--help" => return Err(AppError::Usage("records a scripted session from real screens".into())),
            other => return Err(AppError::Usage(format!("unknown argument {other:?}"))),
        }
    }
    Ok(dir)
}

fn main() -> Result<(), AppError> {
    let dir = fixtures_dir()?;
    let scenario = scenario::android(&dir, T0)?;
    let metadata = scenario.metadata.clone();
    let config = RecorderConfig::default();
    let sink = MemorySink::new();
    let recorder = Recorder::start(config.clone(), metadata.clone(), T0, Box::new(sink.clone()))?;
    scenario.play(&recorder, |t, e| recorder.record(t, e))?;
    let flushed = recorder.flush()?;
    let stats = recorder.stats();
    let session = recorder.session_id();
    recorder.shutdown()?;

    println!("session {session}");
    println!(
        "device: {} {} {} {}, {}x{} px at {} px/dp; fixtures from {}",
        metadata.device_manufacturer,
        metadata.device_model,
        metadata.os_name,
        metadata.os_version,
        metadata.screen_width_px,
        metadata.screen_height_px,
        metadata.density,
        dir.display()
    );
    let scenes: Vec<&str> = scenario.screens.iter().map(|(_, name)| name.as_str()).collect();
    println!("script: {} over {} s", scenes.join(", "), (scenario.end_ms - T0) / 1000);
    let segments = sink.segments();
    println!(
        "sink: {} segments (the final flush reports {} persisted, {} refused)",
        segments.len(),
        flushed.persisted,
        flushed.failed
    );
    let decoded = summary::decode_all(&segments)?;
    summary::print_segments(&decoded, scenario.end_ms - T0);
    println!("gestures recognized by the core:");
    summary::print_gestures(&decoded.records, T0);
    summary::print_stats(&stats);

    // Replay everything; the final hierarchy must be the last screen as captured.
    let replayer = summary::replay(&decoded.records)?;
    let frame = replayer.frame().ok_or_else(|| AppError::Replay("no keyframe was recorded".into()))?;
    let replayed = canonical::of_frame(&frame, &replayer).map_err(|e| AppError::Replay(e.to_string()))?;
    let captured = Snapshot::capture(scenario.last_tree, metadata.density, &config.privacy, &config.capture_limits())
        .map_err(|e| AppError::Replay(format!("the last screen does not capture: {e}")))?;
    if let Some(diff) = canonical::first_difference(&canonical::of_snapshot(&captured), &replayed) {
        return Err(AppError::Replay(format!("the final replayed frame is not the last screen: {diff}")));
    }
    println!("replay: every record applied; the final frame ({} nodes) equals the last screen as captured", frame.nodes.len());
    Ok(())
}
