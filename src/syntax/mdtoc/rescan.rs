//! A block scan after an edit, from the scan before it: only the top-level blocks around the
//! edit are scanned again (`block::scan_part`); the others are kept, moved by the edit's
//! length. Used by the README outline while a document is being typed
//! (`syntax::outline_reuse`).
//!
//! Why it is exact: the scanner's top-level loop holds no state between two blocks but its
//! position, and a block reads only forward. So a re-scan started where the old loop stood
//! between blocks (a `#` heading it read, `Blocks::top_headings`) whose earlier blocks read
//! nothing at or after the edit (`Blocks::top_reach`), and stopped where the old loop stood
//! again after the edit (the part's loop must land exactly there), finds what a scan of the
//! whole new text finds in between (its reference definitions must be those the old part had); before and after, the bytes every block read are the
//! same as before.

use super::block::{Blocks, RawHeading, scan_part};
use super::writer::Scan;

impl Scan {
    /// The scan of `doc` (the text after an edit) from `self`, the scan of the text before it,
    /// where the bytes `start..old_end` of the old text became `start..new_end` of `doc`
    /// (offsets of the scanned text). `None` when reuse cannot be shown exact: the text has
    /// `\r`, mdtoc would panic on it, the re-scanned part's reference definitions changed, or
    /// no top-level heading bounds the edit the way the module comment says.
    pub(crate) fn after_edit(
        &self,
        old_doc: &str,
        doc: &str,
        start: usize,
        old_end: usize,
        new_end: usize,
    ) -> Option<Scan> {
        let old = &self.blocks;
        if self.map.is_some() || old.crash.is_some() || memchr::memchr(b'\r', doc.as_bytes()).is_some() {
            return None;
        }
        let edit = Edit {
            start,
            old_end,
            new_end,
        };
        let part = Part::around(old, old_doc, doc.as_bytes(), &edit)?;
        let scan = Scan {
            blocks: part.join(old, &edit)?,
            map: None,
            generated: std::sync::OnceLock::new(),
            inlines: std::sync::OnceLock::new(),
        };
        if scan.same_headings(self)
            && let Some(toc) = self.generated.get()
        {
            let _ = scan.generated.set(toc.clone());
        }
        Some(scan)
    }
}

/// The edit: bytes `start..old_end` of the old text became `start..new_end` (offsets of the
/// scanned text, 0-based).
struct Edit {
    start: usize,
    old_end: usize,
    new_end: usize,
}

impl Edit {
    /// Where an old offset at or after the edit's end is in the new text.
    fn shift(&self, o: usize) -> usize {
        (o as isize + self.new_end as isize - self.old_end as isize) as usize
    }

    /// Where an old search's reach is in the new text: kept before the edit, moved after it,
    /// the edit's end inside it (an upper bound).
    fn moved(&self, r: usize) -> usize {
        if r <= self.start {
            r
        } else if r >= self.old_end {
            self.shift(r)
        } else {
            self.new_end
        }
    }
}

/// The top-level blocks around the edit, scanned again: from the heading line at `from` (the
/// same in both texts) to the first top-level heading at or after the edit's end (`old_stop`
/// in the old text, `usize::MAX` when there is none).
struct Part {
    from: usize,
    /// How far the searches of the blocks before `from` read.
    reach_before: usize,
    old_stop: usize,
    blocks: Blocks,
    /// How far the searches of the part's blocks (and those before it) read.
    reach: usize,
}

impl Part {
    /// The part's scan, when it can stand in for a scan of the whole new text there (its
    /// reference definitions unchanged); `None` otherwise.
    fn around(old: &Blocks, old_doc: &str, data: &[u8], edit: &Edit) -> Option<Part> {
        // The start of the edited line: the part starts on a heading line before it, whose
        // earlier blocks read nothing from that line on.
        let line = memchr::memrchr(b'\n', &data[..edit.start.min(data.len())]).map_or(0, |i| i + 1);
        let (from, reach_before) = old
            .top_headings
            .iter()
            .zip(&old.top_reach)
            .filter(|&(&at, &reach)| at < line && reach <= line)
            .map(|(&at, &reach)| (at, reach))
            .next_back()
            .unwrap_or((0, 0));
        // It stops on the first heading line after the edit (or at the end).
        let old_stop = old.top_headings.iter().copied().find(|&at| at >= edit.old_end);
        let stop = old_stop.map_or(data.len(), |s| edit.shift(s));
        let (blocks, reach) = scan_part(data, from, stop)?;
        // The part's reference definitions must be those it had (a heading anywhere may link
        // through one; the last of a label wins): read the old part again when it may hold
        // one (both parsers need `]:` for one).
        let old_stop_at = old_stop.unwrap_or(old_doc.len());
        let old_part = old_doc.as_bytes().get(from..old_stop_at)?;
        if memchr::memmem::find(old_part, b"]:").is_some() || !blocks.refs.is_empty() {
            let (old_scan, _) = scan_part(old_doc.as_bytes(), from, old_stop_at)?;
            if old_scan.refs != blocks.refs {
                return None;
            }
        }
        Some(Part {
            from,
            reach_before,
            old_stop: old_stop.unwrap_or(usize::MAX),
            blocks,
            reach: reach.max(reach_before),
        })
    }

