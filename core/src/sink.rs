//! Where sealed segments go: the durable disk queue in production, memory in tests.

use std::sync::{Arc, Mutex};

use thiserror::Error;

use crate::segment::SealedSegment;

/// Why a segment could not be handed to its sink.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SinkError {
    /// The sink has no room.
    #[error("sink is full")]
    Full,
    /// Writing failed.
    #[error("sink I/O error: {0}")]
    Io(String),
}

/// Takes sealed segments from the recorder's worker. A segment is accepted once `accept` returns
/// `Ok`: a durable sink has it on disk by then.
pub trait SegmentSink: Send + 'static {
    /// Stores one sealed segment.
    fn accept(&mut self, segment: SealedSegment) -> Result<(), SinkError>;
}

/// A sink that keeps segments in memory, for tests, examples and benchmarks. Clones share the
/// same segments.
#[derive(Debug, Clone, Default)]
pub struct MemorySink {
    segments: Arc<Mutex<Vec<SealedSegment>>>,
}

impl MemorySink {
    /// An empty sink.
    pub fn new() -> Self {
        Self::default()
    }

    /// A copy of every segment accepted so far, in order.
    pub fn segments(&self) -> Vec<SealedSegment> {
        self.segments.lock().map(|s| s.clone()).unwrap_or_else(|poisoned| poisoned.into_inner().clone())
    }
}

impl SegmentSink for MemorySink {
    fn accept(&mut self, segment: SealedSegment) -> Result<(), SinkError> {
        match self.segments.lock() {
            Ok(mut segments) => segments.push(segment),
            Err(poisoned) => poisoned.into_inner().push(segment),
        }
        Ok(())
    }
}
