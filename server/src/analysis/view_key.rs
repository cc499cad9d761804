//! What identifies a view across a session's snapshots, so that a layout issue is reported once
//! per view and screen however often the list holding it scrolls.
//!
//! Node ids do not serve: a list that scrolls makes new rows (new platform views, new ids), and a
//! recycled row keeps its id while it shows another item. A view's key is its path from the root
//! instead: the classes and id names (resource entry name on Android, accessibility identifier
//! on iOS) on its path from the root, and where the view itself sits in its parent, in dp (two
//! unnamed tabs side by side are two views), unless that parent scrolls: the rows of a list move
//! as it scrolls, are remade and recycled, so every row of one layout is one view, and the same
//! checkbox in every row of a to-do list (at the same place in its row) is one finding, not one
//! per row scrolled into view. A parent scrolls when its flag says so or when it is of the scroll
//! kind (some walkers read the flag as "can scroll now", which a list at its end may deny). Only
//! the view's own position counts, never its ancestors': those move when a list or its wrapper
//! scrolls (UIKit's table views move, and gain a sibling, as they scroll), and sibling order shifts
//! when a view is added before a twin. Scroll offsets and node ids are not part of the key. A view
//! that moves within a parent that does not scroll (a layout change) becomes another view.
//!
//! Keys are SHA-256 digests over chained path digests (a step's covers its parent's), so a key
//! has a fixed size however deep the tree, and hashing a frame costs two digests per node.

use std::collections::HashMap;

use reprise_core::frame::flag;
use reprise_core::{Frame, NodeKind};
use sha2::{Digest, Sha256};

use crate::replay::ViewNames;

/// Hex digits of a key kept (128 bits of the digest).
pub const KEY_HEX_DIGITS: usize = 32;

/// The key of every node of `frame`, by node id: what stays the same for "this view on this
/// screen" while lists scroll and rows are recycled.
pub fn view_keys(frame: &Frame, names: &ViewNames) -> HashMap<u32, String> {
    // Each node's path digest (classes and id names from the root) and whether it scrolls.
    let mut paths: HashMap<u32, ([u8; 32], bool)> = HashMap::with_capacity(frame.nodes.len());
    let mut keys = HashMap::with_capacity(frame.nodes.len());
    for node in &frame.nodes {
        let id_name = names.id_name(node.id);
        let parent = paths.get(&node.parent).copied();
        let mut step = Sha256::new();
        step.update(parent.map_or([0; 32], |(d, _)| d));
        step.update(names.class(node.id).unwrap_or("").as_bytes());
        step.update([0]);
        step.update(id_name.unwrap_or("").as_bytes());
        step.update([u8::from(id_name.is_some())]);
        let path: [u8; 32] = step.finalize().into();
        // A list scrolls whether or not this snapshot sets its flag, as for clipping
        // (`layout::clips_children`).
        let scrolls = node.props.has(flag::SCROLLABLE) || node.props.kind == NodeKind::Scroll;
        paths.insert(node.id, (path, scrolls));
        // Where it sits in its parent tells twins apart, except in a scrolling parent, whose
        // children (the rows) move as it scrolls.
        let mut key = Sha256::new();
        key.update(path);
        if !parent.is_some_and(|(_, scrolls)| scrolls) {
            key.update(node.x.to_le_bytes());
            key.update(node.y.to_le_bytes());
        }
        let key: [u8; 32] = key.finalize().into();
        keys.insert(node.id, hex(&key));
    }
    keys
}

