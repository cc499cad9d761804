//! Sequences of real screens replay right at every step: big diffs between different real
//! screens, small diffs for a scrolled list, a removed view, an added subtree and a moved view,
//! nothing for an unchanged screen, keyframes where they are due.

mod common;

use common::{Step, Written, first_list, first_text_under, rules};
use reprise_core::segment::decompress_body;
use reprise_core::{DecodeLimits, MaskMode, SealedSegment, SegmentHeader, ViewTree};
use reprise_fixtures::kit::session::T0;
use reprise_fixtures::kit::{replay, screens};
use reprise_fixtures::{ParsedScreen, TreeEditor};

/// Changes the text of `slot`, keeping it recognisable.
fn retext(editor: &mut TreeEditor, slot: usize, suffix: &str) {
    if let Some(node) = editor.node_mut(slot) {
        let old = node.text.take().unwrap_or_default();
        node.text = Some(format!("{old}{suffix}"));
    }
}

/// The derived steps of one real screen, from `at_ms` on, one second apart: a scrolled list with
/// a changed text, a scroll by a fraction of a dp, a removed row, an added row, a moved view.
/// Returns the steps and the editor holding the last state.
fn derived_steps(name: &str, screen: &ParsedScreen, mut at_ms: i64, row_px: f32) -> (Vec<Step>, TreeEditor) {
    let mut ed = TreeEditor::new(&screen.tree);
    let list = first_list(&ed, 3).unwrap_or_else(|| panic!("{name} has a list"));
    let mut steps = Vec::new();
    let mut push = |label: String, tree: ViewTree| {
        at_ms += 1000;
        steps.push(Step::new(label, at_ms, tree, Written::Diff));
    };

    let removed = ed.scroll(list, row_px).expect("scroll");
    let text = first_text_under(&ed, list).unwrap_or_else(|| panic!("{name}: a text in the list"));
    retext(&mut ed, text, " (edited)");
    push(format!("{name}: list scrolled {row_px} px ({removed} rows gone), a text changed"), ed.to_tree());

    let removed = ed.scroll(list, row_px / 2.0 + 1.0).expect("scroll");
    push(format!("{name}: list scrolled {} px ({removed} rows gone)", row_px / 2.0 + 1.0), ed.to_tree());

    let victim = ed.children(list)[1];
    ed.remove(victim).expect("remove");
    push(format!("{name}: a row removed"), ed.to_tree());

    let (first, last) = (ed.children(list)[0], ed.children(list)[ed.children(list).len() - 1]);
    let bottom = |ed: &TreeEditor, s: usize| ed.node(s).map_or(0.0, |n| n.bounds.top + n.bounds.height);
    let dy = bottom(&ed, last) - ed.node(first).map_or(0.0, |n| n.bounds.top);
    ed.copy_subtree(first, list, 0.0, dy, 1).expect("copy");
    push(format!("{name}: a row added at the end"), ed.to_tree());

    let row = ed.children(list)[0];
    let leaf = first_text_under(&ed, row).filter(|&s| s != row).unwrap_or(row);
    let target = ed.parent(list).expect("the list has a parent");
    ed.reparent(leaf, target).expect("reparent");
    push(format!("{name}: a text moved out of the list"), ed.to_tree());
    (steps, ed)
}

fn body_bytes(segments: &[SealedSegment]) -> Vec<u8> {
    let mut out = Vec::new();
    for s in segments {
        let header = SegmentHeader::read(&s.bytes).expect("header");
        out.extend(decompress_body(&header, &s.bytes, DecodeLimits::default()).expect("body"));
        out.extend(&s.bytes);
    }
    out
}

fn print_run(run: &common::SequenceRun) {
    for s in &run.steps {
        println!("{:>9?} {:>6} raw bytes {:>4} nodes  {}", s.written, s.raw_bytes, s.nodes, s.label);
    }
    let sizes: Vec<usize> = run.segments.iter().map(|s| s.bytes.len()).collect();
    println!("segments (sealed bytes): {sizes:?}; stats: {:?}", run.stats);
}

