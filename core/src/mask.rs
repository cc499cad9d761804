//! On-device privacy masking, applied as a snapshot enters the core.
//!
//! Masked text is replaced by its *shape*: per line, the lengths of its alternating runs of
//! non-space and space characters. The player draws bars where the words were, so the layout stays
//! reviewable, and no character of the original can reach a buffer, the disk or the network.

use serde::{Deserialize, Serialize};

use crate::view::{NodeKind, PrivacyOverride};

/// How much a session masks by default; per-view overrides refine it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum MaskMode {
    /// Mask all text, content descriptions and inputs (the default: fail closed).
    #[default]
    MaskAll,
    /// Mask editable text only; labels and descriptions are shown.
    MaskInputs,
    /// Mask nothing but password inputs and views the app marked.
    Allow,
}

/// The length of a password's shape, whatever its real length: a password's length is private too.
pub const PASSWORD_SHAPE_CHARS: u16 = 8;

/// The shape of a masked text: its runs of word characters, spaces and line breaks, in order,
/// each as one `u16`: the run's length in Unicode scalar values times 4, plus its class (0 word,
/// 1 space, 2 line break). A run longer than [`TextShape::MAX_RUN`] is split in two. On the wire
/// it is a sequence of `u16`; in memory, short shapes (most labels) need no allocation.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct TextShape {
    runs: Runs,
}

/// Runs stored inline up to [`INLINE_RUNS`], on the heap beyond.
#[derive(Clone, Debug)]
enum Runs {
    Inline(u8, [u16; INLINE_RUNS]),
    Heap(Vec<u16>),
}

const INLINE_RUNS: usize = 10;

impl Default for Runs {
    fn default() -> Self {
        Runs::Inline(0, [0; INLINE_RUNS])
    }
}

impl PartialEq for Runs {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for Runs {}

impl std::hash::Hash for Runs {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_slice().hash(state);
    }
}

impl crate::heap::HeapSize for TextShape {
    fn heap_bytes(&self) -> usize {
        match &self.runs {
            Runs::Inline(..) => 0,
            Runs::Heap(runs) => runs.capacity() * std::mem::size_of::<u16>(),
        }
    }
}

impl Runs {
    fn as_slice(&self) -> &[u16] {
        match self {
            Runs::Inline(len, runs) => &runs[..usize::from(*len).min(INLINE_RUNS)],
            Runs::Heap(runs) => runs,
        }
    }

    fn push(&mut self, run: u16) {
        match self {
            Runs::Inline(len, runs) if usize::from(*len) < INLINE_RUNS => {
                runs[usize::from(*len)] = run;
                *len += 1;
            }
            Runs::Inline(_, runs) => {
                let mut heap = Vec::with_capacity(INLINE_RUNS * 4);
                heap.extend_from_slice(runs);
                heap.push(run);
                *self = Runs::Heap(heap);
            }
            Runs::Heap(runs) => runs.push(run),
        }
    }
}

/// The class of a run in a [`TextShape`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RunClass {
    /// Characters that are drawn.
    Word = 0,
    /// Whitespace other than line breaks.
    Space = 1,
    /// Line breaks.
    LineBreak = 2,
}

/// The class of each ASCII byte (space and line break per `char::is_whitespace`).
const ASCII_CLASS: [RunClass; 128] = {
    let mut table = [RunClass::Word; 128];
    table[b'\t' as usize] = RunClass::Space;
    table[0x0b] = RunClass::Space;
    table[0x0c] = RunClass::Space;
    table[b'\r' as usize] = RunClass::Space;
    table[b' ' as usize] = RunClass::Space;
    table[b'\n' as usize] = RunClass::LineBreak;
    table
};

impl TextShape {
    /// The longest run one `u16` holds.
    pub const MAX_RUN: u16 = u16::MAX >> 2;

