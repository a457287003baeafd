//! Comparing a checked-in file with what the sources give now, as a readable unified diff.
//!
//! A manifest is diffed in two steps, so that the time grows with its size and not with its
//! size times the number of changes: its entries (each operation, each type, each top-level
//! key) are matched by their first line, and only the lines of a matched pair that differ are
//! diffed line by line.

use std::fmt::Write as _;
use std::ops::Range;
use std::time::{Duration, Instant};

use similar::udiff::UnifiedHunkHeader;
use similar::{
    Algorithm, ChangeTag, DiffOp, DiffTag, capture_diff_slices_deadline, group_diff_ops,
};

/// How long the diff may search for the smallest diff before it settles for a larger one
/// (Myers' algorithm is quadratic when two texts differ everywhere).
const DIFF_DEADLINE: Duration = Duration::from_secs(2);

/// A checked-in file that differs from its fresh regeneration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staleness {
    /// The unified diff from the checked-in text to the fresh one.
    pub diff: String,
    /// The first line (1-based, in the checked-in file) that differs.
    pub first_line: u32,
}

/// `None` when `checked_in` equals `fresh`; otherwise the diff, labelled with `path`.
pub fn compare(path: &str, checked_in: &str, fresh: &str) -> Option<Staleness> {
    if checked_in == fresh {
        return None;
    }
    let old: Vec<&str> = checked_in.split_inclusive('\n').collect();
    let new: Vec<&str> = fresh.split_inclusive('\n').collect();
    let ops = line_ops(&old, &new);
    let first_line = ops
        .iter()
        .find(|op| op.tag() != DiffTag::Equal)
        .map_or(1, |op| op.old_range().start + 1);
    let mut diff = format!("--- {path} (checked in)\n+++ {path} (from the sources)\n");
    for hunk in group_diff_ops(ops, 3) {
        let _ = writeln!(diff, "{}", UnifiedHunkHeader::new(&hunk));
        for op in &hunk {
            for change in op.iter_changes(&old, &new) {
                diff.push(match change.tag() {
                    ChangeTag::Equal => ' ',
                    ChangeTag::Delete => '-',
                    ChangeTag::Insert => '+',
                });
                let line = change.value();
                diff.push_str(line);
                if !line.ends_with('\n') {
                    diff.push_str("\n\\ No newline at end of file\n");
                }
            }
        }
    }
    Some(Staleness {
        diff,
        first_line: u32::try_from(first_line).unwrap_or(u32::MAX),
    })
}

/// The edit script from `old` to `new` lines: entries matched by their first lines, then the
/// lines of each matched pair that differ.
fn line_ops(old: &[&str], new: &[&str]) -> Vec<DiffOp> {
    let old_entries = entries(old);
    let new_entries = entries(new);
    let old_keys: Vec<&str> = old_entries.iter().map(|e| old[e.start]).collect();
    let new_keys: Vec<&str> = new_entries.iter().map(|e| new[e.start]).collect();
    let deadline = Instant::now() + DIFF_DEADLINE;
    let mut ops = Ops::default();
    let entry_ops =
        capture_diff_slices_deadline(Algorithm::Patience, &old_keys, &new_keys, Some(deadline));
    for entry_op in entry_ops {
        let (tag, olds, news) = entry_op.as_tag_tuple();
        // The lines of a run of entries; an empty run sits where its first entry would start.
        let lines = |entries: &[Range<usize>], range: Range<usize>, total: usize| {
            let at = |index: usize| entries.get(index).map_or(total, |e| e.start);
            at(range.start)..at(range.end)
        };
        if tag == DiffTag::Equal {
            for (o, n) in olds.zip(news) {
                let (o, n) = (old_entries[o].clone(), new_entries[n].clone());
                ops.diff(old, new, o, n, deadline);
            }
        } else {
            let o = lines(&old_entries, olds, old.len());
            let n = lines(&new_entries, news, new.len());
            ops.diff(old, new, o, n, deadline);
        }
    }
    ops.0
}

