//! The collector's background upkeep: the retention sweep at start and every
//! `erasure::retention::SWEEP_EVERY`, and every [`PURGE_EVERY`] dropping from the replay cache
//! the sessions that any collector erased (their tombstones), so a replay of an erased session
//! does not outlive it in memory.

use std::time::Duration;

use tokio::task::JoinHandle;

use crate::admin::forget;
use crate::clock::now_ms;
use crate::erasure::retention::{SWEEP_EVERY, sweep};
use crate::state::AppState;

/// How often the cache is checked against the tombstones.
pub const PURGE_EVERY: Duration = Duration::from_secs(10);

/// How far back each purge looks again, for clocks of collectors that disagree.
const PURGE_OVERLAP_MS: i64 = 60_000;

/// Starts the upkeep; it runs until the handle is aborted.
pub fn spawn(state: AppState) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut sweeps = tokio::time::interval(SWEEP_EVERY);
        let mut purges = tokio::time::interval(PURGE_EVERY);
        let mut since = now_ms().saturating_sub(PURGE_OVERLAP_MS);
        loop {
            tokio::select! {
                _ = sweeps.tick() => run_sweep(&state).await,
                _ = purges.tick() => since = purge(&state, since).await,
            }
        }
    })
}

async fn run_sweep(state: &AppState) {
    let worker = state.clone();
    let result = tokio::task::spawn_blocking(move || sweep(worker.store(), worker.index(), worker.retention(), now_ms())).await;
    match result {
        Ok(Ok(report)) => {
            if !report.sessions.is_empty() {
                eprintln!(
                    "reprise: retention erased {} sessions ({} stored segments)",
                    report.sessions.len(),
                    report.stored_segments()
                );
            }
            forget(state, &report);
        }
        Ok(Err(e)) => eprintln!("reprise: retention sweep stopped, to be resumed at the next one: {e}"),
        Err(e) => eprintln!("reprise: retention sweep failed: {e}"),
    }
}

/// Drops the sessions erased since `since` from the cache; the next `since`.
async fn purge(state: &AppState, since: i64) -> i64 {
    if state.timelines().is_empty() {
        return now_ms().saturating_sub(PURGE_OVERLAP_MS);
    }
    let worker = state.clone();
    let next = now_ms().saturating_sub(PURGE_OVERLAP_MS);
    match tokio::task::spawn_blocking(move || worker.index().erased_since(since)).await {
        Ok(Ok(erased)) => {
            for id in erased {
                state.timelines().forget(id);
            }
            next
        }
        _ => since,
    }
}
