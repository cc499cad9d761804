//! The test kit: the helpers every Rust test suite of the repository shares, in one place (as
//! matrix-rust-sdk's `testing/` crates hold theirs). The core's integration tests and benchmarks,
//! this crate's cross-crate tests and the collector's tests all call these instead of writing
//! their own.
//!
//! - [`nodes`]: building a view tree node by node (class names interned).
//! - [`feed`]: the synthetic social-feed screen (recycled cards that scroll) and its touches.
//! - [`screens`]: the real fixture screens by id (RICO, iOS).
//! - [`session`]: writing sessions through the real `SessionWriter`: the writer, capture, the
//!   collector tests' recorded sessions over real screens, and a real recorder into a disk queue.
//! - [`replay`]: decoding sealed segments and replaying them into canonical hierarchies.
//! - [`temp`]: fresh directories under the system temp dir.
//! - [`collector`] (feature `collector`): the real collector on loopback, its API keys, and the
//!   upload settings that reach it.
//!
//! Helpers panic with a message on failure: they are for tests, where a failure is the answer.

#[cfg(feature = "collector")]
pub mod collector;
pub mod feed;
pub mod nodes;
pub mod replay;
pub mod screens;
pub mod session;
pub mod temp;
