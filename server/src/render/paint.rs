//! Rasterizes a [`Scene`] and an overlay into an RGBA image: the `reprise render` painter.
//!
//! It only draws the [`Op`]s it is given, scaled from dp to pixels, with anti-aliased coverage
//! (each pixel sampled at its centre against the shape's signed distance) and source-over
//! blending of ARGB colours, the way the web player's canvas draws them:
//! - `rect`: the rounded rectangle is filled, then its outline (`line` wide, centred on the edge)
//!   is stroked over the fill;
//! - `line`: butt caps (the canvas default); `path`: round joins and caps, the whole polyline
//!   blended once (so a translucent trail does not darken where its segments meet);
//! - `circle`: fill, then outline centred on the circle;
//! - `text`: [`FONT_TTF`](super::FONT_TTF) at `size` dp per em, the left end of the baseline at
//!   (`x`, `y`), kerned, squeezed horizontally to `max_w` when wider (canvas `fillText`'s
//!   `maxWidth`); nothing is drawn when `max_w` is not positive;
//! - a `clip` keeps each pixel's share of the clip rectangle, so nothing lands outside it.

use ab_glyph::{Font, PxScale, ScaleFont, point};
use image::RgbaImage;

use super::font::{em_scale, font};
use crate::replay::scene::{Clip, Op, Scene};

/// Paints `scene` and then `overlay` at `scale` pixels per dp. The image is
/// round(width x scale) by round(height x scale) pixels; fractional scales work.
pub fn paint(scene: &Scene, overlay: &[Op], scale: f32) -> RgbaImage {
    let width = (scene.width as f32 * scale).round().max(0.0) as u32;
    let height = (scene.height as f32 * scale).round().max(0.0) as u32;
    let mut image = RgbaImage::from_pixel(width, height, pixel(scene.background));
    paint_onto(&mut image, &scene.ops, scale);
    paint_onto(&mut image, overlay, scale);
    image
}

/// Paints `ops` over what `image` already shows, at `scale` pixels per dp.
pub fn paint_onto(image: &mut RgbaImage, ops: &[Op], scale: f32) {
    let mut canvas = Canvas { image: std::mem::take(image), scale, exhaustive: false };
    for op in ops {
        canvas.draw(op);
    }
    *image = canvas.image;
}

/// An ARGB colour as an image pixel.
pub fn pixel(argb: u32) -> image::Rgba<u8> {
    image::Rgba(rgba(argb))
}

/// `[r, g, b, a]` of an ARGB colour.
fn rgba(argb: u32) -> [u8; 4] {
    let [a, r, g, b] = argb.to_be_bytes();
    [r, g, b, a]
}

/// A clip rectangle in pixels.
#[derive(Debug, Clone, Copy)]
struct ClipPx {
    x0: f32,
    y0: f32,
    x1: f32,
    y1: f32,
}

impl ClipPx {
    /// The share of pixel (`x`, `y`) inside the clip.
    fn coverage(&self, x: u32, y: u32) -> f32 {
        let (x, y) = (x as f32, y as f32);
        let cx = ((x + 1.0).min(self.x1) - x.max(self.x0)).clamp(0.0, 1.0);
        let cy = ((y + 1.0).min(self.y1) - y.max(self.y0)).clamp(0.0, 1.0);
        cx * cy
    }
}

/// Coverage of a pixel whose centre is `d` pixels outside a shape's edge (negative inside).
fn inside(d: f32) -> f32 {
    (0.5 - d).clamp(0.0, 1.0)
}

/// Coverage of a band `width` pixels wide centred on an edge, `d` pixels from it. Bands under a
/// pixel are drawn one pixel wide and faded in proportion, as canvases do.
fn band(d: f32, width: f32) -> f32 {
    let drawn = width.max(1.0);
    inside(d.abs() - drawn / 2.0) * (width / drawn)
}

