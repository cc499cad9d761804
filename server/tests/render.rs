//! Replay rendering on sessions recorded through the real core from real RICO screens: the
//! timeline rebuilds what the SDK captured (also across a lost segment), the painter puts pixels
//! where the scene and overlay say, the PNG and GIF exports match the painter, and
//! `reprise render` fails clearly.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;
use image::{AnimationDecoder, RgbaImage};
use reprise_core::frame::flag;
use reprise_core::mask::RunClass;
use reprise_core::gesture::GestureKind;
use reprise_core::{Frame, NodeKind, Record, Replayer, SessionId, Text};
use reprise_server::render::{self, GifOptions, paint, render_gif, render_png, scene_at};
use reprise_server::replay::overlay::RIPPLE_MS;
use reprise_server::replay::{Overlays, Placed, Rect, Screen, Timeline, draw_frame, place};
use reprise_server::{DirStore, SegmentStore};

/// A list screen (scrolled every second: 9 snapshots), a screen without a list (long still
/// stretches), and a dialog.
const SCREENS: [&str; 3] = ["33608", "3360", "2181"];

/// Records `screens` (one segment each) and stores them in a data directory.
fn stored(screens: &[&str]) -> (tempfile::TempDir, SessionId, RecordedSession) {
    let dir = tempfile::tempdir().expect("temp dir");
    let session = record_session(T0, screens, Some("user-42"));
    let store = DirStore::open(dir.path()).expect("store");
    for segment in &session.segments {
        store.put_if_absent(segment.header.id(), &segment.bytes).expect("put");
    }
    (dir, session.id, session)
}

fn load(data: &Path, id: SessionId) -> Timeline {
    Timeline::load(&DirStore::open(data).expect("store"), id).expect("loads")
}

/// The frame a replayer fed every record at or before `time_ms` has (the SDK's own decoding).
fn replayed_up_to(timeline: &Timeline, time_ms: i64) -> Option<Frame> {
    let mut replayer = Replayer::new();
    for r in timeline.records.iter().take_while(|r| r.time_ms <= time_ms) {
        replayer.apply(&r.record).expect("a recorded snapshot applies");
    }
    replayer.frame()
}

#[test]
fn every_moment_is_the_frame_a_replayer_fed_every_record_before_it_has() {
    let (dir, id, _) = stored(&SCREENS);
    let timeline = load(dir.path(), id);
    assert!(timeline.problems.is_empty(), "{:?}", timeline.problems);
    assert!(timeline.snapshots.len() > SCREENS.len(), "the list screen scrolls");
    for snapshot in &timeline.snapshots {
        for t in [snapshot.time_ms, snapshot.time_ms + 500] {
            let (at, frame) = timeline.frame_at(t).expect("a frame");
            assert!(at.time_ms <= t);
            assert_eq!(Some(frame), replayed_up_to(&timeline, t), "at {} ms", t - T0);
        }
    }
    assert!(timeline.frame_at(T0 - 1).is_none());
}

#[test]
fn a_lost_or_corrupt_middle_segment_is_listed_and_replay_resumes_at_the_next_keyframe() {
    for damage in ["missing", "corrupt"] {
        let (dir, id, session) = stored(&SCREENS);
        let path = segment_path(dir.path(), id, 1);
        if damage == "missing" {
            std::fs::remove_file(&path).expect("remove");
        } else {
            let mut bytes = std::fs::read(&path).expect("read");
            let middle = bytes.len() / 2;
            bytes[middle] ^= 0xFF;
            std::fs::write(&path, bytes).expect("write");
        }
        let timeline = load(dir.path(), id);
        assert_eq!(timeline.problems.iter().map(|p| p.sequence).collect::<Vec<_>>(), [1], "{damage}: {:?}", timeline.problems);
        // During the lost segment the last frame before it stays; from the next segment on, every
        // moment is what a replayer fed only that segment has.
        let lost_from = T0 + SCREEN_MS;
        let before = timeline.frame_at(lost_from - 1).expect("frame").1;
        assert_eq!(timeline.frame_at(lost_from + 5_000).expect("frame").1, before, "{damage}");
        let third = reprise_core::decode(&session.segments[2].bytes, Default::default()).expect("decodes");
        let mut replayer = Replayer::new();
        for r in &third.records.records {
            if replayer.apply(&r.record).expect("applies") {
                assert_eq!(timeline.frame_at(r.time_ms).map(|f| f.1), replayer.frame(), "{damage} at {} ms", r.time_ms - T0);
            }
        }
    }
}

