//! Stable platform identities for fixture nodes, which carry none that survives a reload.
//!
//! An identity is a 64-bit FNV-1a hash, written out here rather than taken from `std` (whose
//! hasher is randomly seeded per process), so the same node of the same file gets the same
//! identity in every run, on every machine.

/// The FNV-1a 64-bit offset basis: the hash of nothing, and the path hash of a root.
pub const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// An FNV-1a (64-bit) hasher.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Self(FNV_OFFSET)
    }
}

impl Fnv1a {
    /// A hasher that continues from `state` (a previous [`Fnv1a::finish`]).
    pub const fn with_state(state: u64) -> Self {
        Self(state)
    }

    /// Hashes bytes.
    pub fn write(mut self, bytes: &[u8]) -> Self {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(FNV_PRIME);
        }
        self
    }

    /// Hashes a number as its 8 little-endian bytes.
    pub fn write_u64(self, value: u64) -> Self {
        self.write(&value.to_le_bytes())
    }

    /// Hashes a string's bytes followed by a 0xff terminator (so `"ab","c"` and `"a","bc"` differ).
    pub fn write_str(self, value: &str) -> Self {
        self.write(value.as_bytes()).write(&[0xff])
    }

    /// The hash.
    pub const fn finish(self) -> u64 {
        self.0
    }
}

/// The path hash of the `index`-th child of the node whose path hash is `parent_path`. The root's
/// path hash is [`FNV_OFFSET`].
pub fn child_path(parent_path: u64, index: usize) -> u64 {
    Fnv1a::with_state(parent_path).write_u64(index as u64).finish()
}

/// The identity of a node: its path hash combined with its class name.
pub fn node_identity(path: u64, class_name: &str) -> u64 {
    Fnv1a::with_state(path).write_str(class_name).finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_reference_vectors() {
        assert_eq!(Fnv1a::default().finish(), 0xcbf2_9ce4_8422_2325);
        assert_eq!(Fnv1a::default().write(b"a").finish(), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(Fnv1a::default().write(b"foobar").finish(), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn paths_and_classes_give_distinct_identities() {
        let a = child_path(FNV_OFFSET, 0);
        let b = child_path(FNV_OFFSET, 1);
        assert_ne!(a, b);
        assert_ne!(child_path(a, 1), child_path(b, 0));
        assert_ne!(node_identity(a, "android.widget.TextView"), node_identity(a, "android.widget.Button"));
        assert_eq!(node_identity(a, "X"), node_identity(child_path(FNV_OFFSET, 0), "X"));
    }
}
