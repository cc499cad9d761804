//! On-device privacy masking, applied as a snapshot enters the core.
//!
//! Masked text is replaced by its *shape*: per line, the lengths of its alternating runs of
//! non-space and space characters. The player draws bars where the words were, so the layout stays
//! reviewable, and no character of the original can reach a buffer, the disk or the network.

use serde::{Deserialize, Serialize};

use crate::view::{NodeKind, PrivacyOverride};

/// How much a session masks by default; per-view overrides refine it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
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

/// The shape of a masked text: for each line, the lengths of its runs of characters, alternating
/// non-space and space and starting with non-space (a line that starts with a space starts with a
/// zero-length run). Lengths are in Unicode scalar values, saturating at `u16::MAX`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub struct TextShape {
    /// The run lengths of each line.
    pub lines: Vec<Vec<u16>>,
}

impl TextShape {
    /// The shape of `text`.
    pub fn of(text: &str) -> Self {
        let lines = text.split('\n').map(line_runs).collect();
        Self { lines }
    }

    /// A single word of `chars` characters.
    pub fn word(chars: u16) -> Self {
        Self { lines: vec![vec![chars]] }
    }

    /// Number of characters the original text had (newlines included).
    pub fn char_count(&self) -> usize {
        let runs: usize = self.lines.iter().flatten().map(|&n| usize::from(n)).sum();
        runs + self.lines.len().saturating_sub(1)
    }
}

fn line_runs(line: &str) -> Vec<u16> {
    let mut runs = Vec::new();
    let mut current: u16 = 0;
    let mut in_space = false;
    for c in line.chars() {
        let space = c.is_whitespace();
        if space != in_space {
            runs.push(current);
            current = 0;
            in_space = space;
        }
        current = current.saturating_add(1);
    }
    runs.push(current);
    runs
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

    #[test]
    fn shape_keeps_words_spaces_and_lines() {
        let shape = TextShape::of("Hello  wörld\n an");
        assert_eq!(shape.lines, vec![vec![5, 2, 5], vec![0, 1, 2]]);
        assert_eq!(shape.char_count(), "Hello  wörld\n an".chars().count());
    }

    #[test]
    fn empty_text_has_one_empty_line() {
        assert_eq!(TextShape::of("").lines, vec![vec![0]]);
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
