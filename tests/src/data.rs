//! Where the fixture files are, and loading them by name.

use std::path::{Path, PathBuf};

use crate::error::ParseError;
use crate::screen::ParsedScreen;
use crate::{ios, rico};

/// The folder of this crate's copied fixtures (`tests/data`).
pub fn default_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

/// Reads a file, naming it in the error.
pub fn read(path: &Path) -> Result<String, ParseError> {
    std::fs::read_to_string(path).map_err(|source| ParseError::Io { path: path.to_owned(), source })
}

/// The ids of the RICO screens in `dir/rico` (`2181` for `2181.json`), sorted as numbers.
pub fn rico_ids(dir: &Path) -> Result<Vec<String>, ParseError> {
    let folder = dir.join("rico");
    let io = |source| ParseError::Io { path: folder.clone(), source };
    let mut ids = Vec::new();
    for entry in std::fs::read_dir(&folder).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.extension().is_some_and(|e| e == "json")
            && let Some(stem) = path.file_stem().and_then(|s| s.to_str()) {
                ids.push(stem.to_owned());
            }
    }
    ids.sort_by_key(|id| (id.parse::<u64>().unwrap_or(u64::MAX), id.clone()));
    Ok(ids)
}

/// The path of RICO screen `id`.
pub fn rico_path(dir: &Path, id: &str) -> PathBuf {
    dir.join("rico").join(format!("{id}.json"))
}

/// Loads and parses RICO screen `id`.
pub fn load_rico(dir: &Path, id: &str) -> Result<ParsedScreen, ParseError> {
    rico::parse(&read(&rico_path(dir, id))?)
}

/// The path of the flat iOS UIView dump.
pub fn ios_flat_path(dir: &Path) -> PathBuf {
    dir.join("ios-canvas-highlighter").join("example.js")
}

/// The path of the iOS UIAutomation tree.
pub fn ios_uia_path(dir: &Path) -> PathBuf {
    dir.join("ios-canvas-highlighter").join("UIAExample.js")
}

/// Loads and parses the flat iOS UIView dump.
pub fn load_ios_flat(dir: &Path) -> Result<ParsedScreen, ParseError> {
    ios::parse_flat(&read(&ios_flat_path(dir))?)
}

/// Loads and parses the iOS UIAutomation tree.
pub fn load_ios_uia(dir: &Path) -> Result<ParsedScreen, ParseError> {
    ios::parse_uia(&read(&ios_uia_path(dir))?)
}
