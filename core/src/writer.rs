//! The session writer: turns a session's events into sealed segments, synchronously.
//!
//! It owns everything stateful between a captured snapshot and a sealed segment: stable ids,
//! interned classes, the previous frame, the keyframe schedule, the touch track in progress, the
//! gesture engine and the open segment. The [`Recorder`](crate::Recorder) runs one on its worker thread; tests and
//! benchmarks drive one directly, and the same events always give the same bytes.

use std::sync::Arc;

use rustc_hash::FxHashSet;

use crate::density::Density;
use crate::builder::SegmentBuilder;
use crate::config::RecorderConfig;
use crate::diff::{Diff, Differ};
use crate::event::{Event, Lifecycle, NetworkRequest, TouchSample};
use crate::capture::Snapshot;
use crate::details::{DetailTracker, NodeDetail};
use crate::frame::{Field, Frame};
use crate::gesture::{GestureEngine, GestureRecord};
use crate::ids::{ClassTable, IdMap};
use crate::record::{ClassDef, Record, SessionInfo, TimedRecord, UserInfo, ViewportInfo};
use crate::segment::SealedSegment;
use crate::session::{SessionId, SessionMetadata};
use crate::stats::{Counters, add};
use crate::touch::TouchPacker;

/// A touch track is ended and written after this many samples even while pointers are down.
const MAX_TRACK_SAMPLES: usize = 512;

/// Everything that identifies a session.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionStart {
    /// The session's id.
    pub id: SessionId,
    /// When it started, Unix milliseconds.
    pub started_ms: i64,
    /// Device, OS and app.
    pub metadata: SessionMetadata,
    /// User and attributes.
    pub user: UserInfo,
}

/// Writes one session's events into segments.
#[derive(Debug)]
pub struct SessionWriter {
    config: RecorderConfig,
    session: SessionStart,
    density: f32,
    sequence: u32,
    ids: IdMap,
    classes: ClassTable,
    defined: FxHashSet<u32>,
    differ: Differ,
    details: DetailTracker,
    last_keyframe_ms: i64,
    force_keyframe: bool,
    touches: TouchPacker,
    gestures: GestureEngine,
    gesture_records: Vec<GestureRecord>,
    /// The engine's ignored-sample count already added to the stats.
    gestures_ignored: u64,
    builder: SegmentBuilder,
    sealed: Vec<SealedSegment>,
    stats: Arc<Counters>,
}

impl SessionWriter {
    /// A writer for `session`, counting into `stats`.
    pub fn new(config: RecorderConfig, session: SessionStart, stats: Arc<Counters>) -> std::io::Result<Self> {
        let builder = SegmentBuilder::new(config.zstd_level)?;
        let gestures = GestureEngine::new(config.gestures.clone(), session.metadata.density);
        add(&stats.sessions, 1);
        Ok(Self {
            density: Density::new(session.metadata.density).get(),
            config,
            session,
            sequence: 0,
            ids: IdMap::default(),
            classes: ClassTable::default(),
            defined: FxHashSet::default(),
            differ: Differ::default(),
            details: DetailTracker::default(),
            last_keyframe_ms: i64::MIN,
            force_keyframe: true,
            touches: TouchPacker::default(),
            gestures,
            gesture_records: Vec::new(),
            gestures_ignored: 0,
            builder,
            sealed: Vec::new(),
            stats,
        })
    }

    /// The session being written.
    pub fn session(&self) -> &SessionStart {
        &self.session
    }

    /// Pixels per dp in effect (from the metadata, then from viewport changes).
    pub fn density(&self) -> f32 {
        self.density
    }

    /// The last frame written, for hit-testing and replay.
    pub fn last_frame(&self) -> Option<&Frame> {
        self.differ.last()
    }

    /// Bytes held in memory: the open segment and the touch track in progress.
    pub fn buffered_bytes(&self) -> usize {
        self.builder.raw_len() + self.touches.len() * std::mem::size_of::<crate::touch::PackedTouch>()
    }

    /// Ends the current session and starts `next`: seals what is open; the next snapshot is a
    /// keyframe and the sequence starts again at 0.
    pub fn restart(&mut self, next: SessionStart) {
        self.seal();
        self.density = Density::new(next.metadata.density).get();
        self.gestures.reset();
        self.gestures.set_density(self.density);
        self.gestures_ignored = self.gestures.ignored_samples();
        self.session = next;
        self.sequence = 0;
        self.differ.reset();
        self.details.reset();
        self.force_keyframe = true;
        add(&self.stats.sessions, 1);
    }

