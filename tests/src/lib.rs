//! Real-device fixtures for Reprise, and the parsers that turn them into the view trees a
//! platform layer hands the core.
//!
//! - [`rico`]: Android screens of the RICO dataset (JSON view hierarchies).
//! - [`ios`]: iOS view trees (a flat UIView dump and a UIAutomation tree).
//! - [`data`]: where the copied files live (`tests/data`, provenance in `SOURCES.md` there).
//! - [`edit`]: deriving the next screen from a real one (scroll, remove, add, reparent).
//! - [`canonical`]: comparing a captured snapshot with a replayed frame, ids aside.
//! - [`identity`]: the deterministic hashes that give fixture nodes stable identities.
//! - [`traces`]: real touch traces (getevent, AOSP flings, Flutter) as raw touch samples.
//! - [`gestures`]: running samples through the core's gesture engine and naming the results.
//! - [`scenario`]: the demo's sessions: real screens and real touches, arranged into app flows.
//! - [`kit`]: the test kit every Rust suite shares (writers, replay, the synthetic feed, node
//!   builders, temp dirs, the collector on loopback).
//!
//! The integration tests in `tests/tests/` record these screens through the real core and check
//! what comes back out.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod canonical;
pub mod data;
pub mod edit;
pub mod error;
pub mod gestures;
pub mod identity;
pub mod kit;
pub mod ios;
pub mod rico;
pub mod scenario;
pub mod screen;
pub mod traces;

pub use canonical::CanonicalNode;
pub use edit::{EditError, TreeEditor};
pub use error::ParseError;
pub use screen::ParsedScreen;
