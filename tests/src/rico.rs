//! RICO Android screens: the raw view hierarchy of the RICO dataset turned into a [`ViewTree`].
//!
//! A RICO file holds the tree under `activity.root`; each node has `class`, `ancestors` (its
//! superclasses, nearest first), `bounds` `[left, top, right, bottom]` in a 1440x2560 pixel
//! space, and optionally `text`, `content-desc` (an array that may hold nulls), the booleans
//! `clickable`, `focusable`, `enabled`, `visible-to-user`, `scrollable-vertical`,
//! `scrollable-horizontal` (and `password` where present), `visibility` (`visible`, `invisible`,
//! `gone`) and `children` (which may hold nulls).
//!
//! Mapping rules:
//! - A `null` child is skipped; a `gone` node is skipped with its whole subtree (Android does
//!   not lay it out). An `invisible` node is kept with its `visible` flag off.
//! - `visible` is on when `visibility` is `visible` (or absent) and `visible-to-user` is not
//!   false: the view is drawn on screen now.
//! - The kind comes from the class and its ancestors, nearest first: the first one with a
//!   known simple name decides (see [`kind_of`]).
//! - `text` is kept as given (an empty TextView has `Some("")`); `content-desc` is its non-null
//!   entries joined by a space, or `None`.
//! - The identity is the FNV-1a hash of the node's path from the root (its index in each
//!   `children` array, nulls and gone nodes counted) and its class name: the same file always
//!   gives the same identities, and two screens of one app share the identities of the views
//!   they share.
//! - Nodes are emitted in pre-order, siblings in file order (back to front).

use reprise_core::{NodeFlags, NodeKind, Platform, PxRect, ViewNode, ViewTree};
use serde_json::Value;

use crate::error::ParseError;
use crate::identity::{FNV_OFFSET, child_path, node_identity};
use crate::screen::ParsedScreen;

/// Pixels per dp of the RICO pixel space: 1440 px across a 411 dp wide phone.
pub const DENSITY: f32 = 3.5;
/// Width of the RICO pixel space.
pub const WIDTH_PX: u32 = 1440;
/// Height of the RICO pixel space.
pub const HEIGHT_PX: u32 = 2560;
/// Deepest nesting followed (RICO trees are at most 22 levels deep; `serde_json` itself refuses
/// text nested deeper than 128 arrays and objects, about 64 view levels).
pub const MAX_DEPTH: usize = 64;

/// Parses a RICO JSON document.
pub fn parse(json: &str) -> Result<ParsedScreen, ParseError> {
    let doc: Value = serde_json::from_str(json)?;
    parse_value(&doc)
}

/// Parses an already decoded RICO JSON document.
pub fn parse_value(doc: &Value) -> Result<ParsedScreen, ParseError> {
    let root = doc.get("activity").and_then(|a| a.get("root")).filter(|r| !r.is_null()).ok_or(ParseError::NoRoot)?;
    if visibility(root, &[])? == Some("gone") {
        return Err(ParseError::NoRoot);
    }
    let name = doc.get("activity_name").and_then(Value::as_str).unwrap_or("rico").to_owned();
    let mut tree = ViewTree::default();
    let mut path = Vec::new();
    visit(root, None, FNV_OFFSET, &mut path, &mut tree)?;
    Ok(ParsedScreen { name, tree, density: DENSITY, width_px: WIDTH_PX, height_px: HEIGHT_PX, platform: Platform::Android })
}

/// Appends `node` (known to be non-null and not gone) and its subtree in pre-order.
fn visit(
    node: &Value,
    parent: Option<u32>,
    path_hash: u64,
    path: &mut Vec<usize>,
    tree: &mut ViewTree,
) -> Result<(), ParseError> {
    if path.len() > MAX_DEPTH {
        return Err(ParseError::TooDeep { limit: MAX_DEPTH, at: where_(path) });
    }
    let view = view_node(node, parent, path_hash, path, tree)?;
    let index = tree.push(view);
    let children = match node.get("children") {
        None | Some(Value::Null) => return Ok(()),
        Some(Value::Array(children)) => children,
        Some(_) => return Err(field("children", "an array", path)),
    };
    for (i, child) in children.iter().enumerate() {
        path.push(i);
        if !child.is_null() && visibility(child, path)? != Some("gone") {
            visit(child, Some(index), child_path(path_hash, i), path, tree)?;
        }
        path.pop();
    }
    Ok(())
}

