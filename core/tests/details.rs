//! Node details (record kind 17): id names, toggle states, progress and elevation go from the
//! platform tree through capture, the writer and the segment bytes to the replayer; privacy
//! withholds toggle states and progress where inputs are masked; a reader that skips the kind
//! (format 1.0) still draws the same frames.

use reprise_core::{
    ClipInset, MaskMode, NodeDetail, NodeKind, PrivacyOverride, PrivacyRules, PxInsets, PxRect, Record, RecorderConfig, Replayer, ViewNode,
    ViewTree,
};
use reprise_fixtures::kit::feed::{DENSITY, capture, writer};
use reprise_fixtures::kit::replay::records;

/// A screen: a container, a checkbox named `agree`, a progress bar, a card with elevation, and a
/// view the app hid (named `secret_panel`) with a named child.
fn screen(agree: bool, progress: f32, privacy: PrivacyOverride) -> ViewTree {
    let d = DENSITY;
    let mut root = ViewNode::new(1, None, NodeKind::Container, PxRect::new(0.0, 0.0, 360.0 * d, 640.0 * d));
    root.id_name = Some("content".into());
    let mut check = ViewNode::new(2, Some(0), NodeKind::Button, PxRect::new(0.0, 0.0, 200.0 * d, 48.0 * d));
    check.id_name = Some("agree".into());
    check.checked = Some(agree);
    check.privacy = privacy;
    let mut bar = ViewNode::new(3, Some(0), NodeKind::Other, PxRect::new(0.0, 60.0 * d, 300.0 * d, 4.0 * d));
    bar.progress = Some(progress);
    bar.privacy = privacy;
    let mut card = ViewNode::new(4, Some(0), NodeKind::Container, PxRect::new(0.0, 80.0 * d, 300.0 * d, 100.0 * d));
    card.elevation = 4.0 * d;
    let mut hidden = ViewNode::new(5, Some(0), NodeKind::Container, PxRect::new(0.0, 200.0 * d, 300.0 * d, 100.0 * d));
    hidden.id_name = Some("secret_panel".into());
    hidden.privacy = PrivacyOverride::Hide;
    hidden.checked = Some(true);
    let mut inner = ViewNode::new(6, Some(4), NodeKind::Text, PxRect::new(0.0, 200.0 * d, 300.0 * d, 20.0 * d));
    inner.id_name = Some("secret_child".into());
    ViewTree { classes: vec!["android.widget.FrameLayout".into()], nodes: vec![root, check, bar, card, hidden, inner] }
}

/// Writes the snapshots and returns the replayer's details after each hierarchy step, by id name
/// or id, plus every record.
fn run(trees: Vec<ViewTree>, rules: PrivacyRules) -> (Vec<Vec<NodeDetail>>, Vec<Record>) {
    let (mut writer, _) = writer(RecorderConfig::default());
    for (i, tree) in trees.into_iter().enumerate() {
        writer.snapshot(1_700_000_000_000 + 1_000 * i as i64, capture(tree, &rules));
    }
    writer.seal();
    let all = records(&writer.take_sealed());
    let mut replayer = Replayer::new();
    let mut steps = Vec::new();
    for r in &all {
        replayer.apply(&r.record).expect("applies");
        if matches!(r.record, Record::Details(_) | Record::Keyframe(_) | Record::Diff(_)) {
            let frame = replayer.frame().expect("frame");
            steps.push(frame.nodes.iter().filter_map(|n| replayer.detail(n.id).cloned()).collect());
        }
    }
    (steps, all.into_iter().map(|r| r.record).collect())
}

fn named<'a>(details: &'a [NodeDetail], name: &str) -> Option<&'a NodeDetail> {
    details.iter().find(|d| d.id_name.as_deref() == Some(name))
}

#[test]
fn details_reach_the_replayer_and_a_toggle_alone_is_recorded() {
    let allow = PrivacyRules { mode: MaskMode::Allow, allow_images: true };
    let (steps, records) = run(vec![screen(false, 0.25, PrivacyOverride::Inherit), screen(true, 0.25, PrivacyOverride::Inherit)], allow);
    let first = steps.iter().find(|s| !s.is_empty()).expect("details after the keyframe");
    let agree = named(first, "agree").expect("the checkbox's id name");
    assert_eq!((agree.checked, agree.withheld), (Some(false), false));
    assert!(first.iter().any(|d| d.progress == Some(250)), "progress in thousandths: {first:?}");
    assert!(first.iter().any(|d| d.elevation == 4), "elevation in dp: {first:?}");
    // Nothing of the hidden view or below it is recorded, not even a name.
    assert!(named(first, "secret_panel").is_none());
    assert!(named(first, "secret_child").is_none());
    // Only the checkbox changed, and only in its details: one Details record, no diff.
    let last = steps.last().expect("steps");
    assert_eq!(named(last, "agree").and_then(|d| d.checked), Some(true));
    assert_eq!(records.iter().filter(|r| matches!(r, Record::Diff(_))).count(), 0);
    assert_eq!(records.iter().filter(|r| matches!(r, Record::Details(_))).count(), 2);
}

