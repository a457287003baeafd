//! Reading a canonical manifest's chunks quickly: yaml-rust2's event parser is several times
//! faster than the deserializing one, and its events build JSON values that serde then reads.
//! Only plain data is taken this way — one document, no anchors, aliases or tags, no key twice,
//! scalars resolved by YAML 1.2's core schema — and anything else is given up (`None`): the
//! deserializing parser then reads the text, with its limits, and words every error.

use serde::de::DeserializeOwned;
use serde_json::Number;
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::TScalarStyle;

use crate::yaml::MAX_DEPTH;

/// `text` as a `T`, when it is plain data that deserializes as one; `under` is how many
/// levels the text sits under in the manifest it was cut from (its nesting counts from there).
pub(super) fn from_str<T: DeserializeOwned>(text: &str, under: usize) -> Option<T> {
    serde_json::from_value(tree::<serde_json::Value>(text, under)?).ok()
}

/// `text` as a tree of JSON values, when it is plain data.
pub(super) fn tree<V: Tree>(text: &str, under: usize) -> Option<V> {
    // The event parser asserts its own invariants with panics: a text that trips one is given up.
    std::panic::catch_unwind(|| value(text, under)).ok()?.ok()
}

/// Why a text was given up.
pub(super) type GivenUp = String;

/// JSON values the events build: `serde_json`'s, to deserialize into the manifest's parts, or
/// the model's own, to be the schemas themselves.
pub(super) trait Tree: Sized {
    /// An object's members being gathered.
    type Members: Default;
    /// A scalar.
    fn scalar(scalar: Scalar) -> Self;
    /// An array of `items`.
    fn array(items: Vec<Self>) -> Self;
    /// The finished `object`.
    fn object(object: Self::Members) -> Self;
    /// Adds `key`; the key back when `object` has it already.
    fn insert(object: &mut Self::Members, key: String, value: Self) -> Result<(), String>;
}

/// A scalar by YAML 1.2's core schema.
pub(super) enum Scalar {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
}

impl Tree for serde_json::Value {
    type Members = serde_json::Map<String, serde_json::Value>;

    fn scalar(scalar: Scalar) -> Self {
        match scalar {
            Scalar::Null => serde_json::Value::Null,
            Scalar::Bool(flag) => serde_json::Value::Bool(flag),
            Scalar::Number(number) => serde_json::Value::Number(number),
            Scalar::String(text) => serde_json::Value::String(text),
        }
    }

    fn array(items: Vec<Self>) -> Self {
        serde_json::Value::Array(items)
    }

    fn object(object: Self::Members) -> Self {
        serde_json::Value::Object(object)
    }

    fn insert(object: &mut Self::Members, key: String, value: Self) -> Result<(), String> {
        match object.entry(key) {
            serde_json::map::Entry::Vacant(vacant) => {
                vacant.insert(value);
                Ok(())
            }
            serde_json::map::Entry::Occupied(occupied) => Err(occupied.key().clone()),
        }
    }
}

impl Tree for crate::json::Value {
    type Members = crate::json::Map;

    fn scalar(scalar: Scalar) -> Self {
        match scalar {
            Scalar::Null => crate::json::Value::Null,
            Scalar::Bool(flag) => crate::json::Value::Bool(flag),
            Scalar::Number(number) => crate::json::Value::Number(number),
            Scalar::String(text) => crate::json::Value::String(text),
        }
    }

    fn array(items: Vec<Self>) -> Self {
        crate::json::Value::Array(crate::json::exact(items))
    }

    fn object(object: Self::Members) -> Self {
        crate::json::Value::Object(object.compact())
    }

    fn insert(object: &mut Self::Members, key: String, value: Self) -> Result<(), String> {
        object.insert_new(key, value)
    }
}

/// A collection being read.
enum Open<V: Tree> {
    Sequence(Vec<V>),
    /// A mapping's entries, and the key awaiting its value.
    Mapping(V::Members, Option<String>),
}

