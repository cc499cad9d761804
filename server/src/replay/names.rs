//! What to call a view: its short class name, its id name (the resource entry name on Android, the
//! accessibility identifier on iOS) and its label when it was recorded in plain text, as in
//! `Button #sign_in "Sign in"`. Gestures, struggles and findings name their views this way in the
//! API and the player.
//!
//! Node ids are never reused within a session (the core counts them up), and class ids are
//! stable for the session, so one pass over the records names every node of every moment.

use std::collections::HashMap;

use reprise_core::frame::Field;
use reprise_core::{FrameNode, NodeKind, Record, Text};

use super::Timeline;

/// The longest label quoted in a name, in characters.
const MAX_LABEL_CHARS: usize = 40;

/// The class and id name of every node a session's records mention.
#[derive(Debug, Default, Clone)]
pub struct ViewNames {
    classes: HashMap<u32, String>,
    node_class: HashMap<u32, u32>,
    id_names: HashMap<u32, String>,
}

impl ViewNames {
    /// The names in a timeline's records.
    pub fn of(timeline: &Timeline) -> ViewNames {
        let mut names = ViewNames::default();
        for r in &timeline.records {
            names.add(&r.record);
        }
        names
    }

    /// Takes what one record says about class names, nodes' classes and id names.
    pub fn add(&mut self, record: &Record) {
        match record {
            Record::Classes(defs) => {
                for def in defs {
                    self.classes.insert(def.id, def.name.clone());
                }
            }
            Record::Keyframe(frame) => self.nodes(&frame.nodes),
            Record::Diff(diff) => {
                self.nodes(&diff.added);
                for change in &diff.changed {
                    for field in &change.fields {
                        if let Field::Class(class) = field {
                            self.node_class.insert(change.id, *class);
                        }
                    }
                }
            }
            Record::Details(details) => {
                for d in details {
                    match &d.id_name {
                        Some(name) => self.id_names.insert(d.id, name.clone()),
                        None => self.id_names.remove(&d.id),
                    };
                }
            }
            _ => {}
        }
    }

    fn nodes(&mut self, nodes: &[FrameNode]) {
        for n in nodes {
            self.node_class.insert(n.id, n.class);
        }
    }

    /// The full class name of node `id`, if known.
    pub fn class(&self, id: u32) -> Option<&str> {
        self.node_class.get(&id).and_then(|c| self.classes.get(c)).map(String::as_str)
    }

    /// The id name of node `id`, if it has one.
    pub fn id_name(&self, id: u32) -> Option<&str> {
        self.id_names.get(&id).map(String::as_str)
    }

    /// `Button #sign_in "Sign in"`: the short class (else the kind), the id name, the label when
    /// plain. A masked label is never quoted.
    pub fn describe(&self, id: u32, kind: NodeKind, label: Option<&Text>) -> String {
        let mut out = match self.class(id).map(short_class).filter(|c| !c.is_empty()) {
            Some(class) => class.to_owned(),
            None => format!("{kind:?}").to_lowercase(),
        };
        if let Some(name) = self.id_name(id) {
            out.push_str(" #");
            out.push_str(name);
        }
        if let Some(Text::Plain(text)) = label {
            let text = text.trim();
            if !text.is_empty() {
                let short: String = text.chars().take(MAX_LABEL_CHARS).collect();
                out.push_str(&format!(" \"{}\"", short.trim_end()));
            }
        }
        out
    }

    /// Heap bytes held, for the replay cache's budget.
    pub fn memory_bytes(&self) -> usize {
        let entry = std::mem::size_of::<(u32, u32)>() + 8;
        self.classes.values().map(|s| s.capacity() + entry + 24).sum::<usize>()
            + self.node_class.len() * entry
            + self.id_names.values().map(|s| s.capacity() + entry + 24).sum::<usize>()
    }
}

/// The last part of a class name: `android.widget.Button` is `Button`, `Outer$Inner` is `Inner`.
pub fn short_class(class: &str) -> &str {
    class.rsplit(['.', '$']).next().unwrap_or(class)
}

#[cfg(test)]
mod tests {
    use reprise_core::record::ClassDef;
    use reprise_core::{Frame, NodeDetail};

    use super::*;
    use crate::replay::layout::tests::node as placed_node;

    fn node(id: u32, class: u32) -> FrameNode {
        FrameNode { class, ..placed_node(id, 0, 0, 0, 10, 10, 0) }
    }

    #[test]
    fn a_view_is_named_by_class_id_name_and_plain_label_only() {
        let mut names = ViewNames::default();
        names.add(&Record::Classes(vec![ClassDef { id: 0, name: "android.widget.Button".into() }]));
        names.add(&Record::Keyframe(Frame { nodes: vec![node(1, 0), node(2, 0)] }));
        names.add(&Record::Details(vec![NodeDetail { id: 1, id_name: Some("sign_in".into()), ..NodeDetail::default() }]));
        let plain = Text::Plain("  Sign in ".into());
        assert_eq!(names.describe(1, NodeKind::Button, Some(&plain)), "Button #sign_in \"Sign in\"");
        let masked = Text::Masked(reprise_core::TextShape::word(7));
        assert_eq!(names.describe(2, NodeKind::Button, Some(&masked)), "Button");
        assert_eq!(names.describe(9, NodeKind::Text, None), "text");
        // A long plain label is quoted to MAX_LABEL_CHARS characters.
        let long = Text::Plain("x".repeat(MAX_LABEL_CHARS + 20));
        assert_eq!(names.describe(2, NodeKind::Button, Some(&long)), format!("Button \"{}\"", "x".repeat(MAX_LABEL_CHARS)));
        names.add(&Record::Details(vec![NodeDetail { id: 1, ..NodeDetail::default() }]));
        assert_eq!(names.id_name(1), None);
    }

    #[test]
    fn short_class_names() {
        assert_eq!(short_class("android.widget.CheckBox"), "CheckBox");
        assert_eq!(short_class("com.app.Outer$Inner"), "Inner");
        assert_eq!(short_class("UILabel"), "UILabel");
    }
}
