//! Type definitions → Rust source, written as laid-out text ([`Code`]). Generated code uses
//! absolute paths and reaches its dependencies through `::glow_client` re-exports.

use std::borrow::Cow;

use crate::json::Value;

use super::code::{Code, flat, string};
use super::typespace::{Constraint, Def, Field, TaggedVariant, Ty, TypeSpace};
use crate::ident::{ident_text, serde_name, value_name};

const SERDE_CRATE: &str = "\"::glow_client::serde\"";
const SERDE_DERIVES: [&str; 2] = [
    "::glow_client::serde::Serialize",
    "::glow_client::serde::Deserialize",
];
/// The derives of a fieldless enum: a value to compare, hash and order.
const FIELDLESS_ENUM_DERIVES: [&str; 8] = [
    "Debug",
    "Clone",
    "Copy",
    "PartialEq",
    "Eq",
    "Hash",
    "PartialOrd",
    "Ord",
];
const VALIDATE: &str = "::glow_client::validate::Validate";
const CHECK_RETURNS: &str = ") -> ::std::result::Result<(), ::glow_client::validate::Invalid> {";
const OK: &str = "::std::result::Result::Ok(())";
const DEFAULT: &str = "::std::default::Default::default()";
const IS_NONE: &str = "#[serde(default, skip_serializing_if = \"::std::option::Option::is_none\")]";

/// The text of `mod types` up to its first definition.
pub fn types_head() -> String {
    let mut head = Code::new(0);
    head.docs(&["Every type the manifest names, and the inline types they need.".to_owned()]);
    head.line("#[allow(clippy::all, clippy::pedantic, non_camel_case_types, dead_code)]");
    head.open("pub mod types {");
    head.finish()
}

/// The text of `mod types` after its definitions (at depth 1), around its default functions
/// (at depth 2).
pub struct TypesTail {
    /// Between the last definition and the first default function.
    pub before_defaults: String,
    /// After the last default function.
    pub after: String,
}

impl TypesTail {
    /// The tail, with `mod defaults` when there are default functions.
    pub fn new(with_defaults: bool) -> TypesTail {
        let mut middle = Code::new(1);
        if with_defaults {
            middle.docs(&["Defaults the server records for optional fields.".to_owned()]);
            middle.open("mod defaults {");
            middle.line("#[allow(unused_imports)]");
            middle.line("use super::*;");
        }
        let mut tail = Code::new(if with_defaults { 2 } else { 1 });
        if with_defaults {
            tail.close("}");
        }
        tail.close("}");
        TypesTail {
            before_defaults: middle.finish(),
            after: tail.finish(),
        }
    }
}

/// The source of a type, from inside `mod types`.
pub fn ty_text(ty: &Ty) -> String {
    let mut text = String::new();
    write_ty(&mut text, ty, "");
    text
}

/// The source of a type, from outside `mod types` (names qualified with `types::`).
pub fn ty_text_outside(ty: &Ty) -> String {
    let mut text = String::new();
    write_ty(&mut text, ty, "types::");
    text
}

/// The source, from outside `mod types`, of the Rust type a manifest type became; any JSON
/// when it has none.
pub fn named_or_any_outside(space: &TypeSpace, manifest_name: Option<&str>) -> String {
    let ty = manifest_name
        .and_then(|name| space.rust_name(name))
        .map_or(Ty::Value, |rust| Ty::Named(rust.to_owned()));
    ty_text_outside(&ty)
}

