//! The durable disk queue: the default sink, and where the uploader takes segments from.
//!
//! One file per sealed segment, written durably (temporary file, fsync, atomic rename, fsync of
//! the directory) before `accept` returns, so a segment a flush reported as persisted survives
//! `kill -9` and power loss. Opening the queue recovers what is there: leftovers of interrupted
//! writes, truncated and corrupt files (the segment CRC tells) and expired segments are removed and
//! counted, never a crash. The queue is capped in bytes (oldest evicted first) and in age, and an
//! exclusive lock keeps a second process from opening the same directory.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use thiserror::Error;

use crate::sink::SinkError;
use crate::segment::{SealedSegment, SegmentHeader, SegmentId};
use crate::sink::SegmentSink;

const SEGMENT_SUFFIX: &str = ".seg";
const TEMP_PREFIX: &str = ".tmp-";
const LOCK_FILE: &str = "queue.lock";

/// Limits of a disk queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueConfig {
    /// Most bytes of segments kept; the oldest are evicted (and counted) to make room.
    pub max_bytes: u64,
    /// Segments older than this (by their first record) are removed and counted.
    pub max_age: Duration,
}

impl Default for QueueConfig {
    fn default() -> Self {
        Self { max_bytes: 16 * 1024 * 1024, max_age: Duration::from_secs(3 * 24 * 3600) }
    }
}

/// Why a queue could not be opened.
#[derive(Debug, Error)]
pub enum QueueError {
    /// Another process (or another queue in this one) has the directory open.
    #[error("the queue at {0} is open in another process")]
    Locked(PathBuf),
    /// The directory could not be created or read.
    #[error("queue I/O error at {path}: {source}")]
    Io {
        /// The path concerned.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
}

/// What opening a queue found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RecoveryReport {
    /// Intact segments recovered.
    pub recovered: u32,
    /// Truncated or corrupt segment files removed.
    pub corrupt_removed: u32,
    /// Leftovers of interrupted writes removed.
    pub temp_removed: u32,
    /// Segments older than the maximum age removed.
    pub expired_removed: u32,
    /// Segments evicted to fit under the byte cap.
    pub evicted: u32,
}

/// Counters of a queue's life.
#[derive(Debug, Default)]
struct QueueCounters {
    evicted: AtomicU64,
    expired: AtomicU64,
    corrupt: AtomicU64,
    write_failures: AtomicU64,
}

/// A copy of a queue's counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct QueueStats {
    /// Segments queued now.
    pub segments: u64,
    /// Bytes queued now.
    pub bytes: u64,
    /// Segments evicted to respect the byte cap.
    pub evicted: u64,
    /// Segments removed for their age.
    pub expired: u64,
    /// Corrupt or unreadable segments removed.
    pub corrupt: u64,
    /// Segments that could not be written (disk full, I/O error): not persisted.
    pub write_failures: u64,
}

/// How the queue writes a file: the boundary where a test injects a full disk.
pub trait QueueFiles: Send + Sync + 'static {
    /// Writes `bytes` as `dir/name` durably and atomically: after `Ok`, the file exists whole
    /// and survives power loss; after `Err`, it does not exist.
    fn write_atomic(&self, dir: &Path, name: &str, bytes: &[u8]) -> io::Result<()>;
}

/// The real file system.
#[derive(Debug, Clone, Copy, Default)]
pub struct StdFiles;

impl QueueFiles for StdFiles {
    fn write_atomic(&self, dir: &Path, name: &str, bytes: &[u8]) -> io::Result<()> {
        let temp = dir.join(format!("{TEMP_PREFIX}{name}"));
        let result = (|| {
            let mut file = OpenOptions::new().write(true).create(true).truncate(true).open(&temp)?;
            file.write_all(bytes)?;
            file.sync_all()?;
            fs::rename(&temp, dir.join(name))?;
            sync_dir(dir)
        })();
        if result.is_err() {
            let _ = fs::remove_file(&temp);
        }
        result
    }
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

/// A queued segment, in upload order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    start_ms: i64,
    id: SegmentId,
}

#[derive(Debug, Default)]
struct State {
    entries: BTreeMap<Key, u64>,
    bytes: u64,
}

/// Called after each segment is persisted (the uploader's wake-up).
type Listener = Box<dyn Fn() + Send + Sync>;