/// The one document in `text`, as a JSON value; or why it is not plain data. Collections nest
/// at most [`MAX_DEPTH`] deep, counted from `under` levels (see [`from_str`]).
pub(super) fn value<V: Tree>(text: &str, under: usize) -> Result<V, GivenUp> {
    let mut parser = Parser::new_from_str(text);
    let mut open: Vec<Open<V>> = Vec::new();
    let mut document: Option<V> = None;
    let mut documents = 0;
    loop {
        let (event, _) = parser.next_token().map_err(|error| error.to_string())?;
        let node = match event {
            Event::Nothing | Event::StreamStart | Event::DocumentEnd => continue,
            Event::DocumentStart => {
                documents += 1;
                if documents > 1 {
                    return Err("more than one document".to_owned());
                }
                continue;
            }
            Event::StreamEnd => return document.ok_or_else(|| "no document".to_owned()),
            Event::Alias(_) => return Err("an alias".to_owned()),
            Event::Scalar(text, style, anchor, tag) => {
                if anchor != 0 || tag.is_some() {
                    return Err(format!("an anchor or tag on `{text}`"));
                }
                if let Some(Open::Mapping(_, key @ None)) = open.last_mut() {
                    *key = Some(text);
                    continue;
                }
                V::scalar(scalar(text, style).map_err(|text| format!("the scalar `{text}`"))?)
            }
            Event::SequenceStart(anchor, ref tag) | Event::MappingStart(anchor, ref tag) => {
                let at_key = matches!(open.last(), Some(Open::Mapping(_, None)));
                if anchor != 0 || tag.is_some() || at_key || under + open.len() >= MAX_DEPTH {
                    return Err("an anchor, tag or collection key, or nesting too deep".to_owned());
                }
                open.push(match event {
                    Event::SequenceStart(..) => Open::Sequence(Vec::new()),
                    _ => Open::Mapping(V::Members::default(), None),
                });
                continue;
            }
            Event::SequenceEnd => match open.pop() {
                Some(Open::Sequence(items)) => V::array(items),
                _ => return Err("an unbalanced sequence".to_owned()),
            },
            Event::MappingEnd => match open.pop() {
                Some(Open::Mapping(entries, None)) => V::object(entries),
                _ => return Err("an unbalanced mapping".to_owned()),
            },
        };
        match open.last_mut() {
            None if document.is_none() => document = Some(node),
            None => return Err("two top-level nodes".to_owned()),
            Some(Open::Sequence(items)) => items.push(node),
            Some(Open::Mapping(entries, key)) => {
                let key = key.take().ok_or("a value without a key")?;
                V::insert(entries, key, node).map_err(|key| format!("the key `{key}` twice"))?;
            }
        }
    }
}

/// A scalar by YAML 1.2's core schema; the text back for what another schema might read
/// otherwise (`yes`, octal, hexadecimal, infinities) or a number JSON cannot hold.
fn scalar(text: String, style: TScalarStyle) -> Result<Scalar, String> {
    if style != TScalarStyle::Plain {
        return Ok(Scalar::String(text));
    }
    Ok(match text.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => Scalar::Null,
        "true" | "True" | "TRUE" => Scalar::Bool(true),
        "false" | "False" | "FALSE" => Scalar::Bool(false),
        word if is_other_schema_word(word) => return Err(text),
        number if number.starts_with(|c: char| c.is_ascii_digit() || "+-.".contains(c)) => {
            match parse_number(number) {
                Some(number) => Scalar::Number(number),
                None if maybe_number(number) => return Err(text),
                None => Scalar::String(text),
            }
        }
        _ => Scalar::String(text),
    })
}

/// Whether a scalar that is not a decimal number might still be read as one: other bases,
/// digit separators (`1_000`), sexagesimals (`1:30`), infinities, a leading zero, or digits too
/// many for 64 bits.
fn maybe_number(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let unsigned = lower.trim_start_matches(['-', '+']);
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    let based = |prefix: &str, digit: fn(&u8) -> bool| {
        unsigned
            .strip_prefix(prefix)
            .is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| digit(&b)))
    };
    based("0x", u8::is_ascii_hexdigit)
        || based("0o", |b| (b'0'..=b'7').contains(b))
        || based("0b", |b| matches!(b, b'0' | b'1'))
        || matches!(unsigned, ".inf" | ".nan")
        || (unsigned.contains('_') && parse_number(&unsigned.replace('_', "")).is_some())
        || (unsigned.contains(':')
            && unsigned
                .split(':')
                .all(|part| digits(&part.replace('.', ""))))
        || (unsigned.len() > 1
            && unsigned.starts_with('0')
            && parse_number(&unsigned[1..]).is_some())
        || digits(unsigned)
}

