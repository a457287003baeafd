//! Identifiers, in one place: case conversion, Rust keywords, the name serde sees, and the one
//! way a name wanted twice is made unique.
//!
//! Every stage that makes a name goes through here: the OpenAPI reader naming components,
//! hoisted inline types and operations; the Python reader naming classes and payloads; the merge
//! naming a socket type that shares its name with a different HTTP type; the emitter naming Rust
//! items, fields, variants and arguments.
//!
//! **Uniqueness.** In one [`Scope`], the first holder of a name keeps it and every later one is
//! numbered from 2 — `Page`, `Page2`, `Page3` — with an `_` before the number when the name ends
//! in a digit (`V1`, `V1_2`), so that the number never reads as part of the name. A stage that
//! knows what tells two namesakes apart says so *before* numbering, by a qualifier: a Python
//! class by its module (`PersonaSearchPayload`), a socket type shadowed by a different HTTP
//! type by the prefix `Ws` (`WsPersona`), an HTTP-only operation that shares a socket
//! operation's name by the suffix `_http`. Numbering is the last resort and only ever this one
//! scheme.

use std::borrow::Cow;
use std::collections::HashSet;

/// Words that cannot be raw identifiers (`r#self` is not allowed): they take a trailing `_`.
fn cannot_be_raw(name: &str) -> bool {
    matches!(name, "self" | "Self" | "super" | "crate" | "_")
}

/// Rust's strict and reserved keywords (2024 edition): they become raw identifiers. (A match
/// rather than a list: every identifier written is checked.)
fn is_keyword(name: &str) -> bool {
    matches!(
        name,
        "as" | "break"
            | "const"
            | "continue"
            | "crate"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "fn"
            | "for"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "pub"
            | "ref"
            | "return"
            | "self"
            | "Self"
            | "static"
            | "struct"
            | "super"
            | "trait"
            | "true"
            | "type"
            | "unsafe"
            | "use"
            | "where"
            | "while"
            | "async"
            | "await"
            | "dyn"
            | "abstract"
            | "become"
            | "box"
            | "do"
            | "final"
            | "macro"
            | "override"
            | "priv"
            | "typeof"
            | "unsized"
            | "virtual"
            | "yield"
            | "try"
            | "gen"
    )
}

/// `UpperCamelCase` from any mix of `.`, `_`, `-`, `/`, spaces and case changes
/// (`attempt.chat_message` → `AttemptChatMessage`).
pub(crate) fn pascal_case(text: &str) -> String {
    let mut name = String::with_capacity(text.len());
    for_each_word(text, |word| {
        let mut chars = word.chars();
        match chars.next() {
            Some(first) if first.is_ascii() => name.push(first.to_ascii_uppercase()),
            Some(first) => name.extend(first.to_uppercase()),
            None => return,
        }
        name.push_str(chars.as_str());
    });
    name
}

/// `snake_case` from any mix of `.`, `_`, `-`, `/`, spaces and case changes
/// (`test.invocation_run` → `test_invocation_run`).
pub(crate) fn snake_case(text: &str) -> String {
    let mut name = String::with_capacity(text.len() + 4);
    let mut first = true;
    for_each_word(text, |word| {
        if !std::mem::take(&mut first) {
            name.push('_');
        }
        if word.is_ascii() {
            name.extend(
                word.bytes()
                    .map(|byte| char::from(byte.to_ascii_lowercase())),
            );
        } else {
            name.push_str(&word.to_lowercase());
        }
    });
    name
}

/// Calls `each` with every word of `text`, in order, as a slice of it: words are split on
/// non-alphanumerics and on lower→upper case changes.
fn for_each_word(text: &str, mut each: impl FnMut(&str)) {
    let mut start: Option<usize> = None;
    let mut previous_lower = false;
    for (at, c) in text.char_indices() {
        if !c.is_alphanumeric() {
            if let Some(from) = start.take() {
                each(&text[from..at]);
            }
            previous_lower = false;
            continue;
        }
        match start {
            Some(from) if c.is_uppercase() && previous_lower => {
                each(&text[from..at]);
                start = Some(at);
            }
            Some(_) => {}
            None => start = Some(at),
        }
        previous_lower = c.is_lowercase() || c.is_ascii_digit();
    }
    if let Some(from) = start {
        each(&text[from..]);
    }
}

