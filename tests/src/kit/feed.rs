//! A synthetic social-feed screen for tests and benchmarks: a toolbar, a scrolling list of
//! recycled cards and a bottom bar, about `nodes` views in all, in Android-style pixels at
//! density 3. Scrolling moves the cards and recycles those leaving the top to the bottom with
//! new content, as a RecyclerView does. The core's tests, benchmarks and profiling example use it.

use std::sync::Arc;

use reprise_core::stats::Counters;
use reprise_core::{
    NodeKind, PrivacyRules, RecorderConfig, SessionMetadata, SessionWriter, Snapshot, TouchAction, TouchSample, ViewTree,
};

use super::nodes::{TreeBuilder, node};
use super::session::{self, T0, limits};

/// Pixels per dp of the synthetic device.
pub const DENSITY: f32 = 3.0;
/// Screen size in pixels.
pub const SCREEN: (f32, f32) = (1080.0, 2340.0);
const LIST_TOP: f32 = 210.0;
const LIST_BOTTOM: f32 = 2160.0;
const WORDS: [&str; 12] = [
    "morning", "coffee", "with", "the", "team", "before", "launch", "great", "news", "today", "photos", "from",
];

/// Metadata of the synthetic device (`Android`, `Synthetic`, density [`DENSITY`]).
pub fn metadata() -> SessionMetadata {
    SessionMetadata { density: DENSITY, os_name: "Android".into(), device_model: "Synthetic".into(), ..Default::default() }
}

/// Captures a tree of the synthetic device (density [`DENSITY`]) with the default limits.
pub fn capture(tree: ViewTree, rules: &PrivacyRules) -> Snapshot {
    Snapshot::capture(tree, DENSITY, rules, &limits()).expect("valid tree")
}

/// A writer for a session of the synthetic device started at [`T0`], with fresh counters.
pub fn writer(config: RecorderConfig) -> (SessionWriter, Arc<Counters>) {
    session::writer(config, metadata(), T0)
}

/// A feed screen that can scroll.
#[derive(Debug, Clone)]
pub struct Feed {
    cards: usize,
    card_height: f32,
    scroll_px: f32,
}

impl Feed {
    /// A feed of about `nodes` views.
    pub fn new(nodes: usize) -> Self {
        let fixed = 1 + 5 + 2 + 11;
        let nodes_per_card = 19;
        let cards = ((nodes.saturating_sub(fixed)) / nodes_per_card).max(1);
        // The cards fill about 1.2 list heights, as the visible and prefetched items of a list do.
        let card_height = 1.2 * (LIST_BOTTOM - LIST_TOP) / cards as f32;
        Self { cards, card_height, scroll_px: 0.0 }
    }

    /// Scrolls the list by `px`.
    pub fn scroll(&mut self, px: f32) {
        self.scroll_px += px;
    }

    /// The hierarchy now.
    pub fn tree(&self) -> ViewTree {
        let mut t = TreeBuilder::default();
        let (w, h) = SCREEN;
        let root = t.add(node(1, None, NodeKind::Container, 0.0, 0.0, w, h), "com.android.internal.policy.DecorView");
        let toolbar = t.add(node(2, Some(root), NodeKind::Container, 0.0, 0.0, w, LIST_TOP), "androidx.appcompat.widget.Toolbar");
        let mut title = node(3, Some(toolbar), NodeKind::Text, 48.0, 60.0, 600.0, 90.0);
        title.text = Some("Home feed".into());
        t.add(title, "androidx.appcompat.widget.AppCompatTextView");
        for i in 0..3u64 {
            let mut icon = node(4 + i, Some(toolbar), NodeKind::Button, 720.0 + 120.0 * i as f32, 60.0, 96.0, 96.0);
            icon.flags.clickable = true;
            icon.content_description = Some(["Search", "Messages", "Profile"][i as usize].into());
            t.add(icon, "androidx.appcompat.widget.AppCompatImageButton");
        }
        let mut list = node(10, Some(root), NodeKind::Scroll, 0.0, LIST_TOP, w, LIST_BOTTOM - LIST_TOP);
        list.flags.scrollable = true;
        list.flags.clips_children = true;
        let list = t.add(list, "androidx.recyclerview.widget.RecyclerView");

        // Cards are positioned by the scroll offset; each slot is a recycled view object whose
        // identity stays while its content changes.
        let first = (self.scroll_px / self.card_height).floor() as i64;
        for k in 0..self.cards as i64 {
            let item = first + k;
            let top = LIST_TOP + item as f32 * self.card_height - self.scroll_px;
            let slot = item.rem_euclid(self.cards as i64) as u64;
            self.card(&mut t, list, slot, item, top);
        }

        let bar = t.add(node(20, Some(root), NodeKind::Container, 0.0, LIST_BOTTOM, w, h - LIST_BOTTOM), "com.google.android.material.bottomnavigation.BottomNavigationView");
        for i in 0..5u64 {
            let x = i as f32 * w / 5.0;
            let mut tab = node(21 + i * 2, Some(bar), NodeKind::Button, x, LIST_BOTTOM, w / 5.0, h - LIST_BOTTOM);
            tab.flags.clickable = true;
            let tab = t.add(tab, "com.google.android.material.bottomnavigation.BottomNavigationItemView");
            let mut label = node(22 + i * 2, Some(tab), NodeKind::Text, x + 40.0, LIST_BOTTOM + 100.0, w / 5.0 - 80.0, 50.0);
            label.text = Some(["Home", "Search", "Post", "Alerts", "Me"][i as usize].into());
            t.add(label, "android.widget.TextView");
        }
        t.finish()
    }

