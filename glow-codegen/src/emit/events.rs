//! `pub enum ServerEvent`: every push the server sends while running a socket operation, typed.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::operations::Named;
use super::render::ty_tokens_outside;
use super::typespace::{Def, Ty, TypeSpace};
use crate::ident::{Scope, ident, pascal_case, type_name};
use crate::model::{Operation, Push};
use crate::naming::{PUSH_STAGES, push_event, push_prefixes, push_stage, push_suffix};

/// `ServerEvent` with `NAMES`, `parse` and `name`: a variant for each push an operation's
/// handler is read to send, the four stages of each operation whose pushes are not known, and
/// one variant per event name however many operations push it.
pub fn server_event(names: &[Named<'_>], space: &TypeSpace) -> TokenStream {
    let mut variants = Vec::new();
    let mut arms = Vec::new();
    let mut name_arms = Vec::new();
    let mut all_names: Vec<String> = Vec::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut scope = Scope::default();
    scope.claim("Other");
    for named in names {
        let operation = named.operation;
        let Some(event) = named.client_event() else {
            continue;
        };
        let prefixes = push_prefixes(event, &named.rust_name);
        // (variant, the events it parses, what it carries)
        let pushes: Vec<(String, Vec<String>, TokenStream)> = match &operation.pushes {
            None => PUSH_STAGES
                .iter()
                .map(|stage| {
                    let events = prefixes.iter().map(|p| push_event(p, stage)).collect();
                    let variant = format!("{}{}", named.variant, pascal_case(stage));
                    (variant, events, stage_payload(stage, operation, space))
                })
                .collect(),
            Some(pushes) => pushes
                .iter()
                .map(|push| {
                    let rest = push_suffix(&push.event, &prefixes);
                    let payload = match push_stage(&push.event, &prefixes) {
                        Some(stage) => stage_payload(stage, operation, space),
                        None => push_payload(push, space),
                    };
                    let variant = match rest {
                        Some(rest) => format!("{}{}", named.variant, type_name(rest)),
                        None => type_name(&push.event),
                    };
                    (variant, vec![push.event.clone()], payload)
                })
                .collect(),
        };
        for (variant, events, payload) in pushes {
            let events: Vec<String> = events
                .into_iter()
                .filter(|e| seen.insert(e.clone()))
                .collect();
            let Some(first) = events.first().cloned() else {
                continue;
            };
            let variant = ident(&scope.claim(&variant));
            let doc = format!(" `{first}`");
            variants.push(quote! { #[doc = #doc] #variant(#payload), });
            arms.push(quote! { #(#events)|* => Self::#variant(::glow_client::push::decode(event, payload)?), });
            name_arms.push(quote! { Self::#variant(_) => #first, });
            all_names.extend(events);
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

/// What a stage's push carries: the envelope, progress counts, the envelope with the result
/// spread in, or the failure.
fn stage_payload(stage: &str, operation: &Operation, space: &TypeSpace) -> TokenStream {
    match stage {
        "started" => quote! { ::glow_client::push::Started },
        "progress" => quote! { ::glow_client::push::Progress },
        "completed" => {
            let completed = completed_type(operation, space);
            quote! { ::glow_client::push::Completed<#completed> }
        }
        _ => quote! { ::glow_client::push::Failed },
    }
}

/// What another push carries: the type of its literal keys, else any JSON.
fn push_payload(push: &Push, space: &TypeSpace) -> TokenStream {
    match push
        .payload
        .as_deref()
        .and_then(|name| space.rust_name(name))
    {
        Some(rust) => ty_tokens_outside(&Ty::Named(rust.to_owned())),
        None => quote! { ::glow_client::serde_json::Value },
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
