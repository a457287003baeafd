//! Rust identifiers from manifest names: always valid, keywords escaped, collisions numbered.

use std::collections::BTreeSet;

use proc_macro2::{Ident, Span};

use crate::naming::{pascal_case, snake_case};

/// Words that cannot be raw identifiers (`r#self` is not allowed).
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Only ASCII letters, digits and `_`; never empty; never starting with a digit.
fn ascii(text: &str, fallback: &str) -> String {
    let mut out: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out.trim_matches('_').is_empty() {
        out = fallback.to_owned();
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// A type or variant name: `UpperCamelCase`, valid, not a keyword.
pub fn type_name(text: &str) -> String {
    let pascal = pascal_case(text);
    let name = ascii(&pascal, "Unnamed");
    let name = if name.starts_with('_') {
        format!("T{name}")
    } else {
        name
    };
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// A field, method or function name: `snake_case`, valid (keywords become raw identifiers).
pub fn value_name(text: &str) -> String {
    ascii(&snake_case(text), "value")
}

/// The identifier for a name from [`type_name`] or [`value_name`].
pub fn ident(name: &str) -> Ident {
    if NOT_RAW.contains(&name) {
        return Ident::new(&format!("{name}_"), Span::call_site());
    }
    if KEYWORDS.contains(&name) {
        return Ident::new_raw(name, Span::call_site());
    }
    Ident::new(name, Span::call_site())
}

/// The name serde sees for an identifier (raw identifiers drop their `r#`).
pub fn serde_name(name: &str) -> String {
    if NOT_RAW.contains(&name) {
        format!("{name}_")
    } else {
        name.to_owned()
    }
}

/// Names handed out in one scope; a second `wanted` becomes `wanted2`, `wanted3`, ...
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// Claims `wanted`, or the first free numbered form of it.
    pub fn claim(&mut self, wanted: &str) -> String {
        let separator = if wanted.ends_with(|c: char| c.is_ascii_digit()) {
            "_"
        } else {
            ""
        };
        let name = if self.taken.contains(wanted) {
            (2..)
                .map(|n| format!("{wanted}{separator}{n}"))
                .find(|candidate| !self.taken.contains(candidate))
                .unwrap_or_else(|| wanted.to_owned())
        } else {
            wanted.to_owned()
        };
        self.taken.insert(name.clone());
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_always_valid_identifiers() {
        assert_eq!(type_name("persona-search"), "PersonaSearch");
        assert_eq!(type_name("+1"), "T_1");
        assert_eq!(type_name("self"), "Self_");
        assert_eq!(value_name("type"), "type");
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(value_name("@odata.id"), "odata_id");
        assert_eq!(value_name("2fa"), "_2fa");
        assert_eq!(value_name("日本"), "value");
        assert_eq!(ident("self").to_string(), "self_");
    }

    #[test]
    fn scope_numbers_collisions() {
        let mut scope = Scope::default();
        assert_eq!(scope.claim("Page"), "Page");
        assert_eq!(scope.claim("Page"), "Page2");
        assert_eq!(scope.claim("V1"), "V1");
        assert_eq!(scope.claim("V1"), "V1_2");
    }
}
