//! iOS view trees from the canvas-highlighter project: JavaScript files holding a JSON literal.
//!
//! Two shapes are read, both at a 2x screen scale (pixels = points × [`DENSITY`]):
//!
//! - [`parse_flat`] (`example.js`): a flat array of UIViews, each with `nativeClass`,
//!   `className`, `boundsInScreen {left, top, right, bottom}` in points, `isClickable`,
//!   `isScrollable`, `isFocusable`, `isEnabled`, `isPassword`, `text`, `accessibilityId` and
//!   `runtimeId`. The file gives no usable hierarchy, so it is inferred by containment (see
//!   [`infer_parents`]). The identity is the `runtimeId` (the view object's id in the app),
//!   or, when it is not a number, the FNV-1a hash of the list position and native class.
//! - [`parse_uia`] (`UIAExample.js`): a nested UIAutomation tree, each element with `type`
//!   (`UIAButton`, `UIAStaticText`, ...), `name`, `label`, `value`, `visible`, `enabled`,
//!   `rect {origin {x, y}, size {width, height}}` in points and `children`. The identity is the
//!   FNV-1a hash of the element's path and type, as for RICO.

use reprise_core::{NodeFlags, NodeKind, Platform, PxRect, ViewNode, ViewTree};
use serde_json::Value;

use crate::error::ParseError;
use crate::identity::{FNV_OFFSET, Fnv1a, child_path, node_identity};
use crate::screen::ParsedScreen;

/// Pixels per point of the recorded devices (2x Retina iPhones).
pub const DENSITY: f32 = 2.0;
/// Deepest nesting of a UIAutomation tree followed.
pub const MAX_DEPTH: usize = 64;

/// The JSON literal inside a JavaScript source like `var X = [...];`: from the first `[` or `{`
/// to the last `]` or `}`.
pub fn json_literal(source: &str) -> Result<&str, ParseError> {
    let start = source.find(['[', '{']).ok_or(ParseError::NoJsonLiteral)?;
    let end = source.rfind([']', '}']).filter(|&e| e > start).ok_or(ParseError::NoJsonLiteral)?;
    Ok(&source[start..=end])
}

/// Parses the flat list of `example.js` into a tree whose hierarchy is inferred by containment.
pub fn parse_flat(source: &str) -> Result<ParsedScreen, ParseError> {
    let doc: Value = serde_json::from_str(json_literal(source)?)?;
    let items = doc.as_array().ok_or(ParseError::Field { field: "(top level)", expected: "an array", at: "file".into() })?;
    let items: Vec<&Value> = items.iter().filter(|v| !v.is_null()).collect();
    if items.is_empty() {
        return Err(ParseError::NoRoot);
    }
    let bounds = items
        .iter()
        .enumerate()
        .map(|(i, item)| flat_bounds(item, i))
        .collect::<Result<Vec<_>, _>>()?;
    let parents = infer_parents(&bounds);
    let mut tree = ViewTree::default();
    for (i, item) in items.iter().enumerate() {
        let at = || format!("index {i}");
        let native = item.get("nativeClass").and_then(Value::as_str).ok_or_else(|| field("nativeClass", "a string", at()))?;
        let role = item.get("className").and_then(Value::as_str).unwrap_or("");
        let password = bool_of(item, "isPassword", false, &at)?;
        let kind = if password { NodeKind::Input } else { flat_kind(role, native) };
        let identity = item
            .get("runtimeId")
            .and_then(|v| v.as_str().and_then(|s| s.parse::<u64>().ok()).or_else(|| v.as_u64()))
            .unwrap_or_else(|| Fnv1a::default().write_u64(i as u64).write_str(native).finish());
        let [l, t, r, b] = bounds[i];
        let px = PxRect::from_edges(l * DENSITY, t * DENSITY, r * DENSITY, b * DENSITY);
        let mut node = ViewNode::new(identity, parents[i].map(|p| p as u32), kind, px);
        node.class = tree.class(native);
        node.flags = NodeFlags {
            clickable: bool_of(item, "isClickable", false, &at)?,
            scrollable: bool_of(item, "isScrollable", false, &at)?,
            focusable: bool_of(item, "isFocusable", false, &at)?,
            enabled: bool_of(item, "isEnabled", true, &at)?,
            visible: true,
            clips_children: false,
            password,
        };
        node.text = string_of(item, "text", &at)?;
        node.content_description = string_of(item, "accessibilityId", &at)?;
        tree.push(node);
    }
    let (width_px, height_px) = screen_size(bounds[0][2] - bounds[0][0], bounds[0][3] - bounds[0][1]);
    Ok(ParsedScreen { name: "UICatalog (flat UIView dump)".into(), tree, density: DENSITY, width_px, height_px, platform: Platform::Ios })
}

