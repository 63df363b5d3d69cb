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
        let data = doc.as_bytes();
        if self.map.is_some() || old.crash.is_some() || memchr::memchr(b'\r', data).is_some() {
            return None;
        }
        let delta = new_end as isize - old_end as isize;
        let shift = |o: usize| (o as isize + delta) as usize;
        // The start of the edited line: the part starts on a heading line before it, whose
        // earlier blocks read nothing from that line on.
        let line = memchr::memrchr(b'\n', &data[..start.min(data.len())]).map_or(0, |i| i + 1);
        let (from, reach_before) = old
            .top_headings
            .iter()
            .zip(&old.top_reach)
            .filter(|&(&at, &reach)| at < line && reach <= line)
            .map(|(&at, &reach)| (at, reach))
            .next_back()
            .unwrap_or((0, 0));
        // It stops on the first heading line after the edit (or at the end).
        let old_stop = old.top_headings.iter().copied().find(|&at| at >= old_end);
        let stop = old_stop.map_or(data.len(), shift);
        let (part, part_reach) = scan_part(data, from, stop)?;
        // The part's reference definitions must be those it had (a heading anywhere may link
        // through one; the last of a label wins): read the old part again when it may hold
        // one (both parsers need `]:` for one).
        let old_stop_at = old_stop.unwrap_or(old_doc.len());
        let old_part = old_doc.as_bytes().get(from..old_stop_at)?;
        if memchr::memmem::find(old_part, b"]:").is_some() || !part.refs.is_empty() {
            let (old_scan, _) = scan_part(old_doc.as_bytes(), from, old_stop_at)?;
            if old_scan.refs != part.refs {
                return None;
            }
        }
        let old_stop = old_stop.unwrap_or(usize::MAX);
        // How far the searches before a heading read, in the new text: those before the part
        // as before, the part's own, and (an upper bound) the old ones after the edit, moved.
        let part_reach = part_reach.max(reach_before);
        let moved = |r: usize| {
            if r <= start {
                r
            } else if r >= old_end {
                shift(r)
            } else {
                new_end
            }
        };
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
                    at: shift(h.at),
                    origin: shift(h.origin),
                    ..h.clone()
                }),
        );
        let mut hidden: Vec<_> = Vec::with_capacity(old.hidden.len() + 1);
        for (kind, r) in &old.hidden {
            if r.start < from && r.end > from {
                return None;
            }
            if r.start < from {
                hidden.push((*kind, r.clone()));
            }
        }
        hidden.extend(part.hidden);
        hidden.extend(
            old.hidden
                .iter()
                .filter(|(_, r)| r.start >= old_stop)
                .map(|(k, r)| (*k, shift(r.start)..shift(r.end))),
        );
        let keep_top = |at: &usize| *at < from;
        let mut top_headings: Vec<usize> = old.top_headings.iter().copied().filter(keep_top).collect();
        let mut top_reach: Vec<usize> = old.top_reach[..top_headings.len()].to_vec();
        top_headings.extend(&part.top_headings);
        top_reach.extend(part.top_reach.iter().map(|&r| r.max(reach_before)));
        for (at, reach) in old.top_headings.iter().zip(&old.top_reach) {
            if *at >= old_stop {
                top_headings.push(shift(*at));
                top_reach.push(moved(*reach).max(part_reach));
            }
        }
        let scan = Scan {
            blocks: Blocks {
                headings,
                refs: old.refs.clone(),
                hidden,
                crash: None,
                top_headings,
                top_reach,
            },
            map: None,
            generated: std::sync::OnceLock::new(),
        };
        if scan.same_headings(self)
            && let Some(toc) = self.generated.get()
        {
            let _ = scan.generated.set(toc.clone());
        }
        Some(scan)
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
