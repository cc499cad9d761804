//! What a moment of a replay looks like, as a list of drawing operations.
//!
//! This is the one place that decides how a frame is drawn (the wireframe rules below) and how
//! touches and gestures are shown over it. Its output, a [`Scene`] of a few primitive [`Op`]s in
//! dp, is painted by two painters that only rasterize: the web player's canvas
//! (`server/assets/painter.js`) and the renderer behind `reprise render` (`render/paint.rs`). So the
//! player and the exported GIF/PNG show the same thing.
//!
//! Wireframe rules, per visible node in pre-order (later nodes on top), clipped to the region
//! its clipping ancestors leave it:
//! - a background colour fills the node's rounded rectangle (opacity multiplied down the tree);
//! - buttons without a background get a light fill; buttons, inputs, clickable nodes get an outline;
//! - images (and web views, which are never captured) are placeholders: a grey box with a cross;
//! - text is laid out in lines (a fixed advance of [`CHAR_ADVANCE`] x font size per character,
//!   wrapped at words, as many lines as fit), centred in buttons, left-aligned elsewhere; plain
//!   text is drawn as text, masked text as rounded bars where its words were; containers draw no
//!   text of their own ([`drawn_text`]: an iOS cell's accessibility text repeats its labels').

use reprise_core::frame::flag;
use reprise_core::{Frame, NodeKind, Text};
use serde::Serialize;

use super::layout::{Placed, Rect, place};
use super::screen::Screen;

/// Width of one character, as a fraction of the font size (an average for sans-serif faces).
pub const CHAR_ADVANCE: f32 = 0.5;
/// Line height as a multiple of the font size.
pub const LINE_HEIGHT: f32 = 1.25;
/// Font size used when a text node has none, in dp.
pub const DEFAULT_FONT_SIZE: f32 = 14.0;
/// Largest font size drawn, in dp (a segment may claim up to 65,535; rasterizing glyphs that size
/// would cost seconds and gigabytes for nothing a screen can show).
pub const MAX_FONT_SIZE: f32 = 200.0;
/// The colour behind everything.
pub const PAGE: u32 = 0xFFFF_FFFF;
const TEXT: u32 = 0xFF1F_2933;
const OUTLINE: u32 = 0xFFB8_C0CC;
const BUTTON_FILL: u32 = 0xFFE8_ECF2;
const PLACEHOLDER_FILL: u32 = 0xFFE3_E7ED;
const PLACEHOLDER_CROSS: u32 = 0xFFC3_CAD3;

/// A region to clip to, in dp.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Clip {
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub w: f32,
    /// Height.
    pub h: f32,
}

impl From<Rect> for Clip {
    fn from(r: Rect) -> Self {
        Clip { x: r.x as f32, y: r.y as f32, w: r.w as f32, h: r.h as f32 }
    }
}

/// One drawing primitive, in dp; colours are ARGB. Painters draw them in order.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    /// A rectangle with rounded corners, filled and/or outlined.
    Rect {
        /// Left edge.
        x: f32,
        /// Top edge.
        y: f32,
        /// Width.
        w: f32,
        /// Height.
        h: f32,
        /// Corner radius.
        radius: f32,
        /// Fill colour.
        fill: Option<u32>,
        /// Outline colour.
        stroke: Option<u32>,
        /// Outline width.
        line: f32,
        /// Clip region.
        clip: Option<Clip>,
    },
    /// A straight line.
    Line {
        /// Start x.
        x1: f32,
        /// Start y.
        y1: f32,
        /// End x.
        x2: f32,
        /// End y.
        y2: f32,
        /// Colour.
        color: u32,
        /// Width.
        line: f32,
        /// Clip region.
        clip: Option<Clip>,
    },
    /// A circle, filled and/or outlined.
    Circle {
        /// Centre x.
        x: f32,
        /// Centre y.
        y: f32,
        /// Radius.
        r: f32,
        /// Fill colour.
        fill: Option<u32>,
        /// Outline colour.
        stroke: Option<u32>,
        /// Outline width.
        line: f32,
    },
    /// An open polyline.
    Path {
        /// Its points, `[x, y]`.
        points: Vec<[f32; 2]>,
        /// Colour.
        color: u32,
        /// Width.
        line: f32,
    },
    /// One line of text, its left end on the baseline at (`x`, `y`), squeezed to `max_w` if the
    /// painter's font is wider.
    Text {
        /// Left end.
        x: f32,
        /// Baseline.
        y: f32,
        /// Font size.
        size: f32,
        /// Colour.
        color: u32,
        /// The characters.
        text: String,
        /// Widest it may be drawn.
        max_w: f32,
        /// Clip region.
        clip: Option<Clip>,
    },
}

/// A frame ready to paint: the screen size in dp, the page colour and the operations.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scene {
    /// When the snapshot drawn was taken, Unix ms.
    pub time_ms: i64,
    /// Width in dp.
    pub width: u32,
    /// Height in dp.
    pub height: u32,
    /// Colour behind everything.
    pub background: u32,
    /// What to draw, in order.
    pub ops: Vec<Op>,
}