#[test]
fn an_id_name_that_is_not_shaped_like_an_identifier_is_not_recorded() {
    let allow = PrivacyRules { mode: MaskMode::Allow, allow_images: true };
    let mut tree = screen(false, 0.0, PrivacyOverride::Inherit);
    tree.nodes[1].id_name = Some("Ana Silva's account".into());
    tree.nodes[3].id_name = Some(String::new());
    let (steps, _) = run(vec![tree], allow);
    let details = steps.iter().find(|s| !s.is_empty()).expect("details");
    assert!(details.iter().all(|d| d.id_name.as_deref() != Some("Ana Silva's account")));
    assert_eq!(details.iter().filter(|d| d.id_name.is_some()).count(), 1, "only `content`: {details:?}");
}

#[test]
fn masked_inputs_withhold_toggle_states_and_progress() {
    let mask_all = PrivacyRules::default();
    let (steps, _) = run(vec![screen(true, 0.5, PrivacyOverride::Inherit)], mask_all.clone());
    let details = steps.iter().find(|s| !s.is_empty()).expect("details");
    let agree = named(details, "agree").expect("id names are kept under masking");
    assert_eq!((agree.checked, agree.withheld), (None, true));
    assert!(details.iter().all(|d| d.progress.is_none()));
    // An explicit unmask shows them again.
    let (steps, _) = run(vec![screen(true, 0.5, PrivacyOverride::Unmask)], mask_all);
    let details = steps.iter().find(|s| !s.is_empty()).expect("details");
    assert_eq!(named(details, "agree").and_then(|d| d.checked), Some(true));
    assert!(details.iter().any(|d| d.progress == Some(500)));
}

#[test]
fn a_reader_that_skips_details_draws_the_same_frames() {
    let allow = PrivacyRules { mode: MaskMode::Allow, allow_images: true };
    let (_, records) = run(vec![screen(false, 0.1, PrivacyOverride::Inherit), screen(true, 0.9, PrivacyOverride::Inherit)], allow);
    let (mut with, mut without) = (Replayer::new(), Replayer::new());
    for r in &records {
        with.apply(r).expect("applies");
        if !matches!(r, Record::Details(_)) {
            without.apply(r).expect("applies");
        }
    }
    assert_eq!(with.frame(), without.frame());
}

#[test]
fn a_clip_inset_reaches_the_replayed_frame_in_dp_and_a_change_of_padding_is_sent_again() {
    let d = DENSITY;
    let padded = |top: f32| {
        let mut tree = screen(false, 0.1, PrivacyOverride::Inherit);
        tree.nodes[3].clip_insets = Some(PxInsets { left: 0.0, top: top * d, right: 0.0, bottom: 8.0 * d });
        tree
    };
    let allow = PrivacyRules { mode: MaskMode::Allow, allow_images: true };
    let (mut writer, _) = writer(RecorderConfig::default());
    let mut replayed = Vec::new();
    for (i, top) in [16.0, 16.0, 24.0].into_iter().enumerate() {
        writer.snapshot(1_700_000_000_000 + 1_000 * i as i64, capture(padded(top), &allow));
    }
    writer.snapshot(1_700_000_003_000, capture(screen(false, 0.1, PrivacyOverride::Inherit), &allow));
    writer.seal();
    let mut replayer = Replayer::new();
    for r in records(&writer.take_sealed()) {
        replayer.apply(&r.record).expect("applies");
        if matches!(r.record, Record::Details(_)) {
            let frame = replayer.frame().expect("frame");
            replayed.push(frame.nodes.iter().find_map(|n| n.clip));
        }
    }
    let inset = |top| Some(ClipInset { left: 0, top, right: 0, bottom: 8 });
    // The keyframe's details, then only the change of padding, then the padding gone.
    assert_eq!(replayed, vec![inset(16), inset(24), None]);
}
