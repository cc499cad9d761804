//! The real fixture screens, loaded and parsed by name (files in `tests/data`, see [`crate::data`]).

use std::path::PathBuf;

use crate::data;
use crate::screen::ParsedScreen;

/// The fixture folder (`tests/data`).
pub fn dir() -> PathBuf {
    data::default_dir()
}

/// Loads one RICO screen.
pub fn rico(id: &str) -> ParsedScreen {
    data::load_rico(&dir(), id).unwrap_or_else(|e| panic!("RICO {id}: {e}"))
}

/// Real RICO screens by id, in the order given.
pub fn rico_screens(ids: &[&str]) -> Vec<ParsedScreen> {
    ids.iter().map(|id| rico(id)).collect()
}

/// Every RICO screen, by id, sorted as numbers.
pub fn all_rico() -> Vec<(String, ParsedScreen)> {
    let ids = data::rico_ids(&dir()).expect("list RICO fixtures");
    assert_eq!(ids.len(), 20, "the 20 RICO screens are copied into tests/data/rico");
    ids.into_iter()
        .map(|id| {
            let screen = rico(&id);
            (id, screen)
        })
        .collect()
}

/// Both iOS trees, named by file.
pub fn ios_screens() -> Vec<(String, ParsedScreen)> {
    let dir = dir();
    vec![
        ("example.js".to_owned(), data::load_ios_flat(&dir).expect("example.js parses")),
        ("UIAExample.js".to_owned(), data::load_ios_uia(&dir).expect("UIAExample.js parses")),
    ]
}

/// Every fixture screen, RICO then iOS.
pub fn all_screens() -> Vec<(String, ParsedScreen)> {
    let mut all = all_rico();
    all.extend(ios_screens());
    all
}
