//! Every real screen parses, and the parsed tree holds exactly what the file holds, counted here
//! independently from the raw JSON.

use reprise_core::{NodeKind, ViewTree};
use reprise_fixtures::kit::screens;
use reprise_fixtures::{data, ios};
use serde_json::Value;

/// Nodes per RICO screen that are neither null nor gone nor under a gone node, as counted by a
/// separate script over the shared fixtures when they were copied. A change here means the data
/// or the parser's skipping rules changed.
const RICO_NODES: [(&str, usize); 20] = [
    ("336", 16), ("2181", 15), ("3360", 146), ("3361", 19), ("3363", 72), ("33608", 57), ("33611", 15),
    ("33614", 19), ("33616", 6), ("33618", 221), ("33623", 19), ("33625", 20), ("33627", 7), ("33635", 37),
    ("33642", 79), ("33644", 20), ("33656", 535), ("33670", 27), ("33688", 26), ("33691", 6),
];

/// Counts of a raw RICO file: (kept nodes, kept nodes with a `text`, kept clickable nodes,
/// scrollable kept nodes, all non-null nodes).
fn rico_counts(node: &Value, gone_above: bool, out: &mut [usize; 5]) {
    if node.is_null() {
        return;
    }
    out[4] += 1;
    let gone = gone_above || node["visibility"] == "gone";
    if !gone {
        out[0] += 1;
        out[1] += usize::from(node.get("text").is_some_and(Value::is_string));
        out[2] += usize::from(node["clickable"] == true);
        out[3] += usize::from(node["scrollable-vertical"] == true || node["scrollable-horizontal"] == true);
    }
    for child in node.get("children").and_then(Value::as_array).into_iter().flatten() {
        rico_counts(child, gone, out);
    }
}

fn assert_parents_first(name: &str, tree: &ViewTree) {
    assert!(tree.nodes[0].parent.is_none(), "{name}: the root has no parent");
    for (i, n) in tree.nodes.iter().enumerate().skip(1) {
        let p = n.parent.unwrap_or_else(|| panic!("{name}: node {i} has no parent"));
        assert!((p as usize) < i, "{name}: node {i} names parent {p}");
    }
}

#[test]
fn every_rico_screen_parses_with_the_nodes_its_file_holds() {
    let dir = data::default_dir();
    let mut total = 0;
    for (id, screen) in screens::all_rico() {
        let raw: Value = serde_json::from_str(&data::read(&data::rico_path(&dir, &id)).expect("read")).expect("JSON");
        let mut c = [0usize; 5];
        rico_counts(&raw["activity"]["root"], false, &mut c);
        let tree = &screen.tree;
        assert_eq!(tree.nodes.len(), c[0], "{id}: nodes");
        let expected = RICO_NODES.iter().find(|(i, _)| *i == id).map(|(_, n)| *n);
        assert_eq!(Some(tree.nodes.len()), expected, "{id}: nodes as counted when the data was copied");
        assert_eq!(tree.nodes.iter().filter(|n| n.text.is_some()).count(), c[1], "{id}: texts");
        assert_eq!(tree.nodes.iter().filter(|n| n.flags.clickable).count(), c[2], "{id}: clickable");
        assert_eq!(tree.nodes.iter().filter(|n| n.flags.scrollable).count(), c[3], "{id}: scrollable");
        assert_parents_first(&id, tree);
        assert_eq!((screen.density, screen.width_px, screen.height_px), (3.5, 1440, 2560));
        // Identities are unique within a screen, and the same on a second parse.
        let mut ids: Vec<u64> = tree.nodes.iter().map(|n| n.identity).collect();
        assert_eq!(screens::rico(&id).tree, *tree, "{id}: a second parse is identical");
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), tree.nodes.len(), "{id}: identities are unique");
        println!("RICO {id:>5}: {:>3} nodes ({} non-null in the file), {} with text", c[0], c[4], c[1]);
        total += c[0];
    }
    assert_eq!(total, 1362);
}

#[test]
fn rico_kinds_come_from_class_and_ancestors() {
    let screen = screens::rico("3363");
    let kind_of = |class: &str| screen.tree.nodes.iter().find(|n| screen.tree.class_name(n).ends_with(class)).map(|n| n.kind);
    assert_eq!(kind_of("ListView"), Some(NodeKind::Scroll));
    assert_eq!(kind_of(".TextView"), Some(NodeKind::Text));
    assert_eq!(kind_of("CheckedTextView"), Some(NodeKind::Button));
    assert_eq!(kind_of("ImageView"), Some(NodeKind::Image));
    assert_eq!(kind_of("MaterialButton"), Some(NodeKind::Button), "a custom class that extends Button");
    assert_eq!(kind_of("RelativeLayout"), Some(NodeKind::Container));
    let edit = screens::rico("33623");
    assert!(edit.tree.nodes.iter().any(|n| edit.tree.class_name(n).ends_with("BrowserWebView") && n.kind == NodeKind::WebView));
    assert!(edit.tree.nodes.iter().any(|n| edit.tree.class_name(n).ends_with("UrlInputView") && n.kind == NodeKind::Input));
}