fn write_ty(out: &mut String, ty: &Ty, prefix: &str) {
    let wrapped = |out: &mut String, path: &str, inner: &Ty| {
        out.push_str(path);
        out.push('<');
        write_ty(out, inner, prefix);
        out.push('>');
    };
    match ty {
        Ty::Named(name) => {
            out.push_str(prefix);
            out.push_str(&ident_text(name));
        }
        Ty::Option(inner) => wrapped(out, "::std::option::Option", inner),
        Ty::Boxed(inner) => wrapped(out, "::std::boxed::Box", inner),
        Ty::Vec(inner) => wrapped(out, "::std::vec::Vec", inner),
        Ty::Tuple(items) => {
            out.push('(');
            for (n, item) in items.iter().enumerate() {
                if n > 0 {
                    out.push_str(", ");
                }
                write_ty(out, item, prefix);
            }
            if items.len() == 1 {
                out.push(',');
            }
            out.push(')');
        }
        Ty::Map(inner) => {
            out.push_str("::std::collections::BTreeMap<::std::string::String, ");
            write_ty(out, inner, prefix);
            out.push('>');
        }
        Ty::Object => out.push_str(
            "::glow_client::serde_json::Map<::std::string::String, ::glow_client::serde_json::Value>",
        ),
        Ty::String => out.push_str("::std::string::String"),
        Ty::Bool => out.push_str("bool"),
        Ty::I64 => out.push_str("i64"),
        Ty::I32 => out.push_str("i32"),
        Ty::F64 => out.push_str("f64"),
        Ty::Uuid => out.push_str("::glow_client::uuid::Uuid"),
        Ty::DateTime => {
            out.push_str("::glow_client::chrono::DateTime<::glow_client::chrono::Utc>");
        }
        Ty::Date => out.push_str("::glow_client::chrono::NaiveDate"),
        Ty::Time => out.push_str("::glow_client::chrono::NaiveTime"),
        Ty::Value => out.push_str("::glow_client::serde_json::Value"),
    }
}

/// `#[derive(..)]` of `traits`, then serde's crate attribute with `serde` more when there is
/// any serde derive.
fn derives(code: &mut Code, traits: &[&str]) {
    code.list("#[derive(", traits, ")]");
}

fn serde_derived(code: &mut Code, more: &str) {
    let mut traits = vec!["Debug", "Clone", "PartialEq"];
    traits.extend(SERDE_DERIVES);
    derives(code, &traits);
    code.line(&format!("#[serde(crate = {SERDE_CRATE}{more})]"));
}