/// Signed distance from (`px`, `py`) to a rounded rectangle centred at (`cx`, `cy`) with half
/// sizes `hw`, `hh` and corner radius `r`.
fn rounded_rect_distance(px: f32, py: f32, cx: f32, cy: f32, hw: f32, hh: f32, r: f32) -> f32 {
    let qx = (px - cx).abs() - (hw - r);
    let qy = (py - cy).abs() - (hh - r);
    qx.max(0.0).hypot(qy.max(0.0)) + qx.max(qy).min(0.0) - r
}

/// Distance from (`px`, `py`) to the segment `a`-`b`.
fn segment_distance(px: f32, py: f32, a: [f32; 2], b: [f32; 2]) -> f32 {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 { (((px - a[0]) * dx + (py - a[1]) * dy) / len2).clamp(0.0, 1.0) } else { 0.0 };
    (px - a[0] - t * dx).hypot(py - a[1] - t * dy)
}

/// Where a shape can be on each row (a pure speed-up: the coverage function alone is exact).
struct Spans<R, I> {
    /// The x range of pixel centres the shape can reach on a row (at row centre y), before
    /// anti-aliasing; `None` for the whole width of its bounds.
    reach: R,
    /// An x range of pixel centres on a row where coverage is `inner` throughout, if any.
    interior: I,
    /// The coverage inside `interior`.
    inner: f32,
}

/// Where a row's pixel centres lie, for [`Spans`].
type RowRange = Option<(f32, f32)>;

/// No range: the whole width (as a reach), nothing (as an interior).
fn no_interior(_row: f32) -> RowRange {
    None
}

/// A row function of [`Spans`] that captures nothing.
type RowFn = fn(f32) -> RowRange;

/// Spans that let every pixel of a shape's bounds be covered.
const EVERYWHERE: Spans<RowFn, RowFn> = Spans { reach: no_interior, interior: no_interior, inner: 0.0 };

struct Canvas {
    image: RgbaImage,
    scale: f32,
    /// Ignore [`Spans`] and evaluate every pixel of a shape's bounds (tests compare both).
    exhaustive: bool,
}

impl Canvas {
    fn clip(&self, clip: Option<Clip>) -> ClipPx {
        let s = self.scale;
        let (w, h) = (self.image.width() as f32, self.image.height() as f32);
        match clip {
            Some(c) => ClipPx { x0: (c.x * s).max(0.0), y0: (c.y * s).max(0.0), x1: ((c.x + c.w) * s).min(w), y1: ((c.y + c.h) * s).min(h) },
            None => ClipPx { x0: 0.0, y0: 0.0, x1: w, y1: h },
        }
    }

