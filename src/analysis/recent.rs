//! What was last computed, per path, with the inputs it was computed from: the server
//! re-analyses a README on every keystroke (`Options::reuse_outline`), and most of what an
//! analysis derives (the template sections' headings, the anchors, and in the server's index
//! the sibling kep.yaml's metadata) does not change while prose is typed. A value is reused only
//! when its inputs are equal to those it was computed from, so the answer is the same as
//! without it.

use std::sync::Mutex;

/// How many paths are kept (several READMEs may be open; `check` does not use this).
const KEPT: usize = 4;

/// Per path: the inputs (`K`) and the value computed from them (`V`).
pub(crate) struct Recent<K, V> {
    entries: Mutex<Vec<(String, K, V)>>,
}

impl<K, V: Clone> Recent<K, V> {
    pub(crate) const fn new() -> Self {
        Recent {
            entries: Mutex::new(Vec::new()),
        }
    }

    /// The value kept for `path` when `same(inputs it was computed from)`, else `make()`'s
    /// value (inputs and value), kept for the next call.
    pub(crate) fn get(&self, path: &str, same: impl Fn(&K) -> bool, make: impl FnOnce() -> (K, V)) -> V {
        {
            let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((_, _, v)) = entries.iter().find(|(p, k, _)| p == path && same(k)) {
                return v.clone();
            }
        }
        let (k, v) = make();
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.retain(|(p, _, _)| p != path);
        if entries.len() >= KEPT {
            entries.remove(0);
        }
        entries.push((path.to_string(), k, v.clone()));
        v
    }
}