/// Writes the definition `name` into `code` (at the depth of `mod types`' items), and any
/// default functions its fields need into `defaults`.
pub fn definition(space: &TypeSpace, name: &str, def: &Def, code: &mut Code, defaults: &mut Code) {
    let type_name = ident_text(name);
    match def {
        Def::Struct { doc, fields, extra } => {
            code.docs(doc);
            serde_derived(code, "");
            if fields.is_empty() && extra.is_none() {
                code.line(&format!("pub struct {type_name} {{}}"));
            } else {
                code.open(&format!("pub struct {type_name} {{"));
                for field in fields {
                    struct_field(code, space, name, field, true, defaults);
                }
                if let Some(ty) = extra {
                    code.docs(&["Properties beyond the named ones.".to_owned()]);
                    code.line("#[serde(flatten)]");
                    code.line(&format!(
                        "pub additional_properties: ::std::collections::BTreeMap<::std::string::String, {}>,",
                        ty_text(ty)
                    ));
                }
                code.close("}");
            }
            construction(code, space, name, &type_name, fields, extra.is_some());
            validate_impl(code, space, &type_name, fields);
        }
        Def::StringEnum { doc, variants } => {
            code.docs(doc);
            let mut traits = FIELDLESS_ENUM_DERIVES.to_vec();
            traits.extend(SERDE_DERIVES);
            derives(code, &traits);
            code.line(&format!("#[serde(crate = {SERDE_CRATE})]"));
            let wires: Vec<String> = variants.iter().map(|(_, wire)| string(wire)).collect();
            let names: Vec<Cow<str>> = variants.iter().map(|(v, _)| ident_text(v)).collect();
            code.open(&format!("pub enum {type_name} {{"));
            for (wire, variant) in wires.iter().zip(&names) {
                code.line(&format!("#[serde(rename = {wire})]"));
                code.line(&format!("{variant},"));
            }
            code.close("}");
            wire_value_impl(
                code,
                &type_name,
                "as_str(&self) -> &'static str",
                &names,
                &wires,
            );
            code.open(&format!("impl ::std::fmt::Display for {type_name} {{"));
            code.open("fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {");
            code.line("f.write_str(self.as_str())");
            code.close("}");
            code.close("}");
            code.open(&format!("impl ::std::str::FromStr for {type_name} {{"));
            code.line("type Err = ::std::string::String;");
            parse_from_wire(
                code,
                "fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {",
                &names,
                &wires,
                &format!("unknown {name} value `{{}}`"),
            );
            code.close("}");
        }
        Def::IntEnum { doc, variants } => {
            code.docs(doc);
            derives(code, &FIELDLESS_ENUM_DERIVES);
            let values: Vec<String> = variants
                .iter()
                .map(|(_, value)| value.to_string())
                .collect();
            let names: Vec<Cow<str>> = variants.iter().map(|(v, _)| ident_text(v)).collect();
            code.open(&format!("pub enum {type_name} {{"));
            for variant in &names {
                code.line(&format!("{variant},"));
            }
            code.close("}");
            wire_value_impl(code, &type_name, "value(&self) -> i64", &names, &values);
            code.open(&format!(
                "impl ::std::convert::TryFrom<i64> for {type_name} {{"
            ));
            code.line("type Error = ::std::string::String;");
            parse_from_wire(
                code,
                "fn try_from(value: i64) -> ::std::result::Result<Self, Self::Error> {",
                &names,
                &values,
                &format!("unknown {name} value {{}}"),
            );
            code.close("}");
            code.open(&format!("impl ::std::fmt::Display for {type_name} {{"));
            code.open("fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {");
            code.line("::std::write!(f, \"{}\", self.value())");
            code.close("}");
            code.close("}");
            code.open(&format!(
                "impl ::glow_client::serde::Serialize for {type_name} {{"
            ));
            serialize_head(code);
            code.line("serializer.serialize_i64(self.value())");
            code.close("}");
            code.close("}");
            code.open(&format!(
                "impl<'de> ::glow_client::serde::Deserialize<'de> for {type_name} {{"
            ));
            deserialize_head(code);
            code.list(
                "let value = <i64 as ::glow_client::serde::Deserialize>::deserialize(",
                &["deserializer"],
                ")?;",
            );
            code.line(
                "Self::try_from(value).map_err(<D::Error as ::glow_client::serde::de::Error>::custom)",
            );
            code.close("}");
            code.close("}");
        }
        Def::Const { doc, value } => {
            let json = value_text(value);
            let shown = value.to_string();
            let mut lines = doc.clone();
            if !lines.is_empty() {
                lines.push(String::new());
            }
            lines.push(format!("Always `{shown}` on the wire."));
            code.docs(&lines);
            derives(
                code,
                &[
                    "Debug",
                    "Clone",
                    "Copy",
                    "PartialEq",
                    "Eq",
                    "Hash",
                    "Default",
                ],
            );
            code.line(&format!("pub struct {type_name};"));
            code.open(&format!("impl {type_name} {{"));
            code.docs(&["The value on the wire.".to_owned()]);
            code.open("pub fn value(&self) -> ::glow_client::serde_json::Value {");
            code.line(&format!("::glow_client::serde_json::json!({json})"));
            code.close("}");
            code.close("}");
            code.open(&format!(
                "impl ::glow_client::serde::Serialize for {type_name} {{"
            ));
            serialize_head(code);
            code.line("::glow_client::serde::Serialize::serialize(&self.value(), serializer)");
            code.close("}");
            code.close("}");
            code.open(&format!(
                "impl<'de> ::glow_client::serde::Deserialize<'de> for {type_name} {{"
            ));
            deserialize_head(code);
            code.list(
                "let value = <::glow_client::serde_json::Value as ::glow_client::serde::Deserialize>::deserialize(",
                &["deserializer"],
                ")?;",
            );
            code.open(&format!(
                "if value == ::glow_client::serde_json::json!({json}) {{"
            ));
            code.line("::std::result::Result::Ok(Self)");
            code.middle("} else {");
            code.open(
                "::std::result::Result::Err(<D::Error as ::glow_client::serde::de::Error>::custom(",
            );
            code.list(
                "::std::format!(",
                &["\"expected {}, found {}\"", &string(&shown), "value"],
                "),",
            );
            code.close("))");
            code.close("}");
            code.close("}");
            code.close("}");
        }
        Def::Tagged { doc, tag, variants } => {
            code.docs(doc);
            serde_derived(code, &format!(", tag = {}", string(tag)));
            code.open(&format!("pub enum {type_name} {{"));
            for variant in variants {
                code.line(&format!(
                    "#[serde(rename = {})]",
                    string(&variant.tag_value)
                ));
                let variant_name = ident_text(&variant.name);
                if variant.fields.is_empty() {
                    code.line(&format!("{variant_name} {{}},"));
                    continue;
                }
                code.open(&format!("{variant_name} {{"));
                let owner = format!("{name}{}", variant.name);
                for field in &variant.fields {
                    struct_field(code, space, &owner, field, false, defaults);
                }
                code.close("},");
            }
            code.close("}");
            tagged_validate_impl(code, space, &type_name, variants);
        }
        Def::Untagged { doc, variants } => {
            code.docs(doc);
            serde_derived(code, ", untagged");
            code.open(&format!("pub enum {type_name} {{"));
            for (variant, ty) in variants {
                code.line(&format!("{}({}),", ident_text(variant), ty_text(ty)));
            }
            code.close("}");
        }
        Def::Alias { doc, ty } => {
            code.docs(doc);
            code.line(&format!("pub type {type_name} = {};", ty_text(ty)));
        }
        Def::Newtype { doc, ty } => {
            code.docs(doc);
            serde_derived(code, ", transparent");
            code.line(&format!("pub struct {type_name}(pub {});", ty_text(ty)));
            code.open(&format!("impl {VALIDATE} for {type_name} {{"));
            check_head(code);
            if space.validatable(ty) {
                code.line("::glow_client::validate::Validate::check(&self.0, path)?;");
            }
            code.line(OK);
            code.close("}");
            code.close("}");
        }
    }
}