/// The pixels that differ between two images of one size.
fn differences(a: &RgbaImage, b: &RgbaImage) -> Vec<(u32, u32)> {
    assert_eq!(a.dimensions(), b.dimensions());
    a.enumerate_pixels().filter(|(x, y, p)| b.get_pixel(*x, *y) != *p).map(|(x, y, _)| (x, y)).collect()
}

/// Whether pixel (x, y) at `scale` touches the dp rectangle `r` (anti-aliasing reaches one
/// pixel past an edge).
fn touches(r: Rect, x: u32, y: u32, scale: f32) -> bool {
    let (x, y) = (x as f32, y as f32);
    x + 1.0 > r.x as f32 * scale - 1.0
        && x < (r.x + r.w) as f32 * scale + 1.0
        && y + 1.0 > r.y as f32 * scale - 1.0
        && y < (r.y + r.h) as f32 * scale + 1.0
}

/// The first frame of each fixture screen, its screen and the ids of its visible nodes that
/// `keep` selects (by where they are placed).
fn nodes_where(timeline: &Timeline, keep: impl Fn(&Placed<'_>) -> bool) -> Vec<(Frame, Screen, Vec<u32>)> {
    (0..SCREENS.len() as i64)
        .map(|i| {
            let t = T0 + i * SCREEN_MS;
            let (frame, screen) = (timeline.frame_at(t).expect("frame").1, timeline.screen_at(t));
            let full = Rect::new(0, 0, i64::from(screen.width), i64::from(screen.height));
            let ids = place(&frame, full).iter().filter(|p| p.visible && keep(p)).map(|p| p.node.id).collect();
            (frame, screen, ids)
        })
        .collect()
}

/// Paints `frame` and a copy changed by `edit` at `scale`: the original image, the pixels that
/// differ, and where the edited node is placed (its rect and clip).
fn paint_edit(
    frame: &Frame,
    screen: Screen,
    node: u32,
    scale: f32,
    edit: impl FnOnce(&mut reprise_core::NodeProps),
) -> (RgbaImage, Vec<(u32, u32)>, Rect, Rect) {
    let mut edited = frame.clone();
    let target = edited.nodes.iter_mut().find(|n| n.id == node).expect("node");
    edit(&mut target.props);
    let full = Rect::new(0, 0, i64::from(screen.width), i64::from(screen.height));
    let placed = place(frame, full).into_iter().find(|p| p.node.id == node).expect("placed");
    let a = paint(&draw_frame(0, frame, screen), &[], scale);
    let b = paint(&draw_frame(0, &edited, screen), &[], scale);
    let diff = differences(&a, &b);
    (a, diff, placed.rect, placed.clip)
}

#[test]
fn masked_text_is_painted_as_bars_inside_its_node() {
    let (dir, id, _) = stored(&SCREENS);
    let timeline = load(dir.path(), id);
    let masked = |p: &Placed<'_>| match &p.node.props.text {
        Some(Text::Masked(shape)) => p.clip.contains(&p.rect) && shape.iter().any(|(class, _)| matches!(class, RunClass::Word)),
        _ => false,
    };
    let mut checked = 0;
    for (frame, screen, nodes) in nodes_where(&timeline, masked) {
        for node in nodes.into_iter().take(3) {
            let (_, diff, rect, _) = paint_edit(&frame, screen, node, 1.5, |p| p.text = None);
            assert!(!diff.is_empty(), "masked text of node {node} is drawn");
            assert!(diff.iter().all(|&(x, y)| touches(rect, x, y, 1.5)), "bars of node {node} stay in {rect:?}");
            checked += 1;
        }
    }
    assert!(checked > 0, "the fixtures have masked text (text is masked by default)");
}

