//! Sessions: their ids, their device and app metadata, the sampling decision, and rotation (when
//! a session ends and the next begins).

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::event::{Lifecycle, NetworkType, Orientation};

/// A session's id: a UUIDv7, so ids sort by start time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SessionId(pub [u8; 16]);

impl SessionId {
    /// A new UUIDv7 id for a session starting at `start_ms` (Unix milliseconds).
    pub fn new_v7(start_ms: i64) -> Self {
        let ms = u64::try_from(start_ms).unwrap_or(0);
        let ts = uuid::Timestamp::from_unix(uuid::NoContext, ms / 1000, ((ms % 1000) * 1_000_000) as u32);
        Self(*uuid::Uuid::new_v7(ts).as_bytes())
    }

    /// Whether a session with this id is recorded at `sample_rate` (0 to 1). The decision uses the
    /// id's random bits, so every process, platform and the server agree on it.
    pub fn is_sampled(&self, sample_rate: f64) -> bool {
        if sample_rate >= 1.0 {
            return true;
        }
        let mut tail = [0u8; 8];
        tail.copy_from_slice(&self.0[8..]);
        // The variant bits are fixed in a UUID; mask them out of the high byte.
        let bits = u64::from_be_bytes(tail) & 0x3fff_ffff_ffff_ffff;
        (bits as f64) < sample_rate * (0x4000_0000_0000_0000u64 as f64)
    }
}

impl std::fmt::Display for SessionId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        uuid::Uuid::from_bytes(self.0).hyphenated().fmt(f)
    }
}

impl std::str::FromStr for SessionId {
    type Err = uuid::Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        uuid::Uuid::parse_str(s).map(|u| SessionId(*u.as_bytes()))
    }
}

/// The current session as the recorder's ingress sees it: its id, when it started, whether it is
/// sampled in, and since when the app is in the background.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SessionState {
    /// The session's id.
    pub(crate) id: SessionId,
    /// When it started (Unix milliseconds).
    pub(crate) started_ms: i64,
    /// Whether it is recorded ([`SessionId::is_sampled`]).
    pub(crate) sampled: bool,
    /// When the app last went to the background, until it comes back.
    pub(crate) background_since: Option<i64>,
}

impl SessionState {
    /// A session starting at `started_ms`, sampled in or out at `sample_rate`.
    pub(crate) fn new(id: SessionId, started_ms: i64, sample_rate: f64) -> Self {
        SessionState { id, started_ms, sampled: id.is_sampled(sample_rate), background_since: None }
    }

    /// Takes in an event at `time_ms` (a lifecycle transition, when it is one) and says whether
    /// the session must end: it has lasted longer than `max_duration`, or the app comes to the
    /// foreground after more than `inactivity_timeout` in the background.
    pub(crate) fn must_rotate(
        &mut self,
        time_ms: i64,
        lifecycle: Option<Lifecycle>,
        max_duration: Duration,
        inactivity_timeout: Duration,
    ) -> bool {
        let mut rotate = time_ms.saturating_sub(self.started_ms) > max_duration.as_millis() as i64;
        match lifecycle {
            Some(Lifecycle::Background) => self.background_since = Some(time_ms),
            Some(Lifecycle::Foreground) => {
                let idle = self.background_since.take().map(|since| time_ms.saturating_sub(since));
                rotate |= idle.is_some_and(|idle| idle > inactivity_timeout.as_millis() as i64);
            }
            _ => {}
        }
        rotate
    }
}

/// The operating system family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Platform {
    /// Android.
    #[default]
    Android,
    /// iOS or iPadOS.
    Ios,
    /// Anything else (a test harness, a desktop build).
    Other,
}

/// What a session runs on: device, OS and app. Sent at the start of every segment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SessionMetadata {
    /// OS family.
    pub platform: Platform,
    /// OS name ("Android", "iOS").
    pub os_name: String,
    /// OS version ("14", "17.4.1").
    pub os_version: String,
    /// Device manufacturer ("Google", "Apple").
    pub device_manufacturer: String,
    /// Device model ("Pixel 8", "iPhone15,2").
    pub device_model: String,
    /// Screen width in pixels.
    pub screen_width_px: u32,
    /// Screen height in pixels.
    pub screen_height_px: u32,
    /// Pixels per dp (Android density, iOS screen scale).
    pub density: f32,
    /// Orientation at start.
    pub orientation: Orientation,
    /// Locale ("en-GB").
    pub locale: String,
    /// IANA time zone ("Europe/Paris").
    pub time_zone: String,
    /// App id (package name, bundle id).
    pub app_id: String,
    /// App version name.
    pub app_version: String,
    /// App build number.
    pub app_build: String,
    /// Reprise SDK version.
    pub sdk_version: String,
    /// Network type at start.
    pub network: NetworkType,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_v7_and_round_trip_as_text() {
        let id = SessionId::new_v7(1_700_000_000_123);
        let uuid = uuid::Uuid::from_bytes(id.0);
        assert_eq!(uuid.get_version_num(), 7);
        assert_eq!(id.to_string().parse::<SessionId>().ok(), Some(id));
    }

    #[test]
    fn sessions_rotate_after_their_duration_or_a_long_background() {
        let (max, idle) = (Duration::from_secs(3600), Duration::from_secs(60));
        let mut s = SessionState::new(SessionId::new_v7(0), 0, 1.0);
        assert!(!s.must_rotate(1_000, None, max, idle));
        assert!(!s.must_rotate(2_000, Some(Lifecycle::Background), max, idle));
        assert!(!s.must_rotate(30_000, Some(Lifecycle::Foreground), max, idle), "a short background");
        assert!(!s.must_rotate(40_000, Some(Lifecycle::Background), max, idle));
        assert!(s.must_rotate(200_000, Some(Lifecycle::Foreground), max, idle), "a long background");
        assert!(s.must_rotate(3_600_001, None, max, idle), "too long");
    }

    #[test]
    fn sampling_is_deterministic_and_near_the_rate() {
        let ids: Vec<SessionId> = (0..4000).map(|i| SessionId::new_v7(1_700_000_000_000 + i)).collect();
        let kept = ids.iter().filter(|id| id.is_sampled(0.25)).count();
        assert!((800..1200).contains(&kept), "kept {kept} of 4000 at 25%");
        for id in &ids {
            assert_eq!(id.is_sampled(0.25), id.is_sampled(0.25));
            assert!(!id.is_sampled(0.0));
            assert!(id.is_sampled(1.0));
        }
    }
}