fn view_node(node: &Value, parent: Option<u32>, path_hash: u64, path: &[usize], tree: &mut ViewTree) -> Result<ViewNode, ParseError> {
    let class = node.get("class").and_then(Value::as_str).ok_or_else(|| field("class", "a string", path))?;
    let ancestors: Vec<&str> = match node.get("ancestors") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        Some(_) => return Err(field("ancestors", "an array", path)),
    };
    let bounds = bounds(node, path)?;
    let kind = kind_of(class, &ancestors);
    let mut view = ViewNode::new(node_identity(path_hash, class), parent, kind, bounds);
    view.class = tree.class(class);
    let visible = visibility(node, path)?.is_none_or(|v| v == "visible") && flag(node, "visible-to-user", true, path)?;
    view.flags = NodeFlags {
        clickable: flag(node, "clickable", false, path)?,
        scrollable: flag(node, "scrollable-vertical", false, path)? || flag(node, "scrollable-horizontal", false, path)?,
        focusable: flag(node, "focusable", false, path)?,
        enabled: flag(node, "enabled", true, path)?,
        visible,
        clips_children: false,
        password: flag(node, "password", false, path)?,
    };
    view.text = match node.get("text") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(field("text", "a string", path)),
    };
    view.content_description = match node.get("content-desc") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Array(parts)) => {
            let parts: Vec<&str> = parts.iter().filter_map(Value::as_str).collect();
            (!parts.is_empty()).then(|| parts.join(" "))
        }
        Some(_) => return Err(field("content-desc", "an array of strings", path)),
    };
    // `resource-id` is `package:id/entry`, as the view hierarchy dump gives it; the entry is the
    // id name the Android layer reads with `Resources.getResourceEntryName`.
    view.id_name = match node.get("resource-id") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.rsplit_once(":id/").map_or(s.as_str(), |(_, entry)| entry).to_owned()),
        Some(_) => return Err(field("resource-id", "a string", path)),
    };
    Ok(view)
}

fn bounds(node: &Value, path: &[usize]) -> Result<PxRect, ParseError> {
    let edges: Option<Vec<f32>> = node
        .get("bounds")
        .and_then(Value::as_array)
        .filter(|a| a.len() == 4)
        .and_then(|a| a.iter().map(|v| v.as_f64().map(|f| f as f32)).collect());
    let e = edges.ok_or_else(|| field("bounds", "an array of 4 numbers", path))?;
    Ok(PxRect::from_edges(e[0], e[1], e[2], e[3]))
}

fn visibility<'a>(node: &'a Value, path: &[usize]) -> Result<Option<&'a str>, ParseError> {
    match node.get("visibility") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.as_str())),
        Some(_) => Err(field("visibility", "a string", path)),
    }
}

fn flag(node: &Value, name: &'static str, default: bool, path: &[usize]) -> Result<bool, ParseError> {
    match node.get(name) {
        None | Some(Value::Null) => Ok(default),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(field(name, "a boolean", path)),
    }
}

fn field(field: &'static str, expected: &'static str, path: &[usize]) -> ParseError {
    ParseError::Field { field, expected, at: where_(path) }
}

/// A path of child indices as `root/2/0`.
fn where_(path: &[usize]) -> String {
    let mut out = String::from("root");
    for i in path {
        out.push('/');
        out.push_str(&i.to_string());
    }
    out
}

/// The kind of an Android view from its class and its ancestors (nearest superclass first): the
/// first name whose simple name (after the last `.`) is known decides.
///
/// Known names: `EditText`, `AutoCompleteTextView`, `MultiAutoCompleteTextView`,
/// `ExtractEditText`, `SearchView` are inputs; `Button`, `ImageButton`, `CompoundButton`,
/// `CheckBox`, `RadioButton`, `Switch`, `ToggleButton`, `CheckedTextView`, `Spinner`,
/// `FloatingActionButton` are buttons; `TextView` is text; `ImageView` an image;
/// `RecyclerView`, `ListView`, `GridView`, `AbsListView`, `ScrollView`, `HorizontalScrollView`,
/// `NestedScrollView`, `ViewPager` scroll; `WebView` is web content; `ViewGroup` and any name
/// ending in `Layout` are containers. A view none of whose names is known is `Other`.
pub fn kind_of(class: &str, ancestors: &[&str]) -> NodeKind {
    std::iter::once(class).chain(ancestors.iter().copied()).find_map(kind_of_name).unwrap_or(NodeKind::Other)
}

