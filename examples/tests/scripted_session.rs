//! The scripted-session example runs, exits 0 and prints a summary; bad arguments fail clearly.

use std::process::Command;

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
    assert_eq!(number_after(&stdout, "63 snapshots: "), Some(6), "keyframes:\n{stdout}");
    assert_eq!(number_after(&stdout, "keyframes, "), Some(54), "diffs:\n{stdout}");
    assert_eq!(number_after(&stdout, "diffs, "), Some(3), "unchanged:\n{stdout}");
    assert!(stdout.contains("screen view 3") && stdout.contains("touches 6") && stdout.contains("custom 3"));
    assert_eq!(number_after(&stdout, "drops: overload "), Some(0), "the example paces itself like an app");
}

#[test]
fn a_missing_fixture_folder_is_a_clear_error() {
    let (ok, _, stderr) = run(&["--fixtures", "/nonexistent/reprise-fixtures"]);
    assert!(!ok);
    assert!(stderr.contains("cannot read /nonexistent/reprise-fixtures/rico/3363.json"), "stderr: {stderr}");
    let (ok, _, stderr) = run(&["--bogus"]);
    assert!(!ok);
    assert!(stderr.contains("unknown argument") && stderr.contains("usage:"), "stderr: {stderr}");
}
