//! `reprise render`: painting replay scenes into pixels, and exporting a session as a GIF or one
//! moment of it as a PNG.
//!
//! [`paint`] rasterizes what [`crate::replay::scene`] and [`crate::replay::overlay`] decide to draw
//! (it decides nothing itself), with [`FONT_TTF`] for text; the web player's canvas draws the same
//! operations with the same font, so both show the same thing. [`export`] walks a
//! [`crate::replay::Timeline`] and encodes the painted frames; [`gif`] is the GIF encoder it uses.

pub mod export;
pub mod font;
pub mod gif;
pub mod paint;

pub use export::{CAPTION_DP, GifOptions, load_session, render_gif, render_png, render_png_captioned, scene_at, time_at};
pub use font::FONT_TTF;
pub use paint::paint;
