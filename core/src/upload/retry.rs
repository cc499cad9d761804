//! The retry policy: what an answer means for its segment ([`outcome`]: 2xx delivered; 408, 429,
//! 5xx and network errors retried; 413 and other 4xx dropped), and the exponential backoff with
//! full jitter between attempts.

use std::time::Duration;

use super::transport::{TransportError, UploadResponse};

/// The longest `Retry-After` honoured; a server asking for more is retried after this.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(3600);

/// What happens to a segment after an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Stored: delete it.
    Delivered,
    /// Try again later, not before the given delay when the server named one.
    Retry(Option<Duration>),
    /// Too large for the server: drop it.
    TooLarge,
    /// Refused for good (bad key, invalid segment): drop it.
    Rejected(u16),
}

/// The upload policy for an answer.
pub fn outcome(result: &Result<UploadResponse, TransportError>) -> Outcome {
    match result {
        Err(_) => Outcome::Retry(None),
        Ok(r) if (200..300).contains(&r.status) => Outcome::Delivered,
        Ok(r) if r.status == 408 || r.status == 429 || r.status >= 500 => Outcome::Retry(r.retry_after),
        Ok(r) if r.status == 413 => Outcome::TooLarge,
        Ok(r) => Outcome::Rejected(r.status),
    }
}

/// A small xorshift generator for backoff jitter.
pub(super) struct Jitter(u64);

impl Jitter {
    pub(super) fn seeded() -> Self {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64);
        Jitter(nanos | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// Full jitter: a uniform delay up to `initial * 2^(attempts-1)`, capped at `max`.
    pub(super) fn backoff(&mut self, attempts: u32, initial: Duration, max: Duration) -> Duration {
        let ceiling = initial.saturating_mul(1u32 << attempts.saturating_sub(1).min(20)).min(max);
        let millis = ceiling.as_millis().max(1) as u64;
        Duration::from_millis(self.next() % millis + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_map_to_the_policy() {
        let answer = |status, retry_after| Ok(UploadResponse { status, retry_after, live: false });
        assert_eq!(outcome(&answer(200, None)), Outcome::Delivered);
        assert_eq!(outcome(&answer(201, None)), Outcome::Delivered);
        assert_eq!(outcome(&answer(408, None)), Outcome::Retry(None));
        assert_eq!(outcome(&answer(429, Some(Duration::from_secs(7)))), Outcome::Retry(Some(Duration::from_secs(7))));
        assert_eq!(outcome(&answer(503, None)), Outcome::Retry(None));
        assert_eq!(outcome(&answer(413, None)), Outcome::TooLarge);
        assert_eq!(outcome(&answer(401, None)), Outcome::Rejected(401));
        assert_eq!(outcome(&answer(422, None)), Outcome::Rejected(422));
        assert_eq!(outcome(&Err(TransportError("reset".into()))), Outcome::Retry(None));
    }

    #[test]
    fn backoff_grows_and_stays_capped() {
        let mut jitter = Jitter(42);
        let (initial, max) = (Duration::from_millis(100), Duration::from_secs(2));
        for attempts in 1..40 {
            let ceiling = initial.saturating_mul(1 << (attempts - 1).min(20)).min(max);
            let delay = jitter.backoff(attempts, initial, max);
            assert!(delay <= ceiling && delay > Duration::ZERO, "{attempts}: {delay:?}");
        }
    }
}
