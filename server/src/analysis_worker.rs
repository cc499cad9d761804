//! Analysis behind the 200: every collector runs this worker, which claims queued segments from
//! the index (`index::analysis_queue`) for a lease, reads each from the store, decodes it within
//! the decode limits and a decode permit, runs `analysis::analyze_segment`, and writes the
//! findings in the transaction that releases the claim. Ingest wakes it after each stored
//! segment; it also looks every [`IDLE_POLL`] for segments other collectors queued or a dead
//! worker's lapsed claims. A segment whose analysis panics, or that no longer decodes, is
//! recorded with no findings (the analysis only adds findings: it never refuses a stored
//! segment).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use reprise_core::{SegmentId, decode};
use tokio::task::JoinHandle;

use crate::analysis::{Finding, analyze_segment};
use crate::clock::now_ms;
use crate::error::StoreError;
use crate::state::AppState;

/// How long a claim holds before another worker may take the segment.
pub const LEASE: Duration = Duration::from_secs(60);

/// Segments claimed at once.
pub const BATCH: u32 = 16;

/// How often an idle worker looks at the queue.
pub const IDLE_POLL: Duration = Duration::from_millis(500);

/// Starts the worker; it runs until the handle is aborted.
pub fn spawn(state: AppState) -> JoinHandle<()> {
    tokio::spawn(async move {
        let instance = instance_name();
        let claims = AtomicU64::new(0);
        loop {
            let worker = format!("{instance}-{}", claims.fetch_add(1, Ordering::Relaxed));
            let claimed = {
                let (state, worker) = (state.clone(), worker.clone());
                tokio::task::spawn_blocking(move || {
                    let now = now_ms();
                    state.index().claim_analyses(&worker, now, now + LEASE.as_millis() as i64, BATCH)
                })
                .await
            };
            match claimed {
                Ok(Ok(ids)) if !ids.is_empty() => {
                    for id in ids {
                        analyse(&state, id, &worker).await;
                    }
                    continue;
                }
                Ok(Err(e)) => eprintln!("reprise: the analysis queue could not be read: {e}"),
                _ => {}
            }
            tokio::select! {
                () = state.analysis_wake().notified() => {}
                () = tokio::time::sleep(IDLE_POLL) => {}
            }
        }
    })
}

/// Analyses one claimed segment and writes what it found.
async fn analyse(state: &AppState, id: SegmentId, worker: &str) {
    let Ok(_permit) = state.decodes().acquire().await else { return };
    let (state, worker) = (state.clone(), worker.to_owned());
    let written = tokio::task::spawn_blocking(move || match findings_of(&state, id) {
        Ok(findings) => state.index().record_analysis(id, &worker, &findings).map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    })
    .await;
    match written {
        Ok(Ok(_)) => {}
        // The claim lapses and another try comes after the lease.
        Ok(Err(e)) => eprintln!("reprise: the analysis of segment {id} stopped, to be retried: {e}"),
        Err(e) => eprintln!("reprise: the analysis of segment {id} failed, to be retried: {e}"),
    }
}

/// What the analysis finds in the stored segment `id`: nothing when it is gone (erased) or no
/// longer decodes; an error when the store cannot be read now (tried again later).
fn findings_of(state: &AppState, id: SegmentId) -> Result<Vec<Finding>, StoreError> {
    let Some(bytes) = state.store().get(id)? else { return Ok(Vec::new()) };
    let Ok(decoded) = decode(&bytes, state.limits().decode()) else { return Ok(Vec::new()) };
    Ok(std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| analyze_segment(id.session, id.sequence, decoded))).unwrap_or_else(|_| {
        eprintln!("reprise: analysis of segment {id} failed; recorded without findings");
        Vec::new()
    }))
}

/// A name for this collector's claims, unique across collectors: random, with the process id
/// and the time beside it should the OS have no randomness to give.
fn instance_name() -> String {
    let mut bytes = [0u8; 6];
    let _ = getrandom::fill(&mut bytes);
    let random: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{random}-{:x}-{:x}", std::process::id(), now_ms())
}
