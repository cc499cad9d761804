//! A stored session as one timeline: every segment decoded, in sequence order, with an index of
//! its snapshots so any moment can be rebuilt from the nearest keyframe and the diffs after it.

use reprise_core::record::{SessionInfo, ViewportInfo};
use reprise_core::touch::RecordedTouch;
use reprise_core::{DecodeLimits, Density, Frame, Record, Replayer, SessionId, TimedRecord, decode};
use serde::Serialize;

use super::scene::{Scene, draw_frame};
use super::screen::Screen;
use crate::config::Limits;
use crate::error::ReplayLoadError;
use crate::store::SegmentStore;

/// Where a snapshot (keyframe or diff) sits in the timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SnapshotAt {
    /// When it was taken, Unix ms.
    pub time_ms: i64,
    /// Its index in [`Timeline::records`].
    pub record: usize,
    /// Whether it is a keyframe (replay can start here).
    pub keyframe: bool,
}

/// Segments the timeline could not use (one, or a run of missing ones), and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SegmentProblem {
    /// The (first) segment's sequence number.
    pub sequence: u32,
    /// The last sequence number of the run (`sequence` for one segment).
    pub last_sequence: u32,
    /// What went wrong.
    pub error: String,
}

impl SegmentProblem {
    fn one(sequence: u32, error: String) -> Self {
        Self { sequence, last_sequence: sequence, error }
    }
}

/// One session's records, decoded and in order.
#[derive(Debug, Clone)]
pub struct Timeline {
    /// The session.
    pub session_id: SessionId,
    /// The earliest segment's Session record: device, OS, app and user at the start.
    pub info: Option<SessionInfo>,
    /// Every record of every decodable segment, in sequence then record order.
    pub records: Vec<TimedRecord>,
    /// The keyframes and diffs, in order.
    pub snapshots: Vec<SnapshotAt>,
    /// Segments that were missing or did not decode.
    pub problems: Vec<SegmentProblem>,
    /// Viewport changes, in order: (time, screen).
    viewports: Vec<(i64, Screen)>,
    /// Memory the records hold.
    bytes: usize,
    /// Segments the store listed (or that were given) when it was built.
    listed: usize,
}

impl Timeline {
    /// Reads and decodes every stored segment of `session` under the collector's default limits;
    /// see [`Timeline::load_within`].
    pub fn load(store: &dyn SegmentStore, session: SessionId) -> Result<Timeline, ReplayLoadError> {
        let limits = Limits::default();
        Self::load_within(store, session, limits.decode(), limits.max_replay_bytes)
    }

    /// Reads and decodes every stored segment of `session`, each within `decode`, until the
    /// records held reach `max_bytes`. A segment that does not decode, a run of sequence numbers
    /// skipped (never stored), and the segments past the budget are listed in `problems`, not
    /// fatal: the others still replay (each starts with a keyframe). Nothing is allocated in
    /// proportion to a sequence number.
    pub fn load_within(
        store: &dyn SegmentStore,
        session: SessionId,
        decode_limits: DecodeLimits,
        max_bytes: usize,
    ) -> Result<Timeline, ReplayLoadError> {
        let mut ids = store.list_session(session)?;
        if ids.is_empty() {
            return Err(ReplayLoadError::NotFound(session));
        }
        ids.sort_by_key(|id| id.sequence);
        let mut timeline = Timeline::empty(session);
        timeline.listed = ids.len();
        let mut expected = 0u32;
        for id in &ids {
            if id.sequence > expected {
                timeline.problems.push(SegmentProblem {
                    sequence: expected,
                    last_sequence: id.sequence - 1,
                    error: "not stored".to_owned(),
                });
            }
            expected = id.sequence.saturating_add(1);
            let decoded = match store.get(*id)? {
                Some(bytes) => decode(&bytes, decode_limits).map_err(|e| e.to_string()),
                None => Err("listed but not stored".to_owned()),
            };
            if let Ok(segment) = &decoded {
                let cost: usize = segment.records.records.iter().map(TimedRecord::memory_bytes).sum();
                if timeline.bytes.saturating_add(cost) > max_bytes {
                    let last = ids.last().map_or(id.sequence, |l| l.sequence);
                    let error = format!("not loaded: the replay would hold more than {max_bytes} bytes");
                    timeline.problems.push(SegmentProblem { sequence: id.sequence, last_sequence: last, error });
                            break;
                }
            }
            timeline.add_segment(id.sequence, decoded);
        }
        Ok(timeline)
    }

