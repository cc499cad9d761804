//! Turning stored segments back into what the user saw.
//!
//! [`timeline`] decodes a session's segments into one ordered timeline and rebuilds the hierarchy
//! at any moment from the nearest keyframe and the diffs after it; [`layout`] places the nodes on
//! the screen ([`screen`] is its size); [`scene`] decides how a frame is drawn and [`overlay`] how touches and gestures are
//! drawn over it; [`names`] says what to call a view; [`cache`] keeps recently decoded sessions for the API. The web player and
//! `reprise render` paint what these produce.

pub mod cache;
pub mod layout;
pub mod names;
pub mod overlay;
pub mod scene;
pub mod screen;
pub mod timeline;

pub use cache::{Replay, TimelineCache};
pub use layout::{Placed, Rect, place};
pub use names::ViewNames;
pub use overlay::{OverlayFrame, Overlays};
pub use scene::{Op, Scene, draw_frame};
pub use screen::Screen;
pub use timeline::{SnapshotAt, Timeline};