/// Infers each node's parent from bounds `[left, top, right, bottom]` listed parents first.
///
/// The rule: a node's parent is the *smallest* earlier node whose bounds contain its bounds (edges
/// included); among equally small ones, the latest, which is the deepest. A node that no earlier
/// node contains (a table cell scrolled half off screen) goes to the earlier node it overlaps
/// most (ties: the smaller, then the later), and failing any overlap to the first node, the
/// root. The first node has no parent. Every parent comes before its child, so the result is a
/// tree. Quadratic in the node count, which is fine for a screen.
pub fn infer_parents(bounds: &[[f32; 4]]) -> Vec<Option<usize>> {
    let area = |b: &[f32; 4]| f64::from((b[2] - b[0]).max(0.0)) * f64::from((b[3] - b[1]).max(0.0));
    let contains = |o: &[f32; 4], i: &[f32; 4]| o[0] <= i[0] && o[1] <= i[1] && o[2] >= i[2] && o[3] >= i[3];
    let overlap = |a: &[f32; 4], b: &[f32; 4]| {
        let w = (a[2].min(b[2]) - a[0].max(b[0])).max(0.0);
        let h = (a[3].min(b[3]) - a[1].max(b[1])).max(0.0);
        f64::from(w) * f64::from(h)
    };
    let mut parents = Vec::with_capacity(bounds.len());
    for (i, b) in bounds.iter().enumerate() {
        if i == 0 {
            parents.push(None);
            continue;
        }
        let mut best: Option<(usize, f64)> = None;
        for (j, o) in bounds[..i].iter().enumerate() {
            if contains(o, b) && best.is_none_or(|(_, a)| area(o) <= a) {
                best = Some((j, area(o)));
            }
        }
        if best.is_none() {
            let mut most: Option<(usize, f64, f64)> = None;
            for (j, o) in bounds[..i].iter().enumerate() {
                let (ov, ar) = (overlap(o, b), area(o));
                if ov > 0.0 && most.is_none_or(|(_, mo, ma)| ov > mo || (ov == mo && ar <= ma)) {
                    most = Some((j, ov, ar));
                }
            }
            best = most.map(|(j, ov, _)| (j, ov));
        }
        parents.push(Some(best.map_or(0, |(j, _)| j)));
    }
    parents
}

fn flat_bounds(item: &Value, i: usize) -> Result<[f32; 4], ParseError> {
    let b = item.get("boundsInScreen");
    let edge = |name: &str| b.and_then(|b| b.get(name)).and_then(Value::as_f64).map(|v| v as f32);
    match (edge("left"), edge("top"), edge("right"), edge("bottom")) {
        (Some(l), Some(t), Some(r), Some(b)) => Ok([l, t, r, b]),
        _ => Err(field("boundsInScreen", "an object of 4 numbers", format!("index {i}"))),
    }
}

