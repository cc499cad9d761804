//! Snapshots through the session writer: keyframes, diffs, replay, and bad input.

use reprise_core::frame::flag;
use reprise_core::{
    Event, MaskMode, NodeKind, PrivacyOverride, PrivacyRules, PxRect, RecorderConfig, SnapshotError, Text, ViewNode,
    ViewTree,
};
use reprise_fixtures::canonical::of_snapshot;
use reprise_fixtures::kit::feed::{DENSITY, Feed, capture, writer};
use reprise_fixtures::kit::replay::{count_snapshots, replay_steps};
use reprise_fixtures::kit::session::{T0, limits};


#[test]
fn scrolling_feed_replays_exactly_at_every_step() {
    let rules = PrivacyRules::default();
    let (mut writer, stats) = writer(RecorderConfig::default());
    let mut feed = Feed::new(500);
    let mut expected = Vec::new();
    for second in 0..40 {
        if second % 10 != 9 {
            feed.scroll(150.0 + 37.0 * (second % 4) as f32);
        }
        let snapshot = capture(feed.tree(), &rules);
        expected.push(of_snapshot(&snapshot));
        writer.snapshot(T0 + second * 1000, snapshot);
    }
    writer.seal();
    let segments = writer.take_sealed();
    let steps = replay_steps(&segments);
    let stats = stats.snapshot();
    // Every changed step replays; unchanged ones (the pauses) were dropped entirely.
    assert_eq!(stats.unchanged_snapshots, 4);
    assert_eq!(steps.len() as u64, stats.keyframes + stats.diffs);
    let changed: Vec<_> = expected.iter().enumerate().filter(|(i, _)| i % 10 != 9).map(|(_, e)| e).collect();
    assert_eq!(steps.len(), changed.len());
    for ((_, got), want) in steps.iter().zip(changed) {
        assert_eq!(got, want);
    }
    // Keyframes every 10 s, diffs otherwise.
    let (keyframes, diffs) = count_snapshots(&segments);
    assert_eq!(keyframes, 4);
    assert_eq!(diffs, 32);
}

#[test]
fn screen_view_and_viewport_force_keyframes() {
    let rules = PrivacyRules::default();
    let (mut writer, _) = writer(RecorderConfig::default());
    let mut feed = Feed::new(200);
    writer.snapshot(T0, capture(feed.tree(), &rules));
    feed.scroll(100.0);
    writer.snapshot(T0 + 1000, capture(feed.tree(), &rules));
    writer.event(T0 + 1500, Event::ScreenView { name: "Detail".into() });
    writer.snapshot(T0 + 2000, capture(feed.tree(), &rules));
    writer.seal();
    assert_eq!(count_snapshots(&writer.take_sealed()), (2, 1));
}

#[test]
fn every_segment_starts_replay_on_its_own() {
    let rules = PrivacyRules::default();
    let config = RecorderConfig { max_segment_age: std::time::Duration::from_secs(5), ..Default::default() };
    let (mut writer, _) = writer(config);
    let mut feed = Feed::new(300);
    for second in 0..20 {
        feed.scroll(120.0);
        writer.snapshot(T0 + second * 1000, capture(feed.tree(), &rules));
    }
    writer.seal();
    let segments = writer.take_sealed();
    assert_eq!(segments.len(), 4);
    for segment in &segments {
        assert!(segment.header.has_keyframe());
        // Replaying this segment alone works: its first hierarchy record is a keyframe.
        let steps = replay_steps(std::slice::from_ref(segment));
        assert_eq!(steps.len(), 5);
    }
    let sequences: Vec<u32> = segments.iter().map(|s| s.header.sequence).collect();
    assert_eq!(sequences, vec![0, 1, 2, 3]);
}

#[test]
fn a_small_change_costs_a_small_diff() {
    let rules = PrivacyRules { mode: MaskMode::Allow, allow_images: true };
    let (mut writer, stats) = writer(RecorderConfig::default());
    let feed = Feed::new(500);
    let tree = feed.tree();
    writer.snapshot(T0, capture(tree.clone(), &rules));
    let keyframe_bytes = stats.snapshot().raw_bytes;
    let mut changed = tree;
    let label = changed.nodes.iter_mut().find(|n| n.text.as_deref() == Some("Home feed")).expect("title");
    label.text = Some("Home feed (3 new)".into());
    writer.snapshot(T0 + 1000, capture(changed, &rules));
    let diff_bytes = stats.snapshot().raw_bytes - keyframe_bytes;
    assert!(keyframe_bytes > 5_000, "keyframe {keyframe_bytes} bytes");
    assert!(diff_bytes < 40, "diff {diff_bytes} bytes");
}

