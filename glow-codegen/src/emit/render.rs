//! Type definitions → Rust tokens. Generated code uses absolute paths and reaches its
//! dependencies through `::glow_client` re-exports.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

use super::typespace::{Constraint, Def, Field, TaggedVariant, Ty, TypeSpace};
use crate::ident::{ident, serde_name, value_name};

/// The `pub mod types { ... }` of a type space.
pub fn types_module(space: &TypeSpace) -> TokenStream {
    let mut items = Vec::new();
    let mut defaults = Vec::new();
    for (name, def) in &space.defs {
        items.push(definition(space, name, def, &mut defaults));
    }
    types_module_of(items, defaults)
}

/// `pub mod types` holding `items`, and `mod defaults` holding `defaults` when there are any.
pub fn types_module_of(items: Vec<TokenStream>, defaults: Vec<TokenStream>) -> TokenStream {
    let defaults = if defaults.is_empty() {
        quote! {}
    } else {
        quote! {
            /// Defaults the server records for optional fields.
            mod defaults {
                #[allow(unused_imports)]
                use super::*;
                #(#defaults)*
            }
        }
    };
    quote! {
        /// Every type the manifest names, and the inline types they need.
        #[allow(clippy::all, clippy::pedantic, non_camel_case_types, dead_code)]
        pub mod types {
            #(#items)*
            #defaults
        }
    }
}

/// The Rust tokens of a type, from inside `mod types`.
pub fn ty_tokens(ty: &Ty) -> TokenStream {
    ty_tokens_with(ty, &quote! {})
}

/// The Rust tokens of a type, from outside `mod types` (names qualified with `types::`).
pub fn ty_tokens_outside(ty: &Ty) -> TokenStream {
    ty_tokens_with(ty, &quote! { types:: })
}

