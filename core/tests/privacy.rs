//! Property: no masked string ever appears in any byte the core produces.

use proptest::prelude::*;
use reprise_core::segment::{SegmentHeader, decompress_body};
use reprise_core::{
    DecodeLimits, MaskMode, NodeFlags, NodeKind, PrivacyOverride, PrivacyRules, PxRect, RecorderConfig, ViewNode,
    ViewTree,
};
use reprise_fixtures::kit::feed::{capture, writer};

#[derive(Debug, Clone)]
struct NodeSpec {
    parent_pick: usize,
    kind: NodeKind,
    privacy: PrivacyOverride,
    password: bool,
    text: Option<String>,
    description: Option<String>,
}

fn kind() -> impl Strategy<Value = NodeKind> {
    prop::sample::select(NodeKind::ALL.to_vec())
}

fn privacy() -> impl Strategy<Value = PrivacyOverride> {
    // Unmask is left out: with it a string may legitimately be shown.
    prop::sample::select(vec![PrivacyOverride::Inherit, PrivacyOverride::Inherit, PrivacyOverride::Mask, PrivacyOverride::Hide])
}

fn text() -> impl Strategy<Value = Option<String>> {
    // Random Unicode, long enough that a chance match in compressed bytes is negligible.
    prop::option::of("\\PC{6,40}")
}

fn node_spec() -> impl Strategy<Value = NodeSpec> {
    (any::<usize>(), kind(), privacy(), prop::bool::weighted(0.1), text(), text()).prop_map(
        |(parent_pick, kind, privacy, password, text, description)| NodeSpec { parent_pick, kind, privacy, password, text, description },
    )
}

fn build(specs: &[NodeSpec]) -> ViewTree {
    let nodes = specs
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let parent = (i > 0).then(|| (s.parent_pick % i) as u32);
            let mut n = ViewNode::new(i as u64 * 31 + 5, parent, s.kind, PxRect::new(i as f32, 2.0 * i as f32, 90.0, 30.0));
            n.flags = NodeFlags { password: s.password, ..NodeFlags::visible() };
            n.privacy = s.privacy;
            n.text = s.text.clone();
            n.content_description = s.description.clone();
            n
        })
        .collect();
    ViewTree::new(vec!["android.view.View".into()], nodes)
}

/// The strings that must be masked: all of them under MaskAll; under Allow, those of password
/// nodes and of nodes with a Mask or Hide override on themselves or an ancestor.
fn must_mask(specs: &[NodeSpec], mode: MaskMode) -> Vec<String> {
    let mut out = Vec::new();
    for (i, s) in specs.iter().enumerate() {
        let mut masked = mode == MaskMode::MaskAll || s.password;
        let mut at = Some(i);
        while let Some(j) = at {
            masked |= matches!(specs[j].privacy, PrivacyOverride::Mask | PrivacyOverride::Hide);
            at = (j > 0).then(|| specs[j].parent_pick % j);
        }
        if masked {
            out.extend(s.text.iter().chain(&s.description).cloned());
        }
    }
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn masked_text_never_reaches_any_byte(
        specs in prop::collection::vec(node_spec(), 1..60),
        allow in any::<bool>(),
        changed in prop::collection::vec(node_spec(), 1..60),
    ) {
        let mode = if allow { MaskMode::Allow } else { MaskMode::MaskAll };
        let rules = PrivacyRules { mode, allow_images: allow };
        let (mut writer, _) = writer(RecorderConfig::default());
        let mut secrets = must_mask(&specs, mode);
        secrets.extend(must_mask(&changed, mode));

        let first = capture(build(&specs), &rules);
        let second = capture(build(&changed), &rules);
        // What is queued for the worker holds no secret either.
        let queued = format!("{first:?}{second:?}");
        writer.snapshot(1_700_000_000_000, first);
        writer.snapshot(1_700_000_001_000, second);
        writer.seal();
        for segment in writer.take_sealed() {
            let header = SegmentHeader::read(&segment.bytes).expect("header");
            let raw = decompress_body(&header, &segment.bytes, DecodeLimits::default()).expect("body");
            for secret in &secrets {
                prop_assert!(!contains(&segment.bytes, secret.as_bytes()), "in segment: {:?}", secret);
                prop_assert!(!contains(&raw, secret.as_bytes()), "in body: {:?}", secret);
                prop_assert!(!queued.contains(secret.as_str()), "in snapshot: {:?}", secret);
            }
        }
    }
}

#[test]
fn the_check_can_fail_when_text_is_allowed() {
    // Guard against a vacuous property: shown text does reach the bytes.
    let specs = vec![NodeSpec {
        parent_pick: 0,
        kind: NodeKind::Text,
        privacy: PrivacyOverride::Inherit,
        password: false,
        text: Some("visible-label-ÿ".into()),
        description: None,
    }];
    let rules = PrivacyRules { mode: MaskMode::Allow, allow_images: true };
    let (mut writer, _) = writer(RecorderConfig::default());
    writer.snapshot(1_700_000_000_000, capture(build(&specs), &rules));
    writer.seal();
    let segment = writer.take_sealed().remove(0);
    let header = SegmentHeader::read(&segment.bytes).expect("header");
    let raw = decompress_body(&header, &segment.bytes, DecodeLimits::default()).expect("body");
    assert!(contains(&raw, "visible-label-ÿ".as_bytes()));
    assert!(must_mask(&specs, MaskMode::Allow).is_empty());
    assert_eq!(must_mask(&specs, MaskMode::MaskAll), vec!["visible-label-ÿ".to_string()]);
}
