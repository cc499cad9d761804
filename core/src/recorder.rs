//! The recorder: the one object a platform layer talks to.
//!
//! `record` does only cheap work on the caller's thread (clamp the time, decide the session,
//! capture and mask a snapshot so no unmasked text outlives the call) and queues the rest for a
//! background worker, which diffs, encodes, compresses, seals and hands segments to the sink.
//! The queue is bounded in bytes; when it is full the oldest superseded snapshot, then the oldest
//! other event, is dropped and counted. A caller never waits on the worker, except in `flush`.

use std::collections::VecDeque;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use thiserror::Error;

use crate::capture::{Snapshot, SnapshotError};
use crate::config::{ConfigError, RecorderConfig};
use crate::density::Density;
use crate::event::{AttributeValue, Event, TouchSample};
use crate::record::UserInfo;
use crate::session::{SessionId, SessionMetadata, SessionState};
use crate::sink::SegmentSink;
use crate::stats::{Counters, Stats, add};
use crate::writer::{SessionStart, SessionWriter};

/// Why a recorder call could not do what it was asked.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum RecorderError {
    /// The configuration is invalid.
    #[error("invalid configuration: {0}")]
    Config(#[from] ConfigError),
    /// The snapshot's structure is invalid; nothing of it was recorded.
    #[error("invalid snapshot: {0}")]
    Snapshot(#[from] SnapshotError),
    /// The recorder was shut down.
    #[error("the recorder is shut down")]
    ShutDown,
    /// The background worker did not answer in time.
    #[error("the recorder's worker did not answer within {0:?}")]
    Timeout(Duration),
    /// The background worker could not start.
    #[error("could not start the recorder's worker: {0}")]
    Worker(String),
}

/// How long `flush` waits for the worker before giving up.
const FLUSH_TIMEOUT: Duration = Duration::from_secs(30);

/// What a flush found: every segment handed to the sink since the previous flush (including
/// those sealed by size, age or going to the background in between).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct FlushReport {
    /// Segments the sink accepted.
    pub persisted: u32,
    /// Segments the sink refused (dropped and counted).
    pub failed: u32,
}

enum Command {
    Snapshot { time_ms: i64, snapshot: Snapshot },
    Touches(Vec<TouchSample>),
    Event { time_ms: i64, event: Event },
    User { time_ms: i64, user: UserInfo },
    /// Rare, and the largest: boxed so the queue's entries stay small.
    NewSession(Box<SessionStart>),
    Flush(mpsc::SyncSender<FlushReport>),
    /// The worker's own: the open segment reached its maximum age.
    Seal,
}

impl Command {
    /// Approximate memory held by the queued command.
    fn cost(&self) -> usize {
        const BASE: usize = 64;
        match self {
            Command::Snapshot { snapshot, .. } => {
                snapshot.nodes.iter().map(node_cost).sum::<usize>()
                    + snapshot.classes.iter().map(|c| c.len() + 24).sum::<usize>()
                    + BASE
            }
            Command::Touches(samples) => samples.len() * std::mem::size_of::<TouchSample>() + BASE,
            Command::Event { event, .. } => event_cost(event),
            Command::User { user, .. } => user_cost(user),
            Command::NewSession(start) => user_cost(&start.user) + BASE * 4,
            Command::Flush(_) | Command::Seal => BASE,
        }
    }

    /// Whether overload may drop it: only snapshots, touches and timeline events.
    fn droppable(&self) -> bool {
        matches!(self, Command::Snapshot { .. } | Command::Touches(_) | Command::Event { .. })
    }
}

fn node_cost(node: &crate::frame::FrameNode) -> usize {
    let text = |t: &Option<crate::mask::Text>| match t {
        Some(crate::mask::Text::Plain(s)) => s.len(),
        Some(crate::mask::Text::Masked(shape)) => shape.runs().len() * 2 + 24,
        None => 0,
    };
    std::mem::size_of::<crate::frame::FrameNode>() + 8
        + text(&node.props.text)
        + text(&node.props.description)
}

fn event_cost(event: &Event) -> usize {
    64 + match event {
        Event::ScreenView { name } => name.len(),
        Event::Custom(c) => c.name.len() + c.attributes.iter().map(|(k, v)| k.len() + value_cost(v)).sum::<usize>(),
        Event::Breadcrumb(b) => b.message.len(),
        Event::Network(n) => n.method.len() + n.url.len(),
        _ => 0,
    }
}

fn user_cost(user: &UserInfo) -> usize {
    64 + user.user_id.as_ref().map_or(0, String::len)
        + user.attributes.iter().map(|(k, v)| k.len() + value_cost(v)).sum::<usize>()
}

fn value_cost(value: &AttributeValue) -> usize {
    match value {
        AttributeValue::String(s) => s.len() + 24,
        _ => 16,
    }
}

