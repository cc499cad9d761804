//! Recently decoded sessions. Decoding a session costs far more than answering from it, and the
//! player asks for the same session again and again (events, then frames window after window).
//! Entries are keyed by session and by how many of its segments the index had counted, so a
//! newly stored segment makes the next request decode again.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use reprise_core::SessionId;

use crate::error::ReplayLoadError;
use crate::replay::{Overlays, Timeline};
use crate::store::SegmentStore;

/// A decoded session and its overlays, ready to answer from.
#[derive(Debug)]
pub struct Replay {
    /// The timeline.
    pub timeline: Timeline,
    /// Its touches and gestures.
    pub overlays: Overlays,
}

/// A small least-recently-used cache of decoded sessions.
#[derive(Debug)]
pub struct TimelineCache {
    capacity: usize,
    /// Most recently used last: (session, indexed segments, replay).
    entries: Mutex<VecDeque<(SessionId, usize, Arc<Replay>)>>,
}

impl TimelineCache {
    /// A cache holding at most `capacity` sessions (at least one).
    pub fn new(capacity: usize) -> Self {
        Self { capacity: capacity.max(1), entries: Mutex::new(VecDeque::new()) }
    }

    /// The session decoded when `segments` of its segments were indexed: from the cache, or
    /// decoded from `store` now (blocking). Two requests missing at once both decode; the later
    /// one's result stays.
    pub fn get_or_load(&self, store: &dyn SegmentStore, id: SessionId, segments: usize) -> Result<Arc<Replay>, ReplayLoadError> {
        if let Some(hit) = self.take(id, segments) {
            self.put(id, segments, hit.clone());
            return Ok(hit);
        }
        let timeline = Timeline::load(store, id)?;
        let overlays = Overlays::of(&timeline);
        let replay = Arc::new(Replay { timeline, overlays });
        self.put(id, segments, replay.clone());
        Ok(replay)
    }

    /// How many sessions are held.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether nothing is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<(SessionId, usize, Arc<Replay>)>> {
        // A panic elsewhere cannot leave the queue half-changed in a way that matters to a cache.
        self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn take(&self, id: SessionId, segments: usize) -> Option<Arc<Replay>> {
        let mut entries = self.lock();
        let at = entries.iter().position(|(s, n, _)| *s == id && *n == segments)?;
        entries.remove(at).map(|(_, _, replay)| replay)
    }

    fn put(&self, id: SessionId, segments: usize, replay: Arc<Replay>) {
        let mut entries = self.lock();
        entries.retain(|(s, _, _)| *s != id);
        entries.push_back((id, segments, replay));
        while entries.len() > self.capacity {
            entries.pop_front();
        }
    }
}
