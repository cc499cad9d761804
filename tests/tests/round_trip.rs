//! Every real screen, captured and written as one keyframe, comes back out of the sealed segment
//! exactly as captured.

mod common;

use common::rules;
use reprise_core::{MaskMode, NodeKind, Record, Text, frame::flag};
use reprise_fixtures::canonical;
use reprise_fixtures::kit::session::{self, T0};
use reprise_fixtures::kit::{replay, screens};

#[test]
fn every_real_screen_round_trips_through_a_sealed_segment() {
    for mode in [MaskMode::MaskAll, MaskMode::Allow] {
        let rules = rules(mode);
        for (name, screen) in screens::all_screens() {
            let what = format!("{name} ({mode:?})");
            let snapshot = session::capture(&screen.tree, screen.density, &rules);
            assert_eq!(snapshot.nodes.len(), screen.tree.nodes.len(), "{what}: nothing pruned");
            let expected = canonical::of_snapshot(&snapshot);
            let mut names: Vec<Option<String>> = snapshot.details.iter().map(|d| d.id_name.clone()).collect();
            let (mut writer, counters) = common::writer(&screen, rules);
            writer.snapshot(T0 + 5, snapshot);
            writer.seal();
            let segments = writer.take_sealed();
            assert_eq!(segments.len(), 1, "{what}: one segment");
            let decoded = replay::decode_all(&segments);
            let (header, records) = &decoded[0];
            assert!(header.has_keyframe(), "{what}: keyframe flag");
            assert_eq!((header.sequence, header.start_ms), (0, T0 + 5));
            assert_eq!(header.record_count as usize, records.len());
            let kinds: Vec<u64> = records.iter().map(|r| r.record.kind()).collect();
            let details = if names.is_empty() { vec![] } else { vec![17] };
            assert_eq!(kinds, [vec![1, 2, 3], details].concat(), "{what}: session, classes, keyframe, and its nodes' details");
            // The details (RICO's resource ids as id names) come back as captured.
            let mut stored: Vec<Option<String>> = records
                .iter()
                .filter_map(|r| match &r.record {
                    Record::Details(d) => Some(d.iter().map(|d| d.id_name.clone()).collect::<Vec<_>>()),
                    _ => None,
                })
                .flatten()
                .collect();
            names.sort();
            stored.sort();
            assert_eq!(stored, names, "{what}: id names");
            let stats = counters.snapshot();
            assert_eq!((stats.keyframes, stats.diffs, stats.segments), (1, 0, 1), "{what}");
            assert_eq!(stats.compressed_bytes, segments[0].bytes.len() as u64);
            assert_same_replay(&what, &expected, records);
            println!(
                "{what:>28}: {:>3} nodes, {:>6} raw bytes, {:>5} sealed bytes",
                expected.len(),
                header.raw_len,
                segments[0].bytes.len()
            );
        }
    }
}

fn assert_same_replay(what: &str, expected: &[canonical::CanonicalNode], records: &[reprise_core::TimedRecord]) {
    let actual = replay::replay(records);
    replay::assert_same(what, expected, &actual);
}

#[test]
fn real_screens_keep_their_real_quirks_through_capture() {
    // RICO 3360 has list rows whose right edge is left of their left edge (width -55 px) and
    // views whose bottom is above their top: capture records 0 and counts each correction.
    let screen = screens::rico("3360");
    let snapshot = session::capture(&screen.tree, screen.density, &rules(MaskMode::MaskAll));
    assert!(snapshot.report.sanitized_values > 0, "negative widths are counted");
    let negative_widths = screen.tree.nodes.iter().filter(|n| n.bounds.width < 0.0).count();
    let negative_heights = screen.tree.nodes.iter().filter(|n| n.bounds.height < 0.0).count();
    assert_eq!((negative_widths, negative_heights), (24, 12));
    assert_eq!(snapshot.report.sanitized_values as usize, negative_widths + negative_heights);
    assert!(snapshot.nodes.iter().all(|n| n.props.width >= 0 && n.props.height >= 0));

    // Default rules: text is a shape, images are placeholders with masked descriptions.
    let screen = screens::rico("33618");
    let masked = session::capture(&screen.tree, screen.density, &rules(MaskMode::MaskAll));
    let texts = masked.nodes.iter().filter_map(|n| n.props.text.as_ref());
    assert!(texts.clone().count() > 50);
    assert!(texts.into_iter().all(|t| matches!(t, Text::Masked(_))));
    for n in masked.nodes.iter().filter(|n| n.props.kind == NodeKind::Image) {
        assert!(n.props.has(flag::IMAGE_PLACEHOLDER));
    }
    let shown = session::capture(&screen.tree, screen.density, &rules(MaskMode::Allow));
    assert!(shown.nodes.iter().filter_map(|n| n.props.text.as_ref()).all(|t| matches!(t, Text::Plain(_))));

    // The session record carries the device the screen came from.
    let (mut writer, _) = common::writer(&screen, rules(MaskMode::MaskAll));
    writer.snapshot(T0, masked);
    writer.seal();
    let decoded = replay::decode_all(&writer.take_sealed());
    match &decoded[0].1[0].record {
        Record::Session(info) => {
            assert_eq!(info.metadata.density, 3.5);
            assert_eq!((info.metadata.screen_width_px, info.metadata.screen_height_px), (1440, 2560));
        }
        other => panic!("first record is {other:?}"),
    }
}