struct Ingress {
    queue: VecDeque<(Command, usize)>,
    queued_bytes: usize,
    session: SessionState,
    metadata: SessionMetadata,
    user: UserInfo,
    last_time_ms: i64,
    last_touch_us: i64,
    shutdown: bool,
    /// Until when the session is watched live (short segments), if it is.
    live_until: Option<Instant>,
}

struct Shared {
    config: RecorderConfig,
    ingress: Mutex<Ingress>,
    wake: Condvar,
    stats: Arc<Counters>,
    density_bits: AtomicU32,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Ingress> {
        // The lock guards plain data that every update leaves consistent; a panic elsewhere
        // while holding it does not make it unusable.
        self.ingress.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn queue_budget(&self) -> usize {
        self.config.max_buffer_bytes.saturating_sub(self.config.max_segment_bytes)
    }
}

/// Tells a recorder that its session is being watched live (see [`crate::live`]); the uploader
/// holds one and marks it when an answer carries the live flag.
#[derive(Clone)]
pub struct LiveHandle(Arc<Shared>);

impl std::fmt::Debug for LiveHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LiveHandle(..)")
    }
}

impl LiveHandle {
    /// The session is watched now: seal short segments for [`crate::live::LIVE_HOLD`].
    pub fn mark(&self) {
        let mut ingress = self.0.lock();
        ingress.live_until = Some(Instant::now() + crate::live::LIVE_HOLD);
        drop(ingress);
        self.0.wake.notify_all();
    }
}

/// Records one app's sessions. `Send + Sync`: share it across threads behind an `Arc`.
pub struct Recorder {
    shared: Arc<Shared>,
    worker: Mutex<Option<JoinHandle<()>>>,
}

impl std::fmt::Debug for Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorder").field("session", &self.session_id()).finish_non_exhaustive()
    }
}

impl Recorder {
    /// Starts recording a session that begins at `now_ms` (Unix milliseconds) on the device
    /// `metadata` describes, handing sealed segments to `sink`.
    pub fn start(
        config: RecorderConfig,
        metadata: SessionMetadata,
        now_ms: i64,
        sink: Box<dyn SegmentSink>,
    ) -> Result<Recorder, RecorderError> {
        config.validate()?;
        let stats = Arc::new(Counters::default());
        let id = SessionId::new_v7(now_ms);
        let start = SessionStart { id, started_ms: now_ms, metadata: metadata.clone(), user: UserInfo::default() };
        let writer = SessionWriter::new(config.clone(), start, stats.clone())
            .map_err(|e| RecorderError::Worker(e.to_string()))?;
        let shared = Arc::new(Shared {
            density_bits: AtomicU32::new(writer.density().to_bits()),
            ingress: Mutex::new(Ingress {
                queue: VecDeque::new(),
                queued_bytes: 0,
                session: SessionState::new(id, now_ms, config.sample_rate),
                metadata,
                user: UserInfo::default(),
                last_time_ms: now_ms,
                last_touch_us: i64::MIN,
                shutdown: false,
                live_until: None,
            }),
            config,
            wake: Condvar::new(),
            stats,
        });
        let worker_shared = shared.clone();
        let handle = std::thread::Builder::new()
            .name("reprise-worker".into())
            .spawn(move || run_worker(worker_shared, writer, sink))
            .map_err(|e| RecorderError::Worker(e.to_string()))?;
        Ok(Recorder { shared, worker: Mutex::new(Some(handle)) })
    }

    /// The handle by which an uploader says the session is being watched live.
    pub fn live_handle(&self) -> LiveHandle {
        LiveHandle(self.shared.clone())
    }

    /// Records one event at `time_ms` (Unix milliseconds; a time before the last one is moved
    /// forward to it and counted). Fails only for a snapshot whose structure is invalid, or after
    /// shutdown; everything else is accepted or, under overload, dropped and counted.
    pub fn record(&self, time_ms: i64, event: Event) -> Result<(), RecorderError> {
        let command = match event {
            Event::Snapshot(tree) => {
                let density = f32::from_bits(self.shared.density_bits.load(Ordering::Relaxed));
                let limits = self.shared.config.capture_limits();
                match Snapshot::capture(tree, density, &self.shared.config.privacy, &limits) {
                    Ok(snapshot) => Command::Snapshot { time_ms, snapshot },
                    Err(e) => {
                        add(&self.shared.stats.dropped_invalid_snapshots, 1);
                        return Err(e.into());
                    }
                }
            }
            Event::Touches(samples) => Command::Touches(samples),
            Event::Viewport(viewport) => {
                if Density::is_usable(viewport.density) {
                    self.shared.density_bits.store(viewport.density.to_bits(), Ordering::Relaxed);
                }
                Command::Event { time_ms, event: Event::Viewport(viewport) }
            }
            event => Command::Event { time_ms, event },
        };
        let mut ingress = self.shared.lock();
        if ingress.shutdown {
            return Err(RecorderError::ShutDown);
        }
        let command = self.admit(&mut ingress, time_ms, command);
        if let Some(command) = command {
            self.enqueue(&mut ingress, command);
        }
        Ok(())
    }