/// `impl <type> { pub fn <method> { match self { Self::<variant> => <wire value>, .. } } }`: a
/// fieldless enum's value on the wire.
fn wire_value_impl<S: AsRef<str>>(
    code: &mut Code,
    type_name: &str,
    method: &str,
    variants: &[S],
    wires: &[String],
) {
    code.open(&format!("impl {type_name} {{"));
    code.docs(&["The value on the wire.".to_owned()]);
    code.open(&format!("pub fn {method} {{"));
    code.open("match self {");
    for (variant, wire) in variants.iter().zip(wires) {
        code.line(&format!("Self::{} => {wire},", variant.as_ref()));
    }
    code.close("}");
    code.close("}");
    code.close("}");
}

/// A fieldless enum read from its wire value `value`: `head`, then a `match` of each wire value
/// to its variant, and any other an error saying `unknown` (a format with one `{}`).
fn parse_from_wire<S: AsRef<str>>(
    code: &mut Code,
    head: &str,
    variants: &[S],
    wires: &[String],
    unknown: &str,
) {
    code.open(head);
    code.open("match value {");
    for (variant, wire) in variants.iter().zip(wires) {
        code.line(&format!(
            "{wire} => ::std::result::Result::Ok(Self::{}),",
            variant.as_ref()
        ));
    }
    code.list(
        "other => ::std::result::Result::Err(::std::format!(",
        &[string(unknown).as_str(), "other"],
        ")),",
    );
    code.close("}");
    code.close("}");
}

/// `fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {`.
fn serialize_head(code: &mut Code) {
    code.open_list(
        "fn serialize<S: ::glow_client::serde::Serializer>(",
        &["&self", "serializer: S"],
        ") -> ::std::result::Result<S::Ok, S::Error> {",
    );
}

/// `fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {`.
fn deserialize_head(code: &mut Code) {
    code.open_list(
        "fn deserialize<D: ::glow_client::serde::Deserializer<'de>>(",
        &["deserializer: D"],
        ") -> ::std::result::Result<Self, D::Error> {",
    );
}

/// `#[allow(unused_variables)] fn check(&self, path: &str) -> Result<(), Invalid> {`.
fn check_head(code: &mut Code) {
    code.line("#[allow(unused_variables)]");
    code.open_list("fn check(", &["&self", "path: &str"], CHECK_RETURNS);
}