#[test]
fn a_sequence_of_real_screens_replays_right_at_every_step() {
    let base = screens::rico("3363");
    let mut steps = vec![
        Step::new("3363 as recorded", T0, base.tree.clone(), Written::Keyframe),
        Step::new("3363 again, parsed anew: unchanged", T0 + 1000, screens::rico("3363").tree, Written::Nothing),
    ];
    // One row of the language list is 169 px (48 dp).
    let (derived, mut ed) = derived_steps("3363", &base, T0 + 1000, 169.0);
    steps.extend(derived);
    let mut at = steps.last().map_or(T0, |s| s.at_ms);
    let next = |step: &mut i64| {
        *step += 1000;
        *step
    };
    // Other real screens under the same root identity (a DecorView): big diffs, not keyframes.
    steps.push(Step::new("33618: eBay search results", next(&mut at), screens::rico("33618").tree, Written::Diff));
    steps.push(Step::new("33656: Celtics news feed", next(&mut at), screens::rico("33656").tree, Written::Diff));
    // A screen view forces a keyframe.
    let mut viewed = Step::new("33608 after a screen view", next(&mut at), screens::rico("33608").tree, Written::Keyframe);
    viewed.screen_view = Some("Activity_Main".into());
    steps.push(viewed);
    steps.push(Step::new("33611: same app, another activity", next(&mut at), screens::rico("33611").tree, Written::Diff));
    // A popup has another root: keyframe; and back.
    steps.push(Step::new("33670: a popup window root", next(&mut at), screens::rico("33670").tree, Written::Keyframe));
    steps.push(Step::new("3363 again after the popup", next(&mut at), base.tree.clone(), Written::Keyframe));
    // A new segment starts with a keyframe.
    let mut sealed = Step::new("3363 derived, in a new segment", next(&mut at), ed.to_tree(), Written::Keyframe);
    sealed.seal_before = true;
    steps.push(sealed);
    let list = first_list(&ed, 3).expect("list");
    let text = first_text_under(&ed, list).expect("text");
    retext(&mut ed, text, "!");
    steps.push(Step::new("3363: a text changed", next(&mut at), ed.to_tree(), Written::Diff));
    // The keyframe interval (10 s) forces a keyframe even for a small change.
    retext(&mut ed, text, "?");
    at += 11_000;
    steps.push(Step::new("3363: a text changed after 11 s", at, ed.to_tree(), Written::Keyframe));

    let run = common::run_sequence(&base, rules(MaskMode::MaskAll), &steps);
    print_run(&run);

    let (keyframes, diffs) = replay::count_snapshots(&run.segments);
    assert_eq!((keyframes, diffs), (6, 9));
    assert_eq!((run.stats.keyframes, run.stats.diffs, run.stats.unchanged_snapshots), (6, 9, 1));
    assert_eq!(run.segments.len(), 2);

    // Small changes cost a small fraction of a keyframe of the same screen; other screens are
    // big diffs.
    let keyframe = run.steps[0].raw_bytes;
    for s in &run.steps[2..7] {
        assert!(s.raw_bytes * 5 < keyframe, "{}: {} bytes against a {keyframe}-byte keyframe", s.label, s.raw_bytes);
    }
    let small_max = run.steps[2..7].iter().map(|s| s.raw_bytes).max().unwrap_or(0);
    assert!(run.steps[7].raw_bytes > 10 * small_max, "a different screen is a big diff");
    assert!(run.steps[14].raw_bytes * 20 < run.steps[13].raw_bytes, "one changed text is tiny");

    // Nothing the user saw reaches the segments under the default rules.
    let bytes = body_bytes(&run.segments);
    // Class and screen names are recorded in clear: a text inside one of them cannot be checked.
    let mut public: Vec<&str> = steps.iter().flat_map(|s| s.tree.nodes.iter().map(|n| s.tree.class_name(n))).collect();
    public.extend(steps.iter().filter_map(|s| s.screen_view.as_deref()));
    let mut checked = 0;
    for node in steps.iter().flat_map(|s| &s.tree.nodes) {
        for text in [&node.text, &node.content_description].into_iter().flatten() {
            if text.chars().count() >= 4 && !public.iter().any(|c| c.contains(text.as_str())) {
                assert!(!bytes.windows(text.len()).any(|w| w == text.as_bytes()), "{text:?} leaked");
                checked += 1;
            }
        }
    }
    assert!(checked > 400, "{checked} texts checked");
}

#[test]
fn ios_screens_replay_right_through_derived_steps() {
    for (name, screen, row_px) in [
        ("example.js", reprise_fixtures::data::load_ios_flat(&screens::dir()).expect("parses"), 88.0),
        ("UIAExample.js", reprise_fixtures::data::load_ios_uia(&screens::dir()).expect("parses"), 103.125),
    ] {
        for mode in [MaskMode::MaskAll, MaskMode::Allow] {
            let mut steps = vec![
                Step::new(format!("{name} as recorded"), T0, screen.tree.clone(), Written::Keyframe),
                Step::new(format!("{name} again"), T0 + 500, screen.tree.clone(), Written::Nothing),
            ];
            steps.extend(derived_steps(name, &screen, T0 + 500, row_px).0);
            let run = common::run_sequence(&screen, rules(mode), &steps);
            if mode == MaskMode::MaskAll {
                print_run(&run);
            }
            assert_eq!(replay::count_snapshots(&run.segments), (1, 5), "{name} {mode:?}");
            let keyframe = run.steps[0].raw_bytes;
            assert!(run.steps[2..].iter().all(|s| s.raw_bytes * 3 < keyframe), "{name}: diffs are small");
        }
    }
}