    fn draw(&mut self, op: &Op) {
        let s = self.scale;
        match *op {
            Op::Rect { x, y, w, h, radius, fill, stroke, line, clip } => {
                let clip = self.clip(clip);
                let (hw, hh) = (w * s / 2.0, h * s / 2.0);
                let (cx, cy) = (x * s + hw, y * s + hh);
                let r = (radius * s).clamp(0.0, hw.min(hh));
                let [x0, y0, x1, y1] = [x * s, y * s, (x + w) * s, (y + h) * s];
                let bounds = [x0, y0, x1, y1];
                // Pixel centres at least `m` inside the edge (and the corner arcs) are all in or
                // all out of the shape: the cross of two boxes, one inset by the radius.
                let inset = |m: f32| {
                    move |yc: f32| {
                        if yc >= y0 + r + m && yc <= y1 - r - m {
                            Some((x0 + m, x1 - m))
                        } else if yc >= y0 + m && yc <= y1 - m {
                            Some((x0 + r + m, x1 - r - m))
                        } else {
                            None
                        }
                    }
                };
                if let Some(color) = fill {
                    // A box thinner than a pixel covers only its share of the pixels it crosses.
                    let thin = (2.0 * hw).min(2.0 * hh).min(1.0);
                    let spans = Spans { reach: no_interior, interior: inset(1.0), inner: thin };
                    self.cover(bounds, 1.0, clip, color, spans, |px, py| inside(rounded_rect_distance(px, py, cx, cy, hw, hh, r)).min(thin));
                }
                if let Some(color) = stroke {
                    let lw = line * s;
                    let spans = Spans { reach: no_interior, interior: inset(lw.max(1.0) / 2.0 + 1.0), inner: 0.0 };
                    self.cover(bounds, lw, clip, color, spans, |px, py| band(rounded_rect_distance(px, py, cx, cy, hw, hh, r), lw));
                }
            }
            Op::Line { x1, y1, x2, y2, color, line, clip } => {
                let clip = self.clip(clip);
                let (a, b) = ([x1 * s, y1 * s], [x2 * s, y2 * s]);
                let len = (b[0] - a[0]).hypot(b[1] - a[1]);
                if len <= 0.0 {
                    return;
                }
                let (ux, uy) = ((b[0] - a[0]) / len, (b[1] - a[1]) / len);
                let lw = line * s;
                let bounds = [a[0].min(b[0]), a[1].min(b[1]), a[0].max(b[0]), a[1].max(b[1])];
                // On a row, the centres within reach of the line's axis.
                let reach = |yc: f32| {
                    if uy.abs() < 1e-3 {
                        return None;
                    }
                    let m = lw.max(1.0) / 2.0 + 1.0;
                    let ry = yc - a[1];
                    let (p, q) = ((ry * ux - m) / uy, (ry * ux + m) / uy);
                    Some((a[0] + p.min(q), a[0] + p.max(q)))
                };
                let spans = Spans { reach, interior: no_interior, inner: 0.0 };
                self.cover(bounds, lw, clip, color, spans, |px, py| {
                    // The line as a box along its direction (butt caps).
                    let (rx, ry) = (px - a[0], py - a[1]);
                    let along = (rx * ux + ry * uy - len / 2.0).abs() - len / 2.0;
                    let across = (rx * uy - ry * ux).abs();
                    band(across.max(0.0), lw) * inside(along)
                });
            }
            Op::Circle { x, y, r, fill, stroke, line } => {
                let clip = self.clip(None);
                let (cx, cy, r) = (x * s, y * s, r * s);
                let bounds = [cx - r, cy - r, cx + r, cy + r];
                if let Some(color) = fill {
                    self.cover(bounds, 1.0, clip, color, EVERYWHERE, |px, py| inside((px - cx).hypot(py - cy) - r));
                }
                if let Some(color) = stroke {
                    let lw = line * s;
                    self.cover(bounds, lw, clip, color, EVERYWHERE, |px, py| band((px - cx).hypot(py - cy) - r, lw));
                }
            }
            Op::Path { ref points, color, line } => {
                let clip = self.clip(None);
                let points: Vec<[f32; 2]> = points.iter().map(|p| [p[0] * s, p[1] * s]).collect();
                let Some(first) = points.first() else { return };
                let mut bounds = [first[0], first[1], first[0], first[1]];
                for p in &points {
                    bounds = [bounds[0].min(p[0]), bounds[1].min(p[1]), bounds[2].max(p[0]), bounds[3].max(p[1])];
                }
                let lw = line * s;
                self.cover(bounds, lw, clip, color, EVERYWHERE, |px, py| {
                    let d = points.windows(2).map(|w| segment_distance(px, py, w[0], w[1])).fold(f32::INFINITY, f32::min);
                    band(d, lw)
                });
            }
            Op::Text { x, y, size, color, ref text, max_w, clip } => self.text(x, y, size, color, text, max_w, clip),
        }
    }

