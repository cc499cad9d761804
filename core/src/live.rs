//! Live view: while somebody watches a session in the player, the collector flags the answers to
//! its uploads with [`LIVE_HEADER`], and the recorder then seals a segment at least every
//! [`LIVE_SEGMENT_AGE`] instead of every `max_segment_age`, for [`LIVE_HOLD`] after the last
//! flag, so that the player follows the session within seconds. The app opens no extra
//! connection: the flag rides on the uploads it makes anyway.

use std::time::{Duration, Instant};

/// The response header by which the collector says the session is being watched (`1`).
pub const LIVE_HEADER: &str = "x-reprise-live";

/// The longest a segment stays open while the session is watched.
pub const LIVE_SEGMENT_AGE: Duration = Duration::from_secs(2);

/// How long short segments go on after the last answer that said the session is watched.
pub const LIVE_HOLD: Duration = Duration::from_secs(30);

/// The age at which the open segment is sealed at `now`: `normal` (the configured
/// `max_segment_age`), or at most [`LIVE_SEGMENT_AGE`] until `live_until`.
pub fn segment_age(normal: Duration, live_until: Option<Instant>, now: Instant) -> Duration {
    match live_until {
        Some(until) if now < until => normal.min(LIVE_SEGMENT_AGE),
        _ => normal,
    }
}

/// Whether an answer's [`LIVE_HEADER`] value says the session is watched.
pub fn is_live_flag(value: &str) -> bool {
    value.trim() == "1"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_short_only_while_the_flag_holds() {
        let now = Instant::now();
        let minute = Duration::from_secs(60);
        assert_eq!(segment_age(minute, None, now), minute);
        assert_eq!(segment_age(minute, Some(now + LIVE_HOLD), now), LIVE_SEGMENT_AGE);
        assert_eq!(segment_age(minute, Some(now), now + Duration::from_millis(1)), minute);
        // A configured age shorter than the live one stays.
        assert_eq!(segment_age(Duration::from_secs(1), Some(now + LIVE_HOLD), now), Duration::from_secs(1));
        assert!(is_live_flag("1") && is_live_flag(" 1 ") && !is_live_flag("0") && !is_live_flag("yes"));
    }
}
