//! Reprise collector: receives segments from the SDKs and keeps them.
//!
//! `POST /v1/segments` ([`ingest`]) authenticates the app's API key, bounds the compressed and
//! decompressed sizes, decodes and validates the segment with `reprise-core`, stores it once
//! under its id ([`store`]) and counts it into a SQLite session index ([`index`]). [`server`]
//! wires the routes and runs them; [`cli`] is the `reprise` command line; [`config`] and
//! [`error`] hold the settings and the typed errors. [`api`] is the JSON replay API behind the
//! web player that [`assets`] serves. `docs/FORMAT.md` ("Upload protocol") is the
//! HTTP contract.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod admin;
pub mod analysis;
pub mod analysis_worker;
pub mod api;
pub mod assets;
pub mod bearer;
pub mod cli;
pub mod clock;
pub mod config;
pub mod connections;
pub mod data_dir;
pub mod erasure;
pub mod error;
pub mod index;
pub mod inspect;
pub mod listen;
pub mod ingest;
pub mod render;
pub mod replay;
pub mod retention;
pub mod server;
pub mod state;
pub mod store;
pub mod sweeper;
pub mod token_file;

pub use config::{AccessToken, ApiKeys, IndexLocation, Limits, ServerConfig};
pub use error::{ApiError, ConfigError, IndexError, IngestError, RenderError, ReplayLoadError, StartError, StoreError};
pub use index::{Facets, FindingRow, SegmentSummary, SessionFilter, SessionIndex, SessionRow};
pub use ingest::{Accepted, SEGMENT_CONTENT_TYPE};
pub use server::{RunningServer, router};
pub use state::AppState;
pub use store::{DirStore, PutOutcome, S3Store, SegmentStore, StoreLocation};
