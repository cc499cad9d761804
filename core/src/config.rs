//! Recorder configuration, with defaults that suit a production app and validation that names
//! what is wrong.

use std::time::Duration;

use thiserror::Error;

use crate::capture::CaptureLimits;
use crate::gesture::{GestureConfig, GestureConfigError};
use crate::mask::PrivacyRules;

/// A configuration setting out of range.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ConfigError {
    /// The sample rate must be between 0 and 1.
    #[error("sample rate must be between 0 and 1, got {0}")]
    SampleRate(f64),
    /// The keyframe interval is too short.
    #[error("keyframe interval must be at least 100 ms, got {0:?}")]
    KeyframeInterval(Duration),
    /// The segment size is out of range.
    #[error("segment size must be between 4 KiB and 16 MiB, got {0} bytes")]
    SegmentSize(usize),
    /// The segment age is too short.
    #[error("segment age must be at least 1 s, got {0:?}")]
    SegmentAge(Duration),
    /// The memory budget cannot hold a segment and pending events.
    #[error("buffer of {buffer} bytes must be at least twice the segment size of {segment} bytes")]
    BufferTooSmall {
        /// The configured buffer size.
        buffer: usize,
        /// The configured segment size.
        segment: usize,
    },
    /// The zstd level is out of range.
    #[error("zstd level must be between 1 and 19, got {0}")]
    ZstdLevel(i32),
    /// The inactivity timeout is zero.
    #[error("inactivity timeout must be more than zero")]
    InactivityTimeout,
    /// The maximum session duration is too short.
    #[error("maximum session duration must be at least 60 s, got {0:?}")]
    SessionDuration(Duration),
    /// The maximum text length is zero.
    #[error("maximum text length must be at least 1 character")]
    MaxTextChars,
    /// The maximum node count is zero.
    #[error("maximum node count must be at least 1")]
    MaxNodes,
    /// A gesture setting is out of range.
    #[error(transparent)]
    Gesture(#[from] GestureConfigError),
}

/// How a [`Recorder`](crate::Recorder) captures, buffers and segments a session.
#[derive(Debug, Clone, PartialEq)]
pub struct RecorderConfig {
    /// What is masked.
    pub privacy: PrivacyRules,
    /// Fraction of sessions recorded, 0 to 1.
    pub sample_rate: f64,
    /// Longest time between keyframes; seeking starts from the nearest one.
    pub keyframe_interval: Duration,
    /// A segment is sealed when its uncompressed records reach this size.
    pub max_segment_bytes: usize,
    /// A segment is sealed when it has been open this long.
    pub max_segment_age: Duration,
    /// Memory the recorder may hold for pending events and the open segment together.
    pub max_buffer_bytes: usize,
    /// zstd level for segment bodies (1 to 19; 1 to 3 are the sensible ones).
    pub zstd_level: i32,
    /// A session ends when the app stays in the background longer than this.
    pub inactivity_timeout: Duration,
    /// A session is split when it lasts longer than this.
    pub max_session_duration: Duration,
    /// Longest text kept, in characters; longer text is cut and counted.
    pub max_text_chars: usize,
    /// Most nodes kept from one snapshot; the rest are dropped and counted.
    pub max_nodes: usize,
    /// Gesture recognition thresholds.
    pub gestures: GestureConfig,
}

impl Default for RecorderConfig {
    fn default() -> Self {
        Self {
            privacy: PrivacyRules::default(),
            sample_rate: 1.0,
            keyframe_interval: Duration::from_secs(10),
            max_segment_bytes: 512 * 1024,
            max_segment_age: Duration::from_secs(60),
            max_buffer_bytes: 2 * 1024 * 1024,
            zstd_level: 3,
            inactivity_timeout: Duration::from_secs(30 * 60),
            max_session_duration: Duration::from_secs(4 * 60 * 60),
            max_text_chars: 4096,
            max_nodes: 20_000,
            gestures: GestureConfig::default(),
        }
    }
}

impl RecorderConfig {
    /// Checks every setting, naming the first that is out of range.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if !(0.0..=1.0).contains(&self.sample_rate) {
            return Err(ConfigError::SampleRate(self.sample_rate));
        }
        if self.keyframe_interval < Duration::from_millis(100) {
            return Err(ConfigError::KeyframeInterval(self.keyframe_interval));
        }
        if self.max_segment_bytes < 4 * 1024 || self.max_segment_bytes > 16 * 1024 * 1024 {
            return Err(ConfigError::SegmentSize(self.max_segment_bytes));
        }
        if self.max_segment_age < Duration::from_secs(1) {
            return Err(ConfigError::SegmentAge(self.max_segment_age));
        }
        if self.max_buffer_bytes < 2 * self.max_segment_bytes {
            return Err(ConfigError::BufferTooSmall {
                buffer: self.max_buffer_bytes,
                segment: self.max_segment_bytes,
            });
        }
        if !(1..=19).contains(&self.zstd_level) {
            return Err(ConfigError::ZstdLevel(self.zstd_level));
        }
        if self.inactivity_timeout.is_zero() {
            return Err(ConfigError::InactivityTimeout);
        }
        if self.max_session_duration < Duration::from_secs(60) {
            return Err(ConfigError::SessionDuration(self.max_session_duration));
        }
        if self.max_text_chars == 0 {
            return Err(ConfigError::MaxTextChars);
        }
        if self.max_nodes == 0 {
            return Err(ConfigError::MaxNodes);
        }
        self.gestures.validate()?;
        Ok(())
    }

    /// The limits applied to each captured tree.
    pub fn capture_limits(&self) -> CaptureLimits {
        CaptureLimits { max_text_chars: self.max_text_chars, max_class_chars: 256, max_nodes: self.max_nodes }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        assert_eq!(RecorderConfig::default().validate(), Ok(()));
    }

    #[test]
    fn out_of_range_settings_are_named() {
        let bad = |f: fn(&mut RecorderConfig)| {
            let mut c = RecorderConfig::default();
            f(&mut c);
            c.validate().unwrap_err()
        };
        assert_eq!(bad(|c| c.sample_rate = 1.5), ConfigError::SampleRate(1.5));
        assert!(matches!(bad(|c| c.sample_rate = f64::NAN), ConfigError::SampleRate(_)));
        assert_eq!(bad(|c| c.zstd_level = 0), ConfigError::ZstdLevel(0));
        assert!(matches!(bad(|c| c.max_buffer_bytes = 1024), ConfigError::BufferTooSmall { .. }));
        assert_eq!(bad(|c| c.max_text_chars = 0), ConfigError::MaxTextChars);
        assert!(matches!(bad(|c| c.keyframe_interval = Duration::ZERO), ConfigError::KeyframeInterval(_)));
        assert!(matches!(bad(|c| c.gestures.long_press_timeout_ms = 0), ConfigError::Gesture(_)));
    }
}
