//! The visible area a snapshot is drawn on: its size in dp and its density.

use serde::Serialize;

/// The visible area at some moment, in dp.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Screen {
    /// Width in dp.
    pub width: u32,
    /// Height in dp.
    pub height: u32,
    /// Pixels per dp.
    pub density: f32,
}

/// A density that can divide: non-finite or non-positive values become 1.
pub fn usable_density(density: f32) -> f32 {
    if density.is_finite() && density > 0.0 { density } else { 1.0 }
}
