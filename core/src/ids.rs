//! Small stable ids for platform views, and interned class names.

use rustc_hash::FxHashMap;

use crate::capture::Snapshot;
use crate::details::NodeDetail;
use crate::frame::Frame;

/// Maps platform identities to small ids that stay the same for as long as a view lives.
#[derive(Debug, Default)]
pub struct IdMap {
    /// Identity to (id, generation of the last snapshot that had it).
    ids: FxHashMap<u64, (u32, u32)>,
    next: u32,
    generation: u32,
    class_ids: Vec<u32>,
}

impl IdMap {
    /// Turns a snapshot into a frame, giving each node its id and class id. Returns the frame, the
    /// snapshot's details named by those ids, and how many nodes repeated an identity already
    /// used in this snapshot (they get ids of their own, derived from their position among the
    /// repeats, so they stay stable too).
    pub fn assign(&mut self, snapshot: Snapshot, classes: &mut ClassTable) -> (Frame, Vec<NodeDetail>, u32) {
        self.generation = self.generation.wrapping_add(1);
        let generation = self.generation;
        self.class_ids.clear();
        self.class_ids.extend(snapshot.classes.iter().map(|name| classes.intern(name)));
        let mut duplicates = 0;
        let Snapshot { mut nodes, identities, mut details, .. } = snapshot;
        for index in 0..nodes.len() {
            let original = identities.get(index).copied().unwrap_or_default();
            let mut identity = original;
            let mut repeat = 0u64;
            let id = loop {
                match self.ids.get_mut(&identity) {
                    Some((_, seen)) if *seen == generation => {
                        repeat += 1;
                        identity = original ^ mix(repeat);
                    }
                    Some((id, seen)) => {
                        *seen = generation;
                        break *id;
                    }
                    None => {
                        self.next = self.next.wrapping_add(1).max(1);
                        self.ids.insert(identity, (self.next, generation));
                        break self.next;
                    }
                }
            };
            if repeat > 0 {
                duplicates += 1;
            }
            // Parents come first, so the parent (named by index until now) already has its id.
            let parent = if index == 0 { 0 } else { nodes.get(nodes[index].parent as usize).map_or(0, |p| p.id) };
            let node = &mut nodes[index];
            node.id = id;
            node.parent = parent;
            node.class = self.class_ids.get(node.class as usize).copied().unwrap_or(0);
        }
        for detail in &mut details {
            detail.id = nodes.get(detail.id as usize).map_or(0, |n| n.id);
        }
        (Frame { nodes }, details, duplicates)
    }

    /// Forgets every identity not in the last assigned snapshot, so the map holds no more than
    /// one screen's worth of views. Called at keyframes.
    pub fn prune(&mut self) {
        let generation = self.generation;
        self.ids.retain(|_, (_, seen)| *seen == generation);
    }

    /// Number of identities remembered.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether no identity is remembered.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

/// A 64-bit mixer (splitmix64's finalizer), to derive distinct identities for repeats.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Class names interned to small ids for the whole session.
#[derive(Debug, Default)]
pub struct ClassTable {
    ids: FxHashMap<String, u32>,
    names: Vec<String>,
}

impl ClassTable {
    /// The id of a class name, adding it if new.
    pub fn intern(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(name.to_owned());
        self.ids.insert(name.to_owned(), id);
        id
    }

    /// The name of a class id.
    pub fn name(&self, id: u32) -> Option<&str> {
        self.names.get(id as usize).map(String::as_str)
    }
}
