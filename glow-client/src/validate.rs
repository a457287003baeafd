//! Checking a value against the constraints its manifest records (`minLength`, `maximum`,
//! `pattern`, ...) before it is sent, so that an invalid payload never leaves the process.
//!
//! Generated types implement [`Validate`]; generated calls check their payload first and fail
//! with [`Error::InvalidPayload`](crate::Error::InvalidPayload), naming the field and the
//! constraint. A transport built with `validate_payloads(false)` leaves the judging to the server.
//!
//! ```
//! use glow_client::validate::{Invalid, check_length};
//!
//! let error = check_length("", "name", 1, None, "length").unwrap_err();
//! assert_eq!(error, Invalid { path: "name".into(), constraint: "min length 1".into(), found: "length 0".into() });
//! ```

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, OnceLock, PoisonError};

/// A value that breaks a constraint: where, which, and what was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// The field's path from the payload's root, e.g. `traits.0.name` (`` for the root).
    pub path: String,
    /// The constraint, as the manifest states it, e.g. `min length 1`.
    pub constraint: String,
    /// What the value had instead, e.g. `length 0`.
    pub found: String,
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let path = if self.path.is_empty() {
            "the payload"
        } else {
            &self.path
        };
        write!(f, "`{path}` breaks `{}` ({})", self.constraint, self.found)
    }
}

/// A value that can check itself against its constraints.
pub trait Validate {
    /// Checks the value found at `path`; `Ok` when every constraint holds.
    fn check(&self, path: &str) -> Result<(), Invalid>;

    /// Checks the value as a payload's root.
    fn validate(&self) -> Result<(), Invalid> {
        self.check("")
    }
}

/// Checks `payload` before a generated call sends it, when `enabled` (the transport's
/// `validates_payloads`): an invalid payload is [`Error::InvalidPayload`](crate::Error::InvalidPayload)
/// naming `what` (`the payload of persona.search`), the field and the constraint.
pub fn before_sending<T: Validate + ?Sized>(
    enabled: bool,
    what: &str,
    payload: &T,
) -> Result<(), crate::Error> {
    if !enabled {
        return Ok(());
    }
    payload
        .validate()
        .map_err(|invalid| crate::Error::InvalidPayload {
            what: what.to_owned(),
            invalid,
        })
}

/// `path.field`, or `field` at the root.
pub fn join(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_owned()
    } else {
        format!("{path}.{field}")
    }
}

macro_rules! nothing_to_check {
    ($($ty:ty),* $(,)?) => {
        $(impl Validate for $ty {
            fn check(&self, _: &str) -> Result<(), Invalid> {
                Ok(())
            }
        })*
    };
}

nothing_to_check!(
    bool,
    i32,
    i64,
    f64,
    String,
    serde_json::Value,
    serde_json::Map<String, serde_json::Value>,
    uuid::Uuid,
    chrono::NaiveDate,
    chrono::NaiveTime,
    chrono::DateTime<chrono::Utc>,
    (),
);

