//! `pub enum ServerEvent`: every push the server sends while running a socket operation, typed.

use proc_macro2::TokenStream;
use quote::quote;

use super::operations::Named;
use super::render::ty_tokens_outside;
use super::typespace::{Def, Ty, TypeSpace};
use crate::ident::{Scope, ident, pascal_case};
use crate::naming::{push_event, push_prefixes};

const STAGES: &[&str] = &["started", "progress", "completed", "failed"];

/// `ServerEvent` with `NAMES`, `parse` and `name`.
pub fn server_event(names: &[Named<'_>], space: &TypeSpace) -> TokenStream {
    let mut variants = Vec::new();
    let mut arms = Vec::new();
    let mut name_arms = Vec::new();
    let mut all_names = Vec::new();
    let mut scope = Scope::default();
    scope.claim("Other");
    for named in names {
        let operation = named.operation;
        let Some(event) = named.client_event() else {
            continue;
        };
        let completed = completed_type(operation, space);
        let prefixes = push_prefixes(event, &named.rust_name);
        for stage in STAGES {
            let variant = ident(&scope.claim(&format!("{}{}", named.variant, pascal_case(stage))));
            let payload = match *stage {
                "started" => quote! { ::glow_client::push::Started },
                "progress" => quote! { ::glow_client::push::Progress },
                "completed" => quote! { ::glow_client::push::Completed<#completed> },
                _ => quote! { ::glow_client::push::Failed },
            };
            let doc = format!(" `{}`", push_event(&named.rust_name, stage));
            variants.push(quote! { #[doc = #doc] #variant(#payload), });
            let pushed: Vec<String> = prefixes
                .iter()
                .map(|prefix| push_event(prefix, stage))
                .collect();
            arms.push(quote! { #(#pushed)|* => Self::#variant(::glow_client::push::decode(event, payload)?), });
            let first = &pushed[0];
            name_arms.push(quote! { Self::#variant(_) => #first, });
            all_names.extend(pushed);
        }
    }
    quote! {
        /// A push from the server: the stages of every socket operation, typed, and anything else.
        #[derive(Debug, Clone, PartialEq)]
        #[allow(dead_code)]
        pub enum ServerEvent {
            #(#variants)*
            /// A push this manifest does not name.
            Other {
                /// The event name.
                event: ::std::string::String,
                /// Its payload.
                payload: ::glow_client::serde_json::Value,
            },
        }

        #[allow(clippy::match_single_binding)]
        #[allow(dead_code)]
        impl ServerEvent {
            /// Every push name, so that a socket.io client can register a handler for each.
            pub const NAMES: &'static [&'static str] = &[#(#all_names),*];

            /// The typed push for `event`; [`ServerEvent::Other`] for names the manifest does not know.
            pub fn parse(event: &str, payload: ::glow_client::serde_json::Value) -> ::std::result::Result<Self, ::glow_client::Error> {
                ::std::result::Result::Ok(match event {
                    #(#arms)*
                    _ => Self::Other { event: event.to_owned(), payload },
                })
            }

            /// The push's event name.
            pub fn name(&self) -> &str {
                match self {
                    #(#name_arms)*
                    Self::Other { event, .. } => event,
                }
            }
        }
    }
}

/// What `.completed` spreads in: the HTTP twin's response type when it is an object; else any fields.
pub(super) fn completed_type(
    operation: &crate::model::Operation,
    space: &TypeSpace,
) -> TokenStream {
    match completed_struct(operation, space) {
        Some(rust) => ty_tokens_outside(&Ty::Named(rust.to_owned())),
        None => {
            quote! { ::glow_client::serde_json::Map<::std::string::String, ::glow_client::serde_json::Value> }
        }
    }
}

/// The Rust name of the struct `.completed` spreads in: the HTTP twin's response, when it is an
/// object.
pub(super) fn completed_struct<'s>(
    operation: &crate::model::Operation,
    space: &'s TypeSpace,
) -> Option<&'s str> {
    let rust = operation
        .http
        .as_ref()
        .and_then(|route| route.response.as_ref())
        .and_then(|response| response.type_name.as_deref())
        .and_then(|name| space.rust_name(name))?;
    matches!(space.defs.get(rust), Some(Def::Struct { .. })).then_some(rust)
}
