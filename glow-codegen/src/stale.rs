//! Comparing a checked-in file with what the sources give now, as a readable unified diff.

use std::time::Duration;

use similar::TextDiff;

/// How long the line diff may search for the smallest diff before it settles for a larger one
/// (Myers' algorithm is quadratic when two large texts differ everywhere).
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
    let diff = TextDiff::configure()
        .timeout(DIFF_DEADLINE)
        .diff_lines(checked_in, fresh);
    let first_line = diff
        .ops()
        .iter()
        .find(|op| !matches!(op.tag(), similar::DiffTag::Equal))
        .map_or(1, |op| op.old_range().start + 1);
    let text = diff
        .unified_diff()
        .context_radius(3)
        .header(
            &format!("{path} (checked in)"),
            &format!("{path} (from the sources)"),
        )
        .to_string();
    Some(Staleness {
        diff: text,
        first_line: u32::try_from(first_line).unwrap_or(u32::MAX),
    })
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