fn hex(digest: &[u8; 32]) -> String {
    digest.iter().take(KEY_HEX_DIGITS / 2).map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use reprise_core::frame::FrameNode;
    use reprise_core::record::ClassDef;
    use reprise_core::{NodeDetail, Record};

    use super::*;

    fn node(id: u32, parent: u32, class: u32, y: i32, flags: u16) -> FrameNode {
        FrameNode { class, ..crate::replay::layout::tests::node(id, parent, 0, y, 100, 40, flags) }
    }

    fn names(frames: &[&Frame]) -> ViewNames {
        let mut names = ViewNames::default();
        names.add(&Record::Classes(vec![
            ClassDef { id: 1, name: "android.widget.FrameLayout".into() },
            ClassDef { id: 2, name: "androidx.recyclerview.widget.RecyclerView".into() },
            ClassDef { id: 3, name: "android.widget.LinearLayout".into() },
            ClassDef { id: 4, name: "android.widget.CheckBox".into() },
        ]));
        for frame in frames {
            names.add(&Record::Keyframe((*frame).clone()));
        }
        let named = |id, name: &str| NodeDetail { id, id_name: Some(name.into()), ..Default::default() };
        names.add(&Record::Details(vec![named(2, "tasks"), named(20, "done"), named(30, "done"), named(40, "done")]));
        names
    }

    /// A list of rows (`row`, `checkbox` ids), each a LinearLayout holding a CheckBox, scrolled by `dy`.
    fn list(rows: &[(u32, u32)], dy: i32) -> Frame {
        let mut nodes = vec![node(1, 0, 1, 0, 0), node(2, 1, 2, 0, flag::SCROLLABLE)];
        for (i, &(row, checkbox)) in rows.iter().enumerate() {
            nodes.push(node(row, 2, 3, i as i32 * 40 - dy, 0));
            nodes.push(node(checkbox, row, 4, 0, flag::CLICKABLE));
        }
        Frame { nodes }
    }

    #[test]
    fn a_checkbox_keeps_its_key_as_the_list_scrolls_and_rows_are_remade() {
        let before = list(&[(10, 20), (11, 30)], 0);
        let after = list(&[(12, 40)], 37);
        let names = names(&[&before, &after]);
        let (a, b) = (view_keys(&before, &names), view_keys(&after, &names));
        assert_eq!(a[&20], a[&30], "every row's checkbox is one view");
        assert_eq!(a[&20], b[&40], "a new row's checkbox is the same view");
        assert_eq!(a[&20].len(), KEY_HEX_DIGITS);
        assert_ne!(a[&20], a[&10], "the row is not its checkbox");
        assert_ne!(a[&2], a[&1]);
    }

    #[test]
    fn the_same_view_in_rows_under_a_wrapper_is_one_view_too() {
        // UIKit's shape: the table scrolls, a wrapper that does not holds the cells; the cells
        // move (they are told apart) but what sits at one place in each is one view.
        let wrapped = |dy| {
            let mut frame = list(&[(10, 20), (11, 30)], dy);
            frame.nodes[1].props.flags &= !flag::SCROLLABLE;
            frame.nodes[0].props.flags |= flag::SCROLLABLE;
            frame
        };
        let frame = wrapped(0);
        let names = names(&[&frame]);
        let keys = view_keys(&frame, &names);
        assert_eq!(keys[&20], keys[&30]);
        assert_ne!(keys[&10], keys[&11], "the cells sit at two places of the wrapper");
        let moved = view_keys(&wrapped(300), &names);
        assert_eq!(moved[&20], keys[&20], "rows moved: their checkbox is the same view");
    }

    #[test]
    fn a_scroll_container_without_its_scrolling_flag_still_holds_rows_that_are_one_view() {
        let mut frame = list(&[(10, 20), (11, 30)], 0);
        frame.nodes[1].props.flags &= !flag::SCROLLABLE;
        frame.nodes[1].props.kind = NodeKind::Scroll;
        let names = names(&[&frame]);
        let keys = view_keys(&frame, &names);
        assert_eq!(keys[&10], keys[&11], "the rows of a list whose flag says it cannot scroll now");
        assert_eq!(keys, view_keys(&list(&[(10, 20), (11, 30)], 0), &names), "as when the flag is set");
    }

    #[test]
    fn twins_side_by_side_outside_a_list_are_two_views() {
        let mut frame = list(&[(10, 20), (11, 30)], 0);
        frame.nodes[1].props.flags &= !flag::SCROLLABLE;
        let names = names(&[&frame]);
        let keys = view_keys(&frame, &names);
        assert_ne!(keys[&10], keys[&11], "two rows of a column that does not scroll");
        assert_eq!(keys[&20], keys[&30], "their checkboxes, at one place in each, are one view: ancestors' positions do not count");
    }

    #[test]
    fn views_differ_by_class_and_id_name_along_their_path() {
        let frame = list(&[(10, 20)], 0);
        let names = names(&[&frame]);
        let keys = view_keys(&frame, &names);
        let mut renamed = ViewNames::default();
        renamed.add(&Record::Classes(vec![ClassDef { id: 4, name: "android.widget.Switch".into() }]));
        renamed.add(&Record::Keyframe(frame.clone()));
        assert_ne!(view_keys(&frame, &renamed)[&20], keys[&20], "another class is another view");
        let mut unnamed = names.clone();
        unnamed.add(&Record::Details(vec![NodeDetail { id: 2, id_name: None, ..Default::default() }]));
        assert_ne!(view_keys(&frame, &unnamed)[&20], keys[&20], "an ancestor's id name is part of the path");
    }
}