    /// The shape of `text`.
    pub fn of(text: &str) -> Self {
        let mut shape = TextShape::default();
        let mut class = RunClass::Word;
        let mut length: usize = 0;
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let byte = bytes[i];
            let (next, width) = if byte < 0x80 {
                (ASCII_CLASS[usize::from(byte)], 1)
            } else {
                match text.get(i..).and_then(|rest| rest.chars().next()) {
                    Some(c) if c.is_whitespace() => (RunClass::Space, c.len_utf8()),
                    Some(c) => (RunClass::Word, c.len_utf8()),
                    None => (RunClass::Word, 1),
                }
            };
            if next != class && length > 0 {
                shape.push_run(class, length);
                length = 0;
            }
            class = next;
            length += 1;
            i += width;
            // Fast path: the rest of an ASCII run of the same class.
            while i < bytes.len() && bytes[i] < 0x80 && ASCII_CLASS[usize::from(bytes[i])] == class {
                length += 1;
                i += 1;
            }
        }
        if length > 0 {
            shape.push_run(class, length);
        }
        shape
    }

    fn push_run(&mut self, class: RunClass, mut length: usize) {
        while length > 0 {
            let part = length.min(usize::from(Self::MAX_RUN));
            self.runs.push(((part as u16) << 2) | class as u16);
            length -= part;
        }
    }

    /// A single word of `chars` characters.
    pub fn word(chars: u16) -> Self {
        let mut shape = TextShape::default();
        shape.push_run(RunClass::Word, usize::from(chars));
        shape
    }

    /// The packed runs.
    pub fn runs(&self) -> &[u16] {
        self.runs.as_slice()
    }

    /// The runs as (class, length) pairs.
    pub fn iter(&self) -> impl Iterator<Item = (RunClass, u16)> + '_ {
        self.runs().iter().map(|&r| {
            let class = match r & 3 {
                0 => RunClass::Word,
                1 => RunClass::Space,
                _ => RunClass::LineBreak,
            };
            (class, r >> 2)
        })
    }

    /// Number of characters the original text had.
    pub fn char_count(&self) -> usize {
        self.iter().map(|(_, n)| usize::from(n)).sum()
    }
}

impl std::fmt::Debug for TextShape {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("TextShape").field(&self.runs()).finish()
    }
}

impl Serialize for TextShape {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.runs().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for TextShape {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let runs = Vec::<u16>::deserialize(deserializer)?;
        let mut shape = TextShape::default();
        if runs.len() <= INLINE_RUNS {
            runs.iter().for_each(|&r| shape.runs.push(r));
        } else {
            shape.runs = Runs::Heap(runs);
        }
        Ok(shape)
    }
}

/// Text as recorded: shown as it is, or replaced by its shape.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Text {
    /// Text the privacy rules allow to be shown.
    Plain(String),
    /// Masked text: only its shape is kept.
    Masked(TextShape),
}

/// The privacy rules of a session: its mode and whether images may be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrivacyRules {
    /// What is masked by default.
    pub mode: MaskMode,
    /// When false (the default), images are recorded as placeholders and their descriptions are
    /// masked.
    pub allow_images: bool,
}

impl Default for PrivacyRules {
    fn default() -> Self {
        Self { mode: MaskMode::MaskAll, allow_images: false }
    }
}

impl PrivacyRules {
    /// Whether text on a node of this kind, under this effective override, must be masked.
    pub fn masks_text(&self, kind: NodeKind, password: bool, privacy: PrivacyOverride) -> bool {
        if password {
            return true;
        }
        match privacy {
            PrivacyOverride::Mask | PrivacyOverride::Hide => true,
            PrivacyOverride::Unmask => false,
            PrivacyOverride::Inherit => match self.mode {
                MaskMode::MaskAll => true,
                MaskMode::MaskInputs => matches!(kind, NodeKind::Input | NodeKind::WebView),
                MaskMode::Allow => false,
            },
        }
    }

    /// Whether an image node is recorded as a placeholder.
    pub fn masks_image(&self, privacy: PrivacyOverride) -> bool {
        match privacy {
            PrivacyOverride::Unmask => false,
            PrivacyOverride::Mask | PrivacyOverride::Hide => true,
            PrivacyOverride::Inherit => !self.allow_images,
        }
    }

