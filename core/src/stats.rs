//! Counters of what the recorder did and dropped, readable at any time from any thread.

use std::sync::atomic::{AtomicU64, Ordering};

macro_rules! counters {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {
        /// A point-in-time copy of the recorder's counters.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
        pub struct Stats {
            $($(#[$doc])* pub $name: u64,)*
        }

        /// The live counters, shared by the callers and the worker.
        #[derive(Debug, Default)]
        pub struct Counters {
            $($(#[$doc])* pub $name: AtomicU64,)*
        }

        impl Counters {
            /// A copy of every counter now.
            pub fn snapshot(&self) -> Stats {
                Stats { $($name: self.$name.load(Ordering::Relaxed),)* }
            }
        }
    };
}

counters! {
    /// Events accepted by `record` (sampled sessions only).
    events,
    /// Records written into segments.
    records,
    /// Snapshots processed by the worker.
    snapshots,
    /// Snapshots written as keyframes.
    keyframes,
    /// Snapshots written as diffs.
    diffs,
    /// Snapshots identical to the previous one, which cost nothing.
    unchanged_snapshots,
    /// Uncompressed record bytes written into segments.
    raw_bytes,
    /// Bytes of sealed segments (headers and checksums included).
    compressed_bytes,
    /// Segments sealed.
    segments,
    /// Sessions started (the first one included).
    sessions,
    /// Pending snapshots dropped under overload (a newer one replaced them).
    dropped_overload_snapshots,
    /// Pending events other than snapshots dropped under overload.
    dropped_overload_events,
    /// Snapshots refused for an invalid structure.
    dropped_invalid_snapshots,
    /// Sealed segments the sink refused.
    dropped_sink_segments,
    /// Events of sessions not sampled.
    dropped_not_sampled,
    /// Events lost to an internal error in the worker (it recovers and goes on).
    dropped_internal,
    /// Touch samples with non-finite coordinates, skipped.
    dropped_touch_samples,
    /// Samples the gesture engine ignored (non-finite, unknown pointers, pointers beyond the cap).
    ignored_gesture_samples,
    /// Nodes beyond the node limit, dropped.
    dropped_nodes,
    /// NaN, infinite, huge or negative-size values corrected.
    sanitized_values,
    /// Strings cut to the length limit.
    clamped_strings,
    /// Nodes whose platform identity repeated another's in the same snapshot.
    duplicate_identities,
    /// Timestamps that went backwards, moved forward to the last one seen.
    clock_regressions,
}

/// Adds `n` to a counter.
pub(crate) fn add(counter: &AtomicU64, n: u64) {
    counter.fetch_add(n, Ordering::Relaxed);
}
