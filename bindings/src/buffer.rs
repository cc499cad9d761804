//! The compact snapshot buffer: a view tree packed by the platform into little-endian bytes
//! (`docs/FORMAT.md`, "FFI snapshot buffer"), decoded here with bounds checks. Every malformed
//! input is a typed error; nothing here can panic or read out of bounds.

use reprise_core::{NodeFlags, NodeKind, PrivacyOverride, PxRect, ViewNode, ViewTree};

use crate::error::RepriseError;

/// "RVT1" read as a little-endian u32.
pub const MAGIC: u32 = u32::from_le_bytes(*b"RVT1");
/// The fixed part of one node, in bytes.
pub const NODE_FIXED_BYTES: usize = 64;

/// Flag bits of a node.
pub mod flag {
    /// Reacts to taps.
    pub const CLICKABLE: u16 = 1 << 0;
    /// Scrolls.
    pub const SCROLLABLE: u16 = 1 << 1;
    /// Can take focus.
    pub const FOCUSABLE: u16 = 1 << 2;
    /// Enabled.
    pub const ENABLED: u16 = 1 << 3;
    /// Visible.
    pub const VISIBLE: u16 = 1 << 4;
    /// Clips its children.
    pub const CLIPS_CHILDREN: u16 = 1 << 5;
    /// A password input.
    pub const PASSWORD: u16 = 1 << 6;
    /// `background_color` is present.
    pub const HAS_BACKGROUND: u16 = 1 << 8;
    /// `text_color` is present.
    pub const HAS_TEXT_COLOR: u16 = 1 << 9;
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], RepriseError> {
        let end = self.at.checked_add(n).filter(|&end| end <= self.bytes.len()).ok_or_else(|| {
            bad(format!("truncated at byte {} (needed {n} more of {})", self.at, self.bytes.len()))
        })?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], RepriseError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    fn u8(&mut self) -> Result<u8, RepriseError> {
        Ok(self.array::<1>()?[0])
    }

    fn u16(&mut self) -> Result<u16, RepriseError> {
        Ok(u16::from_le_bytes(self.array()?))
    }

    fn u32(&mut self) -> Result<u32, RepriseError> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    fn i32(&mut self) -> Result<i32, RepriseError> {
        Ok(i32::from_le_bytes(self.array()?))
    }

    fn u64(&mut self) -> Result<u64, RepriseError> {
        Ok(u64::from_le_bytes(self.array()?))
    }

    fn f32(&mut self) -> Result<f32, RepriseError> {
        Ok(f32::from_le_bytes(self.array()?))
    }

    /// A string of `len` UTF-8 bytes.
    fn str(&mut self, len: usize) -> Result<String, RepriseError> {
        let bytes = self.take(len)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| bad(format!("invalid UTF-8 before byte {}", self.at)))
    }

    /// An optional string: an i32 length, -1 for none.
    fn opt_str(&mut self) -> Result<Option<String>, RepriseError> {
        match self.i32()? {
            -1 => Ok(None),
            len if len >= 0 => self.str(len as usize).map(Some),
            len => Err(bad(format!("string length {len}"))),
        }
    }
}

fn bad(reason: String) -> RepriseError {
    RepriseError::InvalidSnapshot { reason }
}

fn kind(k: u8) -> Result<NodeKind, RepriseError> {
    NodeKind::ALL.get(k as usize).copied().ok_or_else(|| bad(format!("node kind {k}")))
}

fn privacy(p: u8) -> Result<PrivacyOverride, RepriseError> {
    Ok(match p {
        0 => PrivacyOverride::Inherit,
        1 => PrivacyOverride::Mask,
        2 => PrivacyOverride::Unmask,
        3 => PrivacyOverride::Hide,
        _ => return Err(bad(format!("privacy {p}"))),
    })
}

/// Decodes a packed view tree. Counts are checked against the bytes left before anything is
/// allocated, so a hostile count cannot make us reserve memory.
pub fn decode(bytes: &[u8]) -> Result<ViewTree, RepriseError> {
    let mut r = Reader { bytes, at: 0 };
    let magic = r.u32()?;
    if magic != MAGIC {
        return Err(bad(format!("bad magic {magic:#010x}")));
    }
    let class_count = r.u32()? as usize;
    let node_count = r.u32()? as usize;
    let left = bytes.len() - r.at;
    if class_count.saturating_mul(4) > left || node_count.saturating_mul(NODE_FIXED_BYTES) > left {
        return Err(bad(format!("{class_count} classes and {node_count} nodes do not fit in {left} bytes")));
    }
    let mut classes = Vec::with_capacity(class_count);
    for _ in 0..class_count {
        let len = r.u32()? as usize;
        classes.push(r.str(len)?);
    }
    let mut nodes = Vec::with_capacity(node_count);
    for _ in 0..node_count {
        let identity = r.u64()?;
        let parent = match r.u32()? {
            u32::MAX => None,
            p => Some(p),
        };
        let kind = kind(r.u8()?)?;
        let privacy = privacy(r.u8()?)?;
        let bits = r.u16()?;
        let class = r.u32()?;
        let bounds = PxRect::new(r.f32()?, r.f32()?, r.f32()?, r.f32()?);
        let alpha = r.f32()?;
        let background = r.u32()?;
        let text_color = r.u32()?;
        let corner_radius = r.f32()?;
        let font_size = r.f32()?;
        let scroll_x = r.f32()?;
        let scroll_y = r.f32()?;
        let text = r.opt_str()?;
        let content_description = r.opt_str()?;
        let has = |b: u16| bits & b != 0;
        nodes.push(ViewNode {
            identity,
            parent,
            kind,
            class,
            bounds,
            flags: NodeFlags {
                clickable: has(flag::CLICKABLE),
                scrollable: has(flag::SCROLLABLE),
                focusable: has(flag::FOCUSABLE),
                enabled: has(flag::ENABLED),
                visible: has(flag::VISIBLE),
                clips_children: has(flag::CLIPS_CHILDREN),
                password: has(flag::PASSWORD),
            },
            alpha,
            background_color: has(flag::HAS_BACKGROUND).then_some(background),
            text_color: has(flag::HAS_TEXT_COLOR).then_some(text_color),
            corner_radius,
            font_size,
            text,
            content_description,
            scroll_x,
            scroll_y,
            privacy,
        });
    }
    if r.at != bytes.len() {
        return Err(bad(format!("{} trailing bytes", bytes.len() - r.at)));
    }
    Ok(ViewTree::new(classes, nodes))
}

