//! [`DirStore`]: segments as files in a local directory, the collector's default store.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use reprise_core::{SegmentId, SessionId};

use super::{PutOutcome, SEGMENTS, SegmentStore, file_name, parse_file_name};
use crate::error::StoreError;

/// Segments as files: `<data>/segments/<session-uuid>/<sequence as 8 digits>.seg`.
///
/// A put writes a temporary file in the session's directory, fsyncs it, then *hard-links* it to
/// its final name and fsyncs the directory. Linking (unlike renaming) never replaces an existing
/// file, so the filesystem itself decides which of two concurrent duplicates wins, across threads
/// and processes alike.
#[derive(Debug)]
pub struct DirStore {
    root: PathBuf,
    temp_counter: AtomicU64,
}

impl DirStore {
    /// Opens (creating if needed) the store under `data_dir/segments`, removing the temporary
    /// files that a process killed while writing left behind.
    pub fn open(data_dir: &Path) -> Result<Self, StoreError> {
        let root = data_dir.join(SEGMENTS);
        fs::create_dir_all(&root).map_err(io("create", &root))?;
        let store = Self { root, temp_counter: AtomicU64::new(0) };
        store.sweep_temp_files()?;
        Ok(store)
    }

    /// Removes temporary files of writers that are gone: those of another process id that no
    /// longer runs (on Linux, where `/proc` says so), or older than [`STALE_TEMP`]. Returns how
    /// many were removed.
    pub fn sweep_temp_files(&self) -> Result<usize, StoreError> {
        let mut removed = 0;
        for session in fs::read_dir(&self.root).map_err(io("list", &self.root))? {
            let dir = session.map_err(io("list", &self.root))?.path();
            let Ok(entries) = fs::read_dir(&dir) else { continue };
            for entry in entries.flatten() {
                let name = entry.file_name();
                let Some(pid) = name.to_str().and_then(temp_file_pid) else { continue };
                let stale = entry.metadata().and_then(|m| m.modified()).is_ok_and(|t| t.elapsed().is_ok_and(|age| age > STALE_TEMP));
                if ((pid != std::process::id() && !process_runs(pid)) || stale) && fs::remove_file(entry.path()).is_ok() {
                    removed += 1;
                }
            }
        }
        Ok(removed)
    }

    /// The directory that holds every session's directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The file a segment is (or would be) stored in.
    pub fn path_of(&self, id: SegmentId) -> PathBuf {
        self.session_dir(id.session).join(file_name(id.sequence))
    }

    fn session_dir(&self, session: SessionId) -> PathBuf {
        self.root.join(session.to_string())
    }

    /// Creates the session's directory if needed; a new directory's entry is made durable too.
    fn ensure_session_dir(&self, dir: &Path) -> Result<(), StoreError> {
        match fs::create_dir(dir) {
            Ok(()) => sync_dir(&self.root),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
            Err(e) => Err(StoreError::Io { op: "create", path: dir.to_owned(), source: e }),
        }
    }

    fn write_temp(&self, dir: &Path, id: SegmentId, bytes: &[u8]) -> Result<PathBuf, StoreError> {
        let n = self.temp_counter.fetch_add(1, Ordering::Relaxed);
        let temp = dir.join(format!(".{:08}.{}.{n}.tmp", id.sequence, std::process::id()));
        let result = (|| {
            let mut file = File::options().write(true).create_new(true).open(&temp)?;
            file.write_all(bytes)?;
            file.sync_all()
        })();
        match result {
            Ok(()) => Ok(temp),
            Err(source) => {
                let _ = fs::remove_file(&temp);
                Err(StoreError::Io { op: "write", path: temp, source })
            }
        }
    }
}

impl SegmentStore for DirStore {
    fn put_if_absent(&self, id: SegmentId, bytes: &[u8]) -> Result<PutOutcome, StoreError> {
        let dir = self.session_dir(id.session);
        let path = dir.join(file_name(id.sequence));
        // Fast path for retries: no temporary file when the segment is already there.
        if path.exists() {
            return Ok(PutOutcome::Duplicate);
        }
        self.ensure_session_dir(&dir)?;
        let temp = self.write_temp(&dir, id, bytes)?;
        let linked = fs::hard_link(&temp, &path);
        let _ = fs::remove_file(&temp);
        match linked {
            Ok(()) => {
                sync_dir(&dir)?;
                Ok(PutOutcome::Stored)
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(PutOutcome::Duplicate),
            Err(source) => Err(StoreError::Io { op: "link", path, source }),
        }
    }

    fn get(&self, id: SegmentId) -> Result<Option<Vec<u8>>, StoreError> {
        let path = self.path_of(id);
        match fs::read(&path) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(StoreError::Io { op: "read", path, source }),
        }
    }

    fn contains(&self, id: SegmentId) -> Result<bool, StoreError> {
        let path = self.path_of(id);
        path.try_exists().map_err(io("check", &path))
    }

    fn delete(&self, id: SegmentId) -> Result<bool, StoreError> {
        let path = self.path_of(id);
        match fs::remove_file(&path) {
            Ok(()) => {
                sync_dir(&self.session_dir(id.session))?;
                Ok(true)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(source) => Err(StoreError::Io { op: "delete", path, source }),
        }
    }

    fn describe(&self) -> String {
        format!("files in {}", self.root.display())
    }

    fn check_writable(&self) -> Result<(), StoreError> {
        // A block's worth, so that a full disk refuses it even where an empty file still fits.
        let probe = self.root.join(format!(".health.{}.tmp", std::process::id()));
        let result = (|| {
            let mut file = File::options().write(true).create(true).truncate(true).open(&probe)?;
            file.write_all(&[0u8; 4096])?;
            file.sync_all()
        })();
        let _ = fs::remove_file(&probe);
        result.map_err(|source| StoreError::Io { op: "write", path: probe, source })
    }

    fn sessions(&self) -> Result<Vec<SessionId>, StoreError> {
        let entries = match fs::read_dir(&self.root) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(source) => return Err(StoreError::Io { op: "list", path: self.root.clone(), source }),
        };
        let mut sessions = Vec::new();
        for entry in entries {
            let entry = entry.map_err(io("list", &self.root))?;
            if let Some(session) = entry.file_name().to_str().and_then(|name| name.parse().ok()) {
                sessions.push(session);
            }
        }
        sessions.sort();
        Ok(sessions)
    }

