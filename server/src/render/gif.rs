//! Encodes painted frames as an animated GIF, cheaply for wireframes.
//!
//! - Each frame stores only the rectangle that changed since the previous one (the rest is kept
//!   from it), so a finger moving over a still screen costs a few hundred pixels, not the screen.
//! - A frame identical to the previous one is not stored: the previous one is shown longer.
//! - Palettes are local to each stored rectangle and built from its exact colours: wireframes use
//!   a handful of colours, so up to 256 they are kept exactly; beyond (anti-aliased edges and
//!   text), the 40 most frequent are kept exactly, a 6x6x6 colour cube fills the rest of the
//!   palette, and every other colour takes the nearest entry (at most 44 off in RGB distance).
//!   This is several times faster than a NeuQuant quantizer (see docs/PERFORMANCE.md).

use std::collections::HashMap;

use gif::{DisposalMethod, Encoder, Frame, Repeat};
use image::RgbaImage;

use crate::error::RenderError;

/// Writes frames of one size into a looping GIF.
pub struct GifWriter {
    encoder: Encoder<Vec<u8>>,
    width: u32,
    height: u32,
    previous: Option<RgbaImage>,
    /// The last changed rectangle, written once its delay is known to be final.
    pending: Option<Frame<'static>>,
}

/// A GIF delay in hundredths of a second (the format's unit), clamped to what it can hold.
fn centiseconds(cs: u32) -> u16 {
    u16::try_from(cs).unwrap_or(u16::MAX)
}

impl GifWriter {
    /// A GIF `width` x `height` pixels that loops forever.
    pub fn new(width: u32, height: u32) -> Result<GifWriter, RenderError> {
        let too_big = || RenderError::Encode(format!("{width}x{height} is larger than a GIF can be"));
        let (w, h) = (u16::try_from(width).map_err(|_| too_big())?, u16::try_from(height).map_err(|_| too_big())?);
        let mut encoder = Encoder::new(Vec::new(), w, h, &[]).map_err(encode)?;
        encoder.set_repeat(Repeat::Infinite).map_err(encode)?;
        Ok(GifWriter { encoder, width, height, previous: None, pending: None })
    }

    /// Width and height in pixels.
    pub fn dimensions(&self) -> (u32, u32) {
        (self.width, self.height)
    }

    /// Adds `image` (the writer's size), shown for `delay_cs` hundredths of a second.
    pub fn frame(&mut self, image: RgbaImage, delay_cs: u32) -> Result<(), RenderError> {
        if image.dimensions() != (self.width, self.height) {
            return Err(RenderError::Encode(format!(
                "frame of {}x{} in a {}x{} GIF",
                image.width(),
                image.height(),
                self.width,
                self.height
            )));
        }
        let changed = match &self.previous {
            None => Some((0, 0, self.width, self.height)),
            Some(previous) => changed_rect(previous, &image),
        };
        match (changed, self.pending.as_mut()) {
            (None, Some(pending)) => {
                pending.delay = centiseconds(u32::from(pending.delay) + delay_cs);
            }
            (changed, _) => {
                let (x, y, w, h) = changed.unwrap_or((0, 0, 1, 1));
                self.flush()?;
                let mut frame = indexed(&image, x, y, w, h);
                frame.delay = centiseconds(delay_cs);
                frame.dispose = DisposalMethod::Keep;
                self.pending = Some(frame);
                self.previous = Some(image);
            }
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), RenderError> {
        if let Some(frame) = self.pending.take() {
            self.encoder.write_frame(&frame).map_err(encode)?;
        }
        Ok(())
    }

    /// The GIF file.
    pub fn finish(mut self) -> Result<Vec<u8>, RenderError> {
        self.flush()?;
        self.encoder.into_inner().map_err(|e| RenderError::Encode(e.to_string()))
    }
}

fn encode(e: gif::EncodingError) -> RenderError {
    RenderError::Encode(e.to_string())
}

/// The smallest rectangle (x, y, w, h) holding every pixel that differs, if any does.
fn changed_rect(a: &RgbaImage, b: &RgbaImage) -> Option<(u32, u32, u32, u32)> {
    let width = a.width() as usize;
    let (a, b) = (a.as_raw(), b.as_raw());
    let row_len = width * 4;
    let rows: Vec<usize> = (0..a.len() / row_len.max(1)).filter(|&y| a[y * row_len..(y + 1) * row_len] != b[y * row_len..(y + 1) * row_len]).collect();
    let (&top, &bottom) = (rows.first()?, rows.last()?);
    let (mut left, mut right) = (width, 0);
    for &y in &rows {
        let (ra, rb) = (&a[y * row_len..(y + 1) * row_len], &b[y * row_len..(y + 1) * row_len]);
        if let Some(first) = (0..width).find(|&x| ra[x * 4..x * 4 + 4] != rb[x * 4..x * 4 + 4]) {
            left = left.min(first);
        }
        if let Some(last) = (0..width).rev().find(|&x| ra[x * 4..x * 4 + 4] != rb[x * 4..x * 4 + 4]) {
            right = right.max(last);
        }
    }
    Some((left as u32, top as u32, (right + 1 - left) as u32, (bottom + 1 - top) as u32))
}

/// The colours (`0x00RRGGBB`) of the rectangle (x, y, w, h) of `image`, row by row.
fn colours_in(image: &RgbaImage, x: u32, y: u32, w: u32, h: u32) -> Vec<u32> {
    let stride = image.width() as usize * 4;
    let raw = image.as_raw();
    let mut out = Vec::with_capacity(w as usize * h as usize);
    for row in y as usize..(y + h) as usize {
        let from = row * stride + x as usize * 4;
        out.extend(raw[from..from + w as usize * 4].chunks_exact(4).map(|p| u32::from_be_bytes([0, p[0], p[1], p[2]])));
    }
    out
}

/// The rectangle (x, y, w, h) of `image` as a GIF frame with its own palette.
fn indexed(image: &RgbaImage, x: u32, y: u32, w: u32, h: u32) -> Frame<'static> {
    // Counted by runs: wireframes are mostly long runs of one colour.
    let colours_of_rect = colours_in(image, x, y, w, h);
    let mut counts: HashMap<u32, u32> = HashMap::new();
    let mut run = (u32::MAX, 0u32);
    for &colour in &colours_of_rect {
        if colour == run.0 {
            run.1 += 1;
        } else {
            if run.1 > 0 {
                *counts.entry(run.0).or_default() += run.1;
            }
            run = (colour, 1);
        }
    }
    if run.1 > 0 {
        *counts.entry(run.0).or_default() += run.1;
    }
    let mut colours: Vec<(u32, u32)> = counts.into_iter().collect();
    colours.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let palette: Vec<u32> = if colours.len() <= 256 {
        colours.iter().map(|c| c.0).collect()
    } else {
        let cube = (0..216u32).map(|i| u32::from_be_bytes([0, (i / 36 * 51) as u8, (i / 6 % 6 * 51) as u8, (i % 6 * 51) as u8]));
        colours.iter().take(256 - 216).map(|c| c.0).chain(cube).collect()
    };
    let mut index: HashMap<u32, u8> = palette.iter().enumerate().map(|(i, &c)| (c, i as u8)).collect();
    let mut pixels = Vec::with_capacity((w * h) as usize);
    let mut last = (u32::MAX, 0u8);
    for &colour in &colours_of_rect {
        if colour != last.0 {
            let i = *index.entry(colour).or_insert_with(|| nearest(&palette, colour));
            last = (colour, i);
        }
        pixels.push(last.1);
    }
    let bytes: Vec<u8> = palette.iter().flat_map(|c| c.to_be_bytes()[1..].to_vec()).collect();
    let mut frame = Frame::from_palette_pixels(w as u16, h as u16, pixels, bytes, None);
    frame.left = x as u16;
    frame.top = y as u16;
    frame
}