/// The constructor of a struct with required fields (`new`), else its `Default`.
fn construction(
    code: &mut Code,
    space: &TypeSpace,
    name: &str,
    type_name: &str,
    fields: &[Field],
    extra: bool,
) {
    // Every field a value: a required one from the constructor's argument, an optional one
    // its recorded default, else none.
    let mut inits: Vec<String> = fields
        .iter()
        .map(|field| {
            let field_name = ident_text(&field.name);
            if !field.optional {
                return field_name.into_owned();
            }
            match default_fn_path(space, name, field) {
                Some(function) => format!("{field_name}: defaults::{}()", ident_text(&function)),
                None => format!("{field_name}: {DEFAULT}"),
            }
        })
        .collect();
    if extra {
        inits.push(format!("additional_properties: {DEFAULT}"));
    }
    let required: Vec<&Field> = fields.iter().filter(|f| !f.optional).collect();
    if required.is_empty() {
        code.open(&format!("impl ::std::default::Default for {type_name} {{"));
        code.open("fn default() -> Self {");
    } else {
        let names: Vec<String> = required.iter().map(|f| format!("`{}`", f.wire)).collect();
        code.open(&format!("impl {type_name} {{"));
        code.docs(&[
            format!(
                "`{name}` from its required fields ({}); every other field at its default.",
                names.join(", ")
            ),
            format!(
                "Set others with struct update syntax: `{name} {{ field: value, ..{name}::new(..) }}`."
            ),
        ]);
        code.line("#[allow(clippy::too_many_arguments, dead_code)]");
        let arguments: Vec<String> = required
            .iter()
            .map(|field| format!("{}: {}", ident_text(&field.name), ty_text(&field.ty)))
            .collect();
        code.open_list("pub fn new(", &arguments, ") -> Self {");
    }
    struct_literal(code, &inits);
    code.close("}");
    code.close("}");
}

/// `Self { .. }` of `inits`: on one line when every field is written by its name alone and it
/// fits, else one field a line.
fn struct_literal(code: &mut Code, inits: &[String]) {
    if inits.is_empty() {
        code.line("Self {}");
        return;
    }
    let shorthand = inits.iter().all(|init| !init.contains(':'));
    if shorthand && code.fits("Self { ", inits, " }") {
        code.line(&flat("Self { ", inits, " }"));
        return;
    }
    code.open("Self {");
    for init in inits {
        code.line(&format!("{init},"));
    }
    code.close("}");
}

/// `impl Validate` for a struct: each field's constraints, then the field's own checks (for the
/// generated types inside it), each at the field's path.
fn validate_impl(code: &mut Code, space: &TypeSpace, type_name: &str, fields: &[Field]) {
    code.open(&format!("impl {VALIDATE} for {type_name} {{"));
    check_head(code);
    for field in fields {
        field_checks(
            code,
            space,
            field,
            &format!("&self.{}", ident_text(&field.name)),
        );
    }
    code.line(OK);
    code.close("}");
    code.close("}");
}

/// `impl Validate` for an internally tagged union: the fields of whichever variant it is.
fn tagged_validate_impl(
    code: &mut Code,
    space: &TypeSpace,
    type_name: &str,
    variants: &[TaggedVariant],
) {
    code.open(&format!("impl {VALIDATE} for {type_name} {{"));
    check_head(code);
    code.open("match self {");
    for variant in variants {
        let bound: Vec<Cow<str>> = variant.fields.iter().map(|f| ident_text(&f.name)).collect();
        let head = format!("Self::{} {{", ident_text(&variant.name));
        let pattern = if bound.is_empty() {
            format!("{head}}}")
        } else {
            flat(&format!("{head} "), &bound, " }")
        };
        let mut checks = Code::new(0);
        for (field, name) in variant.fields.iter().zip(&bound) {
            field_checks(&mut checks, space, field, name);
        }
        let checks = checks.finish();
        if checks.is_empty() {
            code.line(&format!("{pattern} => {{}}"));
        } else {
            code.open(&format!("{pattern} => {{"));
            code.line(checks.trim_end_matches('\n'));
            code.close("}");
        }
    }
    code.close("}");
    code.line(OK);
    code.close("}");
    code.close("}");
}