    fn card(&self, t: &mut TreeBuilder, list: u32, slot: u64, item: i64, top: f32) {
        let base = 1000 + slot * 100;
        let w = SCREEN.0;
        // The card layout is drawn for a 900 px card and scaled to the card's height.
        let k = self.card_height / 900.0;
        let mut card = node(base, Some(list), NodeKind::Container, 24.0, top + 12.0 * k, w - 48.0, self.card_height - 24.0 * k);
        card.background_color = Some(0xffff_ffff);
        card.corner_radius = 24.0;
        card.flags.clickable = true;
        let card = t.add(card, "com.google.android.material.card.MaterialCardView");
        let left = 60.0;
        let mut avatar = node(base + 1, Some(card), NodeKind::Image, left, top + 48.0 * k, 120.0, 120.0 * k);
        avatar.content_description = Some(format!("Avatar of user {item}"));
        t.add(avatar, "de.hdodenhof.circleimageview.CircleImageView");
        let mut name = node(base + 2, Some(card), NodeKind::Text, left + 150.0, top + 50.0 * k, 500.0, 60.0 * k);
        name.text = Some(format!("User Number {item}"));
        t.add(name, "com.google.android.material.textview.MaterialTextView");
        let mut time = node(base + 3, Some(card), NodeKind::Text, left + 150.0, top + 110.0 * k, 300.0, 48.0 * k);
        time.text = Some(format!("{}h ago", 1 + item.rem_euclid(23)));
        t.add(time, "com.google.android.material.textview.MaterialTextView");
        let mut body = node(base + 4, Some(card), NodeKind::Text, left, top + 200.0 * k, w - 168.0, 150.0 * k);
        body.text = Some(sentence(item, 18));
        t.add(body, "com.google.android.material.textview.MaterialTextView");
        let mut photo = node(base + 5, Some(card), NodeKind::Image, left, top + 370.0 * k, w - 168.0, 360.0 * k);
        photo.content_description = Some(format!("Photo {item}"));
        t.add(photo, "androidx.appcompat.widget.AppCompatImageView");
        let row = t.add(node(base + 6, Some(card), NodeKind::Container, left, top + 750.0 * k, w - 168.0, 96.0 * k), "android.widget.LinearLayout");
        for j in 0..4u64 {
            let x = left + j as f32 * 240.0;
            let mut button = node(base + 10 + j * 3, Some(row), NodeKind::Button, x, top + 750.0 * k, 220.0, 96.0 * k);
            button.flags.clickable = true;
            let button = t.add(button, "android.widget.LinearLayout");
            let mut icon = node(base + 11 + j * 3, Some(button), NodeKind::Image, x + 10.0, top + 770.0 * k, 56.0, 56.0 * k);
            icon.content_description = Some(["Like", "Comment", "Share", "Save"][j as usize].into());
            t.add(icon, "androidx.appcompat.widget.AppCompatImageView");
            let mut count = node(base + 12 + j * 3, Some(button), NodeKind::Text, x + 80.0, top + 770.0 * k, 120.0, 56.0 * k);
            count.text = Some(format!("{}", (item * 37 + j as i64 * 11).rem_euclid(999)));
            t.add(count, "android.widget.TextView");
        }
    }
}

fn sentence(seed: i64, words: usize) -> String {
    (0..words)
        .map(|i| WORDS[((seed as usize).wrapping_mul(7) + i * 5) % WORDS.len()])
        .collect::<Vec<_>>()
        .join(" ")
}

/// The raw samples of a vertical drag of `distance_px` over `duration_ms` at 60 Hz, starting at
/// `start_us`, with a little horizontal jitter as real fingers have.
pub fn drag(start_us: i64, x: f32, y: f32, distance_px: f32, duration_ms: i64) -> Vec<TouchSample> {
    let frames = (duration_ms * 60 / 1000).max(2);
    let mut out = Vec::with_capacity(frames as usize + 2);
    for i in 0..=frames {
        let t = start_us + i * 1_000_000 / 60;
        let progress = i as f32 / frames as f32;
        let jitter = ((i * 7919) % 5) as f32 - 2.0;
        let action = match i {
            0 => TouchAction::Down,
            _ if i == frames => TouchAction::Up,
            _ => TouchAction::Move,
        };
        out.push(TouchSample { pointer_id: 0, action, x: x + jitter, y: y - distance_px * progress, time_us: t, pressure: Some(0.6), size: Some(0.1) });
    }
    out
}

/// The raw samples of a tap at (x, y) starting at `start_us`.
pub fn tap(start_us: i64, x: f32, y: f32) -> Vec<TouchSample> {
    vec![
        TouchSample { pointer_id: 0, action: TouchAction::Down, x, y, time_us: start_us, pressure: Some(0.5), size: Some(0.1) },
        TouchSample { pointer_id: 0, action: TouchAction::Move, x: x + 1.0, y, time_us: start_us + 16_000, pressure: Some(0.5), size: Some(0.1) },
        TouchSample { pointer_id: 0, action: TouchAction::Up, x: x + 1.0, y, time_us: start_us + 80_000, pressure: Some(0.5), size: Some(0.1) },
    ]
}

/// Node count of the feed's tree.
pub fn count(feed: &Feed) -> usize {
    feed.tree().nodes.len()
}