/// The palette index of the colour closest to `colour` (squared RGB distance).
fn nearest(palette: &[u32], colour: u32) -> u8 {
    let [_, r, g, b] = colour.to_be_bytes();
    let distance = |c: u32| {
        let [_, pr, pg, pb] = c.to_be_bytes();
        let d = |a: u8, b: u8| (i32::from(a) - i32::from(b)).pow(2);
        d(r, pr) + d(g, pg) + d(b, pb)
    };
    palette.iter().enumerate().min_by_key(|(_, c)| distance(**c)).map_or(0, |(i, _)| i as u8)
}

#[cfg(test)]
mod tests {
    use image::{AnimationDecoder, Rgba};

    use super::*;

    fn decode(bytes: &[u8]) -> Vec<(RgbaImage, u32)> {
        let decoder = image::codecs::gif::GifDecoder::new(std::io::Cursor::new(bytes)).expect("a GIF");
        decoder
            .into_frames()
            .map(|f| {
                let f = f.expect("frame decodes");
                let (n, d) = f.delay().numer_denom_ms();
                (f.into_buffer(), n / d)
            })
            .collect()
    }

    #[test]
    fn frames_come_back_as_painted_with_their_delays() {
        let white = RgbaImage::from_pixel(40, 30, Rgba([255, 255, 255, 255]));
        let mut dot = white.clone();
        for x in 10..14 {
            dot.put_pixel(x, 20, Rgba([200, 30, 30, 255]));
        }
        // A gradient with more than 256 colours falls back to the nearest palette colour.
        let mut many = white.clone();
        for (x, y, p) in many.enumerate_pixels_mut() {
            *p = Rgba([(x * 6) as u8, (y * 8) as u8, ((x + y) * 3) as u8, 255]);
        }
        let mut writer = GifWriter::new(40, 30).expect("writer");
        writer.frame(white.clone(), 10).expect("frame");
        writer.frame(dot.clone(), 5).expect("frame");
        writer.frame(dot.clone(), 7).expect("an unchanged frame lengthens the previous one");
        writer.frame(many.clone(), 3).expect("frame");
        let frames = decode(&writer.finish().expect("gif"));
        let delays: Vec<u32> = frames.iter().map(|f| f.1).collect();
        assert_eq!(delays, [100, 120, 30]);
        assert_eq!(frames[0].0, white);
        assert_eq!(frames[1].0, dot, "a partial frame composes over the previous one");
        // The cube alone is within 25.5 levels on each channel, so the nearest entry is within
        // sqrt(3) x 25.5 in RGB distance.
        let worst = frames[2].0.pixels().zip(many.pixels()).map(|(a, b)| (0..3).map(|c| f32::from(a[c].abs_diff(b[c])).powi(2)).sum::<f32>().sqrt()).fold(0.0, f32::max);
        assert!(worst <= 44.2, "every pixel near its colour: worst {worst}");
    }

    #[test]
    fn a_frame_of_another_size_is_refused() {
        let mut writer = GifWriter::new(4, 4).expect("writer");
        assert!(writer.frame(RgbaImage::new(5, 4), 1).is_err());
        assert!(GifWriter::new(70_000, 4).is_err());
    }
}
