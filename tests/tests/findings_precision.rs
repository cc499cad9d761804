//! Precision of the collector's layout analysis on real screens: every layout finding
//! `analyze_segment` reports on the 20 RICO screens, captured as a default-configured recorder
//! sends them (`PrivacyRules::default()`, RICO's 3.5 px per dp), is matched to a label in
//! `tests/data/findings-labels.json`, judged by a person against the screen's screenshot
//! (`/work/shared/fixtures/rico/<id>.jpg`; provenance in `tests/data/SOURCES.md`).
//!
//! A finding with no label fails the test, and so does a label marked as reported now that no
//! finding matches: a rule change must come with its findings relabelled. Precision per kind
//! (true / reported) is printed and must not fall below the figures measured when the set was
//! labelled; the number of true findings per kind must not fall either, so precision is not
//! bought by hiding true findings.
//!
//! `cargo test -p reprise-fixtures --test findings_precision -- --nocapture` prints every finding
//! (screen, kind, node, class, id name, rect in dp and in screenshot pixels, label, detail) and
//! the table; docs/ARCHITECTURE.md ("Analysis") quotes it.

mod common;

use common::{rules, writer};
use reprise_fixtures::kit::screens::{all_rico, dir, rico};
use reprise_fixtures::kit::session::{T0, capture};
use reprise_core::{DecodeLimits, MaskMode, PrivacyRules, Replayer, decode};
use reprise_server::analysis::analyze_segment;
use serde_json::{Value, json};

/// The ratchet, per kind (kind, true, reported): precision (true / reported) and the number of
/// true findings must not fall below these. Measured now: overlap 1 / 1, small_target 26 / 28
/// (93%), truncated_text 0 / 1, none off-screen or clipped; 27 / 30 (90%) in all. Before the
/// radio circles of a clickable list stopped counting as targets (main at 27a28ff, and ecf21b1,
/// which reports the same 40 findings): small_target 26 / 38 (68%), 27 / 40 (68%) in all.
const MEASURED: [(&str, usize, usize); 5] =
    [("off_screen", 0, 0), ("clipped", 0, 0), ("overlap", 1, 1), ("small_target", 26, 28), ("truncated_text", 0, 1)];

/// One layout finding as the collector reports it, with what names its node.
#[derive(Debug, Clone, PartialEq)]
struct Reported {
    screen: String,
    kind: String,
    node_id: u32,
    class: String,
    id_name: Option<String>,
    /// `[x, y, w, h]` in dp.
    rect_dp: [i64; 4],
    detail: String,
}

impl Reported {
    /// The label key: node ids may change with capture, class, id name and bounds do not.
    fn key(&self) -> Value {
        json!({"screen": self.screen, "kind": self.kind, "node_class": self.class, "id_name": self.id_name, "rect_dp": self.rect_dp})
    }
}

/// Every layout finding on RICO screen `id` captured with `rules`.
fn reported(id: &str, rules: PrivacyRules) -> Vec<Reported> {
    let screen = rico(id);
    let (mut writer, _) = writer(&screen, rules);
    writer.snapshot(T0, capture(&screen.tree, screen.density, &rules));
    writer.seal();
    let segment = writer.take_sealed().remove(0);
    let decoded = decode(&segment.bytes, DecodeLimits::default()).expect("a sealed segment decodes");
    let mut replayer = Replayer::new();
    for r in &decoded.records.records {
        replayer.apply(&r.record).expect("a recorded record applies");
    }
    let frame = replayer.frame().expect("a keyframe was replayed");
    let findings = analyze_segment(segment.header.id().session, segment.header.sequence, decoded);
    findings
        .into_iter()
        .filter(|f| f.kind.is_layout())
        .map(|f| {
            let node = frame.nodes.iter().find(|n| n.id == f.node_id).expect("a finding names a node of the frame");
            Reported {
                screen: id.to_owned(),
                kind: f.kind.name().to_owned(),
                node_id: f.node_id,
                class: replayer.class_name(node.class).expect("the class was defined").to_owned(),
                id_name: replayer.detail(f.node_id).and_then(|d| d.id_name.clone()),
                rect_dp: [f.rect.x, f.rect.y, f.rect.w, f.rect.h],
                detail: f.detail,
            }
        })
        .collect()
}

fn labels() -> Value {
    let path = dir().join("findings-labels.json");
    serde_json::from_str(&std::fs::read_to_string(&path).expect("the labels file is read")).expect("the labels file parses")
}

/// The key fields of a label, as [`Reported::key`] gives them.
fn label_key(label: &Value) -> Value {
    json!({
        "screen": label["screen"], "kind": label["kind"], "node_class": label["node_class"],
        "id_name": label["id_name"], "rect_dp": label["rect_dp"],
    })
}

