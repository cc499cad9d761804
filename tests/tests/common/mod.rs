//! Shared helpers of the real-screen tests: loading every fixture, capturing, writing a session
//! through the real `SessionWriter`, decoding it and replaying it step by step.

#![allow(dead_code)] // Each test binary uses its own subset.

use std::path::PathBuf;
use std::sync::Arc;

use reprise_core::capture::CaptureLimits;
use reprise_core::stats::Counters;
use reprise_core::{
    DecodeLimits, Event, MaskMode, PrivacyRules, Record, RecorderConfig, Replayer, SealedSegment, SegmentHeader,
    SessionId, SessionStart, SessionWriter, Snapshot, Stats, TimedRecord, ViewTree, decode,
};
use reprise_fixtures::canonical::{self, CanonicalNode};
use reprise_fixtures::{ParsedScreen, TreeEditor, data};

/// A fixed start time, so runs are comparable.
pub const T0: i64 = 1_700_000_000_000;

/// The fixture folder.
pub fn dir() -> PathBuf {
    data::default_dir()
}

/// Every RICO screen, by id.
pub fn rico_screens() -> Vec<(String, ParsedScreen)> {
    let dir = dir();
    let ids = data::rico_ids(&dir).expect("list RICO fixtures");
    assert_eq!(ids.len(), 20, "the 20 RICO screens are copied into tests/data/rico");
    ids.into_iter()
        .map(|id| {
            let screen = data::load_rico(&dir, &id).unwrap_or_else(|e| panic!("RICO {id}: {e}"));
            (id, screen)
        })
        .collect()
}

/// Loads one RICO screen.
pub fn rico(id: &str) -> ParsedScreen {
    data::load_rico(&dir(), id).unwrap_or_else(|e| panic!("RICO {id}: {e}"))
}

/// Both iOS trees, named.
pub fn ios_screens() -> Vec<(String, ParsedScreen)> {
    let dir = dir();
    vec![
        ("example.js".to_owned(), data::load_ios_flat(&dir).expect("example.js parses")),
        ("UIAExample.js".to_owned(), data::load_ios_uia(&dir).expect("UIAExample.js parses")),
    ]
}

/// Every fixture screen, RICO then iOS.
pub fn all_screens() -> Vec<(String, ParsedScreen)> {
    let mut all = rico_screens();
    all.extend(ios_screens());
    all
}

/// The rules of a mode (images shown in `Allow`, so nothing but passwords is masked there).
pub fn rules(mode: MaskMode) -> PrivacyRules {
    PrivacyRules { mode, allow_images: mode == MaskMode::Allow }
}

/// The default capture limits.
pub fn limits() -> CaptureLimits {
    RecorderConfig::default().capture_limits()
}

/// Captures a tree as the recorder would.
pub fn capture(tree: &ViewTree, density: f32, rules: &PrivacyRules) -> Snapshot {
    Snapshot::capture(tree.clone(), density, rules, &limits()).expect("a fixture tree is a valid tree")
}

/// A writer for one session on the device `screen` came from, with `rules`.
pub fn writer(screen: &ParsedScreen, rules: PrivacyRules) -> (SessionWriter, Arc<Counters>) {
    let config = RecorderConfig { privacy: rules, ..RecorderConfig::default() };
    let start = SessionStart {
        id: SessionId::new_v7(T0),
        started_ms: T0,
        metadata: screen.metadata(),
        user: Default::default(),
    };
    let counters = Arc::new(Counters::default());
    let writer = SessionWriter::new(config, start, counters.clone()).expect("writer starts");
    (writer, counters)
}

/// Decodes segments, checking each one's header against its bytes.
pub fn decode_all(segments: &[SealedSegment]) -> Vec<(SegmentHeader, Vec<TimedRecord>)> {
    segments
        .iter()
        .map(|s| {
            let decoded = decode(&s.bytes, DecodeLimits::default()).expect("a sealed segment decodes");
            assert_eq!(decoded.header, s.header, "decoded header equals the sealed one");
            assert_eq!(decoded.records.skipped, 0);
            (decoded.header, decoded.records.records)
        })
        .collect()
}

/// Replays records from scratch and returns the final hierarchy in canonical form.
pub fn replay(records: &[TimedRecord]) -> Vec<CanonicalNode> {
    let mut replayer = Replayer::new();
    for r in records {
        replayer.apply(&r.record).expect("a recorded record applies");
    }
    let frame = replayer.frame().expect("a keyframe was replayed");
    canonical::of_frame(&frame, &replayer).expect("the replayed frame is well formed")
}

/// Panics with the first difference when the replayed hierarchy is not the captured one.
pub fn assert_same(what: &str, expected: &[CanonicalNode], actual: &[CanonicalNode]) {
    if let Some(diff) = canonical::first_difference(expected, actual) {
        panic!("{what}: replay differs from capture: {diff}");
    }
}

/// What a snapshot step is expected to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// A keyframe record.
    Keyframe,
    /// A diff record.
    Diff,
    /// Nothing: the snapshot was unchanged.
    Nothing,
    /// Whatever the writer decides (only the replayed hierarchy is checked).
    Any,
}

/// One step of a scripted sequence: an optional screen view and seal, then a snapshot.
#[derive(Debug, Clone)]
pub struct Step {
    /// What the step does, for messages.
    pub label: String,
    /// When, Unix milliseconds; strictly increasing.
    pub at_ms: i64,
    /// The tree recorded.
    pub tree: ViewTree,
    /// A screen view event recorded first (forces a keyframe).
    pub screen_view: Option<String>,
    /// Seal the open segment first (the next snapshot starts a new segment with a keyframe).
    pub seal_before: bool,
    /// What the step must write.
    pub expect: Written,
}