    /// A timeline with nothing in it yet.
    fn empty(session_id: SessionId) -> Timeline {
        Timeline {
            session_id,
            info: None,
            records: Vec::new(),
            snapshots: Vec::new(),
            problems: Vec::new(),
            viewports: Vec::new(),
            bytes: 0,
            listed: 0,
        }
    }

    /// How many segments the store listed (or were given) when this timeline was built: a cache
    /// compares it with the number the index has counted.
    pub fn listed_segments(&self) -> usize {
        self.listed
    }

    /// A timeline from segments already decoded (or the reason each one failed), in sequence order.
    pub fn from_records(
        session_id: SessionId,
        segments: impl IntoIterator<Item = (u32, Result<reprise_core::DecodedSegment, String>)>,
    ) -> Timeline {
        let mut timeline = Timeline::empty(session_id);
        for (sequence, segment) in segments {
            timeline.listed += 1;
            timeline.add_segment(sequence, segment);
        }
        timeline
    }

    /// Appends a decoded segment's records, or lists why it could not be.
    fn add_segment(&mut self, sequence: u32, segment: Result<reprise_core::DecodedSegment, String>) {
        match segment {
            Ok(segment) => {
                for record in segment.records.records {
                    self.push(record);
                }
            }
            Err(error) => self.problems.push(SegmentProblem::one(sequence, error)),
        }
    }

    /// What the records held cost in memory, by [`TimedRecord::memory_bytes`].
    pub fn memory_bytes(&self) -> usize {
        self.bytes
    }

    /// Appends a record after the others, indexing it if it is a snapshot or a viewport change.
    pub fn push(&mut self, record: TimedRecord) {
        match &record.record {
            Record::Session(info) if self.info.is_none() => self.info = Some(info.clone()),
            Record::Keyframe(_) | Record::Diff(_) => self.snapshots.push(SnapshotAt {
                time_ms: record.time_ms,
                record: self.records.len(),
                keyframe: matches!(record.record, Record::Keyframe(_)),
            }),
            Record::Viewport(ViewportInfo { width, height, density, .. }) => {
                self.viewports.push((record.time_ms, Screen { width: *width, height: *height, density: Density::new(*density).get() }));
            }
            _ => {}
        }
        self.bytes = self.bytes.saturating_add(record.memory_bytes());
        self.records.push(record);
    }

    /// Time of the first record (0 when empty).
    pub fn start_ms(&self) -> i64 {
        self.records.first().map_or(0, |r| r.time_ms)
    }

    /// Time of the last record (0 when empty).
    pub fn end_ms(&self) -> i64 {
        self.records.iter().map(|r| r.time_ms).max().unwrap_or(0)
    }

    /// The screen at `time_ms`: the latest viewport change at or before it, else the session's
    /// screen from its metadata.
    pub fn screen_at(&self, time_ms: i64) -> Screen {
        let changed = self.viewports.partition_point(|(t, _)| *t <= time_ms);
        if let Some((_, screen)) = changed.checked_sub(1).and_then(|i| self.viewports.get(i)) {
            return *screen;
        }
        match &self.info {
            Some(info) => {
                let m = &info.metadata;
                let density = Density::new(m.density).get();
                Screen {
                    width: (m.screen_width_px as f32 / density).round() as u32,
                    height: (m.screen_height_px as f32 / density).round() as u32,
                    density,
                }
            }
            None => Screen { width: 0, height: 0, density: 1.0 },
        }
    }

    /// How a snapshot's frame is drawn: [`draw_frame`] on the screen in effect when it was taken.
    pub fn scene(&self, at: SnapshotAt, frame: &Frame) -> Scene {
        draw_frame(at.time_ms, frame, self.screen_at(at.time_ms))
    }

    /// The index of the snapshot in effect at `time_ms` (the last one taken at or before it).
    pub fn snapshot_index_at(&self, time_ms: i64) -> Option<usize> {
        self.snapshots.partition_point(|s| s.time_ms <= time_ms).checked_sub(1)
    }

    /// Walks the hierarchy forward from snapshot `first` (rebuilt from the keyframe at or before
    /// it and the diffs between).
    /// A timeline without snapshots (or `first` past the last) yields nothing.
    pub fn frames_from(&self, first: usize) -> Frames<'_> {
        let upto = self.snapshots.get(..=first).unwrap_or(&self.snapshots);
        let start = upto.iter().rposition(|s| s.keyframe).unwrap_or(0);
        let next_record = self.snapshots.get(start).map_or(self.records.len(), |s| s.record);
        Frames { timeline: self, next_record, first, replayer: Replayer::new(), broken: false }
    }

    /// The hierarchy in effect at `time_ms`, with the time of the snapshot it comes from.
    pub fn frame_at(&self, time_ms: i64) -> Option<(SnapshotAt, Frame)> {
        let index = self.snapshot_index_at(time_ms)?;
        self.frames_from(index).next()
    }

    /// Every raw touch sample, in time order, in dp.
    pub fn touches(&self) -> Vec<RecordedTouch> {
        let mut out = Vec::new();
        for r in &self.records {
            if let Record::Touches(track) = &r.record {
                out.extend(track.unpack(r.time_ms));
            }
        }
        out.sort_by_key(|t| t.time_ms);
        out
    }
}