fn chain(depth: usize) -> ViewTree {
    let nodes = (0..depth)
        .map(|i| {
            let parent = i.checked_sub(1).map(|p| p as u32);
            ViewNode::new(i as u64 + 1, parent, NodeKind::Container, PxRect::new(i as f32, i as f32, 3000.0, 3000.0))
        })
        .collect();
    ViewTree::new(vec!["android.widget.FrameLayout".into()], nodes)
}

#[test]
fn a_tree_5000_levels_deep_records_and_replays() {
    let rules = PrivacyRules::default();
    let (mut writer, _) = writer(RecorderConfig::default());
    let tree = chain(5000);
    let snapshot = capture(tree.clone(), &rules);
    let expected = of_snapshot(&snapshot);
    writer.snapshot(T0, snapshot);
    let mut deeper = tree;
    deeper.nodes[4999].bounds.left += 30.0;
    let moved = capture(deeper, &rules);
    let expected_moved = of_snapshot(&moved);
    writer.snapshot(T0 + 1000, moved);
    writer.seal();
    let steps = replay_steps(&writer.take_sealed());
    assert_eq!(steps.len(), 2);
    assert_eq!(steps[0].1, expected);
    assert_eq!(steps[1].1, expected_moved);
}

#[test]
fn a_tree_of_10000_nodes_records_and_replays() {
    let rules = PrivacyRules::default();
    let (mut writer, _) = writer(RecorderConfig::default());
    let mut tree = ViewTree::default();
    let root = tree.push(ViewNode::new(1, None, NodeKind::Container, PxRect::new(0.0, 0.0, 1080.0, 2340.0)));
    for i in 0..9999u64 {
        let parent = if i < 99 { root } else { (1 + (i % 99)) as u32 };
        let mut n = ViewNode::new(i + 2, Some(parent), NodeKind::Text, PxRect::new((i % 10) as f32 * 90.0, (i / 10) as f32 * 3.0, 90.0, 30.0));
        n.text = Some(format!("row {i}"));
        tree.push(n);
    }
    let snapshot = capture(tree, &rules);
    assert_eq!(snapshot.nodes.len(), 10_000);
    let expected = of_snapshot(&snapshot);
    writer.snapshot(T0, snapshot);
    writer.seal();
    let steps = replay_steps(&writer.take_sealed());
    assert_eq!(steps[0].1, expected);
}

#[test]
fn structural_errors_are_typed() {
    let rules = PrivacyRules::default();
    let limits = limits();
    let capture = |tree: ViewTree| reprise_core::Snapshot::capture(tree, DENSITY, &rules, &limits).map(|_| ());
    let node = |id: u64, parent: Option<u32>| ViewNode::new(id, parent, NodeKind::Container, PxRect::new(0.0, 0.0, 10.0, 10.0));

    assert_eq!(capture(ViewTree::default()), Err(SnapshotError::Empty));
    assert_eq!(capture(ViewTree::new(vec![], vec![node(1, Some(0))])), Err(SnapshotError::RootHasParent));
    assert_eq!(capture(ViewTree::new(vec![], vec![node(1, None), node(2, None)])), Err(SnapshotError::SecondRoot { index: 1 }));
    // A parent cycle: 1 -> 2 -> 1. It can only be written as a forward reference.
    let cycle = ViewTree::new(vec![], vec![node(1, None), node(2, Some(2)), node(3, Some(1))]);
    assert_eq!(capture(cycle), Err(SnapshotError::ParentAfterChild { index: 1, parent: 2 }));
    assert_eq!(capture(ViewTree::new(vec![], vec![node(1, None), node(2, Some(1))])), Err(SnapshotError::ParentAfterChild { index: 1, parent: 1 }));
}

#[test]
fn bad_numbers_are_sanitized_and_counted() {
    let rules = PrivacyRules::default();
    let mut root = ViewNode::new(1, None, NodeKind::Container, PxRect::new(f32::NAN, 0.0, f32::INFINITY, -30.0));
    root.alpha = f32::NAN;
    root.font_size = f32::NEG_INFINITY;
    let child = ViewNode::new(2, Some(0), NodeKind::Container, PxRect::new(-300.0, -60.0, -5.0, 30.0));
    let snapshot = capture(ViewTree::new(vec![], vec![root, child]), &rules);
    let r = &snapshot.nodes[0];
    assert_eq!((r.x, r.y, r.props.width, r.props.height, r.props.alpha), (0, 0, 3_333_333, 0, 255));
    assert_eq!(r.props.font_size, 0);
    // Negative positions are legitimate (off screen); a negative size is not.
    let c = &snapshot.nodes[1];
    assert_eq!((c.x, c.y, c.props.width, c.props.height), (-100, -20, 0, 10));
    // NaN left, infinite width, negative height, NaN alpha, -inf font, negative child width.
    assert_eq!(snapshot.report.sanitized_values, 6);
}