struct Inner {
    dir: PathBuf,
    config: QueueConfig,
    files: Box<dyn QueueFiles>,
    state: Mutex<State>,
    listeners: Mutex<Vec<Listener>>,
    counters: QueueCounters,
    _lock: File,
}

/// The durable queue of sealed segments. Clones share the same queue.
#[derive(Clone)]
pub struct DiskQueue {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for DiskQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DiskQueue").field("dir", &self.inner.dir).field("stats", &self.stats()).finish()
    }
}

impl DiskQueue {
    /// Opens (creating if needed) the queue in `dir`, at `now_ms` (Unix milliseconds), with the
    /// real file system.
    pub fn open(dir: impl Into<PathBuf>, config: QueueConfig, now_ms: i64) -> Result<(DiskQueue, RecoveryReport), QueueError> {
        Self::open_with(dir, config, now_ms, Box::new(StdFiles))
    }

    /// Opens the queue writing through `files`.
    pub fn open_with(
        dir: impl Into<PathBuf>,
        config: QueueConfig,
        now_ms: i64,
        files: Box<dyn QueueFiles>,
    ) -> Result<(DiskQueue, RecoveryReport), QueueError> {
        let dir = dir.into();
        let io_error = |path: &Path| {
            let path = path.to_path_buf();
            move |source| QueueError::Io { path, source }
        };
        fs::create_dir_all(&dir).map_err(io_error(&dir))?;
        let lock_path = dir.join(LOCK_FILE);
        let lock = OpenOptions::new().create(true).truncate(false).write(true).open(&lock_path).map_err(io_error(&lock_path))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => return Err(QueueError::Locked(dir)),
            Err(fs::TryLockError::Error(source)) => return Err(QueueError::Io { path: lock_path, source }),
        }
        let queue = DiskQueue {
            inner: Arc::new(Inner {
                dir,
                config,
                files,
                state: Mutex::new(State::default()),
                listeners: Mutex::new(Vec::new()),
                counters: QueueCounters::default(),
                _lock: lock,
            }),
        };
        let report = queue.recover(now_ms)?;
        Ok((queue, report))
    }

    fn recover(&self, now_ms: i64) -> Result<RecoveryReport, QueueError> {
        let dir = &self.inner.dir;
        let mut report = RecoveryReport::default();
        let listing = fs::read_dir(dir).map_err(|source| QueueError::Io { path: dir.clone(), source })?;
        let mut state = self.lock();
        for entry in listing.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            if name.starts_with(TEMP_PREFIX) {
                let _ = fs::remove_file(&path);
                report.temp_removed += 1;
                continue;
            }
            if !name.ends_with(SEGMENT_SUFFIX) {
                continue;
            }
            let header = fs::read(&path).ok().and_then(|bytes| SegmentHeader::read(&bytes).ok().map(|h| (h, bytes.len())));
            match header {
                Some((header, len)) if file_name(header.id()) == name => {
                    if self.expired(header.start_ms, now_ms) {
                        let _ = fs::remove_file(&path);
                        report.expired_removed += 1;
                        continue;
                    }
                    state.entries.insert(Key { start_ms: header.start_ms, id: header.id() }, len as u64);
                    state.bytes += len as u64;
                    report.recovered += 1;
                }
                _ => {
                    let _ = fs::remove_file(&path);
                    report.corrupt_removed += 1;
                }
            }
        }
        report.evicted = self.evict_until(&mut state, 0);
        report.recovered -= report.evicted;
        add(&self.inner.counters.corrupt, report.corrupt_removed);
        add(&self.inner.counters.expired, report.expired_removed);
        Ok(report)
    }

    fn expired(&self, start_ms: i64, now_ms: i64) -> bool {
        now_ms.saturating_sub(start_ms) > self.inner.config.max_age.as_millis() as i64
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.inner.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Evicts the oldest segments until `incoming` more bytes fit under the cap; returns how many.
    fn evict_until(&self, state: &mut State, incoming: u64) -> u32 {
        let mut evicted = 0;
        while state.bytes + incoming > self.inner.config.max_bytes {
            let Some((key, len)) = state.entries.pop_first() else { break };
            let _ = fs::remove_file(self.inner.dir.join(file_name(key.id)));
            state.bytes -= len;
            evicted += 1;
        }
        add(&self.inner.counters.evicted, evicted);
        evicted
    }

    /// Stores a segment durably, evicting the oldest to make room. Fails (and counts) when the
    /// segment alone is over the cap or the write fails; nothing already queued is harmed.
    pub fn push(&self, segment: &SealedSegment) -> Result<(), SinkError> {
        let len = segment.bytes.len() as u64;
        let mut state = self.lock();
        if len > self.inner.config.max_bytes {
            add(&self.inner.counters.write_failures, 1);
            return Err(SinkError::Full);
        }
        let key = Key { start_ms: segment.header.start_ms, id: segment.header.id() };
        if state.entries.contains_key(&key) {
            return Ok(());
        }
        self.evict_until(&mut state, len);
        let name = file_name(key.id);
        if let Err(e) = self.inner.files.write_atomic(&self.inner.dir, &name, &segment.bytes) {
            add(&self.inner.counters.write_failures, 1);
            return Err(SinkError::Io(e.to_string()));
        }
        state.entries.insert(key, len);
        state.bytes += len;
        drop(state);
        if let Ok(listeners) = self.inner.listeners.lock() {
            listeners.iter().for_each(|listener| listener());
        }
        Ok(())
    }

    /// Calls `listener` after every segment persisted from now on.
    pub fn on_push(&self, listener: impl Fn() + Send + Sync + 'static) {
        if let Ok(mut listeners) = self.inner.listeners.lock() {
            listeners.push(Box::new(listener));
        }
    }

    /// The ids of up to `limit` queued segments, oldest first, skipping those in `except`.
    pub fn oldest(&self, limit: usize, except: &[SegmentId]) -> Vec<SegmentId> {
        self.lock().entries.keys().map(|k| k.id).filter(|id| !except.contains(id)).take(limit).collect()
    }

    /// Reads a queued segment. A file that went missing or no longer checks out is removed from
    /// the queue and counted, and `None` is returned.
    pub fn read(&self, id: SegmentId) -> Option<Vec<u8>> {
        let path = self.inner.dir.join(file_name(id));
        match fs::read(&path) {
            Ok(bytes) if SegmentHeader::read(&bytes).is_ok_and(|h| h.id() == id) => Some(bytes),
            _ => {
                add(&self.inner.counters.corrupt, 1);
                self.remove(id);
                None
            }
        }
    }

    /// Removes a segment (uploaded, or refused for good).
    pub fn remove(&self, id: SegmentId) {
        let mut state = self.lock();
        if let Some(key) = state.entries.keys().find(|k| k.id == id).copied()
            && let Some(len) = state.entries.remove(&key) {
                state.bytes -= len;
            }
        let _ = fs::remove_file(self.inner.dir.join(file_name(id)));
    }

    /// Removes segments older than the maximum age at `now_ms`; returns how many.
    pub fn expire(&self, now_ms: i64) -> u32 {
        let mut state = self.lock();
        let old: Vec<(Key, u64)> =
            state.entries.iter().filter(|(k, _)| self.expired(k.start_ms, now_ms)).map(|(k, l)| (*k, *l)).collect();
        for (key, len) in &old {
            state.entries.remove(key);
            state.bytes -= len;
            let _ = fs::remove_file(self.inner.dir.join(file_name(key.id)));
        }
        add(&self.inner.counters.expired, old.len() as u32);
        old.len() as u32
    }

    /// A copy of the counters.
    pub fn stats(&self) -> QueueStats {
        let state = self.lock();
        let c = &self.inner.counters;
        QueueStats {
            segments: state.entries.len() as u64,
            bytes: state.bytes,
            evicted: c.evicted.load(Ordering::Relaxed),
            expired: c.expired.load(Ordering::Relaxed),
            corrupt: c.corrupt.load(Ordering::Relaxed),
            write_failures: c.write_failures.load(Ordering::Relaxed),
        }
    }

    /// The queue's directory.
    pub fn dir(&self) -> &Path {
        &self.inner.dir
    }
}

impl SegmentSink for DiskQueue {
    fn accept(&mut self, segment: SealedSegment) -> Result<(), SinkError> {
        self.push(&segment)
    }
}

fn file_name(id: SegmentId) -> String {
    format!("{id}{SEGMENT_SUFFIX}")
}

fn add(counter: &AtomicU64, n: u32) {
    counter.fetch_add(u64::from(n), Ordering::Relaxed);
}