#[test]
fn image_placeholders_are_boxes_with_a_cross() {
    let (dir, id, _) = stored(&SCREENS);
    let timeline = load(dir.path(), id);
    let scale = 2.0;
    let image_view = |p: &Placed<'_>| {
        let props = &p.node.props;
        props.kind == NodeKind::Image && props.background.is_none() && p.rect.w >= 24 && p.rect.h >= 24 && p.clip.contains(&p.rect)
    };
    let mut checked = 0;
    for (frame, screen, nodes) in nodes_where(&timeline, image_view) {
        for node in nodes {
            let (image, diff, rect, _) = paint_edit(&frame, screen, node, scale, |p| {
                p.kind = NodeKind::Container;
                p.flags &= !(flag::IMAGE_PLACEHOLDER | flag::CLICKABLE);
            });
            assert!(diff.iter().all(|&(x, y)| touches(rect, x, y, scale)), "placeholder {node} stays in {rect:?}");
            let at = |fx: f32, fy: f32| {
                (((rect.x as f32 + fx * rect.w as f32) * scale) as u32, ((rect.y as f32 + fy * rect.h as f32) * scale) as u32)
            };
            let (centre, off_cross) = (at(0.5, 0.5), at(0.5, 0.2));
            if !diff.contains(&centre) || !diff.contains(&off_cross) {
                continue; // a later node is drawn over it
            }
            let (centre, off_cross) = (image.get_pixel(centre.0, centre.1), image.get_pixel(off_cross.0, off_cross.1));
            assert_ne!(centre, off_cross, "the cross passes through the centre of {node}, not above it");
            assert_ne!(off_cross.0, [255, 255, 255, 255], "the box is filled");
            checked += 1;
        }
    }
    assert!(checked > 0, "the fixtures have image views");
}

#[test]
fn nothing_is_painted_outside_a_clipping_ancestor() {
    let (dir, id, _) = stored(&SCREENS);
    let timeline = load(dir.path(), id);
    let cut = |p: &Placed<'_>| !p.clip.contains(&p.rect) && !p.clip.intersect(&p.rect).is_empty();
    let mut checked = 0;
    for (frame, screen, nodes) in nodes_where(&timeline, cut) {
        for node in nodes.into_iter().take(5) {
            for scale in [1.0, 1.75] {
                let (_, diff, rect, clip) = paint_edit(&frame, screen, node, scale, |p| {
                    p.background = Some(0xFFFF_00FF);
                    p.alpha = 255;
                });
                let visible = clip.intersect(&rect);
                assert!(diff.iter().all(|&(x, y)| touches(visible, x, y, scale)), "node {node} {rect:?} stays in {clip:?}");
                // Pixels entirely outside the clip are never touched (no anti-aliasing bleed).
                let s = scale;
                let strictly_outside = |x: u32, y: u32| {
                    let (x, y) = (x as f32, y as f32);
                    x + 1.0 <= clip.x as f32 * s || x >= (clip.x + clip.w) as f32 * s || y + 1.0 <= clip.y as f32 * s || y >= (clip.y + clip.h) as f32 * s
                };
                assert!(!diff.iter().any(|&(x, y)| strictly_outside(x, y)), "node {node} bleeds out of {clip:?}");
                checked += usize::from(!diff.is_empty());
            }
        }
    }
    assert!(checked > 0, "the fixtures have views cut by a clipping ancestor");
}

#[test]
fn a_tap_ripples_at_its_point_while_it_lasts() {
    let (dir, id, _) = stored(&SCREENS);
    let timeline = load(dir.path(), id);
    let taps: Vec<(i64, f32, f32)> = timeline
        .records
        .iter()
        .filter_map(|r| match &r.record {
            Record::Gesture(g) if g.kind == GestureKind::Tap => Some((g.start_ms, g.x as f32, g.y as f32)),
            _ => None,
        })
        .collect();
    assert!(!taps.is_empty(), "the core's gesture engine found the recorded taps");
    let scale = 1.5;
    for (start, x, y) in taps {
        let png = |t: i64| image::load_from_memory(&render_png(&timeline, t, scale).expect("renders")).expect("decodes").to_rgba8();
        let bare = |t: i64| paint(&scene_at(&timeline, t).expect("scene"), &[], scale);
        let during = start + RIPPLE_MS / 2;
        let diff = differences(&png(during), &bare(during));
        let radius = 10.0 + 30.0 * 0.5;
        let on_ring = (((x + radius) * scale) as u32, (y * scale) as u32);
        assert!(diff.contains(&on_ring), "a ring of radius {radius} dp around the tap at ({x}, {y})");
        // The finger is already up: all that is drawn is the ring and the tap's short trail.
        let reach = (radius + 3.0) * scale + 2.0;
        assert!(diff.iter().all(|&(px, py)| (px as f32 - x * scale).hypot(py as f32 - y * scale) <= reach));
        let inside = ((x * scale) as u32, ((y - radius / 2.0) * scale) as u32);
        assert!(!diff.contains(&inside), "the ring is hollow");
        let after = start + RIPPLE_MS + 1;
        assert_eq!(png(after), bare(after), "no ripple after {RIPPLE_MS} ms");
    }
}

