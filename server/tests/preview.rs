//! `reprise preview`, the real binary: a real RICO screen's tree as JSON drawn as it would be
//! stored, masked by default and shown under `--mask none`; a hidden view drawn as an empty box;
//! bad trees and flags refused with a clear message.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::*;
use reprise_core::PrivacyOverride;

fn preview(tree: &Path, out: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_reprise")).arg("preview").arg(tree).arg("--out").arg(out).args(extra).output().expect("runs")
}

fn png_size(path: &Path) -> (u32, u32) {
    let image = image::open(path).expect("a PNG");
    (image.width(), image.height())
}

#[test]
fn a_tree_is_drawn_as_it_would_be_stored() {
    let dir = tempfile::tempdir().expect("temp dir");
    let screen = rico_screens(&["33618"]).remove(0);
    let tree_path = dir.path().join("tree.json");
    std::fs::write(&tree_path, serde_json::to_vec(&screen.tree).expect("json")).expect("write");
    let density = screen.density.to_string();
    let (masked, shown) = (dir.path().join("masked.png"), dir.path().join("shown.png"));
    let run = preview(&tree_path, &masked, &["--density", &density]);
    assert!(run.status.success(), "{run:?}");
    assert!(String::from_utf8_lossy(&run.stdout).contains("as stored under mask All"));
    let run = preview(&tree_path, &shown, &["--density", &density, "--mask", "none"]);
    assert!(run.status.success(), "{run:?}");
    // The screen's size in dp, at scale 1.
    let root = screen.tree.nodes[0].bounds;
    let expected = ((root.width / screen.density).round() as u32, (root.height / screen.density).round() as u32);
    assert_eq!(png_size(&masked), expected);
    let (a, b) = (std::fs::read(&masked).expect("read"), std::fs::read(&shown).expect("read"));
    assert_ne!(a, b, "masking changes the picture: text is drawn under --mask none, bars under the default");

    // The same tree with its root hidden by the app: one empty box, whatever the mask.
    let mut hidden = screen.tree.clone();
    hidden.nodes[0].privacy = PrivacyOverride::Hide;
    let hidden_path = dir.path().join("hidden.json");
    std::fs::write(&hidden_path, serde_json::to_vec(&hidden).expect("json")).expect("write");
    let (h1, h2) = (dir.path().join("h1.png"), dir.path().join("h2.png"));
    assert!(preview(&hidden_path, &h1, &["--density", &density]).status.success());
    assert!(preview(&hidden_path, &h2, &["--density", &density, "--mask", "none"]).status.success());
    assert_eq!(std::fs::read(&h1).expect("read"), std::fs::read(&h2).expect("read"), "a hidden view shows nothing in any mode");
    assert_ne!(std::fs::read(&h1).expect("read"), a);
}

#[test]
fn bad_trees_and_flags_are_refused_clearly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out.png");
    let not_json = dir.path().join("notes.json");
    std::fs::write(&not_json, b"{\"nodes\": 3}").expect("write");
    let run = preview(&not_json, &out, &[]);
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("is not a view tree"), "{run:?}");
    let empty = dir.path().join("empty.json");
    std::fs::write(&empty, b"{\"classes\": [], \"nodes\": []}").expect("write");
    let run = preview(&empty, &out, &[]);
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("cannot be recorded: the view tree is empty"), "{run:?}");
    let run = preview(&dir.path().join("missing.json"), &out, &[]);
    assert!(String::from_utf8_lossy(&run.stderr).contains("cannot read"), "{run:?}");
    let screen = rico_screens(&["33618"]).remove(0);
    let tree = dir.path().join("tree.json");
    std::fs::write(&tree, serde_json::to_vec(&screen.tree).expect("json")).expect("write");
    let run = preview(&tree, &out, &["--density", "0"]);
    assert_eq!(run.status.code(), Some(2), "{run:?}");
    assert!(!out.exists(), "nothing written on an error");
}