    /// Records a captured snapshot at `time_ms`: a keyframe when one is due, else a diff, else
    /// nothing when unchanged.
    pub fn snapshot(&mut self, time_ms: i64, snapshot: Snapshot) {
        add(&self.stats.snapshots, 1);
        let report = snapshot.report;
        add(&self.stats.sanitized_values, u64::from(report.sanitized_values));
        add(&self.stats.clamped_strings, u64::from(report.clamped_strings));
        add(&self.stats.dropped_nodes, u64::from(report.dropped_nodes));
        self.advance_gestures(time_ms);
        self.before_record(time_ms);
        let (frame, details, duplicates) = self.ids.assign(snapshot, &mut self.classes);
        add(&self.stats.duplicate_identities, u64::from(duplicates));

        // A keyframe is required at forced points (session start, screen or viewport change)
        // and as the first snapshot of every segment, so each segment replays on its own.
        if self.force_keyframe || !self.builder.has_keyframe() || self.differ.last().is_none() {
            self.write_keyframe(time_ms, frame, details);
            return;
        }
        let interval_due =
            time_ms.saturating_sub(self.last_keyframe_ms) >= self.config.keyframe_interval.as_millis() as i64;
        match self.differ.diff(frame) {
            Some(diff) if diff.is_empty() => {
                let changes = self.details.changes(details);
                if changes.is_empty() {
                    add(&self.stats.unchanged_snapshots, 1);
                } else {
                    // Only a toggle or a progress moved: the details alone say so.
                    self.push(&TimedRecord { time_ms, record: Record::Details(changes) });
                    self.after_record();
                }
            }
            Some(diff) if !interval_due => self.write_diff(time_ms, diff, details),
            _ => {
                // The root changed, or something changed and a keyframe is due (rare: clone).
                if let Some(frame) = self.differ.last().cloned() {
                    self.write_keyframe(time_ms, frame, details);
                }
            }
        }
    }

    fn write_keyframe(&mut self, time_ms: i64, frame: Frame, details: Vec<NodeDetail>) {
        self.define_classes(time_ms, frame.nodes.iter().map(|n| n.class));
        let record = TimedRecord { time_ms, record: Record::Keyframe(frame) };
        self.push(&record);
        if let Record::Keyframe(frame) = record.record {
            self.differ.set(frame);
        }
        let details = self.details.keyframe(details);
        if !details.is_empty() {
            self.push(&TimedRecord { time_ms, record: Record::Details(details) });
        }
        self.ids.prune();
        self.last_keyframe_ms = time_ms;
        self.force_keyframe = false;
        self.gestures.hierarchy_changed(time_ms);
        add(&self.stats.keyframes, 1);
        self.after_record();
    }

    fn write_diff(&mut self, time_ms: i64, diff: Diff, details: Vec<NodeDetail>) {
        let changed_classes = diff.changed.iter().flat_map(|c| &c.fields).filter_map(|f| match f {
            Field::Class(class) => Some(*class),
            _ => None,
        });
        let classes: Vec<u32> = diff.added.iter().map(|n| n.class).chain(changed_classes).collect();
        self.define_classes(time_ms, classes.into_iter());
        self.push(&TimedRecord { time_ms, record: Record::Diff(diff) });
        let details = self.details.changes(details);
        if !details.is_empty() {
            self.push(&TimedRecord { time_ms, record: Record::Details(details) });
        }
        self.gestures.hierarchy_changed(time_ms);
        add(&self.stats.diffs, 1);
        self.after_record();
    }

    fn define_classes(&mut self, time_ms: i64, classes: impl Iterator<Item = u32>) {
        let mut defs = Vec::new();
        for class in classes {
            if self.defined.insert(class) {
                let name = self.classes.name(class).unwrap_or_default().to_owned();
                defs.push(ClassDef { id: class, name });
            }
        }
        if !defs.is_empty() {
            self.push(&TimedRecord { time_ms, record: Record::Classes(defs) });
        }
    }

    /// Records raw touch samples and the gestures they complete; a track is written when every
    /// pointer is up. Gestures are hit-tested against the last frame written.
    pub fn touches(&mut self, samples: &[TouchSample]) {
        for sample in samples {
            let time_ms = sample.time_us.div_euclid(1000);
            self.gestures.push(sample, self.differ.last(), &mut self.gesture_records);
            if self.touches.is_empty() {
                self.before_record(time_ms);
            }
            if !self.touches.push(sample, self.density) {
                add(&self.stats.dropped_touch_samples, 1);
            } else if self.touches.all_up() || self.touches.len() >= MAX_TRACK_SAMPLES {
                self.write_touch_track();
                self.after_record();
            }
            self.write_gestures(time_ms);
        }
        let ignored = self.gestures.ignored_samples();
        add(&self.stats.ignored_gesture_samples, ignored.saturating_sub(self.gestures_ignored));
        self.gestures_ignored = ignored;
    }

    /// Lets the gesture engine resolve what time decides (long presses, single taps, rage and
    /// dead taps) up to `time_ms`, and writes what it emits.
    fn advance_gestures(&mut self, time_ms: i64) {
        self.gestures.advance(time_ms, &mut self.gesture_records);
        self.write_gestures(time_ms);
    }

