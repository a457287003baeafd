//! `pub trait SocketCalls`: each pushing socket operation as a call — emit it, then wait for its
//! own `.completed` (the typed result) or `.failed` push. The socket twin of `HttpApi`.

use proc_macro2::TokenStream;
use quote::quote;

use super::events::completed_type;
use super::operations::{Named, payload_argument};
use super::typespace::TypeSpace;
use crate::ident::ident;
use crate::naming::{push_event, push_prefixes};

/// `SocketCalls`, one `call_<operation>` per socket operation that answers with pushes (not an
/// acknowledgement), for every [`glow_client::RunOperation`].
pub fn socket_calls(names: &[Named<'_>], space: &TypeSpace) -> TokenStream {
    let methods = names.iter().filter_map(|named| {
        let operation = named.operation;
        let event = named.client_event()?;
        if operation.ack.is_some() {
            return None;
        }
        let method = ident(&format!("call_{}", named.method));
        let (parameter, payload) = payload_argument(operation, event, space);
        let parameter = parameter.map(|p| quote! { #p, });
        let completed = completed_type(operation, space);
        let pushed = push_prefixes(event, &named.rust_name);
        let completed_name = push_event(&named.rust_name, "completed");
        let doc = format!(
            " Emits `{event}` and waits up to `timeout` for its `{completed_name}` push (the \
             result) or `.failed` push ([`::glow_client::Error::Failed`])."
        );
        Some(quote! {
            #[doc = #doc]
            fn #method(&self, #parameter timeout: ::std::time::Duration)
                -> ::std::result::Result<::glow_client::push::Completed<#completed>, ::glow_client::Error>
            {
                let completed = self.run_operation(#event, #payload, &[#(#pushed),*], timeout)?;
                ::glow_client::push::decode(#completed_name, completed)
            }
        })
    });
    quote! {
        /// Each socket operation that answers with pushes, as a call: emit it and wait for its own
        /// outcome, leaving every other push to `next_push`. Implemented for every
        /// [`::glow_client::RunOperation`] (such as `glow_client::Socket`).
        #[allow(dead_code)]
        pub trait SocketCalls: ::glow_client::RunOperation {
            #(#methods)*
        }

        impl<T: ::glow_client::RunOperation + ?Sized> SocketCalls for T {}
    }
}