    /// Applies the rules to one text of a node.
    pub fn apply(&self, text: &str, kind: NodeKind, password: bool, privacy: PrivacyOverride) -> Text {
        if password {
            Text::Masked(TextShape::word(PASSWORD_SHAPE_CHARS))
        } else if self.masks_text(kind, password, privacy) {
            Text::Masked(TextShape::of(text))
        } else {
            Text::Plain(text.to_owned())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs(text: &str) -> Vec<(RunClass, u16)> {
        TextShape::of(text).iter().collect()
    }

    #[test]
    fn shape_keeps_words_spaces_and_lines() {
        use RunClass::*;
        assert_eq!(runs("Hello  wörld\n an"), vec![(Word, 5), (Space, 2), (Word, 5), (LineBreak, 1), (Space, 1), (Word, 2)]);
        assert_eq!(TextShape::of("Hello  wörld\n an").char_count(), "Hello  wörld\n an".chars().count());
    }

    #[test]
    fn non_ascii_whitespace_and_characters_count_once() {
        use RunClass::*;
        // U+00A0 and U+3000 are spaces; 'é' (2 bytes) and '𝄞' (4 bytes) are one character each.
        assert_eq!(runs("é\u{a0}𝄞\u{3000}\u{3000}ab"), vec![(Word, 1), (Space, 1), (Word, 1), (Space, 2), (Word, 2)]);
        assert_eq!(runs("\tx\r"), vec![(Space, 1), (Word, 1), (Space, 1)]);
    }

    #[test]
    fn empty_text_has_no_runs_and_long_runs_split() {
        assert!(TextShape::of("").runs().is_empty());
        let long = "a".repeat(20_000);
        assert_eq!(runs(&long), vec![(RunClass::Word, TextShape::MAX_RUN), (RunClass::Word, 20_000 - TextShape::MAX_RUN)]);
    }

    #[test]
    fn long_shapes_move_to_the_heap_and_round_trip() {
        let text = "one two three four five six seven eight nine ten eleven";
        let shape = TextShape::of(text);
        assert_eq!(shape.runs().len(), 21);
        assert_eq!(shape.char_count(), text.chars().count());
        let bytes = postcard::to_allocvec(&shape).expect("encodes");
        assert_eq!(postcard::from_bytes::<TextShape>(&bytes).expect("decodes"), shape);
        let short = TextShape::of("a b");
        let bytes = postcard::to_allocvec(&short).expect("encodes");
        assert_eq!(bytes, vec![3, 4, 5, 4]);
        assert_eq!(postcard::from_bytes::<TextShape>(&bytes).expect("decodes"), short);
    }

    #[test]
    fn passwords_are_masked_to_a_fixed_length_in_every_mode() {
        for mode in [MaskMode::MaskAll, MaskMode::MaskInputs, MaskMode::Allow] {
            let rules = PrivacyRules { mode, allow_images: true };
            let masked = rules.apply("hunter2hunter2", NodeKind::Input, true, PrivacyOverride::Unmask);
            assert_eq!(masked, Text::Masked(TextShape::word(PASSWORD_SHAPE_CHARS)));
        }
    }

    #[test]
    fn modes_and_overrides_decide_what_is_masked() {
        let all = PrivacyRules::default();
        let inputs = PrivacyRules { mode: MaskMode::MaskInputs, allow_images: false };
        let allow = PrivacyRules { mode: MaskMode::Allow, allow_images: false };
        let inherit = PrivacyOverride::Inherit;
        assert!(all.masks_text(NodeKind::Text, false, inherit));
        assert!(!all.masks_text(NodeKind::Text, false, PrivacyOverride::Unmask));
        assert!(!inputs.masks_text(NodeKind::Text, false, inherit));
        assert!(inputs.masks_text(NodeKind::Input, false, inherit));
        assert!(!allow.masks_text(NodeKind::Input, false, inherit));
        assert!(allow.masks_text(NodeKind::Text, false, PrivacyOverride::Mask));
        assert!(all.masks_image(inherit));
        assert!(!PrivacyRules { mode: MaskMode::MaskAll, allow_images: true }.masks_image(inherit));
        assert!(all.masks_image(PrivacyOverride::Hide));
    }
}