    /// Blends `color` into the pixels of `bounds` (x0, y0, x1, y1 in pixels, grown by half of
    /// `line` and a pixel of anti-aliasing) with the coverage `shape` gives their centres, row by
    /// row within what `spans` says can be covered.
    fn cover<R, I>(&mut self, bounds: [f32; 4], line: f32, clip: ClipPx, color: u32, spans: Spans<R, I>, shape: impl Fn(f32, f32) -> f32)
    where
        R: Fn(f32) -> RowRange,
        I: Fn(f32) -> RowRange,
    {
        let grow = line.max(1.0) / 2.0 + 1.0;
        let x_min = (bounds[0] - grow).max(clip.x0).floor().max(0.0);
        let x_max = (bounds[2] + grow).min(clip.x1).ceil().min(self.image.width() as f32);
        let y0 = (bounds[1] - grow).max(clip.y0).floor().max(0.0) as u32;
        let y1 = ((bounds[3] + grow).min(clip.y1).ceil().max(0.0) as u32).min(self.image.height());
        // The pixel columns whose centres lie in [from, to], within the drawn area.
        let columns = |from: f32, to: f32| {
            let first = (from - 0.5).ceil().max(x_min).max(0.0) as u32;
            let last = ((to - 0.5).floor() + 1.0).min(x_max).max(0.0) as u32;
            first..last.max(first)
        };
        for py in y0..y1 {
            let yc = py as f32 + 0.5;
            let (from, to) = match (spans.reach)(yc) {
                Some(range) if !self.exhaustive => range,
                _ => (bounds[0], bounds[2]),
            };
            let reach = columns(from - grow, to + grow);
            let interior = match (spans.interior)(yc) {
                Some((a, b)) if !self.exhaustive => columns(a, b),
                _ => reach.start..reach.start,
            };
            for px in reach.start..interior.start.clamp(reach.start, reach.end) {
                self.shade(px, py, color, shape(px as f32 + 0.5, yc), clip);
            }
            if spans.inner > 0.0 {
                for px in interior.clone() {
                    self.shade(px, py, color, spans.inner, clip);
                }
            }
            for px in interior.end.clamp(reach.start, reach.end)..reach.end {
                self.shade(px, py, color, shape(px as f32 + 0.5, yc), clip);
            }
        }
    }

    /// Blends `color` at `coverage` (times the clip's share) into pixel (`x`, `y`).
    fn shade(&mut self, x: u32, y: u32, color: u32, coverage: f32, clip: ClipPx) {
        if coverage > 0.0 {
            self.blend(x, y, color, coverage * clip.coverage(x, y));
        }
    }

    /// Source-over of `argb` at `coverage` onto pixel (`x`, `y`).
    fn blend(&mut self, x: u32, y: u32, argb: u32, coverage: f32) {
        let [r, g, b, a] = rgba(argb);
        let pixel = self.image.get_pixel_mut(x, y);
        if a == 255 && coverage >= 1.0 {
            pixel.0 = [r, g, b, 255];
            return;
        }
        let sa = f32::from(a) / 255.0 * coverage.clamp(0.0, 1.0);
        if sa <= 0.0 {
            return;
        }
        let da = f32::from(pixel[3]) / 255.0;
        let keep = da * (1.0 - sa);
        let out_a = sa + keep;
        for (channel, source) in pixel.0.iter_mut().zip([r, g, b]) {
            let mixed = (f32::from(source) * sa + f32::from(*channel) * keep) / out_a;
            *channel = mixed.round().clamp(0.0, 255.0) as u8;
        }
        pixel[3] = (out_a * 255.0).round().clamp(0.0, 255.0) as u8;
    }

