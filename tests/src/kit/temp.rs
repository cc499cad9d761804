//! Fresh directories for tests that need real files (disk queues, the collector's data).

use std::path::PathBuf;

/// A fresh, empty-named directory `reprise-test-{name}-{pid}` under the system temp dir: whatever
/// a previous run left there is removed; the directory itself is created by whoever uses it.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("reprise-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}