/// `[left, top, right, bottom]` of a dp rect in the pixels of a screenshot `width` px wide
/// (RICO bounds are 1440 px across at 3.5 px per dp).
fn screenshot_px(rect: [i64; 4], width: f64) -> [i64; 4] {
    let scale = reprise_fixtures::rico::DENSITY as f64 * width / f64::from(reprise_fixtures::rico::WIDTH_PX);
    let px = |v: i64| (v as f64 * scale).round() as i64;
    [px(rect[0]), px(rect[1]), px(rect[0] + rect[2]), px(rect[1] + rect[3])]
}

#[test]
fn every_finding_on_the_rico_screens_is_labelled_and_precision_holds() {
    let labels = labels();
    let set = labels["labels"].as_array().expect("a list of labels");
    let now: Vec<&Value> = set.iter().filter(|l| l["reported_now"] == json!(true)).collect();
    for (i, a) in now.iter().enumerate() {
        for b in &now[i + 1..] {
            assert_ne!(label_key(a), label_key(b), "two labels share a key");
        }
        assert!(a["label"].is_boolean() && a["reason"].as_str().is_some_and(|r| !r.is_empty()), "{a}");
    }
    let mut unlabelled = Vec::new();
    let mut matched = vec![false; now.len()];
    let mut counts: Vec<(usize, usize)> = vec![(0, 0); MEASURED.len()];
    for (id, _) in all_rico() {
        let found = reported(&id, PrivacyRules::default());
        // What the analysis sees does not depend on masking: text keeps its shape.
        assert_eq!(found, reported(&id, rules(MaskMode::Allow)), "RICO {id}: masked and unmasked findings differ");
        let width = labels["screenshot_width_px"][&id].as_f64().unwrap_or_else(|| panic!("RICO {id}: screenshot width"));
        for f in found {
            let at = now.iter().position(|l| label_key(l) == f.key());
            let label = at.map(|k| now[k]["label"].as_bool().expect("a boolean label"));
            let k = MEASURED.iter().position(|m| m.0 == f.kind).expect("a layout kind");
            counts[k].1 += 1;
            counts[k].0 += usize::from(label == Some(true));
            if let Some(at) = at {
                matched[at] = true;
            } else {
                unlabelled.push(f.key());
            }
            let px = screenshot_px(f.rect_dp, width);
            let name = f.id_name.as_deref().unwrap_or("-");
            let shown = label.map_or("UNLABELLED", |t| if t { "TRUE" } else { "FALSE" });
            println!("{id} {} node {} {} {name} dp {:?} px {px:?} {shown}: {}", f.kind, f.node_id, f.class, f.rect_dp, f.detail);
        }
    }
    let stale: Vec<&Value> = now.iter().zip(&matched).filter(|(_, m)| !**m).map(|(l, _)| *l).collect();
    println!("\n| kind | reported | true | precision |\n| --- | --- | --- | --- |");
    let (mut t_all, mut n_all) = (0, 0);
    for ((kind, _, _), (t, n)) in MEASURED.iter().zip(&counts) {
        println!("| {kind} | {n} | {t} | {} |", precision(*t, *n));
        (t_all, n_all) = (t_all + t, n_all + n);
    }
    println!("| all | {n_all} | {t_all} | {} |", precision(t_all, n_all));
    let unlabelled: Vec<String> = unlabelled.iter().map(Value::to_string).collect();
    assert!(unlabelled.is_empty(), "findings with no label (label them against the screenshots):\n{}", unlabelled.join("\n"));
    assert!(stale.is_empty(), "labels marked reported_now that no finding matches:\n{stale:#?}");
    for ((kind, t0, n0), (t, n)) in MEASURED.iter().zip(&counts) {
        assert!(t >= t0, "{kind}: {t} true findings, {t0} when measured");
        // t / n >= t0 / n0, in integers.
        assert!(*n == 0 || t * n0 >= t0 * n, "{kind}: precision {} under {} measured", precision(*t, *n), precision(*t0, *n0));
    }
    let (t0, n0) = MEASURED.iter().fold((0, 0), |(t, n), m| (t + m.1, n + m.2));
    assert!(t_all >= t0 && t_all * n0 >= t0 * n_all, "overall: {t_all} / {n_all} true, {t0} / {n0} measured");
}

/// `t / n` as a percentage, or a dash when nothing was reported.
fn precision(t: usize, n: usize) -> String {
    if n == 0 { "-".to_owned() } else { format!("{:.0}% ", 100.0 * t as f64 / n as f64).trim().to_owned() }
}