/// Words YAML 1.1 reads as booleans.
fn is_other_schema_word(word: &str) -> bool {
    matches!(
        word.to_ascii_lowercase().as_str(),
        "yes" | "no" | "on" | "off" | "y" | "n"
    )
}

/// A decimal integer or a decimal float (`[-+]? (.d+ | d+(.d*)?) ([eE][-+]?d+)?`).
fn parse_number(text: &str) -> Option<Number> {
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (&unsigned[..at], Some(&unsigned[at + 1..])),
        None => (unsigned, None),
    };
    let (whole, fraction) = match mantissa.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (mantissa, None),
    };
    let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    let mantissa_ok = digits(whole)
        && fraction.is_none_or(digits)
        && (!whole.is_empty() || fraction.is_some_and(|f| !f.is_empty()));
    // A leading zero (`0777`) is octal to some readers.
    let leading_zero = whole.len() > 1 && whole.starts_with('0');
    if !mantissa_ok || !exponent_ok || leading_zero {
        return None;
    }
    if fraction.is_none() && exponent.is_none() {
        let integer = text.strip_prefix('+').unwrap_or(text);
        return integer
            .parse::<i64>()
            .map(Number::from)
            .or_else(|_| integer.parse::<u64>().map(Number::from))
            .ok();
    }
    Number::from_f64(text.parse::<f64>().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    type Outcome = Result<(), Box<dyn std::error::Error>>;

    #[test]
    fn scalars_read_as_the_deserializing_parser_reads_them() -> Outcome {
        let text = "a: null\nb: ~\nc: true\nd: -3\ne: 1.5\nf: 1e3\ng: \"204\"\nh: plain text\n\
                    i: '007'\nj: /orgs/{org}\nk: 18446744073709551615\nl: .5\nm: -0.0\n\
                    n: 2fa_disabled\nw: 009b8a3a\nx: 0b989ba4-242f\no: +7\np: \"\"\nq: [1, two]\nr: {}\nt: 1.2.3\nv: .x\n";
        let fast: serde_json::Value = value(text, 0)?;
        let slow: serde_json::Value = crate::yaml::from_str(text)?;
        assert_eq!(fast, slow);
        assert_eq!(fast["g"], serde_json::Value::String("204".to_owned()));
        assert_eq!(fast["d"], serde_json::Value::from(-3));
        let model: crate::json::Value = value(text, 0)?;
        assert_eq!(model, slow);
        Ok(())
    }

    #[test]
    fn what_another_schema_might_read_otherwise_is_given_up() {
        for text in [
            "a: yes\n",
            "a: 0x1F\n",
            "a: .inf\n",
            "a: 0o17\n",
            "a: 1_000\n",
            "a: 1:30\n",
            "a: 0777\n",
            "a: 99999999999999999999\n",
        ] {
            assert!(value::<serde_json::Value>(text, 0).is_err(), "{text}");
        }
    }

    #[test]
    fn anchors_aliases_tags_repeated_keys_and_deep_nesting_are_given_up() {
        let deep = format!(
            "{}1{}",
            "[".repeat(MAX_DEPTH + 1),
            "]".repeat(MAX_DEPTH + 1)
        );
        for text in [
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "a: 1\na: 2\n",
            "--- 1\n--- 2\n",
            "? [a]\n: 1\n",
            deep.as_str(),
        ] {
            assert!(value::<serde_json::Value>(text, 0).is_err(), "{text}");
        }
        let twice = "a: 1\nb: {c: 1, c: 2}\n";
        let why = Some("the key `c` twice");
        assert_eq!(value::<serde_json::Value>(twice, 0).err().as_deref(), why);
        assert_eq!(value::<crate::json::Value>(twice, 0).err().as_deref(), why);
    }
}
