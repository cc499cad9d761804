//! What identifies a view across a session's snapshots, so that a layout issue is reported once
//! per view and screen however often the list holding it scrolls.
//!
//! Node ids do not serve: a list that scrolls makes new rows (new platform views, new ids), and a
//! recycled row keeps its id while it shows another item. A view's key is its path from the root
//! instead: for each step its class and its id name (resource entry name on Android,
//! accessibility identifier on iOS). Neither position nor rank among siblings is part of it: the
//! rows of a list move as it scrolls, are remade and recycled, and the platforms' wrappers
//! (UIKit's `UITableViewWrapperView`) reorder them and add siblings (a second table view beside
//! one that scrolls), and a container's scrolling flag comes and goes. So every row of one layout
//! is one view (the same checkbox in every row of a to-do list is one finding, not one per row
//! scrolled into view). The price: two unnamed views of one class under one parent (an unnamed
//! "OK" and "Cancel") are one view too, reported once with the first one's bounds. Bounds and
//! scroll offsets are not part of the key either.
//!
//! Keys are chained SHA-256 digests of the steps (a step's digest covers its parent's), so a key
//! has a fixed size however deep the tree, and hashing a frame costs one digest per node.

use std::collections::HashMap;

use reprise_core::Frame;
use sha2::{Digest, Sha256};

use crate::replay::ViewNames;

/// Hex digits of a key kept (128 bits of the digest).
pub const KEY_HEX_DIGITS: usize = 32;

/// The key of every node of `frame`, by node id: what stays the same for "this view on this
/// screen" while lists scroll and rows are recycled.
pub fn view_keys(frame: &Frame, names: &ViewNames) -> HashMap<u32, String> {
    let mut digests: HashMap<u32, [u8; 32]> = HashMap::with_capacity(frame.nodes.len());
    let mut keys = HashMap::with_capacity(frame.nodes.len());
    for node in &frame.nodes {
        let id_name = names.id_name(node.id);
        let mut step = Sha256::new();
        step.update(digests.get(&node.parent).copied().unwrap_or([0; 32]));
        step.update(names.class(node.id).unwrap_or("").as_bytes());
        step.update([0]);
        step.update(id_name.unwrap_or("").as_bytes());
        step.update([u8::from(id_name.is_some())]);
        let digest: [u8; 32] = step.finalize().into();
        digests.insert(node.id, digest);
        keys.insert(node.id, hex(&digest));
    }
    keys
}

fn hex(digest: &[u8; 32]) -> String {
    digest.iter().take(KEY_HEX_DIGITS / 2).map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use reprise_core::frame::{FrameNode, flag};
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
    fn rows_under_a_wrapper_inside_the_list_are_one_view_too() {
        // UIKit's shape: the table scrolls, a wrapper that does not holds the cells.
        let mut frame = list(&[(10, 20), (11, 30)], 0);
        frame.nodes[1].props.flags &= !flag::SCROLLABLE;
        frame.nodes[0].props.flags |= flag::SCROLLABLE;
        let names = names(&[&frame]);
        let keys = view_keys(&frame, &names);
        assert_eq!(keys[&20], keys[&30]);
        assert_eq!(keys[&10], keys[&11]);
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