#[test]
fn a_10_mb_string_is_clamped_and_counted() {
    let rules = PrivacyRules { mode: MaskMode::Allow, allow_images: true };
    let mut root = ViewNode::new(1, None, NodeKind::Text, PxRect::new(0.0, 0.0, 10.0, 10.0));
    root.text = Some("é".repeat(5 * 1024 * 1024));
    let snapshot = capture(ViewTree::new(vec![], vec![root]), &rules);
    match &snapshot.nodes[0].props.text {
        Some(Text::Plain(s)) => assert_eq!(s.chars().count(), RecorderConfig::default().max_text_chars),
        other => panic!("unexpected text {other:?}"),
    }
    assert_eq!(snapshot.report.clamped_strings, 1);
}

#[test]
fn duplicate_identities_get_distinct_stable_ids() {
    let rules = PrivacyRules::default();
    let (mut writer, stats) = writer(RecorderConfig::default());
    let tree = || {
        let mut t = ViewTree::default();
        let root = t.push(ViewNode::new(7, None, NodeKind::Container, PxRect::new(0.0, 0.0, 300.0, 300.0)));
        for i in 0..3 {
            t.push(ViewNode::new(42, Some(root), NodeKind::Button, PxRect::new(0.0, 90.0 * i as f32, 90.0, 90.0)));
        }
        t
    };
    writer.snapshot(T0, capture(tree(), &rules));
    writer.snapshot(T0 + 1000, capture(tree(), &rules));
    writer.seal();
    let segments = writer.take_sealed();
    let steps = replay_steps(&segments);
    assert_eq!(steps.len(), 1, "the repeat is unchanged, so only the keyframe is written");
    assert_eq!(steps[0].1.len(), 4);
    assert_eq!(stats.snapshot().duplicate_identities, 4);
}

#[test]
fn hidden_subtrees_are_empty_boxes() {
    let rules = PrivacyRules { mode: MaskMode::Allow, allow_images: true };
    let mut t = ViewTree::default();
    let root = t.push(ViewNode::new(1, None, NodeKind::Container, PxRect::new(0.0, 0.0, 300.0, 300.0)));
    let mut card = ViewNode::new(2, Some(root), NodeKind::Container, PxRect::new(0.0, 0.0, 300.0, 150.0));
    card.privacy = PrivacyOverride::Hide;
    card.content_description = Some("Card of Alice".into());
    let card = t.push(card);
    let mut secret = ViewNode::new(3, Some(card), NodeKind::Text, PxRect::new(0.0, 0.0, 300.0, 50.0));
    secret.text = Some("IBAN FR76 3000".into());
    t.push(secret);
    t.push(ViewNode::new(4, Some(root), NodeKind::Text, PxRect::new(0.0, 150.0, 300.0, 50.0)));
    let snapshot = capture(t, &rules);
    assert_eq!(snapshot.nodes.len(), 3);
    assert!(snapshot.nodes[1].props.has(flag::HIDDEN));
    assert_eq!(snapshot.nodes[1].props.description, None);
}

#[test]
fn breadth_first_input_gives_the_same_snapshot_as_depth_first() {
    let rules = PrivacyRules::default();
    let tree = Feed::new(300).tree();
    // Reorder breadth-first, remapping parent indices.
    let mut order = vec![0usize];
    let mut i = 0;
    while i < order.len() {
        let parent = order[i] as u32;
        order.extend(tree.nodes.iter().enumerate().filter(|(_, n)| n.parent == Some(parent)).map(|(j, _)| j));
        i += 1;
    }
    let mut position = vec![0u32; tree.nodes.len()];
    for (new, &old) in order.iter().enumerate() {
        position[old] = new as u32;
    }
    let bfs = ViewTree::new(
        tree.classes.clone(),
        order
            .iter()
            .map(|&old| {
                let mut n = tree.nodes[old].clone();
                n.parent = n.parent.map(|p| position[p as usize]);
                n
            })
            .collect(),
    );
    assert_ne!(bfs, tree);
    assert_eq!(of_snapshot(&capture(bfs, &rules)), of_snapshot(&capture(tree, &rules)));
}

#[test]
fn an_out_of_range_class_index_names_the_empty_class() {
    let rules = PrivacyRules::default();
    let mut root = ViewNode::new(1, None, NodeKind::Container, PxRect::new(0.0, 0.0, 10.0, 10.0));
    root.class = 0;
    let mut child = ViewNode::new(2, Some(0), NodeKind::Container, PxRect::new(0.0, 0.0, 10.0, 10.0));
    child.class = 99;
    let snapshot = capture(ViewTree::new(vec!["android.widget.FrameLayout".into()], vec![root, child]), &rules);
    let canonical = of_snapshot(&snapshot);
    assert_eq!(canonical[0].class, "android.widget.FrameLayout");
    assert_eq!(canonical[1].class, "");
}