/// The line ranges of a manifest's entries: each line at the margin starts one, and so does,
/// under a key whose items are a list, each `- ` line at the margin (an operation), and under a
/// key whose items are keys, each two-space key (a type).
fn entries(lines: &[&str]) -> Vec<Range<usize>> {
    #[derive(PartialEq)]
    enum Items {
        Unknown,
        List,
        Keys,
    }
    let mut starts = Vec::new();
    let mut items = Items::Unknown;
    for (n, line) in lines.iter().enumerate() {
        let starts_entry = if !line.starts_with([' ', '-']) {
            items = Items::Unknown;
            true
        } else if crate::manifest::starts_list_item(line) {
            if items == Items::Unknown {
                items = Items::List;
            }
            items == Items::List
        } else if crate::manifest::starts_nested_key(line) {
            if items == Items::Unknown {
                items = Items::Keys;
            }
            items == Items::Keys
        } else {
            false
        };
        if starts_entry || n == 0 {
            starts.push(n);
        }
    }
    let mut ranges: Vec<Range<usize>> = starts.windows(2).map(|pair| pair[0]..pair[1]).collect();
    if let Some(&last) = starts.last() {
        ranges.push(last..lines.len());
    }
    ranges
}

/// An edit script in the making, with neighbouring equal runs joined.
#[derive(Default)]
struct Ops(Vec<DiffOp>);

impl Ops {
    /// The lines `o` of `old` against the lines `n` of `new`.
    fn diff(
        &mut self,
        old: &[&str],
        new: &[&str],
        o: Range<usize>,
        n: Range<usize>,
        deadline: Instant,
    ) {
        if old[o.clone()] == new[n.clone()] {
            self.push(DiffOp::Equal {
                old_index: o.start,
                new_index: n.start,
                len: o.len(),
            });
            return;
        }
        let ops = capture_diff_slices_deadline(
            Algorithm::Myers,
            &old[o.clone()],
            &new[n.clone()],
            Some(deadline),
        );
        for op in ops {
            self.push(shifted(op, o.start, n.start));
        }
    }

    fn push(&mut self, op: DiffOp) {
        if let (Some(DiffOp::Equal { len, .. }), DiffOp::Equal { len: more, .. }) =
            (self.0.last_mut(), op)
        {
            *len += more;
            return;
        }
        if op.old_range().is_empty() && op.new_range().is_empty() {
            return;
        }
        self.0.push(op);
    }
}

