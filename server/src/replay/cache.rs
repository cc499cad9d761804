//! Recently decoded sessions. Decoding a session costs far more than answering from it, and the
//! player asks for the same session again and again (events, then frames window after window).
//! Entries are keyed by session and by how many of its segments the index had counted, so a
//! newly stored segment makes the next request decode again, whichever collector indexed it (the
//! count is read from the index, shared or not, on every request). A replay is kept only when the
//! store listed at least the segments the index counted: a store that lists a segment late (an
//! eventually consistent listing) is never taken for the session's whole. The cache is bounded by
//! the memory its replays hold, least recently used first out.

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
    /// decoded from `store` now within the limits (blocking) and kept unless the store listed
    /// fewer than `segments`.
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
        if replay.timeline.listed_segments() >= segments {
            self.put(id, segments, replay.clone());
        }
        Ok(replay)
    }

    /// Drops whatever is held of session `id` (it was erased); whether something was held.
    pub fn forget(&self, id: SessionId) -> bool {
        let mut entries = self.lock();
        let before = entries.len();
        entries.retain(|(s, _, _, _)| *s != id);
        entries.len() < before
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

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, Ordering};

    use reprise_core::{Event, MemorySink, Recorder, RecorderConfig, SegmentId, SessionMetadata};

    use super::*;
    use crate::error::StoreError;
    use crate::store::{DirStore, PutOutcome};

    /// A store whose listing leaves out the last segment while `lagging` is set, as an
    /// eventually consistent listing may just after a write.
    struct LaggingStore {
        inner: DirStore,
        lagging: AtomicBool,
    }

    impl SegmentStore for LaggingStore {
        fn put_if_absent(&self, id: SegmentId, bytes: &[u8]) -> Result<PutOutcome, StoreError> {
            self.inner.put_if_absent(id, bytes)
        }
        fn get(&self, id: SegmentId) -> Result<Option<Vec<u8>>, StoreError> {
            self.inner.get(id)
        }
        fn list_session(&self, session: SessionId) -> Result<Vec<SegmentId>, StoreError> {
            let mut ids = self.inner.list_session(session)?;
            if self.lagging.load(Ordering::SeqCst) {
                ids.pop();
            }
            Ok(ids)
        }
        fn sessions(&self) -> Result<Vec<SessionId>, StoreError> {
            self.inner.sessions()
        }
        fn contains(&self, id: SegmentId) -> Result<bool, StoreError> {
            self.inner.contains(id)
        }
        fn delete(&self, id: SegmentId) -> Result<bool, StoreError> {
            self.inner.delete(id)
        }
        fn describe(&self) -> String {
            "a lagging store".into()
        }
        fn check_writable(&self) -> Result<(), StoreError> {
            self.inner.check_writable()
        }
    }

    #[test]
    fn a_listing_short_of_the_index_count_is_answered_but_not_kept() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = LaggingStore { inner: DirStore::open(dir.path()).expect("store"), lagging: AtomicBool::new(true) };
        let sink = MemorySink::new();
        let recorder = Recorder::start(RecorderConfig::default(), SessionMetadata::default(), 1_700_000_000_000, Box::new(sink.clone()))
            .expect("recorder starts");
        recorder.record(1_700_000_000_010, Event::ScreenView { name: "first".into() }).expect("recorded");
        recorder.flush().expect("flushed");
        recorder.record(1_700_000_000_020, Event::ScreenView { name: "second".into() }).expect("recorded");
        recorder.shutdown().expect("shuts down");
        let segments = sink.segments();
        assert_eq!(segments.len(), 2);
        for segment in &segments {
            store.put_if_absent(segment.header.id(), &segment.bytes).expect("stored");
        }
        let session = segments[0].header.id().session;
        let cache = TimelineCache::new(usize::MAX);
        let (decode, max) = (DecodeLimits::default(), usize::MAX);
        // The index counts 2 segments, the listing shows 1: answered, not kept.
        let short = cache.get_or_load(&store, session, 2, decode, max).expect("loads");
        assert_eq!(short.timeline.listed_segments(), 1);
        assert!(cache.is_empty(), "a replay short of the index is not cached");
        store.lagging.store(false, Ordering::SeqCst);
        let whole = cache.get_or_load(&store, session, 2, decode, max).expect("loads");
        assert_eq!(whole.timeline.listed_segments(), 2);
        assert!(Arc::ptr_eq(&whole, &cache.get(session, 2).expect("kept")));
    }
}