#[test]
fn a_png_is_the_painted_scene_and_overlay_of_its_moment() {
    let (dir, id, _) = stored(&SCREENS);
    let timeline = load(dir.path(), id);
    let overlays = Overlays::of(&timeline);
    let (start, end) = (timeline.start_ms(), timeline.end_ms());
    let busy = overlays.active().first().map(|s| (s.0 + s.1) / 2).expect("a gesture");
    for (t, scale) in [(start, 1.0), (start + 1_500, 2.0), (busy, 1.25), (end, 0.5)] {
        let png = image::load_from_memory(&render_png(&timeline, t, scale).expect("renders")).expect("a PNG").to_rgba8();
        let (_, frame) = timeline.frame_at(t).expect("frame");
        let at = timeline.frame_at(t).expect("frame").0;
        let expected = paint(&draw_frame(at.time_ms, &frame, timeline.screen_at(at.time_ms)), &overlays.at(t), scale);
        assert!(png == expected, "PNG at {} ms, scale {scale}", t - start);
    }
    assert!(matches!(render_png(&timeline, end + 1, 1.0), Err(reprise_server::RenderError::OutOfRange { .. })));
    assert!(matches!(render_png(&timeline, start, 0.0), Err(reprise_server::RenderError::Scale { .. })));
}

/// The session's length with every stretch longer than `idle_after` in which nothing changes (no
/// snapshot, no overlay drawn) shown for `shown` instead: computed from the snapshots and the
/// overlay's active spans.
fn shortened_length(timeline: &Timeline, idle_after: i64, shown: i64) -> i64 {
    let mut busy: Vec<(i64, i64)> = timeline.snapshots.iter().map(|s| (s.time_ms, s.time_ms)).collect();
    busy.extend(Overlays::of(timeline).active());
    busy.push((timeline.start_ms(), timeline.start_ms()));
    busy.sort_unstable();
    let (mut length, mut reached) = (0, timeline.start_ms());
    for (from, to) in busy.into_iter().chain([(timeline.end_ms(), timeline.end_ms())]) {
        let (from, to) = (from.min(timeline.end_ms()), to.min(timeline.end_ms()));
        if from > reached {
            let idle = from - reached;
            length += if idle > idle_after { shown } else { idle };
        }
        length += (to.max(reached) - from.max(reached)).max(0);
        reached = reached.max(to);
    }
    length
}

fn gif_frames(bytes: &[u8]) -> Vec<(RgbaImage, u32)> {
    let decoder = image::codecs::gif::GifDecoder::new(std::io::Cursor::new(bytes)).expect("a GIF");
    decoder
        .into_frames()
        .map(|f| {
            let f = f.expect("frame");
            let (n, d) = f.delay().numer_denom_ms();
            (f.into_buffer(), n / d)
        })
        .collect()
}