fn ty_tokens_with(ty: &Ty, prefix: &TokenStream) -> TokenStream {
    let recurse = |inner: &Ty| ty_tokens_with(inner, prefix);
    match ty {
        Ty::Named(name) => {
            let name = ident(name);
            quote! { #prefix #name }
        }
        Ty::Option(inner) => {
            let inner = recurse(inner);
            quote! { ::std::option::Option<#inner> }
        }
        Ty::Boxed(inner) => {
            let inner = recurse(inner);
            quote! { ::std::boxed::Box<#inner> }
        }
        Ty::Vec(inner) => {
            let inner = recurse(inner);
            quote! { ::std::vec::Vec<#inner> }
        }
        Ty::Tuple(items) => {
            let items = items.iter().map(recurse);
            quote! { (#(#items,)*) }
        }
        Ty::Map(inner) => {
            let inner = recurse(inner);
            quote! { ::std::collections::BTreeMap<::std::string::String, #inner> }
        }
        Ty::Object => {
            quote! { ::glow_client::serde_json::Map<::std::string::String, ::glow_client::serde_json::Value> }
        }
        Ty::String => quote! { ::std::string::String },
        Ty::Bool => quote! { bool },
        Ty::I64 => quote! { i64 },
        Ty::I32 => quote! { i32 },
        Ty::F64 => quote! { f64 },
        Ty::Uuid => quote! { ::glow_client::uuid::Uuid },
        Ty::DateTime => quote! { ::glow_client::chrono::DateTime<::glow_client::chrono::Utc> },
        Ty::Date => quote! { ::glow_client::chrono::NaiveDate },
        Ty::Time => quote! { ::glow_client::chrono::NaiveTime },
        Ty::Value => quote! { ::glow_client::serde_json::Value },
    }
}

fn docs(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|line| {
        let line = format!(" {line}");
        quote! { #[doc = #line] }
    });
    quote! { #(#lines)* }
}

const SERDE_CRATE: &str = "::glow_client::serde";

pub fn definition(
    space: &TypeSpace,
    name: &str,
    def: &Def,
    defaults: &mut Vec<TokenStream>,
) -> TokenStream {
    let type_ident = ident(name);
    match def {
        Def::Struct { doc, fields, extra } => {
            let doc = docs(doc);
            let rendered: Vec<TokenStream> = fields
                .iter()
                .map(|field| struct_field(space, name, field, true, defaults))
                .collect();
            let extra_field = extra.as_ref().map(|ty| {
                let ty = ty_tokens(ty);
                quote! {
                    /// Properties beyond the named ones.
                    #[serde(flatten)]
                    pub additional_properties: ::std::collections::BTreeMap<::std::string::String, #ty>,
                }
            });
            // Every field a value: a required one from the constructor's argument, an optional
            // one its recorded default, else none.
            let inits: Vec<TokenStream> = fields
                .iter()
                .map(|field| {
                    let field_ident = ident(&field.name);
                    if !field.optional {
                        return quote! { #field_ident, };
                    }
                    let value = match default_fn_path(space, name, field) {
                        Some(function) => {
                            let function = ident(&function);
                            quote! { defaults::#function() }
                        }
                        None => quote! { ::std::default::Default::default() },
                    };
                    quote! { #field_ident: #value, }
                })
                .collect();
            let extra_init = extra
                .as_ref()
                .map(|_| quote! { additional_properties: ::std::default::Default::default(), });
            let required: Vec<&Field> = fields.iter().filter(|f| !f.optional).collect();
            let construction = if required.is_empty() {
                quote! {
                    impl ::std::default::Default for #type_ident {
                        fn default() -> Self {
                            Self { #(#inits)* #extra_init }
                        }
                    }
                }
            } else {
                let arguments = required.iter().map(|field| {
                    let field_ident = ident(&field.name);
                    let ty = ty_tokens(&field.ty);
                    quote! { #field_ident: #ty }
                });
                let names: Vec<String> = required.iter().map(|f| format!("`{}`", f.wire)).collect();
                let doc = format!(
                    " `{name}` from its required fields ({}); every other field at its default. \
                     Set others with struct update syntax: `{name} {{ field: value, ..{name}::new(..) }}`.",
                    names.join(", ")
                );
                quote! {
                    impl #type_ident {
                        #[doc = #doc]
                        #[allow(clippy::too_many_arguments, dead_code)]
                        pub fn new(#(#arguments),*) -> Self {
                            Self { #(#inits)* #extra_init }
                        }
                    }
                }
            };
            let validate = validate_impl(space, &type_ident, fields);
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, ::glow_client::serde::Serialize, ::glow_client::serde::Deserialize)]
                #[serde(crate = #SERDE_CRATE)]
                pub struct #type_ident {
                    #(#rendered)*
                    #extra_field
                }
                #construction
                #validate
            }
        }
        Def::StringEnum { doc, variants } => {
            let doc = docs(doc);
            let declared = variants.iter().map(|(variant, wire)| {
                let variant = ident(variant);
                quote! { #[serde(rename = #wire)] #variant, }
            });
            let shown = variants.iter().map(|(variant, wire)| {
                let variant = ident(variant);
                quote! { Self::#variant => #wire, }
            });
            let parsed = variants.iter().map(|(variant, wire)| {
                let variant = ident(variant);
                quote! { #wire => ::std::result::Result::Ok(Self::#variant), }
            });
            let unknown = format!("unknown {name} value `{{}}`");
            quote! {
                #doc
                #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ::glow_client::serde::Serialize, ::glow_client::serde::Deserialize)]
                #[serde(crate = #SERDE_CRATE)]
                pub enum #type_ident { #(#declared)* }

                impl #type_ident {
                    /// The value on the wire.
                    pub fn as_str(&self) -> &'static str {
                        match self { #(#shown)* }
                    }
                }

                impl ::std::fmt::Display for #type_ident {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(self.as_str())
                    }
                }

                impl ::std::str::FromStr for #type_ident {
                    type Err = ::std::string::String;
                    fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                        match value {
                            #(#parsed)*
                            other => ::std::result::Result::Err(::std::format!(#unknown, other)),
                        }
                    }
                }
            }
        }
        Def::IntEnum { doc, variants } => {
            let doc = docs(doc);
            let declared = variants.iter().map(|(variant, _)| {
                let variant = ident(variant);
                quote! { #variant, }
            });
            let to_int = variants.iter().map(|(variant, value)| {
                let variant = ident(variant);
                let value = Literal::i64_unsuffixed(*value);
                quote! { Self::#variant => #value, }
            });
            let from_int = variants.iter().map(|(variant, value)| {
                let variant = ident(variant);
                let value = Literal::i64_unsuffixed(*value);
                quote! { #value => ::std::result::Result::Ok(Self::#variant), }
            });
            let unknown = format!("unknown {name} value {{}}");
            quote! {
                #doc
                #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
                pub enum #type_ident { #(#declared)* }

                impl #type_ident {
                    /// The value on the wire.
                    pub fn value(&self) -> i64 {
                        match self { #(#to_int)* }
                    }
                }

                impl ::std::convert::TryFrom<i64> for #type_ident {
                    type Error = ::std::string::String;
                    fn try_from(value: i64) -> ::std::result::Result<Self, Self::Error> {
                        match value {
                            #(#from_int)*
                            other => ::std::result::Result::Err(::std::format!(#unknown, other)),
                        }
                    }
                }

                impl ::std::fmt::Display for #type_ident {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        ::std::write!(f, "{}", self.value())
                    }
                }

                impl ::glow_client::serde::Serialize for #type_ident {
                    fn serialize<S: ::glow_client::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                        serializer.serialize_i64(self.value())
                    }
                }

                impl<'de> ::glow_client::serde::Deserialize<'de> for #type_ident {
                    fn deserialize<D: ::glow_client::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                        let value = <i64 as ::glow_client::serde::Deserialize>::deserialize(deserializer)?;
                        Self::try_from(value).map_err(<D::Error as ::glow_client::serde::de::Error>::custom)
                    }
                }
            }
        }
        Def::Const { doc, value } => {
            let json = value_tokens(value);
            let shown = value.to_string();
            let mut lines = doc.clone();
            if !lines.is_empty() {
                lines.push(String::new());
            }
            lines.push(format!("Always `{shown}` on the wire."));
            let doc = docs(&lines);
            quote! {
                #doc
                #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
                pub struct #type_ident;

                impl #type_ident {
                    /// The value on the wire.
                    pub fn value(&self) -> ::glow_client::serde_json::Value {
                        ::glow_client::serde_json::json!(#json)
                    }
                }

                impl ::glow_client::serde::Serialize for #type_ident {
                    fn serialize<S: ::glow_client::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                        ::glow_client::serde::Serialize::serialize(&self.value(), serializer)
                    }
                }

                impl<'de> ::glow_client::serde::Deserialize<'de> for #type_ident {
                    fn deserialize<D: ::glow_client::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                        let value = <::glow_client::serde_json::Value as ::glow_client::serde::Deserialize>::deserialize(deserializer)?;
                        if value == ::glow_client::serde_json::json!(#json) {
                            ::std::result::Result::Ok(Self)
                        } else {
                            ::std::result::Result::Err(<D::Error as ::glow_client::serde::de::Error>::custom(::std::format!("expected {}, found {}", #shown, value)))
                        }
                    }
                }
            }
        }
        Def::Tagged { doc, tag, variants } => {
            let doc = docs(doc);
            let validate = tagged_validate_impl(space, &type_ident, variants);
            let declared = variants.iter().map(|variant| {
                let variant_ident = ident(&variant.name);
                let wire = &variant.tag_value;
                let owner = format!("{name}{}", variant.name);
                let fields = variant
                    .fields
                    .iter()
                    .map(|field| struct_field(space, &owner, field, false, defaults));
                quote! {
                    #[serde(rename = #wire)]
                    #variant_ident { #(#fields)* },
                }
            });
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, ::glow_client::serde::Serialize, ::glow_client::serde::Deserialize)]
                #[serde(crate = #SERDE_CRATE, tag = #tag)]
                pub enum #type_ident { #(#declared)* }
                #validate
            }
        }
        Def::Untagged { doc, variants } => {
            let doc = docs(doc);
            let declared = variants.iter().map(|(variant, ty)| {
                let variant = ident(variant);
                let ty = ty_tokens(ty);
                quote! { #variant(#ty), }
            });
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, ::glow_client::serde::Serialize, ::glow_client::serde::Deserialize)]
                #[serde(crate = #SERDE_CRATE, untagged)]
                pub enum #type_ident { #(#declared)* }
            }
        }
        Def::Alias { doc, ty } => {
            let doc = docs(doc);
            let ty = ty_tokens(ty);
            quote! {
                #doc
                pub type #type_ident = #ty;
            }
        }
        Def::Newtype { doc, ty } => {
            let doc = docs(doc);
            let check = space.validatable(ty).then(|| {
                quote! { ::glow_client::validate::Validate::check(&self.0, path)?; }
            });
            let ty = ty_tokens(ty);
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, ::glow_client::serde::Serialize, ::glow_client::serde::Deserialize)]
                #[serde(crate = #SERDE_CRATE, transparent)]
                pub struct #type_ident(pub #ty);
                impl ::glow_client::validate::Validate for #type_ident {
                    #[allow(unused_variables)]
                    fn check(&self, path: &str) -> ::std::result::Result<(), ::glow_client::validate::Invalid> {
                        #check
                        ::std::result::Result::Ok(())
                    }
                }
            }
        }
    }
}

