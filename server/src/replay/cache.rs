//! Recently decoded sessions. Decoding a session costs far more than answering from it, and the
//! player asks for the same session again and again (events, then frames window after window).
//! Entries are keyed by session and by how many of its segments the index had counted, so a
//! newly stored segment makes the next request decode again. The cache is bounded by the memory
//! its replays hold, least recently used first out.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use reprise_core::{DecodeLimits, SessionId};

use crate::error::ReplayLoadError;
use super::{Overlays, Timeline, ViewNames};
use crate::store::SegmentStore;

/// A decoded session and its overlays, ready to answer from.
#[derive(Debug)]
pub struct Replay {
    /// The timeline.
    pub timeline: Timeline,
    /// Its touches and gestures.
    pub overlays: Overlays,
    /// What to call each of its views.
    pub names: ViewNames,
}

impl Replay {
    /// Decodes a stored session within the limits: each segment within `decode`, the records
    /// within `max_bytes`.
    pub fn load(store: &dyn SegmentStore, id: SessionId, decode: DecodeLimits, max_bytes: usize) -> Result<Replay, ReplayLoadError> {
        Ok(Replay::of(Timeline::load_within(store, id, decode, max_bytes)?))
    }

    /// A timeline with its overlays and names.
    pub fn of(timeline: Timeline) -> Replay {
        let overlays = Overlays::of(&timeline);
        let names = ViewNames::of(&timeline);
        Replay { timeline, overlays, names }
    }

    /// What it holds in memory: the records, the overlays' strokes and the names.
    pub fn memory_bytes(&self) -> usize {
        self.timeline.memory_bytes() + self.overlays.memory_bytes() + self.names.memory_bytes()
    }
}

/// A small least-recently-used cache of decoded sessions, bounded by bytes.
#[derive(Debug)]
pub struct TimelineCache {
    capacity_bytes: usize,
    /// Most recently used last: (session, indexed segments, replay, its bytes).
    entries: Mutex<VecDeque<Entry>>,
}

type Entry = (SessionId, usize, Arc<Replay>, usize);

impl TimelineCache {
    /// A cache holding replays of at most `capacity_bytes` together (the newest one is kept
    /// whatever its size).
    pub fn new(capacity_bytes: usize) -> Self {
        Self { capacity_bytes, entries: Mutex::new(VecDeque::new()) }
    }

    /// The session decoded when `segments` of its segments were indexed, if it is held.
    pub fn get(&self, id: SessionId, segments: usize) -> Option<Arc<Replay>> {
        let mut entries = self.lock();
        let at = entries.iter().position(|(s, n, _, _)| *s == id && *n == segments)?;
        let entry = entries.remove(at)?;
        let hit = entry.2.clone();
        entries.push_back(entry);
        Some(hit)
    }

    /// The session decoded when `segments` of its segments were indexed: from the cache, or
    /// decoded from `store` now within the limits (blocking) and kept.
    pub fn get_or_load(
        &self,
        store: &dyn SegmentStore,
        id: SessionId,
        segments: usize,
        decode: DecodeLimits,
        max_bytes: usize,
    ) -> Result<Arc<Replay>, ReplayLoadError> {
        if let Some(hit) = self.get(id, segments) {
            return Ok(hit);
        }
        let replay = Arc::new(Replay::load(store, id, decode, max_bytes)?);
        self.put(id, segments, replay.clone());
        Ok(replay)
    }

    /// Keeps `replay` as the session decoded at `segments`, evicting the least recently used
    /// replays beyond the capacity.
    pub fn put(&self, id: SessionId, segments: usize, replay: Arc<Replay>) {
        let bytes = replay.memory_bytes();
        let mut entries = self.lock();
        entries.retain(|(s, _, _, _)| *s != id);
        entries.push_back((id, segments, replay, bytes));
        let mut held: usize = entries.iter().map(|e| e.3).sum();
        while held > self.capacity_bytes && entries.len() > 1 {
            if let Some(evicted) = entries.pop_front() {
                held -= evicted.3;
            }
        }
    }

    /// How many sessions are held.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether nothing is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The memory the held replays account for.
    pub fn held_bytes(&self) -> usize {
        self.lock().iter().map(|e| e.3).sum()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<Entry>> {
        // A panic elsewhere cannot leave the queue half-changed in a way that matters to a cache.
        self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
