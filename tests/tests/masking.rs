//! Privacy on real screens: with the default rules no text or description of the source files
//! reaches a byte of a sealed segment, compressed or not, nor what the collector's player is sent
//! to draw it; with masking off the same strings are there, so the check can fail.

mod common;

use std::collections::BTreeSet;

use common::rules;
use reprise_core::segment::decompress_body;
use reprise_core::{DecodeLimits, MaskMode, SealedSegment, SegmentHeader};
use reprise_fixtures::kit::screens;
use reprise_fixtures::kit::session::{self, T0};
use reprise_fixtures::{ParsedScreen, data, ios};
use reprise_server::replay::{Timeline, draw_frame};
use serde_json::Value;

/// Shorter strings ("OK", "on") could turn up in binary data by chance.
const MIN_CHARS: usize = 4;

/// The strings a source file shows the user: (all of them, those of nodes the parser keeps).
fn source_strings(name: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let dir = data::default_dir();
    let mut all = BTreeSet::new();
    let mut kept = BTreeSet::new();
    let mut add = |s: Option<&str>, keep: bool| {
        if let Some(s) = s.filter(|s| s.chars().count() >= MIN_CHARS) {
            all.insert(s.to_owned());
            if keep {
                kept.insert(s.to_owned());
            }
        }
    };
    match name {
        "example.js" => {
            let source = data::read(&data::ios_flat_path(&dir)).expect("read");
            let raw: Value = serde_json::from_str(ios::json_literal(&source).expect("literal")).expect("JSON");
            for item in raw.as_array().into_iter().flatten() {
                add(item["text"].as_str(), true);
                add(item["accessibilityId"].as_str(), true);
            }
        }
        "UIAExample.js" => {
            let source = data::read(&data::ios_uia_path(&dir)).expect("read");
            let raw: Value = serde_json::from_str(ios::json_literal(&source).expect("literal")).expect("JSON");
            let mut stack = vec![&raw];
            while let Some(el) = stack.pop() {
                add(el["value"].as_str(), true);
                add(el["label"].as_str(), true);
                // `name` is recorded only where there is no label.
                add(el["name"].as_str(), el["label"].is_null());
                stack.extend(el.get("children").and_then(Value::as_array).into_iter().flatten());
            }
        }
        id => {
            let raw: Value = serde_json::from_str(&data::read(&data::rico_path(&dir, id)).expect("read")).expect("JSON");
            let mut stack = vec![(&raw["activity"]["root"], false)];
            while let Some((node, gone_above)) = stack.pop() {
                if node.is_null() {
                    continue;
                }
                let gone = gone_above || node["visibility"] == "gone";
                add(node["text"].as_str(), !gone);
                for d in node["content-desc"].as_array().into_iter().flatten() {
                    add(d.as_str(), !gone);
                }
                let children = node.get("children").and_then(Value::as_array).into_iter().flatten();
                stack.extend(children.map(|c| (c, gone)));
            }
        }
    }
    (all, kept)
}

/// Strings that are not private by themselves: class names, id names (`optionsMenu`: code, not
/// user data, recorded in clear for the inspector) and the session metadata. A source string
/// found inside one of them cannot be checked.
fn public_strings(screen: &ParsedScreen) -> Vec<String> {
    let m = screen.metadata();
    let mut out: Vec<String> = screen.tree.classes.clone();
    out.extend(screen.tree.nodes.iter().filter_map(|n| n.id_name.clone()));
    out.extend([m.os_name, m.os_version, m.device_manufacturer, m.device_model, m.locale, m.time_zone, m.app_id]);
    out.extend([m.app_version, m.app_build, m.sdk_version]);
    out
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    let needle = needle.as_bytes();
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// What the player is sent to draw a segment's last snapshot: its scene as JSON.
fn scene_json(sealed: &[u8]) -> Vec<u8> {
    let decoded = reprise_core::decode(sealed, DecodeLimits::default()).expect("decodes");
    let session = decoded.header.id().session;
    let timeline = Timeline::from_records(session, [(0, Ok(decoded))]);
    let (at, frame) = timeline.frame_at(timeline.end_ms()).expect("a snapshot");
    let scene = draw_frame(at.time_ms, &frame, timeline.screen_at(at.time_ms));
    serde_json::to_vec(&scene).expect("a scene serializes")
}

/// The sealed bytes and the decompressed body of a one-keyframe session of `screen`.
fn record(screen: &ParsedScreen, mode: MaskMode) -> (Vec<u8>, Vec<u8>) {
    let rules = rules(mode);
    let (mut writer, _) = common::writer(screen, rules);
    writer.snapshot(T0, session::capture(&screen.tree, screen.density, &rules));
    writer.seal();
    let segments: Vec<SealedSegment> = writer.take_sealed();
    assert_eq!(segments.len(), 1);
    let bytes = segments[0].bytes.clone();
    let header = SegmentHeader::read(&bytes).expect("header");
    let body = decompress_body(&header, &bytes, DecodeLimits::default()).expect("body");
    (bytes, body)
}

#[test]
fn no_source_text_reaches_a_segment_under_the_default_rules() {
    let mut checked = 0;
    let mut shown = 0;
    let mut drawn = 0;
    for (name, screen) in screens::all_screens() {
        let (all, kept) = source_strings(&name);
        let public = public_strings(&screen);
        let checkable = |s: &&String| !public.iter().any(|p| p.contains(s.as_str()));
        let skipped: Vec<&String> = all.iter().filter(|s| !checkable(s)).collect();
        if !skipped.is_empty() {
            println!("{name:>14}: not checkable (inside a class name, an id name or metadata): {skipped:?}");
        }
        let (sealed, body) = record(&screen, MaskMode::MaskAll);
        let scene = scene_json(&sealed);
        for s in all.iter().filter(checkable) {
            assert!(!contains(&body, s), "{name}: {s:?} is in the decompressed body under MaskAll");
            assert!(!contains(&sealed, s), "{name}: {s:?} is in the sealed bytes under MaskAll");
            assert!(!contains(&scene, s), "{name}: {s:?} is in the player's scene under MaskAll");
            checked += 1;
        }
        // With masking off the kept strings are all there in the body. (Not necessarily in the
        // sealed bytes: zstd Huffman-codes literals, so the body is the check that catches a
        // leak; the sealed bytes are checked above because they are what leaves the device.)
        let (sealed, body) = record(&screen, MaskMode::Allow);
        let kept: Vec<&String> = kept.iter().filter(checkable).collect();
        for s in &kept {
            assert!(contains(&body, s), "{name}: {s:?} is missing from the body under Allow");
        }
        // The scene draws text only where it fits (and no descriptions), so only some of it.
        let scene = scene_json(&sealed);
        drawn += kept.iter().filter(|s| contains(&scene, s)).count();
        shown += kept.len();
        println!("{name:>14}: {:>3} strings checked absent under MaskAll, {:>3} present under Allow", all.len(), kept.len());
    }
    println!("{checked} checks, {shown} strings shown with masking off, {drawn} of them drawn by the player");
    assert!(checked > 450 && shown > 350, "the check covers real text: {checked} / {shown}");
    assert!(drawn > 100, "the player's scenes carry real text when masking is off: {drawn}");
}
