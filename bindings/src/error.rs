//! The one error type every fallible exported call returns.

use reprise_core::{RecorderError, SdkError};

/// Why a call failed. Kotlin sees `RepriseException` subclasses, Swift a `RepriseError` enum.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum RepriseError {
    /// The configuration was refused.
    #[error("invalid configuration: {reason}")]
    Config {
        /// What was wrong.
        reason: String,
    },
    /// The snapshot was malformed; nothing was recorded.
    #[error("invalid snapshot: {reason}")]
    InvalidSnapshot {
        /// What was wrong.
        reason: String,
    },
    /// The disk queue could not be used.
    #[error("storage: {reason}")]
    Storage {
        /// What failed.
        reason: String,
    },
    /// The SDK was stopped; start a new one.
    #[error("the SDK is stopped")]
    Stopped,
    /// A flush did not finish in time.
    #[error("timed out: {reason}")]
    Timeout {
        /// What timed out.
        reason: String,
    },
    /// A platform transport failed to send (no HTTP answer).
    #[error("transport: {reason}")]
    Transport {
        /// What the transport reported.
        reason: String,
    },
    /// A bug inside the SDK (a caught panic or a failed worker); the host app keeps running.
    #[error("internal error: {reason}")]
    Internal {
        /// What happened.
        reason: String,
    },
}

impl From<RecorderError> for RepriseError {
    fn from(e: RecorderError) -> Self {
        let reason = e.to_string();
        match e {
            RecorderError::Config(_) => RepriseError::Config { reason },
            RecorderError::Snapshot(_) => RepriseError::InvalidSnapshot { reason },
            RecorderError::ShutDown => RepriseError::Stopped,
            RecorderError::Timeout(_) => RepriseError::Timeout { reason },
            RecorderError::Worker(_) => RepriseError::Internal { reason },
        }
    }
}

impl From<SdkError> for RepriseError {
    fn from(e: SdkError) -> Self {
        match e {
            SdkError::Recorder(e) => e.into(),
            SdkError::Queue(e) => RepriseError::Storage { reason: e.to_string() },
            SdkError::Upload(e) => RepriseError::Config { reason: e.to_string() },
        }
    }
}

/// A foreign callback (transport, log sink) that threw something it did not declare.
impl From<uniffi::UnexpectedUniFFICallbackError> for RepriseError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        RepriseError::Transport { reason: e.reason }
    }
}

/// Runs `f`, turning a panic into [`RepriseError::Internal`] so that no panic reaches the
/// foreign caller (UniFFI would catch it too, but as an untyped exception).
pub(crate) fn guard<T>(f: impl FnOnce() -> Result<T, RepriseError>) -> Result<T, RepriseError> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(payload) => Err(RepriseError::Internal { reason: panic_reason(payload) }),
    }
}

/// The message of a caught panic (`"panic"` when it carried none).
pub(crate) fn panic_reason(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_a_typed_internal_error() {
        let r: Result<(), RepriseError> = guard(|| panic!("boom {}", 1));
        assert_eq!(r, Err(RepriseError::Internal { reason: "boom 1".into() }));
        assert_eq!(guard(|| Ok(7)), Ok(7));
    }

    #[test]
    fn core_errors_map_to_their_kinds() {
        assert_eq!(RepriseError::from(RecorderError::ShutDown), RepriseError::Stopped);
        let e = RepriseError::from(RecorderError::Snapshot(reprise_core::SnapshotError::Empty));
        assert!(matches!(e, RepriseError::InvalidSnapshot { .. }));
    }
}
