//! The scripted-session example runs the demo's Android scenario, exits 0 and prints a summary;
//! bad arguments fail clearly.

use std::process::Command;

use reprise_core::Event;
use reprise_fixtures::{data, scenario};

fn run(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_scripted-session")).args(args).output().expect("the example starts");
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

fn number_after(text: &str, label: &str) -> Option<u64> {
    let rest = &text[text.find(label)? + label.len()..];
    rest.split(|c: char| !c.is_ascii_digit()).find(|s| !s.is_empty())?.parse().ok()
}

#[test]
fn the_scripted_session_records_decodes_and_replays() {
    let (ok, stdout, stderr) = run(&[]);
    assert!(ok, "exit status; stderr: {stderr}");
    for line in ["session ", "segments:", "totals: ", "records by kind", "stats: ", "drops: ", "replay: every record applied"] {
        assert!(stdout.contains(line), "missing {line:?} in:\n{stdout}");
    }
    // The scenario's own steps say what the recorder must have seen.
    let scenario = scenario::android(&data::default_dir(), 1_700_000_000_000).expect("the scenario builds");
    let snapshots = scenario.steps.iter().filter(|s| matches!(s.event, Event::Snapshot(_))).count() as u64;
    let label = format!("stats: {snapshots} snapshots: ");
    let keyframes = number_after(&stdout, &label).unwrap_or_else(|| panic!("{label:?} in:\n{stdout}"));
    let diffs = number_after(&stdout, "keyframes, ").expect("diffs");
    let unchanged = number_after(&stdout, "diffs, ").expect("unchanged");
    assert_eq!(keyframes, scenario.screens.len() as u64, "one keyframe per screen view:\n{stdout}");
    assert_eq!(keyframes + diffs + unchanged, snapshots);
    assert!(diffs > unchanged, "the lists move:\n{stdout}");
    let screens = format!("screen view {}", scenario.screens.len());
    assert!(stdout.contains(&screens) && stdout.contains("struggle 2"), "{stdout}");
    assert_eq!(number_after(&stdout, "drops: overload "), Some(0), "the example paces itself like an app");
}

#[test]
fn a_missing_fixture_folder_is_a_clear_error() {
    let (ok, _, stderr) = run(&["--fixtures", "/nonexistent/reprise-fixtures"]);
    assert!(!ok);
    assert!(stderr.contains("cannot read /nonexistent/reprise-fixtures/"), "stderr: {stderr}");
    let (ok, _, stderr) = run(&["--bogus"]);
    assert!(!ok);
    assert!(stderr.contains("unknown argument") && stderr.contains("usage:"), "stderr: {stderr}");
}
