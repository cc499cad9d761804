//! Many more transitions between real screens: every ordered pair of RICO screens, and random
//! edits (scroll, remove, copy, move, retext, resize) of every real screen, each replayed and
//! compared with its capture.

mod common;

use common::{Step, Written, rules};
use proptest::prelude::*;
use reprise_core::{MaskMode, ViewTree};
use reprise_fixtures::kit::screens;
use reprise_fixtures::kit::session::T0;
use reprise_fixtures::{ParsedScreen, TreeEditor};

#[test]
fn every_ordered_pair_of_rico_screens_replays_right() {
    let screens = screens::all_rico();
    let mut pairs = 0;
    for (a, sa) in &screens {
        for (b, sb) in &screens {
            if a == b {
                continue;
            }
            let steps = [
                Step::new(a.clone(), T0, sa.tree.clone(), Written::Keyframe),
                Step::new(format!("{a} -> {b}"), T0 + 1000, sb.tree.clone(), Written::Any),
                Step::new(format!("{a} -> {b} -> {a}"), T0 + 2000, sa.tree.clone(), Written::Any),
            ];
            common::run_sequence(sa, rules(MaskMode::MaskAll), &steps);
            pairs += 1;
        }
    }
    assert_eq!(pairs, 380);
}

/// One random edit; the numbers pick targets among the attached nodes.
#[derive(Debug, Clone)]
enum Edit {
    Scroll { pick: usize, px: f32 },
    Remove { pick: usize },
    Copy { pick: usize, to: usize, dy: f32 },
    Move { pick: usize, to: usize },
    Retext { pick: usize, text: String },
    Resize { pick: usize, dw: f32 },
    Hide { pick: usize },
    /// A copy that keeps the original identities, as a platform reporting one view twice would.
    Duplicate { pick: usize, to: usize },
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), -400.0f32..400.0).prop_map(|(pick, px)| Edit::Scroll { pick, px }),
        any::<usize>().prop_map(|pick| Edit::Remove { pick }),
        (any::<usize>(), any::<usize>(), -300.0f32..300.0).prop_map(|(pick, to, dy)| Edit::Copy { pick, to, dy }),
        (any::<usize>(), any::<usize>()).prop_map(|(pick, to)| Edit::Move { pick, to }),
        (any::<usize>(), "[a-z ]{0,12}").prop_map(|(pick, text)| Edit::Retext { pick, text }),
        (any::<usize>(), -50.0f32..50.0).prop_map(|(pick, dw)| Edit::Resize { pick, dw }),
        any::<usize>().prop_map(|pick| Edit::Hide { pick }),
        (any::<usize>(), any::<usize>()).prop_map(|(pick, to)| Edit::Duplicate { pick, to }),
    ]
}

/// Applies an edit if its targets make sense; edits that would not leave a tree are skipped.
fn apply(ed: &mut TreeEditor, edit: &Edit, salt: u64) {
    let nodes = ed.preorder();
    let at = |i: usize| nodes[i % nodes.len()];
    match edit {
        Edit::Scroll { pick, px } => {
            let lists: Vec<usize> = nodes.iter().copied().filter(|&s| !ed.children(s).is_empty()).collect();
            if !lists.is_empty() {
                let _ = ed.scroll(lists[pick % lists.len()], *px);
            }
        }
        Edit::Remove { pick } => {
            let _ = ed.remove(at(*pick));
        }
        Edit::Copy { pick, to, dy } => {
            if nodes.len() + ed.subtree(at(*pick)).len() <= 2000 {
                let _ = ed.copy_subtree(at(*pick), at(*to), 0.0, *dy, salt);
            }
        }
        Edit::Move { pick, to } => {
            let _ = ed.reparent(at(*pick), at(*to));
        }
        Edit::Retext { pick, text } => {
            if let Some(n) = ed.node_mut(at(*pick)) {
                n.text = Some(text.clone());
            }
        }
        Edit::Resize { pick, dw } => {
            if let Some(n) = ed.node_mut(at(*pick)) {
                n.bounds.width += dw;
            }
        }
        Edit::Duplicate { pick, to } => {
            let original = ed.subtree(at(*pick));
            if nodes.len() + original.len() <= 2000
                && let Ok(copy) = ed.copy_subtree(at(*pick), at(*to), 0.0, 0.0, salt) {
                    for (src, dst) in original.into_iter().zip(ed.subtree(copy)) {
                        let identity = ed.node(src).map_or(0, |n| n.identity);
                        if let Some(n) = ed.node_mut(dst) {
                            n.identity = identity;
                        }
                    }
                }
        }
        Edit::Hide { pick } => {
            if let Some(n) = ed.node_mut(at(*pick)) {
                n.flags.visible = !n.flags.visible;
            }
        }
    }
}

/// 96 cases, or `PROPTEST_CASES` for a longer hunt.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(96)
}

fn all_screens() -> &'static [(String, ParsedScreen)] {
    static SCREENS: std::sync::OnceLock<Vec<(String, ParsedScreen)>> = std::sync::OnceLock::new();
    SCREENS.get_or_init(screens::all_screens)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn random_edits_of_real_screens_replay_right(
        screen in 0usize..22,
        rounds in prop::collection::vec(prop::collection::vec(edit(), 1..4), 1..8),
        mode in prop_oneof![Just(MaskMode::MaskAll), Just(MaskMode::Allow)],
    ) {
        let (name, screen) = &all_screens()[screen];
        let mut ed = TreeEditor::new(&screen.tree);
        let mut steps = vec![Step::new(name.clone(), T0, screen.tree.clone(), Written::Keyframe)];
        for (i, round) in rounds.iter().enumerate() {
            for (j, e) in round.iter().enumerate() {
                apply(&mut ed, e, (i * 10 + j) as u64 + 1);
            }
            let tree: ViewTree = ed.to_tree();
            steps.push(Step::new(format!("{name} after round {i}: {round:?}"), T0 + 700 * (i as i64 + 1), tree, Written::Any));
        }
        common::run_sequence(screen, rules(mode), &steps);
    }
}