/// `impl Validate` for a struct: each field's constraints, then the field's own checks (for the
/// generated types inside it), each at the field's path.
fn validate_impl(
    space: &TypeSpace,
    type_ident: &proc_macro2::Ident,
    fields: &[Field],
) -> TokenStream {
    let checks = field_checks(space, fields, |field| quote! { &self.#field });
    quote! {
        impl ::glow_client::validate::Validate for #type_ident {
            #[allow(unused_variables)]
            fn check(&self, path: &str) -> ::std::result::Result<(), ::glow_client::validate::Invalid> {
                #(#checks)*
                ::std::result::Result::Ok(())
            }
        }
    }
}

/// `impl Validate` for an internally tagged union: the fields of whichever variant it is.
fn tagged_validate_impl(
    space: &TypeSpace,
    type_ident: &proc_macro2::Ident,
    variants: &[TaggedVariant],
) -> TokenStream {
    let arms = variants.iter().map(|variant| {
        let variant_ident = ident(&variant.name);
        let bound: Vec<proc_macro2::Ident> =
            variant.fields.iter().map(|f| ident(&f.name)).collect();
        let checks = field_checks(space, &variant.fields, |field| quote! { #field });
        quote! {
            Self::#variant_ident { #(#bound),* } => { #(#checks)* }
        }
    });
    quote! {
        impl ::glow_client::validate::Validate for #type_ident {
            #[allow(unused_variables)]
            fn check(&self, path: &str) -> ::std::result::Result<(), ::glow_client::validate::Invalid> {
                match self { #(#arms)* }
                ::std::result::Result::Ok(())
            }
        }
    }
}

/// The checks of each field that has any: its constraints, then its own `Validate`; `value`
/// gives the expression of a reference to the field.
fn field_checks(
    space: &TypeSpace,
    fields: &[Field],
    value: impl Fn(&proc_macro2::Ident) -> TokenStream,
) -> Vec<TokenStream> {
    fields
        .iter()
        .filter_map(|field| {
            let field_ident = ident(&field.name);
            let wire = &field.wire;
            let constraints: Vec<TokenStream> = if measurable(&field.ty) {
                field.constraints.iter().map(constraint_check).collect()
            } else {
                Vec::new()
            };
            let nested = space.validatable(&field.ty).then(|| {
                quote! { ::glow_client::validate::Validate::check(value, &at)?; }
            });
            if constraints.is_empty() && nested.is_none() {
                return None;
            }
            let access = value(&field_ident);
            Some(quote! {
                {
                    let value = #access;
                    let at = ::glow_client::validate::join(path, #wire);
                    #(#constraints)*
                    #nested
                }
            })
        })
        .collect()
}

fn constraint_check(constraint: &Constraint) -> TokenStream {
    match constraint {
        Constraint::Length { min, max, noun } => {
            let max = match max {
                Some(max) => quote! { ::std::option::Option::Some(#max) },
                None => quote! { ::std::option::Option::None },
            };
            quote! { ::glow_client::validate::check_length(value, &at, #min, #max, #noun)?; }
        }
        Constraint::Bound {
            bound,
            limit,
            shown,
        } => {
            quote! { ::glow_client::validate::check_bound(value, &at, #bound, #limit, #shown)?; }
        }
        Constraint::Pattern(pattern) => {
            quote! { ::glow_client::validate::check_pattern(value, &at, #pattern)?; }
        }
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

/// A field's declaration, with its serde attributes; records a default function when needed.
fn struct_field(
    space: &TypeSpace,
    owner: &str,
    field: &Field,
    public: bool,
    defaults: &mut Vec<TokenStream>,
) -> TokenStream {
    let doc = docs(&field.doc);
    let field_ident = ident(&field.name);
    let rename = (serde_name(&field.name) != field.wire).then(|| {
        let wire = &field.wire;
        quote! { #[serde(rename = #wire)] }
    });
    let default_expr = field
        .default
        .as_ref()
        .filter(|_| field.optional)
        .and_then(|value| default_expr(space, &field.ty, value));
    let (ty, attributes) = match (&field.ty, field.optional, default_expr) {
        (ty, true, Some(_)) if defaults_empty(field) => {
            let is_empty = match ty {
                Ty::Vec(_) => "::std::vec::Vec::is_empty",
                Ty::Map(_) => "::std::collections::BTreeMap::is_empty",
                _ => "::glow_client::serde_json::Map::is_empty",
            };
            (
                ty.clone(),
                quote! { #[serde(default, skip_serializing_if = #is_empty)] },
            )
        }
        (ty, true, Some(expr)) => {
            let function = default_fn_name(owner, &field.name);
            let function_ident = ident(&function);
            let ty_tokens = ty_tokens(ty);
            defaults.push(quote! {
                pub(super) fn #function_ident() -> #ty_tokens {
                    #expr
                }
            });
            let path = format!("defaults::{function}");
            (ty.clone(), quote! { #[serde(default = #path)] })
        }
        (Ty::Option(_), true, None) => (
            field.ty.clone(),
            quote! { #[serde(default, skip_serializing_if = "::std::option::Option::is_none")] },
        ),
        (ty, true, None) => (
            Ty::Option(Box::new(ty.clone())),
            quote! { #[serde(default, skip_serializing_if = "::std::option::Option::is_none")] },
        ),
        (Ty::Option(_), false, _) => (
            field.ty.clone(),
            quote! { #[serde(deserialize_with = "::glow_client::nullable::deserialize")] },
        ),
        (ty, false, _) => (ty.clone(), quote! {}),
    };
    let ty = ty_tokens(&ty);
    let visibility = public.then(|| quote! { pub });
    quote! {
        #doc
        #rename
        #attributes
        #visibility #field_ident: #ty,
    }
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

/// An expression of type `ty` equal to the JSON `value`; `None` when the value does not fit.
fn default_expr(space: &TypeSpace, ty: &Ty, value: &Value) -> Option<TokenStream> {
    Some(match (ty, value) {
        (Ty::Option(_), Value::Null) => quote! { ::std::option::Option::None },
        (Ty::Option(inner), value) => {
            let inner = default_expr(space, inner, value)?;
            quote! { ::std::option::Option::Some(#inner) }
        }
        (Ty::Boxed(inner), value) => {
            let inner = default_expr(space, inner, value)?;
            quote! { ::std::boxed::Box::new(#inner) }
        }
        (Ty::String, Value::String(text)) => quote! { ::std::string::String::from(#text) },
        (Ty::Bool, Value::Bool(flag)) => quote! { #flag },
        (Ty::I64, Value::Number(n)) => {
            let n = Literal::i64_suffixed(n.as_i64()?);
            quote! { #n }
        }
        (Ty::I32, Value::Number(n)) => {
            let n = Literal::i32_suffixed(i32::try_from(n.as_i64()?).ok()?);
            quote! { #n }
        }
        (Ty::F64, Value::Number(n)) => {
            let n = Literal::f64_suffixed(n.as_f64()?);
            quote! { #n }
        }
        (Ty::Vec(inner), Value::Array(items)) => {
            let items = items
                .iter()
                .map(|item| default_expr(space, inner, item))
                .collect::<Option<Vec<_>>>()?;
            quote! { ::std::vec![#(#items),*] }
        }
        (Ty::Map(inner), Value::Object(entries)) => {
            let entries = entries
                .iter()
                .map(|(key, item)| {
                    let item = default_expr(space, inner, item)?;
                    Some(quote! { (::std::string::String::from(#key), #item) })
                })
                .collect::<Option<Vec<_>>>()?;
            quote! { ::std::collections::BTreeMap::from([#(#entries),*]) }
        }
        (Ty::Object, Value::Object(_)) | (Ty::Value, _) => {
            let json = value_tokens(value);
            match ty {
                Ty::Object => quote! {
                    match ::glow_client::serde_json::json!(#json) {
                        ::glow_client::serde_json::Value::Object(map) => map,
                        _ => ::glow_client::serde_json::Map::new(),
                    }
                },
                _ => quote! { ::glow_client::serde_json::json!(#json) },
            }
        }
        (Ty::Named(name), value) => match (space.defs.get(name)?, value) {
            (Def::StringEnum { variants, .. }, Value::String(text)) => {
                let (variant, _) = variants.iter().find(|(_, wire)| wire == text)?;
                let type_ident = ident(name);
                let variant = ident(variant);
                quote! { #type_ident::#variant }
            }
            (Def::IntEnum { variants, .. }, Value::Number(n)) => {
                let (variant, _) = variants.iter().find(|(_, v)| Some(*v) == n.as_i64())?;
                let type_ident = ident(name);
                let variant = ident(variant);
                quote! { #type_ident::#variant }
            }
            (
                Def::Const {
                    value: constant, ..
                },
                value,
            ) if constant == value => {
                let type_ident = ident(name);
                quote! { #type_ident }
            }
            (Def::Alias { ty, .. }, value) => default_expr(space, ty, value)?,
            (Def::Newtype { ty, .. }, value) => {
                let type_ident = ident(name);
                let inner = default_expr(space, ty, value)?;
                quote! { #type_ident(#inner) }
            }
            _ => return None,
        },
        _ => return None,
    })
}

/// The tokens `serde_json::json!` needs to build `value`.
pub fn value_tokens(value: &Value) -> TokenStream {
    match value {
        Value::Null => quote! { null },
        Value::Bool(flag) => quote! { #flag },
        Value::Number(n) => {
            let literal: TokenStream = n.to_string().parse().unwrap_or_else(|_| quote! { null });
            literal
        }
        Value::String(text) => quote! { #text },
        Value::Array(items) => {
            let items = items.iter().map(value_tokens);
            quote! { [#(#items),*] }
        }
        Value::Object(entries) => {
            let entries = entries.iter().map(|(key, item)| {
                let item = value_tokens(item);
                quote! { #key: #item }
            });
            quote! { { #(#entries),* } }
        }
    }
}
