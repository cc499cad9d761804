//! A scripted ~60 s session recorded through the real `Recorder` from real RICO screens, then
//! decoded and summarised.
//!
//! ```text
//! cargo run -p reprise-examples --bin scripted-session [-- --fixtures DIR]
//! ```
//!
//! `DIR` defaults to the repository's `tests/data`. The script is in `script.rs`; the summary
//! (segments, bytes, records by kind, counters) in `summary.rs`. The example ends by replaying
//! every record and checking the final hierarchy against a capture of the last screen.

#![forbid(unsafe_code)]

mod error;
mod script;
mod summary;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use reprise_core::{Event, MemorySink, Recorder, RecorderConfig, Snapshot};
use reprise_fixtures::canonical;

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

/// The script's clock is simulated, so it would hand the recorder a minute of snapshots in a few
/// milliseconds and overflow its queue, which then drops snapshots (as it should under overload).
/// A real app takes a snapshot a second: pace like one by letting the worker take each snapshot
/// before the next (for at most a second), so the figures printed are those of a normal session.
fn wait_for_worker(recorder: &Recorder, snapshots: u64) {
    let deadline = Instant::now() + Duration::from_secs(1);
    while Instant::now() < deadline {
        let s = recorder.stats();
        if s.snapshots + s.dropped_overload_snapshots >= snapshots {
            return;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
}

fn main() -> Result<(), AppError> {
    let dir = fixtures_dir()?;
    let script = script::build(&dir, T0)?;
    let metadata = script.first.metadata();
    let config = RecorderConfig::default();
    let sink = MemorySink::new();
    let recorder = Recorder::start(config.clone(), metadata.clone(), T0, Box::new(sink.clone()))?;
    let mut snapshots = 0;
    for action in script.actions {
        let is_snapshot = matches!(action.event, Event::Snapshot(_));
        recorder.record(action.time_ms, action.event)?;
        if is_snapshot {
            snapshots += 1;
            wait_for_worker(&recorder, snapshots);
        }
    }
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
    let scenes: Vec<String> = script::SCENES.iter().map(|(id, name)| format!("{name} (RICO {id})")).collect();
    println!("script: {} over {} s", scenes.join(", "), (script.end_ms - T0) / 1000);
    let segments = sink.segments();
    println!(
        "sink: {} segments (the final flush reports {} persisted, {} refused)",
        segments.len(),
        flushed.persisted,
        flushed.failed
    );
    let decoded = summary::decode_all(&segments)?;
    summary::print_segments(&decoded, script.end_ms - T0);
    println!("gestures recognized by the core:");
    summary::print_gestures(&decoded.records, T0);
    summary::print_stats(&stats);

    // Replay everything; the final hierarchy must be the last screen as captured.
    let replayer = summary::replay(&decoded.records)?;
    let frame = replayer.frame().ok_or_else(|| AppError::Replay("no keyframe was recorded".into()))?;
    let replayed = canonical::of_frame(&frame, &replayer).map_err(|e| AppError::Replay(e.to_string()))?;
    let captured = Snapshot::capture(script.last_tree, metadata.density, &config.privacy, &config.capture_limits())
        .map_err(|e| AppError::Replay(format!("the last screen does not capture: {e}")))?;
    if let Some(diff) = canonical::first_difference(&canonical::of_snapshot(&captured), &replayed) {
        return Err(AppError::Replay(format!("the final replayed frame is not the last screen: {diff}")));
    }
    println!("replay: every record applied; the final frame ({} nodes) equals the last screen as captured", frame.nodes.len());
    Ok(())
}