fn kind_of_name(name: &str) -> Option<NodeKind> {
    let simple = name.rsplit(['.', '$']).next().unwrap_or(name);
    Some(match simple {
        "EditText" | "AutoCompleteTextView" | "MultiAutoCompleteTextView" | "ExtractEditText" | "SearchView" => {
            NodeKind::Input
        }
        "Button" | "ImageButton" | "CompoundButton" | "CheckBox" | "RadioButton" | "Switch" | "ToggleButton"
        | "CheckedTextView" | "Spinner" | "FloatingActionButton" => NodeKind::Button,
        "TextView" => NodeKind::Text,
        "ImageView" => NodeKind::Image,
        "RecyclerView" | "ListView" | "GridView" | "AbsListView" | "ScrollView" | "HorizontalScrollView"
        | "NestedScrollView" | "ViewPager" => NodeKind::Scroll,
        "WebView" => NodeKind::WebView,
        "ViewGroup" => NodeKind::Container,
        s if s.ends_with("Layout") => NodeKind::Container,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_follow_the_nearest_known_ancestor() {
        let tv = ["android.widget.TextView", "android.view.View", "java.lang.Object"];
        assert_eq!(kind_of("android.support.v7.widget.AppCompatTextView", &tv), NodeKind::Text);
        let button = ["android.widget.Button", "android.widget.TextView", "android.view.View"];
        assert_eq!(kind_of("android.support.v7.widget.AppCompatButton", &button), NodeKind::Button);
        assert_eq!(kind_of("android.widget.EditText", &tv), NodeKind::Input);
        assert_eq!(kind_of("android.widget.ImageButton", &["android.widget.ImageView"]), NodeKind::Button);
        assert_eq!(kind_of("android.widget.ScrollView", &["android.widget.FrameLayout"]), NodeKind::Scroll);
        assert_eq!(kind_of("x.y.al", &["android.view.ViewGroup", "android.view.View"]), NodeKind::Container);
        assert_eq!(kind_of("android.widget.ProgressBar", &["android.view.View"]), NodeKind::Other);
        assert_eq!(kind_of("com.android.internal.policy.PhoneWindow$DecorView", &["android.widget.FrameLayout"]), NodeKind::Container);
        assert_eq!(kind_of("android.webkit.WebView", &["android.widget.AbsoluteLayout"]), NodeKind::WebView);
    }

    #[test]
    fn nulls_and_gone_subtrees_are_skipped_and_errors_are_typed() {
        let json = r#"{"activity":{"root":{"class":"android.widget.FrameLayout","bounds":[0,0,1440,2560],
            "children":[null,
              {"class":"android.widget.TextView","bounds":[0,0,700,100],"text":"hi","content-desc":[null,"a",null,"b"],
               "visibility":"invisible","clickable":true},
              {"class":"android.widget.LinearLayout","bounds":[0,0,1,1],"visibility":"gone",
               "children":[{"class":"android.widget.TextView","bounds":[0,0,1,1]}]}]}}}"#;
        let screen = parse(json).expect("parses");
        assert_eq!(screen.tree.nodes.len(), 2);
        let text = &screen.tree.nodes[1];
        assert_eq!(text.parent, Some(0));
        assert_eq!(text.kind, NodeKind::Text);
        assert_eq!(text.content_description.as_deref(), Some("a b"));
        assert!(!text.flags.visible && text.flags.clickable && text.flags.enabled);
        assert_eq!(text.bounds, PxRect::new(0.0, 0.0, 700.0, 100.0));
        assert_eq!(text.identity, node_identity(child_path(FNV_OFFSET, 1), "android.widget.TextView"));

        let bad = r#"{"activity":{"root":{"class":"V","bounds":[0,0,1,1],"children":[{"class":"V","bounds":[0,0]}]}}}"#;
        match parse(bad) {
            Err(ParseError::Field { field: "bounds", at, .. }) => assert_eq!(at, "root/0"),
            other => panic!("expected a bounds error, got {other:?}"),
        }
        assert!(matches!(parse(r#"{"activity":{"root":null}}"#), Err(ParseError::NoRoot)));
        assert!(matches!(parse("{"), Err(ParseError::Json(_))));
    }

    #[test]
    fn deep_trees_are_refused_not_overflowed() {
        let leaf = || serde_json::json!({"class": "V", "bounds": [0, 0, 1, 1]});
        let mut node = leaf();
        for _ in 0..(MAX_DEPTH + 5) {
            let mut parent = leaf();
            parent["children"] = Value::Array(vec![node]);
            node = parent;
        }
        let doc = serde_json::json!({"activity": {"root": node}});
        assert!(matches!(parse_value(&doc), Err(ParseError::TooDeep { .. })));
    }
}
