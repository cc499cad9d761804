//! Reprise core: the capture engine shared by the Android and iOS SDKs.
//!
//! Platform layers hand the [`Recorder`] view trees, raw touches and timeline events. The core
//! masks what is private as it enters ([`mask`]), turns hierarchies into keyframes and diffs with
//! small stable ids ([`frame`], [`ids`], [`diff`]), frames them as postcard records ([`record`])
//! and seals them into zstd-compressed, checksummed segments ([`segment`]) for a [`SegmentSink`],
//! by default the durable [`DiskQueue`] ([`queue`]), from which the [`Uploader`] ([`upload`]) posts
//! them to the collector. [`Sdk`] ([`sdk`]) puts the three together for the platform bindings.
//! [`replay`] rebuilds the hierarchy from segments. `docs/FORMAT.md` specifies the bytes.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

// With the `uniffi` feature (enabled by `bindings/` only), the records and enums that cross the FFI
// derive UniFFI's traits here, so that they have one definition (docs/ARCHITECTURE.md).
#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!();

pub mod builder;
pub mod capture;
pub mod config;
pub mod decoding;
pub mod density;
pub mod details;
pub mod diff;
pub mod event;
pub mod frame;
pub mod gesture;
pub mod heap;
pub mod ids;
pub mod live;
pub mod mask;
pub mod memory;
pub mod queue;
pub mod record;
pub mod recorder;
pub mod replay;
pub mod segment;
#[cfg(feature = "upload")]
pub mod sdk;
pub mod session;
pub mod sink;
pub mod stats;
pub mod touch;
#[cfg(feature = "upload")]
pub mod upload;
mod varint;
pub mod view;
pub mod writer;

pub use capture::{Snapshot, SnapshotError};
pub use config::{ConfigError, RecorderConfig};
pub use density::Density;
pub use details::{ClipInset, NodeDetail};
pub use decoding::{DecodeError, DecodeLimits};
pub use event::{
    AttributeValue, Breadcrumb, CustomEvent, Event, Lifecycle, LogLevel, NetworkRequest, NetworkType, Orientation,
    TouchAction, TouchSample, Viewport,
};
pub use frame::{Frame, FrameNode, NodeProps};
pub use gesture::{
    Direction, Gesture, GestureConfig, GestureConfigError, GestureEngine, GestureKind, GestureRecord, Struggle,
    StruggleKind, Target,
};
pub use mask::{MaskMode, PrivacyRules, Text, TextShape};
pub use queue::{DiskQueue, QueueConfig, QueueError, QueueFiles, QueueStats, RecoveryReport, StdFiles};
pub use record::{Record, TimedRecord};
pub use recorder::{FlushReport, Recorder, RecorderError};
pub use replay::{ReplayError, Replayer};
pub use segment::{DecodedSegment, SealedSegment, SegmentHeader, SegmentId, decode};
#[cfg(feature = "upload")]
pub use sdk::{Sdk, SdkConfig, SdkError, SdkOptions, SdkStats};
pub use session::{Platform, SessionId, SessionMetadata};
pub use sink::{MemorySink, SegmentSink, SinkError};
pub use stats::Stats;
#[cfg(feature = "upload")]
pub use upload::{Transport, UploadConfig, UploadConfigError, UploadOptions, UploadStats, Uploader};
pub use view::{NodeFlags, NodeKind, PrivacyOverride, PxInsets, PxRect, ViewNode, ViewTree};
pub use writer::{SessionStart, SessionWriter};