/// Draws `frame` on `screen` following the wireframe rules.
pub fn draw_frame(time_ms: i64, frame: &Frame, screen: Screen) -> Scene {
    let full = Rect::new(0, 0, i64::from(screen.width), i64::from(screen.height));
    let mut ops = Vec::new();
    for placed in place(frame, full) {
        if placed.visible {
            draw_node(&placed, &mut ops);
        }
    }
    Scene { time_ms, width: screen.width, height: screen.height, background: PAGE, ops }
}

fn draw_node(placed: &Placed<'_>, ops: &mut Vec<Op>) {
    let p = &placed.node.props;
    let r = placed.rect;
    let visible = placed.clip.intersect(&r);
    if visible.is_empty() {
        return;
    }
    let clip = (!placed.clip.contains(&r)).then(|| Clip::from(placed.clip));
    let fade = |argb: u32| with_alpha(argb, placed.alpha);
    let radius = f32::from(p.corner_radius).min(r.w.min(r.h) as f32 / 2.0);
    let (x, y, w, h) = (r.x as f32, r.y as f32, r.w as f32, r.h as f32);
    let rect = |fill: Option<u32>, stroke: Option<u32>| Op::Rect { x, y, w, h, radius, fill, stroke, line: 1.0, clip };
    let placeholder = p.has(flag::IMAGE_PLACEHOLDER) || matches!(p.kind, NodeKind::Image | NodeKind::WebView);
    if placeholder {
        ops.push(rect(Some(fade(p.background.unwrap_or(PLACEHOLDER_FILL))), None));
        if w >= 8.0 && h >= 8.0 {
            let color = fade(PLACEHOLDER_CROSS);
            ops.push(Op::Line { x1: x, y1: y, x2: x + w, y2: y + h, color, line: 1.0, clip: Some(Clip::from(visible)) });
            ops.push(Op::Line { x1: x + w, y1: y, x2: x, y2: y + h, color, line: 1.0, clip: Some(Clip::from(visible)) });
        }
        return;
    }
    // Controls get an outline (a drawing choice: scroll containers, which are interactive too,
    // stay unframed so lists do not turn into nested boxes).
    let outlined = p.has(flag::CLICKABLE) || matches!(p.kind, NodeKind::Button | NodeKind::Input);
    let fill = match (p.background, p.kind) {
        (Some(bg), _) => Some(fade(bg)),
        (None, NodeKind::Button) => Some(fade(BUTTON_FILL)),
        _ => None,
    };
    let stroke = outlined.then(|| fade(OUTLINE));
    if fill.is_some() || stroke.is_some() {
        ops.push(rect(fill, stroke));
    }
    if let Some(text) = drawn_text(p) {
        let size = font_size_of(p);
        let color = fade(p.text_color.unwrap_or(TEXT));
        let centred = p.kind == NodeKind::Button;
        draw_text(text, r, size, color, centred, Some(Clip::from(visible)), ops);
    }
}

/// A word of a text, as laid out: its length in characters and, for plain text, the characters
/// (masked text keeps only its shape).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word<'a> {
    /// Characters in the word.
    pub chars: usize,
    /// The word itself, `None` when masked.
    pub text: Option<&'a str>,
    /// Whether a line break comes before it.
    breaks: bool,
}

fn words_of(text: &Text) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    match text {
        Text::Plain(s) => {
            for (i, line) in s.split('\n').enumerate() {
                for (j, word) in line.split_whitespace().enumerate() {
                    out.push(Word { chars: word.chars().count(), text: Some(word), breaks: i > 0 && j == 0 });
                }
            }
        }
        Text::Masked(shape) => {
            let mut breaks = false;
            for (class, len) in shape.iter() {
                match class {
                    reprise_core::mask::RunClass::Word => {
                        out.push(Word { chars: usize::from(len), text: None, breaks });
                        breaks = false;
                    }
                    reprise_core::mask::RunClass::LineBreak => breaks = true,
                    reprise_core::mask::RunClass::Space => {}
                }
            }
        }
    }
    out
}

/// The text a node shows on screen. Containers show none of their own: the text a platform
/// reports for one (an iOS table cell's accessibility text repeats its labels') is drawn by the
/// labels inside it.
pub fn drawn_text(props: &reprise_core::NodeProps) -> Option<&Text> {
    props.text.as_ref().filter(|_| !matches!(props.kind, NodeKind::Container | NodeKind::Scroll))
}

/// The font size a text node is drawn at: its own (at most [`MAX_FONT_SIZE`]), else [`DEFAULT_FONT_SIZE`].
pub fn font_size_of(props: &reprise_core::NodeProps) -> f32 {
    if props.font_size > 0 { f32::from(props.font_size).min(MAX_FONT_SIZE) } else { DEFAULT_FONT_SIZE }
}

/// A text laid out in lines: every line its words would take, before any is cut for lack of room.
#[derive(Debug, Clone, PartialEq)]
pub struct TextLayout<'a> {
    /// The lines, each a list of words (separated by one space when drawn).
    pub lines: Vec<Vec<Word<'a>>>,
    /// Width of one character, dp.
    pub advance: f32,
    /// Height of one line, dp.
    pub line_height: f32,
    /// How many lines a box of the given height shows (at least one).
    pub fit: usize,
}

