//! Rust source written as text, laid out as it is written: each line at its depth (four spaces
//! a level), and a list on one line when it fits in [`WIDTH`] columns, else one item a line
//! with a trailing comma (rustfmt's layout). Writing text costs a fraction of building tokens,
//! re-parsing them and pretty-printing the tree.

use std::fmt::Write as _;

/// The column a list must end within to stay on one line.
pub const WIDTH: usize = 100;

const INDENT: &str = "    ";

/// Lines of Rust source at a depth.
#[derive(Debug)]
pub struct Code {
    text: String,
    depth: usize,
}

impl Code {
    /// Empty code whose lines start at `depth` levels.
    pub fn new(depth: usize) -> Code {
        Code {
            text: String::new(),
            depth,
        }
    }

    /// The text written so far.
    pub fn finish(self) -> String {
        self.text
    }

    /// One line at the current depth; each line of a text of several is indented the same.
    pub fn line(&mut self, line: &str) {
        for part in line.split('\n') {
            self.indented(&[part]);
        }
    }

    /// One line made of `parts`, at the current depth (no indent when it is empty).
    fn indented(&mut self, parts: &[&str]) {
        if parts.iter().any(|part| !part.is_empty()) {
            for _ in 0..self.depth {
                self.text.push_str(INDENT);
            }
        }
        for part in parts {
            self.text.push_str(part);
        }
        self.text.push('\n');
    }

    /// A line that opens a level (`impl X {`).
    pub fn open(&mut self, line: &str) {
        self.line(line);
        self.depth += 1;
    }

    /// A line that closes a level (`}`); a level left empty closes on its opening line
    /// (`match self {}`).
    pub fn close(&mut self, line: &str) {
        self.depth = self.depth.saturating_sub(1);
        if line.starts_with('}') && self.text.ends_with("{\n") {
            self.text.pop();
            self.text.push_str(line);
            self.text.push('\n');
            return;
        }
        self.line(line);
    }

    /// A line that closes a level and opens the next (`} else {`).
    pub fn middle(&mut self, line: &str) {
        self.close(line);
        self.depth += 1;
    }

    /// Doc comment lines (`///`), without trailing spaces; a line a comment cannot hold (a
    /// carriage return) becomes a `#[doc]` attribute.
    pub fn docs(&mut self, lines: &[String]) {
        for line in lines {
            let line = line.trim_end();
            if line.contains('\r') {
                self.line(&format!("#[doc = {}]", string(&format!(" {line}"))));
            } else if line.is_empty() {
                self.line("///");
            } else if line.contains('\n') {
                self.line(&format!("/// {line}"));
            } else {
                self.indented(&["/// ", line]);
            }
        }
    }

    /// `head`, the items separated by `, `, then `tail` — on one line when it fits, else the
    /// items one a line, a level deeper, each with a trailing comma.
    pub fn list<S: AsRef<str>>(&mut self, head: &str, items: &[S], tail: &str) {
        if self.fits(head, items, tail) {
            self.line(&flat(head, items, tail));
            return;
        }
        self.open(head);
        for item in items {
            let item = item.as_ref();
            if item.contains('\n') {
                self.line(&format!("{item},"));
            } else {
                self.indented(&[item, ","]);
            }
        }
        self.close(tail);
    }

    /// A [`Code::list`] whose tail opens a level (a function's signature).
    pub fn open_list<S: AsRef<str>>(&mut self, head: &str, items: &[S], tail: &str) {
        self.list(head, items, tail);
        self.depth += 1;
    }

    /// Whether a list laid flat fits at the current depth.
    pub fn fits<S: AsRef<str>>(&self, head: &str, items: &[S], tail: &str) -> bool {
        let items: usize = items.iter().map(|item| item.as_ref().len() + 2).sum();
        self.depth * INDENT.len() + head.len() + items.saturating_sub(2) + tail.len() <= WIDTH
    }
}

/// `head`, the items separated by `, `, then `tail`, on one line.
pub fn flat<S: AsRef<str>>(head: &str, items: &[S], tail: &str) -> String {
    let mut line = String::with_capacity(head.len() + tail.len() + 16 * items.len());
    line.push_str(head);
    for (n, item) in items.iter().enumerate() {
        if n > 0 {
            line.push_str(", ");
        }
        line.push_str(item.as_ref());
    }
    line.push_str(tail);
    line
}

/// A Rust string literal holding `text`.
pub fn string(text: &str) -> String {
    let mut literal = String::with_capacity(text.len() + 2);
    let _ = write!(literal, "{text:?}");
    literal
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_that_fits_stays_on_one_line_and_one_that_does_not_breaks_with_commas() {
        let mut code = Code::new(1);
        code.list("fn f(", &["a: i64", "b: bool"], ") {");
        let long: Vec<String> = (0..12).map(|n| format!("argument_{n}: i64")).collect();
        code.list("fn g(", &long, ") {");
        let text = code.finish();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "    fn f(a: i64, b: bool) {");
        assert_eq!(lines[1], "    fn g(");
        assert_eq!(lines[2], "        argument_0: i64,");
        assert_eq!(lines[13], "        argument_11: i64,");
        assert_eq!(lines[14], "    ) {");
    }

    #[test]
    fn an_empty_level_closes_on_its_opening_line() {
        let mut code = Code::new(0);
        code.open("pub enum Operation {");
        code.close("}");
        code.open("impl Operation {");
        code.line("const N: usize = 0;");
        code.close("}");
        assert_eq!(
            code.finish(),
            "pub enum Operation {}\nimpl Operation {\n    const N: usize = 0;\n}\n"
        );
    }

    #[test]
    fn docs_are_comments_unless_a_comment_cannot_hold_them() {
        let mut code = Code::new(0);
        code.docs(&["One.".to_owned(), String::new(), "a\rb".to_owned()]);
        assert_eq!(code.finish(), "/// One.\n///\n#[doc = \" a\\rb\"]\n");
    }

    #[test]
    fn a_string_literal_escapes_what_rust_needs() {
        assert_eq!(string("say \"hi\"\\"), r#""say \"hi\"\\""#);
        assert_eq!(string("line\nnext"), r#""line\nnext""#);
    }
}