/// The kind of a flat-list view from its role (`className`: `Label`, `Button`, `Table`, ...) and,
/// for roles that say little (`View`), its UIKit class.
fn flat_kind(role: &str, native: &str) -> NodeKind {
    match role {
        "Label" | "StaticText" => NodeKind::Text,
        "Button" | "Switch" | "Slider" | "SegmentedControl" => NodeKind::Button,
        "ImageView" | "Image" => NodeKind::Image,
        "Table" | "Collection" | "ScrollView" => NodeKind::Scroll,
        "TextField" | "TextView" | "SearchField" | "EditText" => NodeKind::Input,
        "WebView" => NodeKind::WebView,
        "TableCell" | "Cell" => NodeKind::Container,
        _ => uikit_kind(native),
    }
}

fn uikit_kind(native: &str) -> NodeKind {
    if native.contains("TextField") || native.contains("TextView") || native.contains("SearchBar") {
        NodeKind::Input
    } else if native.ends_with("Label") {
        NodeKind::Text
    } else if native.ends_with("Button") || native.ends_with("Switch") || native.ends_with("Control") {
        NodeKind::Button
    } else if native.ends_with("ImageView") {
        NodeKind::Image
    } else if native.ends_with("ScrollView") || native.ends_with("TableView") || native.ends_with("CollectionView") {
        NodeKind::Scroll
    } else if native.contains("WebView") {
        NodeKind::WebView
    } else if native.starts_with("UI") || native.starts_with("_UI") || native.ends_with("View") || native.ends_with("Cell") {
        NodeKind::Container
    } else {
        NodeKind::Other
    }
}

/// Parses the nested UIAutomation tree of `UIAExample.js`.
pub fn parse_uia(source: &str) -> Result<ParsedScreen, ParseError> {
    let doc: Value = serde_json::from_str(json_literal(source)?)?;
    if !doc.is_object() {
        return Err(ParseError::NoRoot);
    }
    let mut tree = ViewTree::default();
    let mut path = Vec::new();
    uia_visit(&doc, None, FNV_OFFSET, &mut path, &mut tree)?;
    let root = &tree.nodes[0].bounds;
    let (width_px, height_px) = screen_size(root.width / DENSITY, root.height / DENSITY);
    Ok(ParsedScreen { name: "UICatalog (UIAutomation tree)".into(), tree, density: DENSITY, width_px, height_px, platform: Platform::Ios })
}

fn uia_visit(el: &Value, parent: Option<u32>, path_hash: u64, path: &mut Vec<usize>, tree: &mut ViewTree) -> Result<(), ParseError> {
    let at = || uia_where(path);
    if path.len() > MAX_DEPTH {
        return Err(ParseError::TooDeep { limit: MAX_DEPTH, at: at() });
    }
    let ty = el.get("type").and_then(Value::as_str).ok_or_else(|| field("type", "a string", at()))?;
    let rect = el.get("rect");
    let num = |a: &str, b: &str| rect.and_then(|r| r.get(a)).and_then(|v| v.get(b)).and_then(Value::as_f64).map(|v| v as f32);
    let (Some(x), Some(y), Some(w), Some(h)) = (num("origin", "x"), num("origin", "y"), num("size", "width"), num("size", "height")) else {
        return Err(field("rect", "{origin {x, y}, size {width, height}} in numbers", at()));
    };
    let kind = uia_kind(ty);
    let bounds = PxRect::new(x * DENSITY, y * DENSITY, w * DENSITY, h * DENSITY);
    let mut node = ViewNode::new(node_identity(path_hash, ty), parent, kind, bounds);
    node.class = tree.class(ty);
    node.flags = NodeFlags {
        clickable: matches!(kind, NodeKind::Button) || matches!(ty, "UIATableCell" | "UIALink"),
        scrollable: kind == NodeKind::Scroll,
        focusable: kind == NodeKind::Input,
        enabled: bool_of(el, "enabled", true, &at)?,
        visible: bool_of(el, "visible", true, &at)?,
        clips_children: kind == NodeKind::Scroll,
        password: ty == "UIASecureTextField",
    };
    node.text = string_of(el, "value", &at)?.filter(|s| !s.is_empty());
    node.content_description = match string_of(el, "label", &at)? {
        Some(label) => Some(label),
        None => string_of(el, "name", &at)?,
    };
    let index = tree.push(node);
    let children = match el.get("children") {
        None | Some(Value::Null) => return Ok(()),
        Some(Value::Array(c)) => c,
        Some(_) => return Err(field("children", "an array", at())),
    };
    for (i, child) in children.iter().enumerate() {
        if child.is_null() {
            continue;
        }
        path.push(i);
        uia_visit(child, Some(index), child_path(path_hash, i), path, tree)?;
        path.pop();
    }
    Ok(())
}

