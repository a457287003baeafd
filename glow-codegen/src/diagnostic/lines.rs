//! Line and column from byte offsets: the one line index every reader uses for the places it
//! reports.

use super::Position;

/// Where each line of a text starts. Lines end at `\n`, `\r\n` or a lone `\r` (Python's universal
/// newlines, which also cover JSON and YAML); columns count characters, not bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// The index of `text`.
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (at, byte) in bytes.iter().enumerate() {
            let ends_line = match byte {
                b'\n' => true,
                b'\r' => bytes.get(at + 1) != Some(&b'\n'),
                _ => false,
            };
            if ends_line {
                starts.push(at + 1);
            }
        }
        LineIndex { starts }
    }

    /// The byte offset each line starts at, first line first.
    pub fn starts(&self) -> &[usize] {
        &self.starts
    }

    /// The 1-based line holding byte `offset`.
    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset).max(1)
    }

    /// The 1-based line and column of byte `offset` in `text` (the text the index was made
    /// from); an offset past the end is the end.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = offset.min(text.len());
        let line = self.line(offset);
        let start = self.starts[line - 1];
        let col = text
            .get(start..offset)
            .map_or(offset - start, |before| before.chars().count());
        Position::new(saturating_u32(line), saturating_u32(col + 1))
    }
}

fn saturating_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_newline_convention_ends_a_line_and_columns_count_characters() {
        let text = "a\nbé c\r\nd\re";
        let lines = LineIndex::new(text);
        assert_eq!(lines.starts(), [0, 2, 9, 11]);
        assert_eq!(lines.position(text, 0), Position::new(1, 1));
        assert_eq!(
            lines.position(text, text.find('c').unwrap()),
            Position::new(2, 4)
        );
        assert_eq!(
            lines.position(text, text.find('e').unwrap()),
            Position::new(4, 1)
        );
        assert_eq!(lines.position(text, 999), Position::new(4, 2));
    }
}