/// Packs a tree the way the platforms do (for tests and the Rust side of benchmarks).
pub fn encode(tree: &ViewTree) -> Vec<u8> {
    let mut out = Vec::with_capacity(12 + tree.nodes.len() * (NODE_FIXED_BYTES + 8));
    out.extend_from_slice(&MAGIC.to_le_bytes());
    out.extend_from_slice(&(tree.classes.len() as u32).to_le_bytes());
    out.extend_from_slice(&(tree.nodes.len() as u32).to_le_bytes());
    for class in &tree.classes {
        out.extend_from_slice(&(class.len() as u32).to_le_bytes());
        out.extend_from_slice(class.as_bytes());
    }
    for n in &tree.nodes {
        let f = n.flags;
        let mut bits = 0u16;
        for (on, bit) in [
            (f.clickable, flag::CLICKABLE),
            (f.scrollable, flag::SCROLLABLE),
            (f.focusable, flag::FOCUSABLE),
            (f.enabled, flag::ENABLED),
            (f.visible, flag::VISIBLE),
            (f.clips_children, flag::CLIPS_CHILDREN),
            (f.password, flag::PASSWORD),
            (n.background_color.is_some(), flag::HAS_BACKGROUND),
            (n.text_color.is_some(), flag::HAS_TEXT_COLOR),
        ] {
            if on {
                bits |= bit;
            }
        }
        out.extend_from_slice(&n.identity.to_le_bytes());
        out.extend_from_slice(&n.parent.unwrap_or(u32::MAX).to_le_bytes());
        out.push(NodeKind::ALL.iter().position(|k| *k == n.kind).unwrap_or(0) as u8);
        out.push(match n.privacy {
            PrivacyOverride::Inherit => 0,
            PrivacyOverride::Mask => 1,
            PrivacyOverride::Unmask => 2,
            PrivacyOverride::Hide => 3,
        });
        out.extend_from_slice(&bits.to_le_bytes());
        out.extend_from_slice(&n.class.to_le_bytes());
        for v in [n.bounds.left, n.bounds.top, n.bounds.width, n.bounds.height, n.alpha] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&n.background_color.unwrap_or(0).to_le_bytes());
        out.extend_from_slice(&n.text_color.unwrap_or(0).to_le_bytes());
        for v in [n.corner_radius, n.font_size, n.scroll_x, n.scroll_y] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for s in [&n.text, &n.content_description] {
            match s {
                Some(s) => {
                    out.extend_from_slice(&(s.len() as i32).to_le_bytes());
                    out.extend_from_slice(s.as_bytes());
                }
                None => out.extend_from_slice(&(-1i32).to_le_bytes()),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> ViewTree {
        let mut t = ViewTree::default();
        let frame = t.class("android.widget.FrameLayout");
        let text = t.class("android.widget.TextView");
        let mut root = ViewNode::new(1, None, NodeKind::Container, PxRect::new(0.0, 0.0, 1080.0, 2400.0));
        root.class = frame;
        root.background_color = Some(0xff00_ff00);
        t.push(root);
        let mut label = ViewNode::new(2, Some(0), NodeKind::Text, PxRect::new(10.0, 20.0, 300.0, 40.0));
        label.class = text;
        label.text = Some("Héllo wörld".into());
        label.flags.clickable = true;
        label.privacy = PrivacyOverride::Unmask;
        t.push(label);
        t
    }

    #[test]
    fn round_trips() {
        let t = tree();
        assert_eq!(decode(&encode(&t)).unwrap(), t);
    }

    #[test]
    fn every_truncation_and_corruption_is_a_typed_error() {
        let bytes = encode(&tree());
        for len in 0..bytes.len() {
            assert!(matches!(decode(&bytes[..len]), Err(RepriseError::InvalidSnapshot { .. })), "len {len}");
        }
        for i in 0..bytes.len() {
            for v in [0u8, 0x7f, 0xff] {
                let mut b = bytes.clone();
                b[i] = v;
                let _ = decode(&b); // any result, no panic
            }
        }
        let mut huge = bytes.clone();
        huge[8..12].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(decode(&huge).is_err());
        let mut trailing = bytes;
        trailing.push(0);
        assert!(decode(&trailing).is_err());
    }
}
