//! The optional log sink: the platform's logger (Logcat, os_log) receives what the SDK has to
//! say about itself: start, stop, refused input, transport failures.

use std::sync::Arc;

use crate::error::RepriseError;
use reprise_core::LogLevel;

/// Implemented by the platform to receive the SDK's own log lines.
#[uniffi::export(with_foreign)]
pub trait LogSink: Send + Sync {
    /// One line. Called from SDK threads; must not block for long. Whatever it throws is
    /// ignored.
    fn log(&self, level: LogLevel, message: String) -> Result<(), RepriseError>;
}

/// A sink or nothing; a panicking or throwing sink is ignored.
#[derive(Clone, Default)]
pub(crate) struct Logger(pub(crate) Option<Arc<dyn LogSink>>);

impl Logger {
    pub(crate) fn log(&self, level: LogLevel, message: impl FnOnce() -> String) {
        if let Some(sink) = &self.0 {
            let sink = sink.clone();
            let message = message();
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || sink.log(level, message)));
        }
    }
}

impl std::fmt::Debug for Logger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() { "Logger(sink)" } else { "Logger(none)" })
    }
}