    fn write_gestures(&mut self, time_ms: i64) {
        if self.gesture_records.is_empty() {
            return;
        }
        let mut records = std::mem::take(&mut self.gesture_records);
        for record in records.drain(..) {
            let record = match record {
                GestureRecord::Gesture(gesture) => Record::Gesture(gesture),
                GestureRecord::Struggle(struggle) => Record::Struggle(struggle),
            };
            self.before_record(time_ms);
            self.push(&TimedRecord { time_ms, record });
            self.after_record();
        }
        self.gesture_records = records;
    }

    fn write_touch_track(&mut self) {
        if let Some((time_ms, track)) = self.touches.take() {
            self.push(&TimedRecord { time_ms, record: Record::Touches(track) });
        }
    }

    /// Records any event other than a snapshot or touches (which have their own calls).
    pub fn event(&mut self, time_ms: i64, event: Event) {
        self.advance_gestures(time_ms);
        let record = match event {
            Event::Snapshot(_) | Event::Touches(_) => return,
            Event::ScreenView { name } => {
                self.force_keyframe = true;
                Record::ScreenView(name)
            }
            Event::Lifecycle(lifecycle) => Record::Lifecycle(lifecycle),
            Event::Viewport(v) => {
                self.density = Density::new(v.density).get();
                self.gestures.set_density(self.density);
                self.force_keyframe = true;
                Record::Viewport(ViewportInfo {
                    width: (v.width_px as f32 / self.density).round() as u32,
                    height: (v.height_px as f32 / self.density).round() as u32,
                    density: self.density,
                    orientation: v.orientation,
                })
            }
            Event::Keyboard { visible, height_px } => Record::Keyboard {
                visible,
                height: (height_px.max(0.0) / self.density).round() as u32,
            },
            Event::Custom(custom) => Record::Custom(custom),
            Event::Breadcrumb(breadcrumb) => Record::Breadcrumb(breadcrumb),
            Event::Network(mut request) => {
                request.url = NetworkRequest::redacted_url(&request.url);
                Record::Network(request)
            }
            Event::Connectivity(network) => {
                self.session.metadata.network = network;
                Record::Connectivity(network)
            }
        };
        let background = matches!(record, Record::Lifecycle(Lifecycle::Background | Lifecycle::Terminate));
        self.before_record(time_ms);
        self.push(&TimedRecord { time_ms, record });
        self.after_record();
        if background {
            self.seal();
        }
    }

    /// Changes the user id and attributes; later segments start with them too.
    pub fn set_user(&mut self, time_ms: i64, user: UserInfo) {
        self.session.user = user.clone();
        self.advance_gestures(time_ms);
        self.before_record(time_ms);
        self.push(&TimedRecord { time_ms, record: Record::User(user) });
        self.after_record();
    }

    /// Seals the open segment (ending any touch track in progress) into the outbox.
    pub fn seal(&mut self) {
        self.write_touch_track();
        match self.builder.seal(self.session.id, self.sequence) {
            Ok(Some(segment)) => {
                self.sequence = self.sequence.wrapping_add(1);
                add(&self.stats.segments, 1);
                add(&self.stats.compressed_bytes, segment.bytes.len() as u64);
                self.sealed.push(segment);
            }
            Ok(None) => {}
            Err(_) => add(&self.stats.dropped_internal, 1),
        }
        self.defined.clear();
    }

    /// Whether a segment is open.
    pub fn is_open(&self) -> bool {
        !self.builder.is_empty() || !self.touches.is_empty()
    }

    /// Takes the segments sealed since the last call.
    pub fn take_sealed(&mut self) -> Vec<SealedSegment> {
        std::mem::take(&mut self.sealed)
    }

    /// Before writing at `time_ms`: seals an open segment that is too old, and opens a new one
    /// (which starts with the session record) when none is open.
    fn before_record(&mut self, time_ms: i64) {
        if let Some(start) = self.builder.start_ms()
            && time_ms.saturating_sub(start) >= self.config.max_segment_age.as_millis() as i64 {
                self.seal();
            }
        if self.builder.is_empty() {
            let info = SessionInfo {
                started_ms: self.session.started_ms,
                metadata: self.session.metadata.clone(),
                user: self.session.user.clone(),
            };
            self.push(&TimedRecord { time_ms, record: Record::Session(info) });
        }
    }

    /// After writing: seals the segment once it reaches its size.
    fn after_record(&mut self) {
        if self.builder.raw_len() >= self.config.max_segment_bytes {
            self.seal();
        }
    }

    fn push(&mut self, record: &TimedRecord) {
        let before = self.builder.raw_len();
        match self.builder.push(record) {
            Ok(()) => {
                add(&self.stats.records, 1);
                add(&self.stats.raw_bytes, (self.builder.raw_len() - before) as u64);
            }
            Err(_) => add(&self.stats.dropped_internal, 1),
        }
    }
}