#[test]
fn the_gif_has_a_frame_per_change_and_lasts_the_session_with_inactivity_shortened() {
    let (dir, id, _) = stored(&SCREENS);
    let timeline = load(dir.path(), id);
    let screen = timeline.screen_at(timeline.start_ms());
    for options in [GifOptions::default(), GifOptions { scale: 0.75, fps: 20, idle_after_ms: i64::MAX, ..GifOptions::default() }] {
        let frames = gif_frames(&render_gif(&timeline, &options).expect("renders"));
        let size = ((screen.width as f32 * options.scale).round() as u32, (screen.height as f32 * options.scale).round() as u32);
        assert!(frames.iter().all(|f| f.0.dimensions() == size));
        // At least one frame per snapshot that changes the picture, and every overlay sample at most.
        let samples = Overlays::of(&timeline).frames(options.fps, timeline.start_ms(), timeline.end_ms()).len();
        let scenes: Vec<_> = timeline.snapshots.iter().map(|s| scene_at(&timeline, s.time_ms).expect("scene").ops).collect();
        let changes = 1 + scenes.windows(2).filter(|w| w[0] != w[1]).count();
        assert!((changes..=timeline.snapshots.len() + samples + 1).contains(&frames.len()), "{} frames, {changes} scene changes, {samples} samples", frames.len());
        let total: i64 = frames.iter().map(|f| i64::from(f.1)).sum();
        let expected = shortened_length(&timeline, options.idle_after_ms, options.idle_shown_ms);
        assert!((expected..=expected + 20).contains(&total), "delays add up to {total} ms, expected {expected} ms");
        if options.idle_after_ms == i64::MAX {
            assert!(total >= timeline.end_ms() - timeline.start_ms());
        } else {
            assert!(total < timeline.end_ms() - timeline.start_ms(), "the still stretches of the second screen are shortened");
        }
        // The first frame is the first screen, as painted (up to the palette: few colours).
        let first = paint(&scene_at(&timeline, timeline.start_ms()).expect("scene"), &[], options.scale);
        let close = frames[0].0.pixels().zip(first.pixels()).filter(|(a, b)| a != b).count();
        assert!(close * 20 < first.pixels().len(), "{close} of {} pixels differ on the first frame", first.pixels().len());
        if options.idle_after_ms == i64::MAX {
            shows_each_snapshot_when_it_was_taken(&timeline, &frames, options.scale);
        }
    }
}

/// Without shortening the GIF's clock is the session's: the frame shown just after each
/// snapshot is that snapshot and the overlay of that moment, as painted (each colour within the
/// palette's reach: 44.2 in RGB distance).
fn shows_each_snapshot_when_it_was_taken(timeline: &Timeline, frames: &[(RgbaImage, u32)], scale: f32) {
    let overlays = Overlays::of(timeline);
    let mut starts = vec![0i64];
    for (_, delay) in frames {
        starts.push(starts.last().copied().unwrap_or(0) + i64::from(*delay));
    }
    let mut checked = 0;
    for snapshot in &timeline.snapshots {
        let t = snapshot.time_ms;
        let clock = t - timeline.start_ms() + 5;
        let Some(k) = starts.windows(2).position(|w| (w[0]..w[1]).contains(&clock)) else { continue };
        if starts[k + 1] - clock < 20 {
            continue; // a change right after it was merged with this one
        }
        let expected = paint(&scene_at(timeline, t).expect("scene"), &overlays.at(t), scale);
        let worst = frames[k]
            .0
            .pixels()
            .zip(expected.pixels())
            .map(|(a, b)| (0..3).map(|c| f32::from(a[c].abs_diff(b[c])).powi(2)).sum::<f32>().sqrt())
            .fold(0.0, f32::max);
        assert!(worst <= 44.2, "GIF frame {k} at {} ms is the snapshot of that moment (worst pixel {worst})", t - timeline.start_ms());
        checked += 1;
    }
    assert!(checked * 2 > timeline.snapshots.len(), "{checked} of {} snapshots checked", timeline.snapshots.len());
}

fn reprise() -> Command {
    Command::new(env!("CARGO_BIN_EXE_reprise"))
}

fn run(args: &[&str], data: &Path) -> (Option<i32>, String) {
    let output = reprise().arg("render").args(args).arg("--data").arg(data).output().expect("runs");
    (output.status.code(), String::from_utf8_lossy(&output.stderr).into_owned())
}

