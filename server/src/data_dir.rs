//! Finding a collector's data (its `index.sqlite` and `segments/`) from the folder a person names:
//! the collector's data folder itself, or a folder that holds one as `collector/` or
//! `data/collector/` (what `reprise-demo` writes). Nothing is created while looking.

use std::path::{Path, PathBuf};

use thiserror::Error;

/// No collector data where a command was pointed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error(
    "no collector data under {given}: looked for index.sqlite or segments/ in {}; \
     pass the folder given to `reprise serve --data` (reprise-demo keeps it in OUT/data/collector)",
    looked_in.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
)]
pub struct NoCollectorData {
    /// The folder given.
    pub given: PathBuf,
    /// Where it looked.
    pub looked_in: Vec<PathBuf>,
}

/// The collector data folder at or inside `given`.
pub fn find_collector_data(given: &Path) -> Result<PathBuf, NoCollectorData> {
    let candidates = [given.to_owned(), given.join("collector"), given.join("data").join("collector")];
    for dir in &candidates {
        if dir.join("index.sqlite").is_file() || dir.join("segments").is_dir() {
            return Ok(dir.clone());
        }
    }
    Err(NoCollectorData { given: given.to_owned(), looked_in: candidates.to_vec() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_collector_folder_or_a_demo_folder_holding_one() {
        let dir = tempfile::tempdir().expect("temp dir");
        let demo = dir.path().join("reprise-demo");
        let collector = demo.join("data").join("collector");
        std::fs::create_dir_all(collector.join("segments")).expect("dirs");
        assert_eq!(find_collector_data(&collector).expect("itself"), collector);
        assert_eq!(find_collector_data(&demo.join("data")).expect("data/"), collector);
        assert_eq!(find_collector_data(&demo).expect("the demo folder"), collector);
        let nope = dir.path().join("nope");
        let e = find_collector_data(&nope).expect_err("nothing there");
        assert!(e.to_string().contains("nope/data/collector"), "{e}");
        assert!(!nope.exists(), "nothing is created while looking");
    }
}
