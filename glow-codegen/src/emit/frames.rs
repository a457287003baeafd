//! Tagged-frame protocols: one enum per direction (`ClientMessage`, `ServerMessage`), a variant
//! per tag value holding the frame's struct, and `Other` for a tag the manifest does not name —
//! so that a peer newer than the manifest never breaks the decoding of the rest of a stream.

use proc_macro2::TokenStream;
use quote::quote;

use super::render::ty_tokens_outside;
use super::typespace::{Ty, TypeSpace};
use crate::ident::{Scope, ident, type_name};
use crate::model::{FrameProtocol, Frames};

/// The frame enums of every protocol.
pub fn frame_enums(protocols: &[FrameProtocol], space: &TypeSpace) -> TokenStream {
    let enums = protocols.iter().flat_map(|protocol| {
        [
            ("the client sends", &protocol.client),
            ("the server sends", &protocol.server),
        ]
        .map(|(direction, frames)| frame_enum(protocol, direction, frames, space))
    });
    quote! { #(#enums)* }
}

fn frame_enum(
    protocol: &FrameProtocol,
    direction: &str,
    frames: &Frames,
    space: &TypeSpace,
) -> TokenStream {
    let name = ident(&type_name(&frames.enum_name));
    let tag = frames.tag.as_str();
    let mut scope = Scope::with_taken(["Other"]);
    let rows: Vec<(proc_macro2::Ident, &str, TokenStream)> = frames
        .frames
        .iter()
        .filter_map(|(value, type_name_)| {
            let rust = space.rust_name(type_name_)?;
            let variant = ident(&scope.claim(&type_name(value)));
            Some((
                variant,
                value.as_str(),
                ty_tokens_outside(&Ty::Named(rust.to_owned())),
            ))
        })
        .collect();
    let version = protocol
        .version
        .map(|v| format!(" v{v}"))
        .unwrap_or_default();
    let doc = format!(
        " A frame {direction} in the `{}`{version} protocol: a JSON object tagged by `{tag}`. A \
         tag this manifest does not name decodes as [`{}::Other`], the frame kept as it came.",
        protocol.name, frames.enum_name
    );
    let variants = rows.iter().map(|(variant, value, ty)| {
        let doc = format!(" `{{\"{tag}\": \"{value}\", ...}}`");
        quote! { #[doc = #doc] #variant(#ty), }
    });
    let tags = rows.iter().map(|(_, value, _)| value);
    let tag_arms = rows
        .iter()
        .map(|(variant, value, _)| quote! { Self::#variant(_) => #value, });
    let serialize_arms = rows.iter().map(|(variant, value, _)| {
        quote! { Self::#variant(frame) => (#value, ::glow_client::serde_json::to_value(frame)), }
    });
    let deserialize_arms = rows.iter().map(|(variant, value, _)| {
        quote! { #value => Self::#variant(decode(frame)?), }
    });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        #[allow(dead_code)]
        pub enum #name {
            #(#variants)*
            /// A frame whose tag this manifest does not name, as it came.
            Other {
                /// The tag's value.
                tag: ::std::string::String,
                /// The whole frame.
                frame: ::glow_client::serde_json::Value,
            },
        }

        #[allow(dead_code)]
        impl #name {
            /// Every tag value this manifest names.
            pub const TAGS: &'static [&'static str] = &[#(#tags),*];

            /// The frame's tag value.
            pub fn tag(&self) -> &str {
                match self {
                    #(#tag_arms)*
                    Self::Other { tag, .. } => tag,
                }
            }
        }

        impl ::glow_client::serde::Serialize for #name {
            fn serialize<S: ::glow_client::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                let (tag, body) = match self {
                    #(#serialize_arms)*
                    Self::Other { frame, .. } => {
                        return ::glow_client::serde::Serialize::serialize(frame, serializer);
                    }
                };
                let mut body = body.map_err(<S::Error as ::glow_client::serde::ser::Error>::custom)?;
                if let ::std::option::Option::Some(object) = body.as_object_mut() {
                    object.insert(#tag.to_owned(), tag.into());
                }
                ::glow_client::serde::Serialize::serialize(&body, serializer)
            }
        }

        impl<'de> ::glow_client::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::glow_client::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                use ::glow_client::serde::de::Error as _;
                let frame: ::glow_client::serde_json::Value =
                    ::glow_client::serde::Deserialize::deserialize(deserializer)?;
                let tag = match frame.get(#tag).and_then(|tag| tag.as_str()) {
                    ::std::option::Option::Some(tag) => tag.to_owned(),
                    ::std::option::Option::None => {
                        return ::std::result::Result::Err(D::Error::custom(
                            ::std::concat!("a frame without a string `", #tag, "`"),
                        ));
                    }
                };
                fn decode<T: ::glow_client::serde::de::DeserializeOwned, E: ::glow_client::serde::de::Error>(
                    mut frame: ::glow_client::serde_json::Value,
                ) -> ::std::result::Result<T, E> {
                    if let ::std::option::Option::Some(object) = frame.as_object_mut() {
                        object.remove(#tag);
                    }
                    ::glow_client::serde_json::from_value(frame).map_err(E::custom)
                }
                ::std::result::Result::Ok(match tag.as_str() {
                    #(#deserialize_arms)*
                    _ => Self::Other { tag, frame },
                })
            }
        }
    }
}
