//! Helpers of the real-screen sequence tests: scripted steps written through one real
//! `SessionWriter`, replayed and compared after every step. What every suite shares (screens,
//! writers, capture, decoding, replay) is the test kit, `reprise_fixtures::kit`.

#![allow(dead_code)] // Each test binary uses its own subset.

use std::sync::Arc;

use reprise_core::stats::Counters;
use reprise_core::{
    Event, MaskMode, PrivacyRules, Record, RecorderConfig, Replayer, SealedSegment, SessionWriter, Stats, TimedRecord,
    ViewTree,
};
use reprise_fixtures::canonical;
use reprise_fixtures::kit::replay::{assert_same, decode_all, replay};
use reprise_fixtures::kit::session::{self, T0, capture};
use reprise_fixtures::{ParsedScreen, TreeEditor};

/// The rules of a mode (images shown in `Allow`, so nothing but passwords is masked there).
pub fn rules(mode: MaskMode) -> PrivacyRules {
    PrivacyRules { mode, allow_images: mode == MaskMode::Allow }
}

/// A writer for one session on the device `screen` came from, with `rules`, started at `T0`.
pub fn writer(screen: &ParsedScreen, rules: PrivacyRules) -> (SessionWriter, Arc<Counters>) {
    session::writer(RecorderConfig { privacy: rules, ..RecorderConfig::default() }, screen.metadata(), T0)
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

/// The first scrollable node with at least `min_children` children, as an editor slot.
pub fn first_list(editor: &TreeEditor, min_children: usize) -> Option<usize> {
    editor.find(|slot, node| node.flags.scrollable && editor.children(slot).len() >= min_children)
}

/// The first node under `slot` (itself included) with non-empty text.
pub fn first_text_under(editor: &TreeEditor, slot: usize) -> Option<usize> {
    editor.subtree(slot).into_iter().find(|&s| editor.node(s).and_then(|n| n.text.as_deref()).is_some_and(|t| !t.is_empty()))
}