/// `op` with its old indices moved by `old` and its new ones by `new`.
fn shifted(op: DiffOp, old: usize, new: usize) -> DiffOp {
    match op {
        DiffOp::Equal {
            old_index,
            new_index,
            len,
        } => DiffOp::Equal {
            old_index: old_index + old,
            new_index: new_index + new,
            len,
        },
        DiffOp::Delete {
            old_index,
            old_len,
            new_index,
        } => DiffOp::Delete {
            old_index: old_index + old,
            old_len,
            new_index: new_index + new,
        },
        DiffOp::Insert {
            old_index,
            new_index,
            new_len,
        } => DiffOp::Insert {
            old_index: old_index + old,
            new_index: new_index + new,
            new_len,
        },
        DiffOp::Replace {
            old_index,
            old_len,
            new_index,
            new_len,
        } => DiffOp::Replace {
            old_index: old_index + old,
            old_len,
            new_index: new_index + new,
            new_len,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_are_fresh() {
        assert_eq!(compare("m.yaml", "a\nb\n", "a\nb\n"), None);
    }

    #[test]
    fn changed_line_is_shown_with_its_place() {
        let stale = compare("m.yaml", "a\nb\nc\n", "a\nB\nc\n").unwrap();
        assert_eq!(stale.first_line, 2);
        assert!(stale.diff.contains("--- m.yaml (checked in)"));
        assert!(stale.diff.contains("-b\n+B\n"), "{}", stale.diff);
    }

    /// The whole-text line diff, as `similar` writes it.
    fn whole(checked_in: &str, fresh: &str) -> String {
        similar::TextDiff::from_lines(checked_in, fresh)
            .unified_diff()
            .context_radius(3)
            .header("m.yaml (checked in)", "m.yaml (from the sources)")
            .to_string()
    }

    #[test]
    fn a_manifest_is_diffed_entry_by_entry() -> Result<(), &'static str> {
        let operation = |name: &str, event: &str| {
            format!(
                "- name: {name}\n  event: {event}\n  artifact: a\n  operation: b\n  http: null\n  request: null\n"
            )
        };
        let type_ = |name: &str, kind: &str| {
            format!(
                "  {name}:\n    properties:\n      id:\n        type: {kind}\n    type: object\n"
            )
        };
        let manifest = |operations: &[String], types: &[String]| {
            format!(
                "manifest_version: 1\noperations:\n{}types:\n{}",
                operations.concat(),
                types.concat()
            )
        };
        let checked_in = manifest(
            &[
                operation("a.one", "null"),
                operation("a.two", "null"),
                operation("a.three", "null"),
            ],
            &[type_("Alpha", "string"), type_("Gamma", "integer")],
        );
        let fresh = manifest(
            &[
                operation("a.one", "null"),
                operation("a.two", "a.two"),
                operation("a.three", "null"),
                operation("a.four", "null"),
            ],
            &[
                type_("Alpha", "string"),
                type_("Beta", "boolean"),
                type_("Gamma", "number"),
            ],
        );
        let stale = compare("m.yaml", &checked_in, &fresh).ok_or("fresh")?;
        assert_script_is_sound(&checked_in, &fresh);
        // The changed operation's one line, the added operation and type whole, the changed
        // type's one line: where a diff of the whole text reads `a.two`'s lines as inserted.
        assert_eq!(
            stale.diff,
            "--- m.yaml (checked in)\n+++ m.yaml (from the sources)\n\
             @@ -7,7 +7,7 @@\n   http: null\n   request: null\n - name: a.two\n\
             -  event: null\n+  event: a.two\n   artifact: a\n   operation: b\n   http: null\n\
             @@ -18,14 +18,25 @@\n   operation: b\n   http: null\n   request: null\n\
             +- name: a.four\n+  event: null\n+  artifact: a\n+  operation: b\n+  http: null\n\
             +  request: null\n types:\n   Alpha:\n     properties:\n       id:\n\
             \x20        type: string\n     type: object\n+  Beta:\n+    properties:\n+      id:\n\
             +        type: boolean\n+    type: object\n   Gamma:\n     properties:\n       id:\n\
             -        type: integer\n+        type: number\n     type: object\n"
        );
        assert_ne!(stale.diff, whole(&checked_in, &fresh));
        assert_eq!(stale.first_line, 10, "{}", stale.diff);
        Ok(())
    }

    /// Every run the edit script calls equal is equal, and it covers both texts in order.
    fn assert_script_is_sound(checked_in: &str, fresh: &str) {
        let old: Vec<&str> = checked_in.split_inclusive('\n').collect();
        let new: Vec<&str> = fresh.split_inclusive('\n').collect();
        let (mut at_old, mut at_new) = (0, 0);
        for op in line_ops(&old, &new) {
            let (tag, o, n) = op.as_tag_tuple();
            assert_eq!((o.start, n.start), (at_old, at_new), "{op:?} leaves a gap");
            if tag == DiffTag::Equal {
                assert_eq!(old[o.clone()], new[n.clone()], "{op:?}");
            }
            (at_old, at_new) = (o.end, n.end);
        }
        assert_eq!((at_old, at_new), (old.len(), new.len()));
    }

    #[test]
    fn an_entry_added_at_the_end_and_a_missing_final_newline_are_shown() -> Result<(), &'static str>
    {
        let checked_in = "manifest_version: 1\ntypes:\n  A:\n    type: string\n";
        let fresh = "manifest_version: 1\ntypes:\n  A:\n    type: string\n  B:\n    type: integer";
        let stale = compare("m.yaml", checked_in, fresh).ok_or("fresh")?;
        assert_script_is_sound(checked_in, fresh);
        assert_eq!(stale.diff, whole(checked_in, fresh));
        assert!(stale.diff.contains("@@ -2,3 +2,5 @@\n"), "{}", stale.diff);
        assert!(
            stale
                .diff
                .ends_with("+    type: integer\n\\ No newline at end of file\n"),
            "{}",
            stale.diff
        );
        Ok(())
    }

    #[test]
    fn a_large_manifest_that_differs_everywhere_is_diffed_in_bounded_time() {
        let checked_in: String = (0..200_000)
            .map(|i| format!("line {i} of the old\n"))
            .collect();
        let fresh: String = (0..200_000)
            .map(|i| format!("line {i} of the new\n"))
            .collect();
        assert!(checked_in.len() > 4_000_000);
        let stale = compare("glow.yaml", &checked_in, &fresh).expect("stale");
        assert_eq!(stale.first_line, 1);
        assert!(stale.diff.contains("-line 199999 of the old\n"));
        assert!(stale.diff.contains("+line 199999 of the new\n"));
    }
}