impl<T: Validate> Validate for Option<T> {
    fn check(&self, path: &str) -> Result<(), Invalid> {
        self.as_ref().map_or(Ok(()), |value| value.check(path))
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn check(&self, path: &str) -> Result<(), Invalid> {
        for (index, item) in self.iter().enumerate() {
            item.check(&join(path, &index.to_string()))?;
        }
        Ok(())
    }
}

impl<T: Validate> Validate for BTreeMap<String, T> {
    fn check(&self, path: &str) -> Result<(), Invalid> {
        for (key, value) in self {
            value.check(&join(path, key))?;
        }
        Ok(())
    }
}

impl<T: Validate + ?Sized> Validate for &T {
    fn check(&self, path: &str) -> Result<(), Invalid> {
        (**self).check(path)
    }
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    fn check(&self, path: &str) -> Result<(), Invalid> {
        (**self).check(path)
    }
}

/// What a constraint looks at: a text's length in characters, a list's length, a number. `None`
/// (an absent optional value) passes every constraint.
pub trait Measured {
    /// The length: characters of a text, items of a list.
    fn length(&self) -> Option<usize> {
        None
    }
    /// The number.
    fn number(&self) -> Option<f64> {
        None
    }
    /// The text.
    fn text(&self) -> Option<&str> {
        None
    }
}

impl Measured for String {
    fn length(&self) -> Option<usize> {
        Some(self.chars().count())
    }
    fn text(&self) -> Option<&str> {
        Some(self)
    }
}

impl Measured for str {
    fn length(&self) -> Option<usize> {
        Some(self.chars().count())
    }
    fn text(&self) -> Option<&str> {
        Some(self)
    }
}

impl<T> Measured for Vec<T> {
    fn length(&self) -> Option<usize> {
        Some(self.len())
    }
}

impl Measured for i64 {
    fn number(&self) -> Option<f64> {
        Some(*self as f64)
    }
}

impl Measured for i32 {
    fn number(&self) -> Option<f64> {
        Some(f64::from(*self))
    }
}

impl Measured for f64 {
    fn number(&self) -> Option<f64> {
        Some(*self)
    }
}

impl<T: Measured> Measured for Option<T> {
    fn length(&self) -> Option<usize> {
        self.as_ref()?.length()
    }
    fn number(&self) -> Option<f64> {
        self.as_ref()?.number()
    }
    fn text(&self) -> Option<&str> {
        self.as_ref()?.text()
    }
}

impl<T: Measured + ?Sized> Measured for Box<T> {
    fn length(&self) -> Option<usize> {
        (**self).length()
    }
    fn number(&self) -> Option<f64> {
        (**self).number()
    }
    fn text(&self) -> Option<&str> {
        (**self).text()
    }
}

fn invalid(path: &str, constraint: String, found: String) -> Invalid {
    Invalid {
        path: path.to_owned(),
        constraint,
        found,
    }
}

/// `minLength`/`maxLength` (texts) and `minItems`/`maxItems` (lists): `noun` is `length` or
/// `items`.
pub fn check_length<T: Measured + ?Sized>(
    value: &T,
    path: &str,
    min: u64,
    max: Option<u64>,
    noun: &str,
) -> Result<(), Invalid> {
    let Some(length) = value.length() else {
        return Ok(());
    };
    let length = length as u64;
    let label = if noun == "items" { "items" } else { "length" };
    if length < min {
        return Err(invalid(
            path,
            format!("min {noun} {min}"),
            format!("{label} {length}"),
        ));
    }
    match max {
        Some(max) if length > max => Err(invalid(
            path,
            format!("max {noun} {max}"),
            format!("{label} {length}"),
        )),
        _ => Ok(()),
    }
}

/// A numeric bound: `minimum`, `maximum`, `exclusive minimum` or `exclusive maximum`, `shown` as
/// the manifest states it.
pub fn check_bound<T: Measured + ?Sized>(
    value: &T,
    path: &str,
    bound: &str,
    limit: f64,
    shown: &str,
) -> Result<(), Invalid> {
    let Some(number) = value.number() else {
        return Ok(());
    };
    let holds = match bound {
        "minimum" => number >= limit,
        "maximum" => number <= limit,
        "exclusive minimum" => number > limit,
        "exclusive maximum" => number < limit,
        _ => true,
    };
    if holds {
        Ok(())
    } else {
        Err(invalid(
            path,
            format!("{bound} {shown}"),
            format!("{number}"),
        ))
    }
}

/// `pattern`: the text must contain a match of the regular expression (JSON Schema's rule: not
/// anchored unless the pattern is). A pattern this crate cannot compile is not checked.
pub fn check_pattern<T: Measured + ?Sized>(
    value: &T,
    path: &str,
    pattern: &str,
) -> Result<(), Invalid> {
    let Some(text) = value.text() else {
        return Ok(());
    };
    match compiled(pattern) {
        Some(regex) if !regex.is_match(text) => Err(invalid(
            path,
            format!("pattern {pattern}"),
            format!("{text:?}"),
        )),
        _ => Ok(()),
    }
}

/// The compiled `pattern`, compiled once per process (`None` when it does not compile). The
/// patterns are the generated code's own, so the cache holds as many as the bindings name.
fn compiled(pattern: &str) -> Option<regex_lite::Regex> {
    static CACHE: OnceLock<Mutex<HashMap<String, Option<regex_lite::Regex>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Mutex::default);
    let mut cache = cache.lock().unwrap_or_else(PoisonError::into_inner);
    cache
        .entry(pattern.to_owned())
        .or_insert_with(|| regex_lite::Regex::new(pattern).ok())
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_constraint_names_the_path_the_rule_and_the_value() {
        assert!(check_length("abc", "a", 1, Some(3), "length").is_ok());
        assert_eq!(
            check_length("abcd", "a.b", 1, Some(3), "length")
                .unwrap_err()
                .to_string(),
            "`a.b` breaks `max length 3` (length 4)"
        );
        assert_eq!(
            check_length(&vec![1], "tags", 2, None, "items")
                .unwrap_err()
                .constraint,
            "min items 2"
        );
        assert!(
            check_length(&None::<String>, "x", 1, None, "length").is_ok(),
            "absent passes"
        );
        assert_eq!(
            check_bound(&0_i64, "page", "minimum", 1.0, "1")
                .unwrap_err()
                .to_string(),
            "`page` breaks `minimum 1` (0)"
        );
        assert!(check_bound(&1.0_f64, "s", "exclusive maximum", 1.0, "1.0").is_err());
        assert!(check_pattern("ab-12", "code", "^[a-z]+-[0-9]+$").is_ok());
        assert_eq!(
            check_pattern("AB", "code", "^[a-z]+$").unwrap_err().found,
            "\"AB\""
        );
        assert_eq!(vec![Some(1_i64)].check("x"), Ok(()));
    }
}