impl TextLayout<'_> {
    /// Width of line `i` in dp (its characters and the spaces between its words).
    pub fn line_width(&self, i: usize) -> f32 {
        self.lines.get(i).map_or(0.0, |line| {
            let chars: usize = line.iter().map(|w| w.chars).sum::<usize>() + line.len().saturating_sub(1);
            chars as f32 * self.advance
        })
    }
}

/// Lays `text` out at font `size` in a box `width` x `height` dp, the way the scene draws it: a
/// fixed advance of [`CHAR_ADVANCE`] x size per character, words wrapped at the box width (a word
/// wider than the box gets a line of its own), explicit line breaks kept, lines
/// [`LINE_HEIGHT`] x size apart. Every line is returned; [`TextLayout::fit`] says how many show.
pub fn layout_text(text: &Text, width: f32, height: f32, size: f32) -> TextLayout<'_> {
    let advance = size * CHAR_ADVANCE;
    let mut lines: Vec<Vec<Word<'_>>> = vec![Vec::new()];
    let mut used = 0.0f32;
    for word in words_of(text) {
        let w = word.chars as f32 * advance;
        let line = lines.last_mut().map_or(0, |l| l.len());
        if line > 0 && (word.breaks || used + advance + w > width) {
            lines.push(Vec::new());
            used = 0.0;
        }
        if let Some(last) = lines.last_mut() {
            if !last.is_empty() {
                used += advance;
            }
            used += w;
            last.push(word);
        }
    }
    let line_height = size * LINE_HEIGHT;
    let fit = ((height / line_height).floor() as usize).max(1);
    TextLayout { lines, advance, line_height, fit }
}

/// Draws text in the node's box as [`layout_text`] lays it out: as many lines as fit (at least
/// one), the block centred vertically.
fn draw_text(text: &Text, r: Rect, size: f32, color: u32, centred: bool, clip: Option<Clip>, ops: &mut Vec<Op>) {
    let width = r.w as f32;
    let layout = layout_text(text, width, r.h as f32, size);
    let (advance, line_height) = (layout.advance, layout.line_height);
    let shown = layout.lines.len().min(layout.fit);
    let block = shown as f32 * line_height;
    let top = r.y as f32 + ((r.h as f32 - block) / 2.0).max(0.0);
    for (i, line) in layout.lines.iter().take(shown).enumerate() {
        let line_w = layout.line_width(i);
        let left = if centred { r.x as f32 + ((width - line_w) / 2.0).max(0.0) } else { r.x as f32 };
        let baseline = top + i as f32 * line_height + size * 0.95;
        if line.iter().all(|w| w.text.is_some()) {
            let joined: Vec<&str> = line.iter().filter_map(|w| w.text).collect();
            ops.push(Op::Text { x: left, y: baseline, size, color, text: joined.join(" "), max_w: line_w, clip });
        } else {
            let bar = size * 0.6;
            let mut x = left;
            for word in line {
                let w = word.chars as f32 * advance;
                let fill = Some(with_alpha(color, 0x66));
                ops.push(Op::Rect { x, y: baseline - bar, w, h: bar, radius: bar / 2.0, fill, stroke: None, line: 0.0, clip });
                x += w + advance;
            }
        }
    }
}

/// `argb` with its alpha multiplied by `alpha` / 255.
pub fn with_alpha(argb: u32, alpha: u8) -> u32 {
    let a = (argb >> 24) * u32::from(alpha) / 255;
    (a << 24) | (argb & 0x00FF_FFFF)
}

#[cfg(test)]
mod tests {
    use reprise_core::frame::flag;
    use reprise_core::{Frame, NodeKind, Text};

    use super::*;
    use crate::replay::layout::tests::node;

    /// An iOS table cell reports its label's text as its own: the label draws it, once.
    #[test]
    fn a_container_does_not_draw_the_text_its_labels_draw() {
        let mut cell = node(1, 0, 0, 0, 320, 44, flag::CLICKABLE);
        cell.props.text = Some(Text::Plain("Buttons".into()));
        let mut label = node(2, 1, 16, 10, 200, 24, 0);
        label.props.kind = NodeKind::Text;
        label.props.text = Some(Text::Plain("Buttons".into()));
        let screen = Screen { width: 320, height: 480, density: 2.0 };
        let texts = |frame: &Frame| {
            draw_frame(0, frame, screen).ops.iter().filter(|op| matches!(op, Op::Text { .. })).count()
        };
        assert_eq!(texts(&Frame { nodes: vec![cell.clone(), label.clone()] }), 1);
        assert_eq!(cell.props.kind, NodeKind::Container);
        assert_eq!(texts(&Frame { nodes: vec![cell.clone()] }), 0);
        cell.props.kind = NodeKind::Button;
        assert_eq!(texts(&Frame { nodes: vec![cell, label] }), 2, "a button draws its own text");
    }
}
