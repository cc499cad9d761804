//! `reprise-ffi`: Reprise's UniFFI surface for Kotlin and Swift.
//!
//! - [`sdk`]: the exported `Reprise` object (start, record, pause, flush, stats, stop).
//! - [`types`]: records and enums mirroring the core's, with conversions (the core has no FFI
//!   types).
//! - [`buffer`]: the compact snapshot buffer and its bounds-checked decoder.
//! - [`transport`]: the foreign `HttpTransport` adapted to the core's async transport.
//! - [`log`]: the optional foreign `LogSink`.
//! - [`error`]: `RepriseError`, and the guard that turns panics into it.
//!
//! `scripts/generate-bindings.sh` generates the Kotlin and Swift sources from the built library.

#![warn(missing_docs)]

uniffi::setup_scaffolding!();

pub mod buffer;
pub mod error;
pub mod log;
pub mod sdk;
pub mod transport;
pub mod types;

pub use error::RepriseError;
pub use sdk::Reprise;