/// The kind of a UIAutomation element type.
fn uia_kind(ty: &str) -> NodeKind {
    match ty {
        "UIAStaticText" => NodeKind::Text,
        "UIATextField" | "UIASecureTextField" | "UIATextView" | "UIASearchBar" => NodeKind::Input,
        "UIAButton" | "UIALink" | "UIASwitch" | "UIASlider" | "UIASegmentedControl" | "UIAKey" | "UIAPicker" => {
            NodeKind::Button
        }
        "UIAImage" => NodeKind::Image,
        "UIATableView" | "UIACollectionView" | "UIAScrollView" => NodeKind::Scroll,
        "UIAWebView" => NodeKind::WebView,
        "UIATarget" | "UIAApplication" | "UIAWindow" | "UIANavigationBar" | "UIAToolbar" | "UIAStatusBar"
        | "UIATabBar" | "UIATableCell" | "UIACollectionCell" | "UIATableGroup" => NodeKind::Container,
        _ => NodeKind::Other,
    }
}

fn uia_where(path: &[usize]) -> String {
    path.iter().fold(String::from("root"), |mut s, i| {
        s.push('/');
        s.push_str(&i.to_string());
        s
    })
}

fn screen_size(width_pt: f32, height_pt: f32) -> (u32, u32) {
    ((width_pt * DENSITY).round().max(0.0) as u32, (height_pt * DENSITY).round().max(0.0) as u32)
}

fn bool_of(v: &Value, name: &'static str, default: bool, at: &dyn Fn() -> String) -> Result<bool, ParseError> {
    match v.get(name) {
        None | Some(Value::Null) => Ok(default),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(field(name, "a boolean", at())),
    }
}

fn string_of(v: &Value, name: &'static str, at: &dyn Fn() -> String) -> Result<Option<String>, ParseError> {
    match v.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(field(name, "a string", at())),
    }
}

fn field(field: &'static str, expected: &'static str, at: String) -> ParseError {
    ParseError::Field { field, expected, at }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_literal_is_cut_out_of_the_javascript() {
        assert_eq!(json_literal("var A = [{\"a\": 1}];\n").ok(), Some("[{\"a\": 1}]"));
        assert_eq!(json_literal("var B = {\"b\": [1]};").ok(), Some("{\"b\": [1]}"));
        assert!(matches!(json_literal("var C = 3;"), Err(ParseError::NoJsonLiteral)));
        assert!(matches!(json_literal("] oops ["), Err(ParseError::NoJsonLiteral)));
    }

    #[test]
    fn containment_picks_the_smallest_latest_container_then_the_largest_overlap() {
        let b = [
            [0.0, 0.0, 320.0, 568.0],   // 0 screen
            [0.0, 0.0, 320.0, 568.0],   // 1 same bounds: nested under 0
            [0.0, 64.0, 320.0, 568.0],  // 2 table
            [0.0, 64.0, 320.0, 108.0],  // 3 cell
            [16.0, 69.0, 76.0, 89.0],   // 4 label in the cell
            [0.0, 548.0, 320.0, 592.0], // 5 cell overflowing the screen: overlaps 1 and 2 alike
            [400.0, 0.0, 500.0, 10.0],  // 6 off screen, overlapping nothing
        ];
        assert_eq!(infer_parents(&b), vec![None, Some(0), Some(1), Some(2), Some(3), Some(2), Some(0)]);
    }
}