#[test]
fn the_flat_ios_dump_parses_into_a_containment_tree() {
    let dir = data::default_dir();
    let source = data::read(&data::ios_flat_path(&dir)).expect("read");
    let raw: Value = serde_json::from_str(ios::json_literal(&source).expect("literal")).expect("JSON");
    let items = raw.as_array().expect("an array");
    let screen = data::load_ios_flat(&dir).expect("parses");
    let tree = &screen.tree;
    assert_eq!(items.len(), 86);
    assert_eq!(tree.nodes.len(), items.len());
    assert_parents_first("example.js", tree);
    assert_eq!((screen.density, screen.width_px, screen.height_px), (2.0, 640, 1136));
    for (node, item) in tree.nodes.iter().zip(items) {
        assert_eq!(tree.class_name(node), item["nativeClass"].as_str().unwrap_or_default());
        assert_eq!(node.text.as_deref(), item["text"].as_str());
        assert_eq!(node.identity.to_string(), item["runtimeId"].as_str().unwrap_or_default());
        let b = &item["boundsInScreen"];
        let left = b["left"].as_f64().unwrap_or(f64::NAN) as f32;
        assert_eq!(node.bounds.left, left * 2.0, "pixels are points x 2");
    }
    // Containment puts each cell's labels and button inside that cell (labels in its content
    // view, which the file places inside the cell, except for one content view it reports 300 pt
    // away from its cell).
    let cell_above = |mut i: Option<u32>| {
        while let Some(p) = i {
            if tree.class_name(&tree.nodes[p as usize]) == "MyTableViewCell" {
                return true;
            }
            i = tree.nodes[p as usize].parent;
        }
        false
    };
    let in_cells = tree.nodes.iter().filter(|n| tree.class_name(n) == "UITableViewLabel" || tree.class_name(n) == "UIButton");
    let mut count = 0;
    for n in in_cells {
        assert!(cell_above(n.parent), "{} at {:?} is not inside a cell", tree.class_name(n), n.bounds);
        count += 1;
    }
    assert_eq!(count, 35);
    let table = tree.nodes.iter().position(|n| tree.class_name(n) == "UITableView").expect("a table");
    assert_eq!(tree.nodes[table].kind, NodeKind::Scroll);
    assert_eq!(tree.nodes.iter().filter(|n| n.parent == Some(table as u32) && tree.class_name(n) == "MyTableViewCell").count(), 12);
}

fn uia_count(el: &Value, out: &mut [usize; 3]) {
    if el.is_null() {
        return;
    }
    out[0] += 1;
    out[1] += usize::from(el["visible"] == false);
    out[2] += usize::from(el["type"] == "UIAStaticText");
    for child in el.get("children").and_then(Value::as_array).into_iter().flatten() {
        uia_count(child, out);
    }
}

#[test]
fn the_uiautomation_tree_parses_with_every_element() {
    let dir = data::default_dir();
    let source = data::read(&data::ios_uia_path(&dir)).expect("read");
    let raw: Value = serde_json::from_str(ios::json_literal(&source).expect("literal")).expect("JSON");
    let mut c = [0usize; 3];
    uia_count(&raw, &mut c);
    let screen = data::load_ios_uia(&dir).expect("parses");
    let tree = &screen.tree;
    assert_eq!(c[0], 76);
    assert_eq!(tree.nodes.len(), c[0]);
    assert_eq!(tree.nodes.iter().filter(|n| !n.flags.visible).count(), c[1]);
    assert_eq!(tree.nodes.iter().filter(|n| n.kind == NodeKind::Text).count(), c[2]);
    assert_parents_first("UIAExample.js", tree);
    assert_eq!((screen.width_px, screen.height_px), (750, 1334));
    assert_eq!(tree.class_name(&tree.nodes[0]), "UIATarget");
    assert!(tree.nodes.iter().any(|n| tree.class_name(n) == "UIATableView" && n.kind == NodeKind::Scroll));
    let hidden_cells = tree.nodes.iter().filter(|n| tree.class_name(n) == "UIATableCell" && !n.flags.visible).count();
    assert_eq!(hidden_cells, 6, "the six rows below the fold");
}