/// The checks of a field, if it has any: its constraints, then its own `Validate`; `access` is
/// the expression of a reference to the field.
fn field_checks(code: &mut Code, space: &TypeSpace, field: &Field, access: &str) {
    let constraints = if measurable(&field.ty) {
        field.constraints.as_slice()
    } else {
        &[]
    };
    let nested = space.validatable(&field.ty);
    if constraints.is_empty() && !nested {
        return;
    }
    code.open("{");
    code.line(&format!("let value = {access};"));
    code.line(&format!(
        "let at = ::glow_client::validate::join(path, {});",
        string(&field.wire)
    ));
    for constraint in constraints {
        constraint_check(code, constraint);
    }
    if nested {
        code.line("::glow_client::validate::Validate::check(value, &at)?;");
    }
    code.close("}");
}

fn constraint_check(code: &mut Code, constraint: &Constraint) {
    match constraint {
        Constraint::Length { min, max, noun } => {
            let max = match max {
                Some(max) => format!("::std::option::Option::Some({max}u64)"),
                None => "::std::option::Option::None".to_owned(),
            };
            code.list(
                "::glow_client::validate::check_length(",
                &["value", "&at", &format!("{min}u64"), &max, &string(noun)],
                ")?;",
            );
        }
        Constraint::Bound {
            bound,
            limit,
            shown,
        } => code.list(
            "::glow_client::validate::check_bound(",
            &[
                "value",
                "&at",
                &string(bound),
                &format!("{limit}f64"),
                &string(shown),
            ],
            ")?;",
        ),
        Constraint::Pattern(pattern) => code.list(
            "::glow_client::validate::check_pattern(",
            &["value", "&at", &string(pattern)],
            ")?;",
        ),
    }
}

/// Whether a constraint can look at a value of `ty` (`Measured`: texts, lists, numbers, and
/// options of them).
fn measurable(ty: &Ty) -> bool {
    match ty {
        Ty::String | Ty::I64 | Ty::I32 | Ty::F64 | Ty::Vec(_) => true,
        Ty::Option(inner) | Ty::Boxed(inner) => measurable(inner),
        _ => false,
    }
}

/// A field's declaration, with its serde attributes; writes a default function when needed.
fn struct_field(
    code: &mut Code,
    space: &TypeSpace,
    owner: &str,
    field: &Field,
    public: bool,
    defaults: &mut Code,
) {
    code.docs(&field.doc);
    if serde_name(&field.name) != field.wire {
        code.line(&format!("#[serde(rename = {})]", string(&field.wire)));
    }
    let default_expr = field
        .default
        .as_ref()
        .filter(|_| field.optional)
        .and_then(|value| default_expr(space, &field.ty, value));
    let optional;
    let ty = match (&field.ty, field.optional, default_expr) {
        (ty, true, Some(_)) if defaults_empty(field) => {
            let is_empty = match ty {
                Ty::Vec(_) => "::std::vec::Vec::is_empty",
                Ty::Map(_) => "::std::collections::BTreeMap::is_empty",
                _ => "::glow_client::serde_json::Map::is_empty",
            };
            code.line(&format!(
                "#[serde(default, skip_serializing_if = \"{is_empty}\")]"
            ));
            ty
        }
        (ty, true, Some(expr)) => {
            let function = default_fn_name(owner, &field.name);
            defaults.open(&format!(
                "pub(super) fn {}() -> {} {{",
                ident_text(&function),
                ty_text(ty)
            ));
            defaults.line(&expr);
            defaults.close("}");
            code.line(&format!("#[serde(default = \"defaults::{function}\")]"));
            ty
        }
        (ty @ Ty::Option(_), true, None) => {
            code.line(IS_NONE);
            ty
        }
        (ty, true, None) => {
            code.line(IS_NONE);
            optional = Ty::Option(Box::new(ty.clone()));
            &optional
        }
        (ty @ Ty::Option(_), false, _) => {
            code.line("#[serde(deserialize_with = \"::glow_client::nullable::deserialize\")]");
            ty
        }
        (ty, false, _) => ty,
    };
    let visibility = if public { "pub " } else { "" };
    code.line(&format!(
        "{visibility}{}: {},",
        ident_text(&field.name),
        ty_text(ty)
    ));
}

fn default_fn_name(owner: &str, field: &str) -> String {
    format!("{}_{}", value_name(owner), field.trim_start_matches("r#"))
}

