//! Retention: how long each app's sessions are kept, counted from when their latest segment
//! arrived (not from the device's clock, which may be wrong), and the sweep that erases the
//! sessions past it. Every collector sweeps at start and then every [`SWEEP_EVERY`]; sweeps of
//! several collectors at once erase the same sessions harmlessly (each step is idempotent).

use std::time::Duration;

use super::{ErasureReport, erase_sessions, finish_interrupted};
use crate::error::ErasureError;
use crate::index::{ErasureReason, SessionIndex};
use crate::retention::Retention;
use crate::store::SegmentStore;

/// How often a collector sweeps.
pub const SWEEP_EVERY: Duration = Duration::from_secs(3600);

/// Sessions looked up per query of a sweep.
pub const BATCH: u32 = 100;

/// One sweep (blocking): finishes interrupted erasures, drops ended live watchers, then erases
/// every session whose latest segment arrived before its app's cutoff at `now_ms`.
pub fn sweep(store: &dyn SegmentStore, index: &SessionIndex, retention: &Retention, now_ms: i64) -> Result<ErasureReport, ErasureError> {
    let mut report = finish_interrupted(store, index)?;
    index.forget_watchers(now_ms)?;
    for app in index.apps()? {
        let Some(cutoff) = retention.cutoff_ms(&app, now_ms) else { continue };
        loop {
            let expired = index.expired_sessions(&app, cutoff, BATCH)?;
            if expired.is_empty() {
                break;
            }
            report.sessions.extend(erase_sessions(store, index, &expired, ErasureReason::Retention)?.sessions);
        }
    }
    Ok(report)
}