    /// The old scan's blocks before the part, the part's, and the old ones after it, moved;
    /// `None` when something kept read into the part (a copy placed by a search that read
    /// into the edit, a hidden block across the part's start).
    fn join(self, old: &Blocks, edit: &Edit) -> Option<Blocks> {
        let Part {
            from,
            reach_before,
            old_stop,
            blocks: part,
            reach: part_reach,
        } = self;
        // Headings of copies placed by a search that read into the edit cannot be kept.
        let before = |h: &&RawHeading| h.origin < from;
        if old
            .headings
            .iter()
            .filter(before)
            .any(|h| h.at >= from || h.found == Some(false))
        {
            return None;
        }
        let mut headings: Vec<RawHeading> = old.headings.iter().filter(before).cloned().collect();
        headings.extend(part.headings);
        headings.extend(
            old.headings
                .iter()
                .filter(|h| h.origin >= old_stop)
                .map(|h| RawHeading {
                    at: edit.shift(h.at),
                    origin: edit.shift(h.origin),
                    ..h.clone()
                }),
        );
        if old.hidden.iter().any(|(_, r)| r.start < from && r.end > from) {
            return None;
        }
        let mut hidden: Vec<_> = Vec::with_capacity(old.hidden.len() + 1);
        hidden.extend(old.hidden.iter().filter(|(_, r)| r.start < from).cloned());
        hidden.extend(part.hidden);
        hidden.extend(
            old.hidden
                .iter()
                .filter(|(_, r)| r.start >= old_stop)
                .map(|(k, r)| (*k, edit.shift(r.start)..edit.shift(r.end))),
        );
        // How far the searches before a heading read, in the new text: those before the part
        // as before, the part's own, and (an upper bound) the old ones after the edit, moved.
        let mut top_headings: Vec<usize> = old.top_headings.iter().copied().filter(|at| *at < from).collect();
        let mut top_reach: Vec<usize> = old.top_reach[..top_headings.len()].to_vec();
        top_headings.extend(&part.top_headings);
        top_reach.extend(part.top_reach.iter().map(|&r| r.max(reach_before)));
        for (at, reach) in old.top_headings.iter().zip(&old.top_reach) {
            if *at >= old_stop {
                top_headings.push(edit.shift(*at));
                top_reach.push(edit.moved(*reach).max(part_reach));
            }
        }
        Some(Blocks {
            headings,
            refs: old.refs.clone(),
            hidden,
            crash: None,
            top_headings,
            top_reach,
        })
    }
}

impl Scan {
    /// Whether both scans hold the same headings (level and inline source, in order) and the
    /// same references: what `view_of` reads to write the anchors.
    pub(crate) fn same_headings(&self, other: &Scan) -> bool {
        let (a, b) = (&self.blocks, &other.blocks);
        a.headings.len() == b.headings.len()
            && a.headings
                .iter()
                .zip(&b.headings)
                .all(|(x, y)| x.level == y.level && x.content == y.content)
            && a.refs == b.refs
    }
}

#[cfg(test)]
impl Scan {
    /// What a full scan decides, as text to compare (`top_reach` is an upper bound after an
    /// edit; the references' map order varies).
    pub(crate) fn comparable(&self) -> String {
        let b = &self.blocks;
        let mut refs: Vec<String> = b.refs.iter().map(|(k, v)| format!("{k:?}{v:?}")).collect();
        refs.sort();
        format!(
            "{:?} {:?} {:?} {:?} {refs:?} {:?}",
            b.headings, b.hidden, b.top_headings, b.crash, self.map
        )
    }
}
