//! Writes the RICO fixture screens as JSON of the core's `ViewTree` (its serde form), for the
//! Kotlin and Swift suites: they decode each tree through the real library
//! (`view_tree_from_json` in the bindings) instead of parsing RICO a second and third time, so a
//! field added to the core's `ViewNode` reaches them with no change on their side.
//!
//! Usage: `export-fixtures OUT_DIR` (e.g. `cargo run -p reprise-fixtures --bin export-fixtures --
//! "$CARGO_TARGET_DIR/fixtures"`). Writes:
//! - `OUT_DIR/rico/<id>.json`: the tree of RICO screen `<id>`, as `tests/src/rico.rs` parses it;
//! - `OUT_DIR/index.json`: `{"format": 1, "screens": [...]}`, one entry a screen, most text
//!   first (the number of texts of 4 characters or more, ties by file name): `id`, `name` (the
//!   activity), `tree` (the tree file, relative to `OUT_DIR`), `texts` (every text and content
//!   description of the tree, in node order: what masking must keep from the collector),
//!   `density`, `width_px`, `height_px`; and `feeds`: `{"rows": "feeds/rows.json"}`;
//! - `OUT_DIR/feeds/rows.json`: the kit's synthetic rows (`kit::nodes::rows`), [`ROWS`] nodes;
//!   a smaller list is a prefix of it.
//!
//! The folder is rewritten on every run; it belongs outside the source tree.

use std::path::{Path, PathBuf};

use reprise_fixtures::ParsedScreen;
use reprise_fixtures::{data, kit};
use serde_json::json;

/// The export's format version, in `index.json`.
const FORMAT: u32 = 1;
/// Nodes of the exported synthetic rows (the largest tree the Kotlin suite and benchmark use).
const ROWS: usize = 500;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args_os().skip(1);
    let (Some(out), None) = (args.next(), args.next()) else {
        return Err("usage: export-fixtures OUT_DIR".into());
    };
    let out = PathBuf::from(out);
    let dir = data::default_dir();
    let mut ids = data::rico_ids(&dir)?;
    ids.sort();
    let mut screens = Vec::with_capacity(ids.len());
    for id in ids {
        let screen = data::load_rico(&dir, &id)?;
        screens.push((id, screen));
    }
    // Most text first; the sort is stable, so ties keep file-name order.
    screens.sort_by_key(|(_, s)| std::cmp::Reverse(texts(s).iter().filter(|t| t.chars().count() >= 4).count()));

    for folder in ["rico", "feeds"] {
        let folder = out.join(folder);
        if folder.exists() {
            std::fs::remove_dir_all(&folder)?;
        }
        std::fs::create_dir_all(&folder)?;
    }
    let mut index = Vec::with_capacity(screens.len());
    for (id, screen) in &screens {
        let file = format!("rico/{id}.json");
        write(&out.join(&file), &serde_json::to_string(&screen.tree)?)?;
        index.push(json!({
            "id": id,
            "name": screen.name,
            "tree": file,
            "texts": texts(screen),
            "density": screen.density,
            "width_px": screen.width_px,
            "height_px": screen.height_px,
        }));
    }
    let rows = "feeds/rows.json";
    write(&out.join(rows), &serde_json::to_string(&kit::nodes::rows(ROWS))?)?;
    let index = json!({ "format": FORMAT, "screens": index, "feeds": { "rows": rows } });
    write(&out.join("index.json"), &serde_json::to_string_pretty(&index)?)?;
    println!("exported {} screens to {}", screens.len(), out.display());
    Ok(())
}

/// Every text and content description of the screen's tree, in node order.
fn texts(screen: &ParsedScreen) -> Vec<&str> {
    screen.tree.nodes.iter().flat_map(|n| [n.text.as_deref(), n.content_description.as_deref()]).flatten().collect()
}

fn write(path: &Path, text: &str) -> Result<(), Box<dyn std::error::Error>> {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()).into())
}