/// An optional collection that defaults to empty: `Default::default()` is its default, and an
/// empty one need not be sent.
fn defaults_empty(field: &Field) -> bool {
    field.optional
        && field.default.is_some()
        && field.default.as_ref() == field.ty.empty_collection().as_ref()
}

/// The name of a field's default function, if it has one.
fn default_fn_path(space: &TypeSpace, owner: &str, field: &Field) -> Option<String> {
    if defaults_empty(field) {
        return None;
    }
    let value = field.default.as_ref().filter(|_| field.optional)?;
    default_expr(space, &field.ty, value)?;
    Some(default_fn_name(owner, &field.name))
}

/// The source of an expression of type `ty` equal to the JSON `value`; `None` when the value
/// does not fit.
fn default_expr(space: &TypeSpace, ty: &Ty, value: &Value) -> Option<String> {
    Some(match (ty, value) {
        (Ty::Option(_), Value::Null) => "::std::option::Option::None".to_owned(),
        (Ty::Option(inner), value) => {
            format!(
                "::std::option::Option::Some({})",
                default_expr(space, inner, value)?
            )
        }
        (Ty::Boxed(inner), value) => {
            format!(
                "::std::boxed::Box::new({})",
                default_expr(space, inner, value)?
            )
        }
        (Ty::String, Value::String(text)) => {
            format!("::std::string::String::from({})", string(text))
        }
        (Ty::Bool, Value::Bool(flag)) => flag.to_string(),
        (Ty::I64, Value::Number(n)) => format!("{}i64", n.as_i64()?),
        (Ty::I32, Value::Number(n)) => format!("{}i32", i32::try_from(n.as_i64()?).ok()?),
        (Ty::F64, Value::Number(n)) => format!("{}f64", n.as_f64()?),
        (Ty::Vec(inner), Value::Array(items)) => {
            let items = items
                .iter()
                .map(|item| default_expr(space, inner, item))
                .collect::<Option<Vec<_>>>()?;
            flat("::std::vec![", &items, "]")
        }
        (Ty::Map(inner), Value::Object(entries)) => {
            let entries = entries
                .iter()
                .map(|(key, item)| {
                    let item = default_expr(space, inner, item)?;
                    Some(format!(
                        "(::std::string::String::from({}), {item})",
                        string(key)
                    ))
                })
                .collect::<Option<Vec<_>>>()?;
            flat("::std::collections::BTreeMap::from([", &entries, "])")
        }
        (Ty::Object, Value::Object(_)) => format!(
            "match ::glow_client::serde_json::json!({}) {{\n    \
             ::glow_client::serde_json::Value::Object(map) => map,\n    \
             _ => ::glow_client::serde_json::Map::new(),\n}}",
            value_text(value)
        ),
        (Ty::Value, _) => format!("::glow_client::serde_json::json!({})", value_text(value)),
        (Ty::Named(name), value) => match (space.defs.get(name)?, value) {
            (Def::StringEnum { variants, .. }, Value::String(text)) => {
                let (variant, _) = variants.iter().find(|(_, wire)| wire == text)?;
                format!("{}::{}", ident_text(name), ident_text(variant))
            }
            (Def::IntEnum { variants, .. }, Value::Number(n)) => {
                let (variant, _) = variants.iter().find(|(_, v)| Some(*v) == n.as_i64())?;
                format!("{}::{}", ident_text(name), ident_text(variant))
            }
            (
                Def::Const {
                    value: constant, ..
                },
                value,
            ) if constant == value => ident_text(name).into_owned(),
            (Def::Alias { ty, .. }, value) => default_expr(space, ty, value)?,
            (Def::Newtype { ty, .. }, value) => {
                format!("{}({})", ident_text(name), default_expr(space, ty, value)?)
            }
            _ => return None,
        },
        _ => return None,
    })
}

/// The source `serde_json::json!` needs to build `value`.
fn value_text(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(flag) => flag.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(text) => string(text),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(value_text).collect();
            flat("[", &items, "]")
        }
        Value::Object(entries) => {
            let entries: Vec<String> = entries
                .iter()
                .map(|(key, item)| format!("{}: {}", string(key), value_text(item)))
                .collect();
            if entries.is_empty() {
                "{}".to_owned()
            } else {
                flat("{ ", &entries, " }")
            }
        }
    }
}