/// A type or variant name: `UpperCamelCase` of ASCII letters and digits, never empty (`Unnamed`),
/// never starting with a digit (`T` before it), never a keyword (`Self_`).
pub(crate) fn type_name(text: &str) -> String {
    let mut name = pascal_case(text);
    if !name.bytes().all(|byte| byte.is_ascii_alphanumeric()) {
        name.retain(|c| c.is_ascii_alphanumeric());
    }
    match name.as_bytes().first() {
        None => name.push_str("Unnamed"),
        Some(first) if first.is_ascii_digit() => name.insert(0, 'T'),
        Some(_) => {}
    }
    if cannot_be_raw(&name) {
        name.push('_');
    }
    name
}

/// A field, method or argument name: `snake_case` of ASCII letters, digits and `_`, never empty
/// (`value`), never starting with a digit (`_` before it). Keywords stay as they are: [`ident_text`]
/// makes them raw identifiers.
pub(crate) fn value_name(text: &str) -> String {
    let mut name = snake_case(text);
    if !name
        .bytes()
        .all(|byte| byte.is_ascii_alphanumeric() || byte == b'_')
    {
        name = name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
    }
    if name.trim_matches('_').is_empty() {
        name = "value".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    name
}

/// How a name is spelled as an identifier.
enum Spelling {
    /// As it is.
    Plain,
    /// With a trailing `_`: a word that cannot be raw.
    Suffixed,
    /// Raw (`r#type`): a keyword.
    Raw,
}

fn spelling(name: &str) -> Spelling {
    if cannot_be_raw(name) {
        Spelling::Suffixed
    } else if is_keyword(name) {
        Spelling::Raw
    } else {
        Spelling::Plain
    }
}

/// The identifier for a name from [`type_name`] or [`value_name`], as source text: keywords
/// raw (`r#type`), words that cannot be raw with a trailing `_` (`self_`).
pub(crate) fn ident_text(name: &str) -> Cow<'_, str> {
    match spelling(name) {
        Spelling::Plain => Cow::Borrowed(name),
        Spelling::Suffixed => Cow::Owned(format!("{name}_")),
        Spelling::Raw => Cow::Owned(format!("r#{name}")),
    }
}

/// The name serde sees for an identifier from [`ident_text`] (a raw identifier drops its `r#`; a word
/// that cannot be raw keeps its `_`).
pub(crate) fn serde_name(name: &str) -> String {
    if cannot_be_raw(name) {
        format!("{name}_")
    } else {
        name.to_owned()
    }
}

/// The `n`th holder of `wanted` (from 2): `Page2`, or `V1_2` when `wanted` ends in a digit.
pub(crate) fn numbered(wanted: &str, n: usize) -> String {
    if wanted.ends_with(|c: char| c.is_ascii_digit()) {
        format!("{wanted}_{n}")
    } else {
        format!("{wanted}{n}")
    }
}

/// Up to this many names, a scope looks through a list; beyond, it hashes them.
const FEW: usize = 16;

/// The names handed out in one scope (the types of one API, the variants of one enum, the
/// arguments of one method).
#[derive(Debug, Default, Clone)]
pub(crate) struct Scope {
    /// The names while there are at most [`FEW`]: most scopes (a struct's fields, an enum's
    /// variants) are small, and a short list is cheaper than hashing.
    few: Vec<String>,
    /// Every name, once there are more than [`FEW`].
    many: HashSet<String>,
}