    /// Clamps times, applies session lifecycle rules and sampling. Returns the command to queue,
    /// or `None` when the session is not sampled.
    fn admit(&self, ingress: &mut Ingress, time_ms: i64, mut command: Command) -> Option<Command> {
        let stats = &self.shared.stats;
        let mut time = time_ms;
        if time < ingress.last_time_ms {
            add(&stats.clock_regressions, 1);
            time = ingress.last_time_ms;
        }
        ingress.last_time_ms = time;
        match &mut command {
            Command::Snapshot { time_ms, .. } | Command::Event { time_ms, .. } => *time_ms = time,
            Command::Touches(samples) => {
                for sample in samples.iter_mut() {
                    if sample.time_us < ingress.last_touch_us {
                        add(&stats.clock_regressions, 1);
                        sample.time_us = ingress.last_touch_us;
                    }
                    ingress.last_touch_us = sample.time_us;
                }
            }
            _ => {}
        }

        let config = &self.shared.config;
        let lifecycle = match &command {
            Command::Event { event: Event::Lifecycle(lifecycle), .. } => Some(*lifecycle),
            _ => None,
        };
        let rotate = ingress.session.must_rotate(time, lifecycle, config.max_session_duration, config.inactivity_timeout);
        if let Command::Event { event: Event::Connectivity(network), .. } = &command {
            ingress.metadata.network = *network;
        }
        if rotate {
            self.new_session(ingress, time);
        }
        if !ingress.session.sampled {
            add(&stats.dropped_not_sampled, 1);
            return None;
        }
        add(&stats.events, 1);
        Some(command)
    }

    fn new_session(&self, ingress: &mut Ingress, time_ms: i64) {
        let id = SessionId::new_v7(time_ms);
        ingress.session = SessionState::new(id, time_ms, self.shared.config.sample_rate);
        let start = SessionStart { id, started_ms: time_ms, metadata: ingress.metadata.clone(), user: ingress.user.clone() };
        self.enqueue(ingress, Command::NewSession(Box::new(start)));
    }

    /// Queues a command, making room by dropping older droppable ones when over budget.
    fn enqueue(&self, ingress: &mut Ingress, command: Command) {
        let cost = command.cost();
        let budget = self.shared.queue_budget();
        let stats = &self.shared.stats;
        while ingress.queued_bytes + cost > budget && command.droppable() {
            let newer_snapshot = matches!(command, Command::Snapshot { .. });
            let Some(victim) = pick_victim(&ingress.queue, newer_snapshot) else { break };
            if let Some((dropped, bytes)) = ingress.queue.remove(victim) {
                ingress.queued_bytes -= bytes;
                match dropped {
                    Command::Snapshot { .. } => add(&stats.dropped_overload_snapshots, 1),
                    _ => add(&stats.dropped_overload_events, 1),
                }
            }
        }
        if ingress.queued_bytes + cost > budget && command.droppable() {
            match command {
                Command::Snapshot { .. } => add(&stats.dropped_overload_snapshots, 1),
                _ => add(&stats.dropped_overload_events, 1),
            }
            return;
        }
        ingress.queued_bytes += cost;
        ingress.queue.push_back((command, cost));
        self.shared.wake.notify_one();
    }

    /// Sets the user id (or clears it with `None`); recorded and carried by later segments.
    pub fn set_user_id(&self, user_id: Option<String>) {
        self.update_user(|user| user.user_id = user_id);
    }

    /// Sets a session attribute, replacing one of the same key.
    pub fn set_attribute(&self, key: String, value: AttributeValue) {
        self.update_user(|user| match user.attributes.iter_mut().find(|(k, _)| *k == key) {
            Some(entry) => entry.1 = value,
            None => user.attributes.push((key, value)),
        });
    }

    fn update_user(&self, change: impl FnOnce(&mut UserInfo)) {
        let mut ingress = self.shared.lock();
        if ingress.shutdown {
            return;
        }
        change(&mut ingress.user);
        let command = Command::User { time_ms: ingress.last_time_ms, user: ingress.user.clone() };
        if ingress.session.sampled {
            self.enqueue(&mut ingress, command);
        }
    }

    /// The current session's id.
    pub fn session_id(&self) -> SessionId {
        self.shared.lock().session.id
    }

    /// Whether the current session is being recorded (sampled in).
    pub fn is_sampled(&self) -> bool {
        self.shared.lock().session.sampled
    }

    /// A copy of the counters.
    pub fn stats(&self) -> Stats {
        self.shared.stats.snapshot()
    }

