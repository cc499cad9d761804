//! The visible area a snapshot is drawn on: its size in dp and its density.

use serde::Serialize;

/// The visible area at some moment, in dp.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Screen {
    /// Width in dp.
    pub width: u32,
    /// Height in dp.
    pub height: u32,
    /// Pixels per dp, always usable ([`reprise_core::Density`]).
    pub density: f32,
}
