//! The one font both painters use: DejaVu Sans (Bitstream Vera licence, see
//! `server/fonts/LICENSE-DejaVu.txt` and `server/fonts/NOTICE.md`), embedded in the binary.

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, PxScale};

/// The TrueType file of the replay font. The web player serves exactly these bytes as its
/// `@font-face`, so the canvas and [`super::paint`] draw the same glyphs.
pub const FONT_TTF: &[u8] = include_bytes!("../../fonts/DejaVuSans.ttf");

/// The parsed font (`None` only if the embedded file were broken; a test rules that out).
pub fn font() -> Option<&'static FontRef<'static>> {
    static FONT: OnceLock<Option<FontRef<'static>>> = OnceLock::new();
    FONT.get_or_init(|| FontRef::try_from_slice(FONT_TTF).ok()).as_ref()
}

/// The ab_glyph scale that draws `px` pixels per em, as CSS `font-size: <px>px` does (ab_glyph
/// scales by ascent minus descent, not by the em).
pub fn em_scale(font: &FontRef<'_>, px: f32) -> PxScale {
    let per_em = font.units_per_em().unwrap_or(2048.0);
    PxScale::from(px * font.height_unscaled() / per_em)
}

#[cfg(test)]
mod tests {
    use ab_glyph::ScaleFont;

    use super::*;

    #[test]
    fn the_embedded_font_parses_and_scales_by_the_em() {
        let font = font().expect("the embedded font parses");
        let scaled = font.as_scaled(em_scale(font, 100.0));
        // DejaVu Sans: 2048 units per em, 'M' advances 1767 units.
        let m = scaled.h_advance(font.glyph_id('M'));
        assert!((m - 100.0 * 1767.0 / 2048.0).abs() < 0.5, "advance of M at 100 px/em: {m}");
    }
}