#[test]
fn reprise_render_writes_a_png_or_a_gif_and_fails_clearly() {
    let (dir, id, _) = stored(&SCREENS[..1]);
    let out = tempfile::tempdir().expect("temp dir");
    let png = out.path().join("frame.png");
    let gif = out.path().join("replay.gif");
    let (png_s, gif_s) = (png.to_str().expect("utf-8"), gif.to_str().expect("utf-8"));
    let session = id.to_string();

    let (code, stderr) = run(&[&session, "--at", "2.1", "--scale", "1.5", "--out", png_s], dir.path());
    assert_eq!(code, Some(0), "{stderr}");
    let timeline = load(dir.path(), id);
    let t = render::time_at(&timeline, 2.1).expect("in the session");
    assert_eq!(std::fs::read(&png).expect("written"), render_png(&timeline, t, 1.5).expect("renders"));
    let (code, stderr) = run(&[&session, "--out", gif_s], dir.path());
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!gif_frames(&std::fs::read(&gif).expect("written")).is_empty());

    let cases: [(&[&str], i32, &str); 7] = [
        (&["0190d2a0-0000-7000-8000-000000000000", "--out", gif_s], 1, "`reprise sessions --data"),
        (&[&session, "--at", "9999", "--out", png_s], 1, "outside the session"),
        (&[&session, "--at", "-1", "--out", png_s], 1, "outside the session"),
        (&[&session, "--at", "1", "--out", gif_s], 2, ".png"),
        (&[&session, "--out", png_s], 2, "--at SECONDS"),
        (&[&session, "--out", "replay.mp4"], 2, ".gif"),
        (&["not-a-session", "--out", gif_s], 2, "not a session id"),
    ];
    for (args, code, message) in cases {
        let (got, stderr) = run(args, dir.path());
        assert_eq!(got, Some(code), "{args:?}: {stderr}");
        assert!(stderr.starts_with("reprise render: ") && stderr.contains(message), "{args:?}: {stderr}");
    }
    let empty = tempfile::tempdir().expect("temp dir");
    let (code, stderr) = run(&[&session, "--out", gif_s], empty.path());
    assert_eq!(code, Some(1));
    assert!(stderr.contains("no collector data under") && stderr.contains("data/collector"), "{stderr}");
    assert!(!empty.path().join("segments").exists(), "rendering creates nothing in the data directory");
}

/// A session whose replay would hold more than `max_replay_bytes` loads its first segments and
/// lists the rest as not loaded.
#[test]
fn a_replay_stops_loading_at_its_memory_budget() {
    let (dir, id, session) = stored(&SCREENS[..3]);
    assert!(session.segments.len() >= 3);
    let limits = reprise_server::Limits::default();
    let first: usize = reprise_core::decode(&session.segments[0].bytes, limits.decode())
        .expect("decodes")
        .records
        .records
        .iter()
        .map(reprise_core::TimedRecord::memory_bytes)
        .sum();
    let store = DirStore::open(dir.path()).expect("store");
    let timeline = Timeline::load_within(&store, id, limits.decode(), first).expect("loads");
    let last = session.segments.last().expect("segments").header.sequence;
    assert_eq!(timeline.problems.len(), 1, "{:?}", timeline.problems);
    let problem = &timeline.problems[0];
    assert_eq!((problem.sequence, problem.last_sequence), (1, last));
    assert!(problem.error.contains("not loaded"), "{}", problem.error);
    assert!(timeline.memory_bytes() <= first);
    assert_eq!(load(dir.path(), id).problems, Vec::new(), "the default budget loads it all");
}

/// A frames answer stops at its operation budget, says where, and always sends the first scene.
#[test]
fn a_frames_answer_stops_at_its_operation_budget() {
    use reprise_server::api::frames::{AnswerLimits, frames_within};
    let (dir, id, _) = stored(&SCREENS[..3]);
    let timeline = load(dir.path(), id);
    let (from, to) = (timeline.start_ms(), timeline.start_ms() + 60_000);
    let replay = reprise_server::api::Replay::of(timeline);
    let all = frames_within(&replay, from, to, AnswerLimits::default());
    assert!(all.frames.len() >= 3, "{} scenes", all.frames.len());
    let first_ops = all.frames[0].ops.len();
    let capped = frames_within(&replay, from, to, AnswerLimits { ops: first_ops, ..AnswerLimits::default() });
    assert_eq!(capped.frames.len(), 1, "the budget is spent by the first scene");
    assert!(capped.to_ms < all.frames[1].time_ms && capped.to_ms >= from, "to_ms says where it stopped");
    let none = frames_within(&replay, from, to, AnswerLimits { ops: 0, ..AnswerLimits::default() });
    assert_eq!(none.frames.len(), 1, "the first scene is always sent");
}