impl Step {
    /// A plain snapshot step.
    pub fn new(label: impl Into<String>, at_ms: i64, tree: ViewTree, expect: Written) -> Self {
        Self { label: label.into(), at_ms, tree, screen_view: None, seal_before: false, expect }
    }
}

/// What a step wrote, as the decoded session shows it.
#[derive(Debug, Clone)]
pub struct StepOutcome {
    /// The step's label.
    pub label: String,
    /// What it wrote.
    pub written: Written,
    /// Uncompressed record bytes the writer counted for the step (framing, class definitions and
    /// a segment's opening session record included).
    pub raw_bytes: u64,
    /// Nodes in the captured snapshot.
    pub nodes: usize,
}

/// The result of a sequence run.
#[derive(Debug)]
pub struct SequenceRun {
    /// One outcome per step.
    pub steps: Vec<StepOutcome>,
    /// The sealed segments.
    pub segments: Vec<SealedSegment>,
    /// The writer's counters at the end.
    pub stats: Stats,
}

/// Writes `steps` through one `SessionWriter`, seals, decodes every segment, and replays the
/// records in order; after each step, the replayed hierarchy must equal that step's captured
/// snapshot. Also checks what each step wrote and that every segment replays on its own.
pub fn run_sequence(screen: &ParsedScreen, rules: PrivacyRules, steps: &[Step]) -> SequenceRun {
    let (mut writer, counters) = writer(screen, rules);
    let mut expected = Vec::with_capacity(steps.len());
    let mut raw = Vec::with_capacity(steps.len());
    let mut nodes = Vec::with_capacity(steps.len());
    for step in steps {
        if step.seal_before {
            writer.seal();
        }
        let before = counters.snapshot();
        if let Some(name) = &step.screen_view {
            writer.event(step.at_ms, Event::ScreenView { name: name.clone() });
        }
        let snapshot = capture(&step.tree, screen.density, &rules);
        expected.push(canonical::of_snapshot(&snapshot));
        nodes.push(snapshot.nodes.len());
        writer.snapshot(step.at_ms, snapshot);
        let after = counters.snapshot();
        let unchanged = after.unchanged_snapshots - before.unchanged_snapshots;
        if step.expect != Written::Any {
            assert_eq!(unchanged, u64::from(step.expect == Written::Nothing), "{}: unchanged_snapshots", step.label);
        }
        raw.push(after.raw_bytes - before.raw_bytes);
    }
    writer.seal();
    let segments = writer.take_sealed();
    let decoded = decode_all(&segments);

    // Every segment starts its hierarchy with a keyframe and replays on its own.
    for (header, records) in &decoded {
        let first = records.iter().find(|r| matches!(r.record, Record::Keyframe(_) | Record::Diff(_)));
        if let Some(first) = first {
            assert!(matches!(first.record, Record::Keyframe(_)), "segment {} starts with a diff", header.sequence);
            assert!(header.has_keyframe());
            replay(records);
        }
        assert!(matches!(records.first().map(|r| &r.record), Some(Record::Session(_))), "segment opens with session info");
    }

    // Replay in order, comparing after each step.
    let records: Vec<&TimedRecord> = decoded.iter().flat_map(|(_, r)| r).collect();
    let mut replayer = Replayer::new();
    let mut next = 0;
    let mut outcomes = Vec::with_capacity(steps.len());
    for (i, step) in steps.iter().enumerate() {
        let mut written = Written::Nothing;
        while next < records.len() && records[next].time_ms <= step.at_ms {
            let r = records[next];
            if r.time_ms == step.at_ms {
                match r.record {
                    Record::Keyframe(_) => written = Written::Keyframe,
                    Record::Diff(_) => written = Written::Diff,
                    _ => {}
                }
            }
            replayer.apply(&r.record).unwrap_or_else(|e| panic!("{}: record does not apply: {e}", step.label));
            next += 1;
        }
        let frame = replayer.frame().unwrap_or_else(|| panic!("{}: nothing replayed", step.label));
        let actual = canonical::of_frame(&frame, &replayer).unwrap_or_else(|e| panic!("{}: {e}", step.label));
        assert_same(&step.label, &expected[i], &actual);
        if step.expect != Written::Any {
            assert_eq!(written, step.expect, "{}: what the step wrote", step.label);
        }
        outcomes.push(StepOutcome { label: step.label.clone(), written, raw_bytes: raw[i], nodes: nodes[i] });
    }
    assert_eq!(next, records.len(), "no record after the last step");
    SequenceRun { steps: outcomes, segments, stats: counters.snapshot() }
}

/// Counts keyframe and diff records in segments.
pub fn count_snapshots(segments: &[SealedSegment]) -> (usize, usize) {
    let decoded = decode_all(segments);
    let records = decoded.iter().flat_map(|(_, r)| r);
    records.fold((0, 0), |(k, d), r| match r.record {
        Record::Keyframe(_) => (k + 1, d),
        Record::Diff(_) => (k, d + 1),
        _ => (k, d),
    })
}

/// The first scrollable node with at least `min_children` children, as an editor slot.
pub fn first_list(editor: &TreeEditor, min_children: usize) -> Option<usize> {
    editor.find(|slot, node| node.flags.scrollable && editor.children(slot).len() >= min_children)
}

/// The first node under `slot` (itself included) with non-empty text.
pub fn first_text_under(editor: &TreeEditor, slot: usize) -> Option<usize> {
    editor.subtree(slot).into_iter().find(|&s| editor.node(s).and_then(|n| n.text.as_deref()).is_some_and(|t| !t.is_empty()))
}
