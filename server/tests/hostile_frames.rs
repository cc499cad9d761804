//! Frames come from untrusted segments: whatever their sizes, offsets, flags, colours, texts and
//! shapes, drawing them, judging their layout and painting them never panics (a panic here would
//! be a 500 at ingest or in the player), and the painting has the size the scene says.

use proptest::prelude::*;
use reprise_core::{Frame, FrameNode, NodeKind, NodeProps, Platform, Text, TextShape};
use reprise_server::analysis::layout_issues;
use reprise_server::render::paint;
use reprise_server::replay::{Rect, Screen, draw_frame, place};

fn coordinate() -> impl Strategy<Value = i32> {
    prop_oneof![-500..2000i32, any::<i32>(), Just(i32::MIN), Just(i32::MAX), Just(0)]
}

fn text() -> impl Strategy<Value = Option<Text>> {
    prop_oneof![
        Just(None),
        ".{0,60}".prop_map(|s| Some(Text::Plain(s))),
        ".{0,60}".prop_map(|s| Some(Text::Masked(TextShape::of(&s)))),
    ]
}

fn props() -> impl Strategy<Value = NodeProps> {
    (
        (0..NodeKind::ALL.len(), coordinate(), coordinate(), any::<u16>(), any::<u8>()),
        (proptest::option::of(any::<u32>()), proptest::option::of(any::<u32>()), any::<u16>(), any::<u16>()),
        (text(), text(), coordinate(), coordinate()),
    )
        .prop_map(|((kind, width, height, flags, alpha), (background, text_color, corner_radius, font_size), (text, description, scroll_x, scroll_y))| NodeProps {
            kind: NodeKind::ALL[kind],
            width,
            height,
            flags,
            alpha,
            background,
            text_color,
            corner_radius,
            font_size,
            text,
            description,
            scroll_x,
            scroll_y,
        })
}

/// Up to 40 nodes; each one's parent is an earlier node (or a node that does not exist).
fn frame() -> impl Strategy<Value = Frame> {
    proptest::collection::vec((any::<u32>(), coordinate(), coordinate(), props()), 1..40).prop_map(|nodes| Frame {
        nodes: nodes
            .into_iter()
            .enumerate()
            .map(|(i, (parent, x, y, props))| {
                let id = i as u32 + 1;
                let parent = match i {
                    0 => 0,
                    _ if parent % 7 == 0 => id + 100,
                    _ => 1 + parent % (id - 1),
                };
                FrameNode { id, parent, class: 0, x, y, props, clip: None }
            })
            .collect(),
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn hostile_frames_are_drawn_judged_and_painted_without_panicking(
        frame in frame(),
        width in 0u32..3000,
        height in 0u32..3000,
        density in prop_oneof![Just(0.0f32), Just(f32::NAN), 0.5f32..4.0],
        scale in 0.05f32..0.6,
        ios in any::<bool>(),
    ) {
        let screen = Screen { width, height, density };
        let placed = place(&frame, Rect::new(0, 0, i64::from(width), i64::from(height)));
        prop_assert_eq!(placed.len(), frame.nodes.len());
        let scene = draw_frame(1_000, &frame, screen);
        let platform = if ios { Platform::Ios } else { Platform::Android };
        let _ = layout_issues(1_000, &frame, screen, platform);
        let image = paint(&scene, &[], scale);
        prop_assert_eq!(image.width(), (width as f32 * scale).round() as u32);
        prop_assert_eq!(image.height(), (height as f32 * scale).round() as u32);
    }
}
