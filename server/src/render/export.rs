//! A stored session as a GIF, or one moment of it as a PNG, drawn as the web player draws it.
//!
//! Both walk the foundation's [`Timeline`] (each frame rebuilt from the nearest keyframe and the
//! diffs after it), draw it with [`draw_frame`] and overlay [`Overlays`], and paint with
//! [`paint`](super::paint()).
//!
//! The GIF has one frame per change: each snapshot, and each overlay sample while a finger is
//! down or a ripple fades (`fps` samples a second, from [`Overlays::frames`]). Each frame is shown
//! until the next change, except long inactivity: a stretch of more than
//! [`GifOptions::idle_after_ms`] (3 s) with no snapshot and no overlay is shown for
//! [`GifOptions::idle_shown_ms`] (1 s) instead. The delays
//! add up to the session's length so shortened (GIF delays are hundredths of a second; changes
//! less than 20 ms apart are merged, since viewers slow down shorter frames).


use image::{ImageFormat, RgbaImage};
use reprise_core::SessionId;

use super::gif::GifWriter;
use super::paint::{paint, paint_onto, pixel};
use crate::error::{RenderError, ReplayLoadError};
use crate::replay::scene::PAGE;
use crate::replay::{Op, Overlays, Scene, Timeline};
use crate::store::SegmentStore;

/// The smallest scale accepted, pixels per dp.
pub const MIN_SCALE: f32 = 0.1;
/// The largest scale accepted, pixels per dp.
pub const MAX_SCALE: f32 = 8.0;

/// How a GIF is made.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GifOptions {
    /// Pixels per dp.
    pub scale: f32,
    /// Overlay samples per second while something moves.
    pub fps: u32,
    /// A stretch without change longer than this is inactivity, ms.
    pub idle_after_ms: i64,
    /// How long inactivity is shown, ms.
    pub idle_shown_ms: i64,
}

impl Default for GifOptions {
    fn default() -> Self {
        GifOptions { scale: 1.0, fps: 15, idle_after_ms: 3_000, idle_shown_ms: 1_000 }
    }
}

impl GifOptions {
    /// How long a stretch of `ms` without change is shown.
    pub fn shown(&self, ms: i64) -> i64 {
        if ms > self.idle_after_ms { self.idle_shown_ms.min(ms) } else { ms.max(0) }
    }
}

fn check_scale(scale: f32) -> Result<(), RenderError> {
    if (MIN_SCALE..=MAX_SCALE).contains(&scale) {
        Ok(())
    } else {
        Err(RenderError::Scale { value: scale, min: MIN_SCALE, max: MAX_SCALE })
    }
}

/// Reads a stored session for rendering from `store`.
pub fn load_session(store: &dyn SegmentStore, session: SessionId) -> Result<Timeline, RenderError> {
    if store.sessions().map_err(ReplayLoadError::from)?.is_empty() {
        return Err(RenderError::NoData(store.describe()));
    }
    match Timeline::load(store, session) {
        Err(ReplayLoadError::NotFound(session)) => Err(RenderError::UnknownSession { session, place: store.describe() }),
        other => Ok(other?),
    }
}

/// The Unix ms `seconds` after the session's first record; an error past its last record.
pub fn time_at(timeline: &Timeline, seconds: f64) -> Result<i64, RenderError> {
    let length_ms = timeline.end_ms() - timeline.start_ms();
    let ms = seconds * 1000.0;
    if !(ms.is_finite() && ms >= 0.0 && ms.round() <= length_ms as f64) {
        return Err(RenderError::OutOfRange { at_s: seconds, length_s: length_ms as f64 / 1000.0 });
    }
    Ok(timeline.start_ms() + ms.round() as i64)
}

/// Seconds from the session's first record to `time_ms`.
fn seconds_in(timeline: &Timeline, time_ms: i64) -> f64 {
    (time_ms - timeline.start_ms()) as f64 / 1000.0
}

/// The scene in effect at `time_ms` (the last snapshot at or before it), if any.
pub fn scene_at(timeline: &Timeline, time_ms: i64) -> Option<Scene> {
    timeline.frame_at(time_ms).map(|(at, frame)| timeline.scene(at, &frame))
}

/// The moment `time_ms` (Unix ms) as a PNG: the frame in effect and the overlay at that moment,
/// at `scale` pixels per dp.
pub fn render_png(timeline: &Timeline, time_ms: i64, scale: f32) -> Result<Vec<u8>, RenderError> {
    check_scale(scale)?;
    let first = timeline.snapshots.first().ok_or(RenderError::NoSnapshots(timeline.session_id))?;
    if time_ms < timeline.start_ms() || time_ms > timeline.end_ms() {
        return Err(RenderError::OutOfRange {
            at_s: seconds_in(timeline, time_ms),
            length_s: seconds_in(timeline, timeline.end_ms()),
        });
    }
    let scene = scene_at(timeline, time_ms).ok_or(RenderError::BeforeFirstSnapshot {
        at_s: seconds_in(timeline, time_ms),
        first_s: seconds_in(timeline, first.time_ms),
    })?;
    let image = paint(&scene, &Overlays::of(timeline).at(time_ms), scale);
    let mut png = std::io::Cursor::new(Vec::new());
    image.write_to(&mut png, ImageFormat::Png).map_err(|e| RenderError::Encode(e.to_string()))?;
    Ok(png.into_inner())
}