impl Scope {
    /// A scope where `names` are already taken.
    pub(crate) fn with_taken<I, S>(names: I) -> Scope
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut scope = Scope::default();
        for name in names {
            scope.take(name.into());
        }
        scope
    }

    /// Claims `wanted`, or its first free [`numbered`] form.
    pub(crate) fn claim(&mut self, wanted: &str) -> String {
        let name = self.free(wanted);
        self.take(name.clone());
        name
    }

    /// What [`Scope::claim`] would give, without claiming it.
    pub(crate) fn free(&self, wanted: &str) -> String {
        if !self.is_taken(wanted) {
            return wanted.to_owned();
        }
        (2..)
            .map(|n| numbered(wanted, n))
            .find(|candidate| !self.is_taken(candidate))
            .unwrap_or_else(|| wanted.to_owned())
    }

    fn is_taken(&self, name: &str) -> bool {
        if self.many.is_empty() {
            self.few.iter().any(|taken| taken == name)
        } else {
            self.many.contains(name)
        }
    }

    fn take(&mut self, name: String) {
        if !self.many.is_empty() {
            self.many.insert(name);
        } else if self.few.len() < FEW {
            self.few.push(name);
        } else {
            self.many = self.few.drain(..).collect();
            self.many.insert(name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_conversions_split_on_separators_and_humps() {
        assert_eq!(pascal_case("attempt.chat_message"), "AttemptChatMessage");
        assert_eq!(
            pascal_case("system.activity_search"),
            "SystemActivitySearch"
        );
        assert_eq!(pascal_case("PersonaTrait-Input"), "PersonaTraitInput");
        assert_eq!(pascal_case("v2_items"), "V2Items");
        assert_eq!(snake_case("PersonaSearch"), "persona_search");
        assert_eq!(snake_case("attempt.chat.voice"), "attempt_chat_voice");
        assert_eq!(snake_case("test.invocation_run"), "test_invocation_run");
        assert_eq!(pascal_case("aB1cD"), "AB1cD");
        assert_eq!(snake_case("aB1cD"), "a_b1c_d");
        assert_eq!(snake_case("HTTPServer"), "httpserver");
        // Whole words change case as Unicode says: `ß` opens as `SS`, a final `Σ` closes as `ς`.
        assert_eq!(pascal_case("ßa-straße"), "SSaStraße");
        assert_eq!(snake_case("ΣΑΣ x"), "σας_x");
        assert_eq!(pascal_case("__"), "");
        assert_eq!(snake_case(""), "");
    }

    #[test]
    fn names_are_always_valid_identifiers() {
        assert_eq!(type_name("persona-search"), "PersonaSearch");
        assert_eq!(type_name("nullable-simple-user"), "NullableSimpleUser");
        assert_eq!(type_name("+1"), "T1");
        assert_eq!(type_name("2fa-config"), "T2faConfig");
        assert_eq!(type_name("日本"), "Unnamed");
        assert_eq!(type_name("self"), "Self_");
        assert_eq!(value_name("type"), "type");
        assert_eq!(ident_text("type"), "r#type");
        assert_eq!(value_name("@odata.id"), "odata_id");
        assert_eq!(value_name("2fa"), "_2fa");
        assert_eq!(value_name("日本"), "value");
        assert_eq!(ident_text("self"), "self_");
        assert_eq!(ident_text("Self"), "Self_");
        assert_eq!(ident_text("persona"), "persona");
        assert_eq!(serde_name("self"), "self_");
    }

    #[test]
    fn a_scope_numbers_later_holders_from_two() {
        let mut scope = Scope::with_taken(["Taken"]);
        assert_eq!(scope.claim("Page"), "Page");
        assert_eq!(scope.claim("Page"), "Page2");
        assert_eq!(scope.claim("Page"), "Page3");
        assert_eq!(scope.claim("V1"), "V1");
        assert_eq!(scope.claim("V1"), "V1_2");
        assert_eq!(scope.free("Taken"), "Taken2");
        assert_eq!(scope.claim("Taken"), "Taken2");
    }

    #[test]
    fn a_scope_keeps_every_name_as_it_grows_past_a_short_list() {
        let mut scope = Scope::default();
        let first: Vec<String> = (0..3 * FEW).map(|_| scope.claim("Item")).collect();
        assert_eq!(first[0], "Item");
        assert_eq!(first[FEW], format!("Item{}", FEW + 1));
        assert_eq!(first[3 * FEW - 1], format!("Item{}", 3 * FEW));
        // Names claimed while the list was short are still taken once it is hashed.
        assert_eq!(scope.free("Item"), format!("Item{}", 3 * FEW + 1));
        assert_eq!(scope.claim("Item2"), "Item2_2");
        let many = Scope::with_taken((0..2 * FEW).map(|i| format!("T{i}")));
        assert_eq!(many.free("T0"), "T0_2");
        assert_eq!(
            many.free(&format!("T{}", 2 * FEW - 1)),
            format!("T{}_2", 2 * FEW - 1)
        );
        assert_eq!(many.free("U"), "U");
    }
}