    #[allow(clippy::too_many_arguments)]
    fn text(&mut self, x: f32, y: f32, size: f32, color: u32, text: &str, max_w: f32, clip: Option<Clip>) {
        let Some(font) = font() else { return };
        let s = self.scale;
        if !(max_w > 0.0 && size > 0.0) {
            return;
        }
        let clip = self.clip(clip);
        let em = em_scale(font, size * s);
        let scaled = font.as_scaled(em);
        let mut glyphs = Vec::new();
        let mut width = 0.0f32;
        let mut previous = None;
        for ch in text.chars() {
            let id = font.glyph_id(ch);
            if let Some(previous) = previous {
                width += scaled.kern(previous, id);
            }
            glyphs.push((id, width));
            width += scaled.h_advance(id);
            previous = Some(id);
        }
        let squeeze = if width > max_w * s { max_w * s / width } else { 1.0 };
        let squeezed = PxScale { x: em.x * squeeze, y: em.y };
        let (left, baseline) = (x * s, y * s);
        let (w, h) = (self.image.width() as i64, self.image.height() as i64);
        for (id, offset) in glyphs {
            let glyph = id.with_scale_and_position(squeezed, point(left + offset * squeeze, baseline));
            let Some(outline) = font.outline_glyph(glyph) else { continue };
            let bounds = outline.px_bounds();
            if bounds.max.x <= clip.x0 || bounds.min.x >= clip.x1 || bounds.max.y <= clip.y0 || bounds.min.y >= clip.y1 {
                continue;
            }
            let origin = bounds.min;
            let (ox, oy) = (origin.x as i64, origin.y as i64);
            outline.draw(|gx, gy, coverage| {
                let (px, py) = (ox + i64::from(gx), oy + i64::from(gy));
                if (0..w).contains(&px) && (0..h).contains(&py) {
                    let (px, py) = (px as u32, py as u32);
                    let coverage = coverage * clip.coverage(px, py);
                    if coverage > 0.0 {
                        self.blend(px, py, color, coverage);
                    }
                }
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RED: u32 = 0xFFFF_0000;
    const WHITE: [u8; 4] = [255, 255, 255, 255];

    fn scene(ops: Vec<Op>) -> Scene {
        Scene { time_ms: 0, width: 100, height: 50, background: 0xFFFF_FFFF, ops }
    }

    fn at(image: &RgbaImage, x: u32, y: u32) -> [u8; 4] {
        image.get_pixel(x, y).0
    }

    #[test]
    fn size_follows_fractional_scales() {
        for (scale, size) in [(1.0, (100, 50)), (1.5, (150, 75)), (0.37, (37, 19)), (2.625, (263, 131))] {
            let image = paint(&scene(Vec::new()), &[], scale);
            assert_eq!(image.dimensions(), size, "scale {scale}");
            assert!(image.pixels().all(|p| p.0 == WHITE));
        }
    }

    #[test]
    fn a_filled_rect_covers_its_pixels_and_blends_its_edges() {
        let op = Op::Rect { x: 10.0, y: 10.0, w: 20.5, h: 10.0, radius: 0.0, fill: Some(RED), stroke: None, line: 1.0, clip: None };
        let image = paint(&scene(vec![op]), &[], 1.0);
        assert_eq!(at(&image, 10, 10), [255, 0, 0, 255]);
        assert_eq!(at(&image, 29, 19), [255, 0, 0, 255]);
        assert_eq!(at(&image, 9, 15), WHITE);
        assert_eq!(at(&image, 10, 20), WHITE);
        // Half of pixel column 30 is inside: half red over white.
        let edge = at(&image, 30, 15);
        assert_eq!((edge[0], edge[3]), (255, 255));
        assert!((120..=136).contains(&edge[1]), "edge pixel {edge:?}");
    }

    #[test]
    fn rounded_corners_and_outlines_follow_the_radius() {
        let op = Op::Rect { x: 0.0, y: 0.0, w: 40.0, h: 40.0, radius: 20.0, fill: None, stroke: Some(RED), line: 2.0, clip: None };
        let image = paint(&scene(vec![op]), &[], 1.0);
        // A circle of radius 20 at (20, 20): the corner pixel is outside, the centre is unpainted
        // (outline only), the leftmost point of the outline is painted.
        assert_eq!(at(&image, 0, 0), WHITE);
        assert_eq!(at(&image, 20, 20), WHITE);
        assert_eq!(at(&image, 0, 19), [255, 0, 0, 255]);
        let diagonal = (20.0 - 20.0 / 2f32.sqrt()) as u32;
        assert_ne!(at(&image, diagonal, diagonal), WHITE);
    }

    #[test]
    fn translucent_colours_blend_source_over() {
        let op = Op::Rect { x: 0.0, y: 0.0, w: 100.0, h: 50.0, radius: 0.0, fill: Some(0x8000_0000), stroke: None, line: 0.0, clip: None };
        let image = paint(&scene(vec![op]), &[], 1.0);
        let p = at(&image, 50, 25);
        assert!((126..=128).contains(&p[0]) && p[0] == p[1] && p[1] == p[2] && p[3] == 255, "{p:?}");
    }

    #[test]
    fn nothing_lands_outside_a_clip() {
        let clip = Some(Clip { x: 20.0, y: 10.0, w: 30.0, h: 20.0 });
        let ops = vec![
            Op::Rect { x: 0.0, y: 0.0, w: 100.0, h: 50.0, radius: 0.0, fill: Some(RED), stroke: None, line: 1.0, clip },
            Op::Line { x1: 0.0, y1: 0.0, x2: 100.0, y2: 50.0, color: RED, line: 3.0, clip },
            Op::Text { x: 0.0, y: 40.0, size: 30.0, color: RED, text: "Clipped text".into(), max_w: 100.0, clip },
        ];
        for scale in [1.0, 1.7] {
            let image = paint(&scene(ops.clone()), &[], scale);
            for (x, y, p) in image.enumerate_pixels() {
                let (dx, dy) = (x as f32 / scale, y as f32 / scale);
                let outside = dx + 1.0 / scale <= 20.0 || dx >= 50.0 || dy + 1.0 / scale <= 10.0 || dy >= 30.0;
                if outside {
                    assert_eq!(p.0, WHITE, "pixel ({x}, {y}) at scale {scale}");
                }
            }
            assert_eq!(at(&image, (30.0 * scale) as u32, (20.0 * scale) as u32), [255, 0, 0, 255]);
        }
    }

    #[test]
    fn lines_and_paths_cover_their_width_only() {
        let ops = vec![Op::Line { x1: 10.0, y1: 10.0, x2: 90.0, y2: 10.0, color: RED, line: 4.0, clip: None }];
        let overlay = vec![Op::Path { points: vec![[10.0, 30.0], [50.0, 30.0], [50.0, 45.0]], color: RED, line: 2.0 }];
        let image = paint(&scene(ops), &overlay, 1.0);
        assert_eq!(at(&image, 50, 9), [255, 0, 0, 255]);
        assert_eq!(at(&image, 50, 13), WHITE);
        assert_eq!(at(&image, 5, 10), WHITE, "butt cap: nothing before the start");
        assert_eq!(at(&image, 30, 29), [255, 0, 0, 255]);
        assert_eq!(at(&image, 49, 40), [255, 0, 0, 255]);
        assert_eq!(at(&image, 30, 35), WHITE);
    }

    #[test]
    fn a_translucent_path_is_blended_once_where_segments_meet() {
        let color = 0x80FF_0000;
        let path = Op::Path { points: vec![[10.0, 25.0], [50.0, 25.0], [90.0, 25.0]], color, line: 6.0 };
        let image = paint(&scene(Vec::new()), &[path], 1.0);
        assert_eq!(at(&image, 50, 25), at(&image, 30, 25));
    }

    #[test]
    fn circles_fill_and_stroke() {
        let ring = Op::Circle { x: 50.0, y: 25.0, r: 20.0, fill: None, stroke: Some(RED), line: 3.0 };
        let dot = Op::Circle { x: 10.0, y: 10.0, r: 5.0, fill: Some(RED), stroke: None, line: 0.0 };
        let image = paint(&scene(Vec::new()), &[ring, dot], 1.0);
        assert_eq!(at(&image, 50, 25), WHITE, "a ring is hollow");
        assert_eq!(at(&image, 70, 25), [255, 0, 0, 255]);
        assert_eq!(at(&image, 50, 5), [255, 0, 0, 255]);
        assert_eq!(at(&image, 10, 10), [255, 0, 0, 255]);
        assert_eq!(at(&image, 10, 17), WHITE);
    }

    #[test]
    fn skipping_pixels_by_span_changes_no_pixel() {
        let clip = Some(Clip { x: 3.3, y: 2.0, w: 80.0, h: 40.5 });
        let ops = vec![
            Op::Rect { x: 2.5, y: 3.0, w: 60.0, h: 30.0, radius: 7.0, fill: Some(0xC0FF_8800), stroke: Some(RED), line: 1.5, clip },
            Op::Rect { x: 20.0, y: 1.0, w: 70.0, h: 45.0, radius: 0.0, fill: Some(0xFF00_8800), stroke: Some(0x8000_00FF), line: 0.6, clip: None },
            Op::Rect { x: 40.0, y: 10.0, w: 0.4, h: 20.0, radius: 0.0, fill: Some(RED), stroke: None, line: 1.0, clip: None },
            Op::Line { x1: 1.0, y1: 2.0, x2: 95.0, y2: 47.0, color: 0xFF11_2233, line: 1.0, clip },
            Op::Line { x1: 95.0, y1: 5.0, x2: 5.0, y2: 44.0, color: 0xFF11_2233, line: 2.5, clip: None },
            Op::Line { x1: 5.0, y1: 20.0, x2: 95.0, y2: 20.3, color: 0xFF11_2233, line: 1.0, clip: None },
            Op::Line { x1: 70.0, y1: 2.0, x2: 70.0, y2: 48.0, color: 0xFF11_2233, line: 1.0, clip: None },
        ];
        for scale in [1.0, 1.37, 2.625] {
            let fast = paint(&scene(ops.clone()), &[], scale);
            let (w, h) = fast.dimensions();
            let mut canvas = Canvas { image: RgbaImage::from_pixel(w, h, pixel(0xFFFF_FFFF)), scale, exhaustive: true };
            for op in &ops {
                canvas.draw(op);
            }
            assert!(canvas.image == fast, "scale {scale}");
        }
    }

    fn painted_columns(image: &RgbaImage) -> Option<(u32, u32)> {
        let columns: Vec<u32> = (0..image.width()).filter(|&x| (0..image.height()).any(|y| at(image, x, y) != WHITE)).collect();
        Some((*columns.first()?, *columns.last()?))
    }

    #[test]
    fn text_sits_on_its_baseline_and_is_squeezed_to_its_width() {
        let text = |max_w: f32| Op::Text { x: 5.0, y: 30.0, size: 20.0, color: RED, text: "Hello".into(), max_w, clip: None };
        let wide = paint(&scene(vec![text(90.0)]), &[], 1.0);
        let (left, right) = painted_columns(&wide).expect("text is drawn");
        // DejaVu Sans "Hello" at 20 px/em is about 52 px wide, starting at x = 5.
        assert!((5..=8).contains(&left) && (50..=60).contains(&right), "columns {left}..{right}");
        let rows: Vec<u32> = (0..50).filter(|&y| (0..100).any(|x| at(&wide, x, y) != WHITE)).collect();
        assert!(rows.iter().all(|&y| y < 31), "nothing below the baseline of 'Hello': {rows:?}");
        assert!(rows.first().is_some_and(|&y| y >= 14), "cap height about 15 px: {rows:?}");
        let squeezed = paint(&scene(vec![text(25.0)]), &[], 1.0);
        let (left, right) = painted_columns(&squeezed).expect("text is drawn");
        assert!(left >= 5 && right <= 31, "squeezed into 25 dp: {left}..{right}");
        assert!(painted_columns(&paint(&scene(vec![text(0.0)]), &[], 1.0)).is_none(), "max_w 0 draws nothing");
    }
}