/// Height of the caption strip under a captioned PNG, dp.
pub const CAPTION_DP: f32 = 28.0;

/// [`render_png`] with `caption` written in a strip under the picture (what the picture shows,
/// for a person who finds the file later).
pub fn render_png_captioned(timeline: &Timeline, time_ms: i64, scale: f32, caption: &str) -> Result<Vec<u8>, RenderError> {
    let png = render_png(timeline, time_ms, scale)?;
    let picture = image::load_from_memory(&png).map_err(|e| RenderError::Encode(e.to_string()))?.to_rgba8();
    let strip = Scene {
        time_ms,
        width: (picture.width() as f32 / scale).round() as u32,
        height: CAPTION_DP as u32,
        background: 0xFF1F_2937,
        ops: vec![Op::Text {
            x: 8.0,
            y: CAPTION_DP * 0.68,
            size: 12.0,
            color: 0xFFF9_FAFB,
            text: caption.to_owned(),
            max_w: picture.width() as f32 / scale - 16.0,
            clip: None,
        }],
    };
    let strip = paint(&strip, &[], scale);
    let mut out = RgbaImage::new(picture.width(), picture.height() + strip.height());
    image::imageops::replace(&mut out, &picture, 0, 0);
    image::imageops::replace(&mut out, &strip, 0, i64::from(picture.height()));
    let mut bytes = std::io::Cursor::new(Vec::new());
    out.write_to(&mut bytes, ImageFormat::Png).map_err(|e| RenderError::Encode(e.to_string()))?;
    Ok(bytes.into_inner())
}

/// A moment the GIF shows: its time and, for an overlay sample, what the overlay draws.
struct Moment {
    time_ms: i64,
    overlay: Option<Vec<Op>>,
}

/// The moments of change between the session's first and last record, in order, one per time.
fn moments(timeline: &Timeline, overlays: &Overlays, fps: u32) -> Vec<Moment> {
    let (start, end) = (timeline.start_ms(), timeline.end_ms());
    let mut out: Vec<Moment> = overlays
        .frames(fps, start, end)
        .into_iter()
        .filter(|f| (start..=end).contains(&f.time_ms))
        .map(|f| Moment { time_ms: f.time_ms, overlay: Some(f.ops) })
        .collect();
    out.push(Moment { time_ms: start, overlay: None });
    out.extend(timeline.snapshots.iter().map(|s| Moment { time_ms: s.time_ms, overlay: None }));
    // Stable: at equal times the overlay sample (first) is kept.
    out.sort_by_key(|m| m.time_ms);
    out.dedup_by_key(|m| m.time_ms);
    out
}

/// The whole session as a looping GIF (see the module documentation for its frames and delays).
pub fn render_gif(timeline: &Timeline, options: &GifOptions) -> Result<Vec<u8>, RenderError> {
    check_scale(options.scale)?;
    if timeline.snapshots.is_empty() {
        return Err(RenderError::NoSnapshots(timeline.session_id));
    }
    let overlays = Overlays::of(timeline);
    let moments = moments(timeline, &overlays, options.fps);
    // Where each moment starts on the GIF's clock (inactivity shortened), in hundredths of a
    // second, rounded from the running total so rounding never adds up.
    let mut clock = 0i64;
    let mut starts = Vec::with_capacity(moments.len() + 1);
    for (i, moment) in moments.iter().enumerate() {
        starts.push((clock + 5) / 10);
        let next = moments.get(i + 1).map_or(timeline.end_ms(), |m| m.time_ms);
        clock += options.shown(next - moment.time_ms);
    }
    let end_cs = ((clock + 5) / 10).max(starts.last().map_or(0, |s| s + 2));
    starts.push(end_cs);

    let mut frames = timeline.frames_from(0).peekable();
    let mut base: Option<RgbaImage> = None;
    let mut writer: Option<GifWriter> = None;
    let mut shown_from = 0i64;
    for (i, moment) in moments.iter().enumerate() {
        let mut latest = None;
        while let Some((at, _)) = frames.peek() {
            if at.time_ms > moment.time_ms {
                break;
            }
            latest = frames.next();
        }
        if let Some((at, frame)) = latest {
            let scene = timeline.scene(at, &frame);
            base = Some(paint(&scene, &[], options.scale));
        }
        let until = starts[i + 1];
        if until - shown_from < 2 && i + 1 < moments.len() {
            // Too short to show on its own: the next moment starts earlier instead.
            continue;
        }
        let Some(painted) = &base else {
            continue;
        };
        let writer = match &mut writer {
            Some(writer) => writer,
            None => writer.insert(GifWriter::new(painted.width(), painted.height())?),
        };
        let mut image = if painted.dimensions() == writer.dimensions() {
            painted.clone()
        } else {
            // The screen turned: the GIF keeps its first size, the page fills the rest.
            let (gw, gh) = writer.dimensions();
            let mut image = RgbaImage::from_pixel(gw, gh, pixel(PAGE));
            image::imageops::replace(&mut image, painted, 0, 0);
            image
        };
        let ops = moment.overlay.clone().unwrap_or_else(|| overlays.at(moment.time_ms));
        paint_onto(&mut image, &ops, options.scale);
        writer.frame(image, u32::try_from(until - shown_from).unwrap_or(0))?;
        shown_from = until;
    }
    writer.ok_or(RenderError::NoSnapshots(timeline.session_id))?.finish()
}