/// Frames of a timeline in snapshot order; see [`Timeline::frames_from`]. A diff that does not
/// apply (its base is missing) is skipped along with the diffs after it, until the next keyframe.
pub struct Frames<'a> {
    timeline: &'a Timeline,
    next_record: usize,
    first: usize,
    replayer: Replayer,
    broken: bool,
}

impl Frames<'_> {
    /// The hierarchy's state as of the last frame yielded: class names and node details.
    pub fn replayer(&self) -> &Replayer {
        &self.replayer
    }
}

impl Iterator for Frames<'_> {
    type Item = (SnapshotAt, Frame);

    fn next(&mut self) -> Option<Self::Item> {
        let records = &self.timeline.records;
        while let Some(r) = records.get(self.next_record) {
            let index = self.next_record;
            self.next_record += 1;
            if self.broken && matches!(r.record, Record::Diff(_)) {
                continue;
            }
            match self.replayer.apply(&r.record) {
                Ok(true) => {
                    self.broken = false;
                    // The snapshot's details (kind 17, written right after its keyframe or diff
                    // at the same time) belong to this frame: its clip insets among them.
                    while let Some(next) =
                        records.get(self.next_record).filter(|n| n.time_ms == r.time_ms && matches!(n.record, Record::Details(_)))
                    {
                        let _ = self.replayer.apply(&next.record);
                        self.next_record += 1;
                    }
                    let Ok(at) = self.timeline.snapshots.binary_search_by_key(&index, |s| s.record) else { continue };
                    if at < self.first {
                        continue;
                    }
                    if let Some(frame) = self.replayer.frame() {
                        return Some((self.timeline.snapshots[at], frame));
                    }
                }
                Ok(false) => {}
                // The replayer keeps its previous state on an error, so nothing after it (until a
                // keyframe that applies) would be drawn right.
                Err(_) => self.broken = true,
            }
        }
        None
    }
}

/// The screen views of a timeline, in time order, to say which screen a moment is on.
pub struct ScreenNames<'a>(Vec<(i64, &'a str)>);

impl<'a> ScreenNames<'a> {
    /// The screen views of `timeline`.
    pub fn of(timeline: &'a Timeline) -> Self {
        let views = timeline.records.iter().filter_map(|r| match &r.record {
            Record::ScreenView(name) => Some((r.time_ms, name.as_str())),
            _ => None,
        });
        ScreenNames(views.collect())
    }

    /// The last screen viewed at or before `time_ms`; empty before the first.
    pub fn at(&self, time_ms: i64) -> &'a str {
        let i = self.0.partition_point(|(t, _)| *t <= time_ms);
        i.checked_sub(1).map_or("", |i| self.0[i].1)
    }
}

#[cfg(test)]
mod tests {
    use reprise_core::{Event, MemorySink, Recorder, RecorderConfig, SessionMetadata};

    use super::*;

    /// A session that never took a snapshot (a screen view, then the app went away): nothing to
    /// draw, and no panic (ingest analyses every segment; this once answered 500 forever).
    #[test]
    fn a_session_without_snapshots_has_no_frames() {
        let sink = MemorySink::new();
        let recorder = Recorder::start(RecorderConfig::default(), SessionMetadata::default(), 1_700_000_000_000, Box::new(sink.clone()))
            .expect("recorder starts");
        recorder.record(1_700_000_000_010, Event::ScreenView { name: "offline".into() }).expect("recorded");
        recorder.shutdown().expect("shuts down");
        let segments = sink.segments();
        let session = segments[0].header.id().session;
        let decoded = segments.iter().map(|s| (s.header.sequence, decode(&s.bytes, DecodeLimits::default()).map_err(|e| e.to_string())));
        let timeline = Timeline::from_records(session, decoded);
        assert!(timeline.snapshots.is_empty());
        assert!(!timeline.records.is_empty());
        assert_eq!(timeline.frames_from(0).count(), 0);
        assert_eq!(timeline.frames_from(7).count(), 0);
        assert!(timeline.frame_at(timeline.end_ms()).is_none());
    }
}