    fn list_session(&self, session: SessionId) -> Result<Vec<SegmentId>, StoreError> {
        let dir = self.session_dir(session);
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(source) => return Err(StoreError::Io { op: "list", path: dir, source }),
        };
        let mut ids = Vec::new();
        for entry in entries {
            let entry = entry.map_err(io("list", &dir))?;
            if let Some(sequence) = entry.file_name().to_str().and_then(parse_file_name) {
                ids.push(SegmentId { session, sequence });
            }
        }
        ids.sort();
        Ok(ids)
    }
}

/// Age past which a temporary file is removed at start whoever wrote it.
pub const STALE_TEMP: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// The writer's process id in a temporary file's name (`.<sequence>.<pid>.<n>.tmp`).
fn temp_file_pid(name: &str) -> Option<u32> {
    let inner = name.strip_prefix('.')?.strip_suffix(".tmp")?;
    let mut parts = inner.split('.');
    let (_sequence, pid, _n) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    pid.parse().ok()
}

/// Whether a process with this id runs: `/proc` knows on Linux; elsewhere it is assumed to, so
/// only age removes its files.
fn process_runs(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.join("self").exists() || proc.join(pid.to_string()).exists()
}

/// Makes a directory's entries durable.
fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    File::open(dir).and_then(|d| d.sync_all()).map_err(io("sync", dir))
}

fn io(op: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> StoreError {
    let path = path.to_owned();
    move |source| StoreError::Io { op, path, source }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Barrier};

    /// A segment of a new session.
    fn id(sequence: u32) -> SegmentId {
        SegmentId { session: SessionId::new_v7(1_700_000_000_000), sequence }
    }

    #[test]
    fn put_get_list_and_duplicates() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = DirStore::open(dir.path()).expect("opens");
        let a = id(0);
        let b = SegmentId { sequence: 7, ..a };
        assert_eq!(store.put_if_absent(a, b"first").expect("put"), PutOutcome::Stored);
        assert_eq!(store.put_if_absent(a, b"other").expect("put"), PutOutcome::Duplicate);
        assert_eq!(store.put_if_absent(b, b"second").expect("put"), PutOutcome::Stored);
        assert_eq!(store.get(a).expect("get").as_deref(), Some(&b"first"[..]));
        assert_eq!(store.get(SegmentId { sequence: 1, ..a }).expect("get"), None);
        assert_eq!(store.list_session(a.session).expect("list"), vec![a, b]);
        assert!(store.delete(b).expect("delete"));
        assert!(!store.delete(b).expect("a second delete finds nothing"));
        assert_eq!(store.list_session(a.session).expect("list"), vec![a]);
        assert_eq!(store.put_if_absent(b, b"second").expect("put"), PutOutcome::Stored);
        let path = store.path_of(b);
        assert!(path.ends_with(format!("{}/00000007.seg", a.session)));
        // No temporary file is left behind.
        let names: Vec<_> = fs::read_dir(path.parent().expect("dir")).expect("dir").map(|e| e.expect("entry").file_name()).collect();
        assert_eq!(names.len(), 2, "{names:?}");
    }

    #[test]
    fn concurrent_duplicates_are_stored_once() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Arc::new(DirStore::open(dir.path()).expect("opens"));
        let barrier = Arc::new(Barrier::new(16));
        let target = id(3);
        let threads: Vec<_> = (0..16)
            .map(|i| {
                let (store, barrier) = (store.clone(), barrier.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    store.put_if_absent(target, format!("writer {i}").as_bytes()).expect("put")
                })
            })
            .collect();
        let outcomes: Vec<_> = threads.into_iter().map(|t| t.join().expect("thread")).collect();
        assert_eq!(outcomes.iter().filter(|o| **o == PutOutcome::Stored).count(), 1);
        assert_eq!(store.list_session(target.session).expect("list"), vec![target]);
    }

    #[test]
    fn temporary_files_of_dead_writers_are_swept_at_open() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = DirStore::open(dir.path()).expect("opens");
        let a = id(1);
        store.put_if_absent(a, b"kept").expect("put");
        let session_dir = store.path_of(a).parent().expect("dir").to_owned();
        // A writer that no longer runs (pid 0 is never a user process), and this process's own.
        let dead = session_dir.join(".00000002.0.0.tmp");
        let mine = session_dir.join(format!(".00000003.{}.0.tmp", std::process::id()));
        fs::write(&dead, b"partial").expect("write");
        fs::write(&mine, b"in progress").expect("write");
        drop(store);
        let store = DirStore::open(dir.path()).expect("reopens");
        assert!(!dead.exists(), "a dead writer's temporary file is removed");
        assert!(mine.exists(), "a live writer's temporary file is left alone");
        assert!(store.contains(a).expect("check"));
        assert!(!store.contains(id(9)).expect("check"));
        store.check_writable().expect("a temp dir is writable");
        assert_eq!(temp_file_pid(".00000002.77.3.tmp"), Some(77));
        assert_eq!(temp_file_pid("00000002.seg"), None);
    }
}