    /// Seals the open segment and waits until the sink has everything recorded before this call.
    pub fn flush(&self) -> Result<FlushReport, RecorderError> {
        let (reply, answer) = mpsc::sync_channel(1);
        {
            let mut ingress = self.shared.lock();
            if ingress.shutdown {
                return Err(RecorderError::ShutDown);
            }
            self.enqueue(&mut ingress, Command::Flush(reply));
        }
        answer.recv_timeout(FLUSH_TIMEOUT).map_err(|_| RecorderError::Timeout(FLUSH_TIMEOUT))
    }

    /// Flushes, stops the worker and waits for it. Later calls fail with
    /// [`RecorderError::ShutDown`]. Dropping the recorder does the same.
    pub fn shutdown(&self) -> Result<FlushReport, RecorderError> {
        let report = self.flush();
        self.shared.lock().shutdown = true;
        self.shared.wake.notify_all();
        let handle = self.worker.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(handle) = handle {
            let _ = handle.join();
        }
        report
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        if !self.shared.lock().shutdown {
            let _ = self.shutdown();
        }
    }
}

/// The oldest droppable command: a snapshot superseded by a later one first, then any event.
fn pick_victim(queue: &VecDeque<(Command, usize)>, newer_snapshot_coming: bool) -> Option<usize> {
    let last_snapshot = queue.iter().rposition(|(c, _)| matches!(c, Command::Snapshot { .. }));
    let superseded = queue.iter().position(|(c, _)| matches!(c, Command::Snapshot { .. }));
    match superseded {
        Some(i) if newer_snapshot_coming || Some(i) != last_snapshot => return Some(i),
        _ => {}
    }
    queue.iter().position(|(c, _)| c.droppable() && !matches!(c, Command::Snapshot { .. }))
}

fn run_worker(shared: Arc<Shared>, mut writer: SessionWriter, mut sink: Box<dyn SegmentSink>) {
    let mut opened_at: Option<Instant> = None;
    let mut since_flush = FlushReport::default();
    loop {
        let next = {
            let mut ingress = shared.lock();
            loop {
                if let Some((command, cost)) = ingress.queue.pop_front() {
                    ingress.queued_bytes -= cost;
                    break Some(command);
                }
                if ingress.shutdown {
                    break None;
                }
                let age = crate::live::segment_age(shared.config.max_segment_age, ingress.live_until, Instant::now());
                let wait = match opened_at {
                    Some(t) => age.saturating_sub(t.elapsed()),
                    None => Duration::from_secs(3600),
                };
                if wait.is_zero() {
                    break Some(Command::Seal);
                }
                ingress = shared.wake.wait_timeout(ingress, wait).map(|(g, _)| g).unwrap_or_else(|p| p.into_inner().0);
            }
        };
        let Some(command) = next else {
            writer.seal();
            deliver(&shared, &mut writer, sink.as_mut());
            return;
        };
        let reply = if let Command::Flush(reply) = &command { Some(reply.clone()) } else { None };
        let outcome = catch_unwind(AssertUnwindSafe(|| process(&mut writer, command)));
        if outcome.is_err() {
            // A bug in the core must not take the app down: count it and start from a keyframe.
            add(&shared.stats.dropped_internal, 1);
            writer.restart(writer.session().clone());
        }
        let report = deliver(&shared, &mut writer, sink.as_mut());
        since_flush.persisted += report.persisted;
        since_flush.failed += report.failed;
        if let Some(reply) = reply {
            let _ = reply.try_send(std::mem::take(&mut since_flush));
        }
        opened_at = match (writer.is_open(), opened_at) {
            (true, Some(t)) => Some(t),
            (true, None) => Some(Instant::now()),
            (false, _) => None,
        };
    }
}

fn process(writer: &mut SessionWriter, command: Command) {
    match command {
        Command::Snapshot { time_ms, snapshot } => writer.snapshot(time_ms, snapshot),
        Command::Touches(samples) => writer.touches(&samples),
        Command::Event { time_ms, event } => writer.event(time_ms, event),
        Command::User { time_ms, user } => writer.set_user(time_ms, user),
        Command::NewSession(start) => writer.restart(*start),
        Command::Flush(_) | Command::Seal => writer.seal(),
    }
}

fn deliver(shared: &Shared, writer: &mut SessionWriter, sink: &mut dyn SegmentSink) -> FlushReport {
    let mut report = FlushReport::default();
    for segment in writer.take_sealed() {
        // A sink may be foreign code (a platform transport): its panic costs the segment only.
        match catch_unwind(AssertUnwindSafe(|| sink.accept(segment))) {
            Ok(Ok(())) => report.persisted += 1,
            Ok(Err(_)) | Err(_) => {
                add(&shared.stats.dropped_sink_segments, 1);
                report.failed += 1;
            }
        }
    }
    report
}
