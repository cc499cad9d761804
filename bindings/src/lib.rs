//! `reprise-ffi`: Reprise's UniFFI surface for Kotlin and Swift, a thin translation of the core.
//!
//! The records and enums crossing the boundary are the core's own (`reprise-core`'s `uniffi`
//! feature derives them), so they have one definition; this crate holds only the object and
//! what has no core counterpart.
//!
//! - [`sdk`]: the exported `Reprise` object over the core's `Sdk`, and the records whose shape
//!   differs from the core's (`Stats`, `Attribute`, `AttributeValue`).
//! - [`transport`]: the foreign `HttpTransport` adapted to the core's async transport.
//! - [`log`]: the optional foreign `LogSink`.
//! - [`json`]: view trees to and from the core's JSON form (tests, mask previews, the fixtures).
//! - [`error`]: `RepriseError`, and the guard that turns panics into it.
//!
//! `scripts/generate-bindings.sh` generates the Kotlin and Swift sources from the built library.

#![warn(missing_docs)]

uniffi::setup_scaffolding!();

pub mod error;
pub mod json;
pub mod log;
pub mod sdk;
pub mod transport;

pub use error::RepriseError;
pub use json::{ViewTreeJsonError, view_tree_from_json, view_tree_to_json};
pub use sdk::Reprise;
