//! The operation list and the two call surfaces: `Operation`, `SocketApi` (for any
//! `glow_client::Emit`) and `HttpApi` (for any `glow_client::Call`).

use proc_macro2::TokenStream;
use quote::quote;

use super::render::ty_tokens_outside;
use super::typespace::{Ty, TypeSpace};
use crate::ident::{Scope, ident, pascal_case, type_name, value_name};
use crate::model::{Api, Auth, HttpRoute, Operation, Parameter, ParameterLocation};
use crate::naming::rust_name;

/// One operation and the names generated code knows it by, decided once per emission.
pub struct Named<'a> {
    /// The operation.
    pub operation: &'a Operation,
    /// Its [`rust_name`]: `attempt.chat_message`.
    pub rust_name: String,
    /// Its `Operation` variant: `AttemptChatMessage`.
    pub variant: String,
    /// Its method in `SocketApi` and `HttpApi`: `attempt_chat_message`.
    pub method: String,
}

impl Named<'_> {
    /// The event a generated client emits for this operation: its registered event, when it is
    /// in the default namespace (the one the generated client speaks to).
    pub fn client_event(&self) -> Option<&str> {
        self.operation
            .event
            .as_deref()
            .filter(|_| self.operation.namespace.is_none())
    }
}

/// Every operation of `api` with a unique variant and method name, in manifest order.
pub fn names(api: &Api) -> Vec<Named<'_>> {
    let mut variants = Scope::default();
    let mut methods = Scope::default();
    api.operations
        .iter()
        .map(|operation| {
            let rust_name = rust_name(operation);
            Named {
                operation,
                variant: variants.claim(&type_name(&rust_name)),
                method: methods.claim(&value_name(&rust_name)),
                rust_name,
            }
        })
        .collect()
}

/// The Rust type of every HTTP parameter, by operation (its place in `names`) and parameter
/// (its place in the route): defined before anything is rendered, so that the type space is
/// complete whatever the order emitters run in.
pub struct ParameterTypes {
    types: std::collections::HashMap<(usize, usize), Ty>,
}

impl ParameterTypes {
    /// Defines the types of every route's parameters in `space`.
    pub fn define(names: &[Named<'_>], space: &mut TypeSpace) -> ParameterTypes {
        let mut types = std::collections::HashMap::new();
        for (index, named) in names.iter().enumerate() {
            let Some(route) = &named.operation.http else {
                continue;
            };
            let hint = pascal_case(&named.method);
            for (position, parameter) in ordered_parameters(route) {
                let ty = space.ty(
                    &parameter.schema,
                    &format!("{hint}{}", pascal_case(&parameter.name)),
                    &format!("{}({})", named.method, parameter.name),
                );
                types.insert((index, position), ty);
            }
        }
        ParameterTypes { types }
    }

    fn get(&self, operation: usize, parameter: usize) -> Ty {
        self.types
            .get(&(operation, parameter))
            .cloned()
            .unwrap_or(Ty::Value)
    }
}

/// How a parameter of type `ty` is passed: `Copy` scalars by value (`bool`, `i64`, `Uuid`, dates),
/// strings as `&str`, everything else by reference.
fn passed(ty: &Ty) -> TokenStream {
    match ty {
        Ty::Bool | Ty::I64 | Ty::I32 | Ty::F64 | Ty::Uuid | Ty::Date | Ty::Time | Ty::DateTime => {
            ty_tokens_outside(ty)
        }
        Ty::String => quote! { &str },
        other => {
            let ty = ty_tokens_outside(other);
            quote! { &#ty }
        }
    }
}

/// A route's parameters with their places in the route, in argument order: path parameters in
/// the order the path names them, then query parameters, headers and cookies.
fn ordered_parameters(route: &HttpRoute) -> Vec<(usize, &Parameter)> {
    let mut parameters: Vec<(usize, &Parameter)> = route.parameters.iter().enumerate().collect();
    parameters.sort_by_key(|(_, p)| match p.location {
        ParameterLocation::Path => (
            0,
            route
                .path
                .find(&format!("{{{}}}", p.name))
                .unwrap_or(usize::MAX),
        ),
        ParameterLocation::Query => (2, 0),
        ParameterLocation::Header => (3, 0),
        ParameterLocation::Cookie => (4, 0),
    });
    parameters
}

/// `pub enum Operation` with `ALL`, `name`, `ws_event` and `http`.
pub fn operation_enum(names: &[Named<'_>]) -> TokenStream {
    let variants: Vec<_> = names.iter().map(|named| ident(&named.variant)).collect();
    let rows: Vec<(&Operation, &proc_macro2::Ident)> = names
        .iter()
        .zip(&variants)
        .map(|(named, variant)| (named.operation, variant))
        .collect();
    let docs = rows.iter().map(|(operation, _)| {
        let doc = format!(" `{}`", operation.name);
        quote! { #[doc = #doc] }
    });
    let name_arms = rows.iter().map(|(operation, variant)| {
        let name = &operation.name;
        quote! { Self::#variant => #name, }
    });
    let event_arms = rows
        .iter()
        .map(|(operation, variant)| match &operation.event {
            Some(event) => quote! { Self::#variant => ::std::option::Option::Some(#event), },
            None => quote! { Self::#variant => ::std::option::Option::None, },
        });
    let http_arms = rows
        .iter()
        .map(|(operation, variant)| match &operation.http {
            Some(route) => {
                let (method, path) = (&route.method, &route.path);
                quote! { Self::#variant => ::std::option::Option::Some((#method, #path)), }
            }
            None => quote! { Self::#variant => ::std::option::Option::None, },
        });
    quote! {
        /// Every operation the server offers.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[allow(dead_code)]
        pub enum Operation {
            #(#docs #variants,)*
        }

        #[allow(dead_code)]
        impl Operation {
            /// Every operation, in manifest order.
            pub const ALL: &'static [Operation] = &[#(Operation::#variants),*];

            /// The operation's name in the manifest.
            pub fn name(self) -> &'static str {
                match self { #(#name_arms)* }
            }

            /// The event name the server registers (what goes on the wire), if it has a socket handler.
            pub fn ws_event(self) -> ::std::option::Option<&'static str> {
                match self { #(#event_arms)* }
            }

            /// The HTTP method and path, if it has a route.
            pub fn http(self) -> ::std::option::Option<(&'static str, &'static str)> {
                match self { #(#http_arms)* }
            }
        }
    }
}

/// `pub trait SocketApi`, one method per socket operation.
pub fn socket_api(api: &Api, names: &[Named<'_>], space: &TypeSpace) -> TokenStream {
    let methods = names.iter().filter_map(|named| {
        let operation = named.operation;
        let event = named.client_event()?;
        let method = ident(&named.method);
        let (parameter, payload) = payload_argument(operation, event, space);
        let parameter = parameter.map(|p| quote! { , #p });
        let source = operation.source.as_deref().map(|s| format!(" (`{s}`)")).unwrap_or_default();
        let unknown = operation.request_unknown.as_deref().map(|reason| {
            let line = format!(" The payload's shape is not known from the server's code ({reason}): check what the handler expects.");
            quote! { #[doc = ""] #[doc = #line] }
        });
        let ack = operation.ack.as_deref().and_then(|name| space.rust_name(name));
        Some(match ack {
            Some(ack) => {
                let returns = format!(" Returns the handler's return value, `types::{ack}`.");
                let ack = ty_tokens_outside(&Ty::Named(ack.to_owned()));
                let doc = format!(" Emits `{event}`{source} and waits up to `timeout` for its acknowledgement.");
                quote! {
                    #[doc = #doc]
                    #[doc = ""]
                    #[doc = #returns]
                    #unknown
                    fn #method(&self #parameter, timeout: ::std::time::Duration) -> ::std::result::Result<#ack, ::glow_client::Error> {
                        let ack = self.emit_with_ack(#event, #payload, timeout)?;
                        ::glow_client::socket::ack(#event, ack)
                    }
                }
            }
            None => {
                let doc = format!(" Emits `{event}`{source}.");
                let carried = match super::events::completed_struct(operation, space) {
                    Some(rust) => format!("carrying `types::{rust}`"),
                    None => "carrying any fields".to_owned(),
                };
                let completed = crate::naming::push_event(&named.rust_name, "completed");
                let returns = format!(
                    " The result arrives as the `{completed}` push ({carried}), or a `.failed` \
                     push; `SocketCalls::call_{}` emits and waits for it.",
                    named.method
                );
                quote! {
                    #[doc = #doc]
                    #[doc = ""]
                    #[doc = #returns]
                    #unknown
                    fn #method(&self #parameter) -> ::std::result::Result<(), ::glow_client::Error> {
                        self.emit(#event, #payload)
                    }
                }
            }
        })
    });
    let auth = socket_auth_doc(api).map(|line| quote! { #[doc = ""] #[doc = #line] });
    quote! {
        /// One method per socket operation, sending the event name the server registers.
        /// Implemented for every [`::glow_client::Emit`].
        #auth
        #[allow(dead_code)]
        pub trait SocketApi: ::glow_client::Emit {
            #(#methods)*
        }

        impl<T: ::glow_client::Emit + ?Sized> SocketApi for T {}
    }
}

/// A socket method's payload parameter (`payload: &Type`, none when the handler takes no
/// payload) and the expression that sends it.
pub(super) fn payload_argument(
    operation: &Operation,
    event: &str,
    space: &TypeSpace,
) -> (Option<TokenStream>, TokenStream) {
    let Some(rust) = operation
        .request
        .as_deref()
        .and_then(|name| space.rust_name(name))
    else {
        return (None, quote! { ::std::option::Option::None });
    };
    let named = Ty::Named(rust.to_owned());
    let ty = ty_tokens_outside(&named);
    // Checked against its constraints first: an invalid payload never leaves the process.
    let validation = space.validatable(&named).then(|| {
        let what = format!("the payload of `{event}`");
        quote! { ::glow_client::validate::before_sending(self.validates_payloads(), #what, payload)?; }
    });
    (
        Some(quote! { payload: &#ty }),
        quote! {{
            #validation
            ::std::option::Option::Some(::glow_client::socket::payload(#event, payload)?)
        }},
    )
}

/// `pub trait HttpApi`, one method per HTTP operation.
pub fn http_api(
    api: &Api,
    names: &[Named<'_>],
    parameters: &ParameterTypes,
    space: &TypeSpace,
) -> TokenStream {
    let mut methods = Vec::new();
    for (index, named) in names.iter().enumerate() {
        let Some(route) = &named.operation.http else {
            continue;
        };
        let types = |position: usize| parameters.get(index, position);
        methods.push(http_method(route, &named.method, &api.auth, &types, space));
    }
    quote! {
        /// One method per HTTP operation, named as its socket twin. Implemented for every
        /// [`::glow_client::Call`].
        #[allow(clippy::too_many_arguments)]
        #[allow(dead_code)]
        pub trait HttpApi: ::glow_client::Call {
            #(#methods)*
        }

        impl<T: ::glow_client::Call + ?Sized> HttpApi for T {}
    }
}

/// How the server authenticates sockets, for `SocketApi`'s doc.
fn socket_auth_doc(api: &Api) -> Option<String> {
    let auth = api.auth.socket.as_ref()?;
    let keys: Vec<String> = auth
        .keys
        .iter()
        .map(|key| format!("`auth.{key}`"))
        .collect();
    let how = if auth.keys == ["token"] {
        ": `glow_client::Socket::builder(url).bearer(token)` sends `{\"token\": \"Bearer <token>\"}`"
    } else {
        ""
    };
    Some(format!(
        " The server reads {} from the socket.io auth payload at connect (`{}`){how}.",
        keys.join(", "),
        auth.source
    ))
}

/// What an HTTP method returns and how it fails, for its doc: the success status and type, then
/// each documented error status with its type.
fn returns_doc(route: &HttpRoute, space: &TypeSpace) -> String {
    let shown = |type_name: Option<&str>, media: Option<&str>| match type_name
        .and_then(|name| space.rust_name(name))
    {
        Some(rust) => format!("`types::{rust}`"),
        None if media.is_some_and(|m| !is_json(m)) => "the bytes".to_owned(),
        None if media.is_some() => "any JSON".to_owned(),
        None => "nothing".to_owned(),
    };
    let success = match &route.response {
        Some(response) => format!(
            " Returns {} on `{}`",
            shown(
                response.type_name.as_deref(),
                response.media_type.as_deref()
            ),
            response.status
        ),
        None => " Returns nothing".to_owned(),
    };
    let errors: Vec<String> = route
        .errors
        .iter()
        .map(
            |error| match error.type_name.as_deref().and_then(|n| space.rust_name(n)) {
                Some(rust) => format!("`{}` (`types::{rust}`)", error.status),
                None => format!("`{}`", error.status),
            },
        )
        .collect();
    let failures = " Failures are `Error::Unauthorized` (401, 403), `Error::Invalid` (422) or \
                    `Error::Status` (any other status).";
    if errors.is_empty() {
        format!("{success}.{failures}")
    } else {
        format!(
            "{success}; documented errors: {}.{failures}",
            errors.join(", ")
        )
    }
}

/// How a route authenticates, for its method's doc.
fn route_auth_doc(route: &HttpRoute, auth: &Auth) -> Option<String> {
    let ways: Vec<String> = route
        .security
        .iter()
        .map(|name| match auth.http.get(name) {
            Some(scheme) => format!("{} (`{name}`)", scheme.describe()),
            None => format!("`{name}`"),
        })
        .collect();
    if ways.is_empty() {
        return None;
    }
    let bearer = route.security.iter().any(|name| {
        auth.http
            .get(name)
            .and_then(|scheme| scheme.scheme.as_deref())
            .is_some_and(|scheme| scheme.eq_ignore_ascii_case("bearer"))
    });
    let how = if bearer {
        "; `glow_client::Http::builder(url).bearer(token)` sends it"
    } else {
        ""
    };
    Some(format!(" Authenticated: send {}{how}.", ways.join(" or ")))
}

fn http_method(
    route: &HttpRoute,
    method: &str,
    auth: &Auth,
    parameter_type: &dyn Fn(usize) -> Ty,
    space: &TypeSpace,
) -> TokenStream {
    let method_ident = ident(method);
    let http_method = route.method.as_str();
    let path = route.path.as_str();
    let mut scope = Scope::default();
    for reserved in ["self", "request", "body"] {
        scope.claim(reserved);
    }
    let mut arguments = Vec::new();
    let mut path_values = Vec::new();
    let mut builders = Vec::new();

    // Path parameters in the order the path names them, then the body, then query and headers.
    let (in_path, others): (Vec<_>, Vec<_>) = ordered_parameters(route)
        .into_iter()
        .partition(|(_, p)| p.location == ParameterLocation::Path);
    let mut path_arguments = Vec::new();
    let mut other_arguments = Vec::new();
    for (position, parameter) in in_path.iter().chain(&others) {
        let argument = ident(&scope.claim(&value_name(&parameter.name)));
        let ty = parameter_type(*position);
        let wire = &parameter.name;
        let required = parameter.required || parameter.location == ParameterLocation::Path;
        let declared = match (&ty, required) {
            // A parameter that may be null (or also absent) is one `Option`.
            (Ty::Option(inner), _) => {
                let inner = passed(inner);
                quote! { #argument: ::std::option::Option<#inner> }
            }
            (ty, true) => {
                let ty = passed(ty);
                quote! { #argument: #ty }
            }
            (ty, false) => {
                let ty = passed(ty);
                quote! { #argument: ::std::option::Option<#ty> }
            }
        };
        match parameter.location {
            ParameterLocation::Path => {
                path_arguments.push(declared);
                path_values.push((
                    parameter.name.clone(),
                    quote! { ::glow_client::http::segment(#wire, &#argument)? },
                ));
            }
            ParameterLocation::Query => {
                other_arguments.push(declared);
                builders.push(quote! { let request = request.query(#wire, &#argument)?; });
            }
            ParameterLocation::Header => {
                other_arguments.push(declared);
                builders.push(quote! { let request = request.header(#wire, &#argument)?; });
            }
            ParameterLocation::Cookie => {
                other_arguments.push(declared);
                builders.push(quote! { let request = request.cookie(#wire, &#argument)?; });
            }
        }
    }
    arguments.extend(path_arguments);
    if let Some(body) = &route.body {
        body_argument(body, space, &mut arguments, &mut builders);
    }
    arguments.extend(other_arguments);

    let (template, values) = path_template(path, &path_values);
    let path_expr = if values.is_empty() {
        quote! { ::std::string::String::from(#template) }
    } else {
        quote! { ::std::format!(#template, #(#values),*) }
    };
    let (output, finish) = match &route.response {
        Some(response) => match (&response.media_type, &response.type_name) {
            (Some(media), Some(type_name)) if is_json(media) => {
                let ty = space
                    .rust_name(type_name)
                    .map_or(quote! { ::glow_client::serde_json::Value }, |rust| {
                        ty_tokens_outside(&Ty::Named(rust.to_owned()))
                    });
                (ty, quote! { .json(#http_method, #path) })
            }
            (Some(media), None) if is_json(media) => (
                quote! { ::glow_client::serde_json::Value },
                quote! { .json(#http_method, #path) },
            ),
            (Some(_), _) => (
                quote! { ::std::vec::Vec<u8> },
                quote! { .bytes(#http_method, #path) },
            ),
            (None, _) => (quote! { () }, quote! { .empty(#http_method, #path) }),
        },
        None => (quote! { () }, quote! { .empty(#http_method, #path) }),
    };
    let doc = format!(" `{http_method} {path}`");
    let returns = returns_doc(route, space);
    let auth = route_auth_doc(route, auth).map(|line| quote! { #[doc = ""] #[doc = #line] });
    quote! {
        #[doc = #doc]
        #[doc = ""]
        #[doc = #returns]
        #auth
        fn #method_ident(&self, #(#arguments),*) -> ::std::result::Result<#output, ::glow_client::Error> {
            let request = ::glow_client::HttpRequest::new(#http_method, #path_expr);
            #(#builders)*
            self.call(request)? #finish
        }
    }
}

/// The `body` argument and the line that puts it in the request.
fn body_argument(
    body: &crate::model::Body,
    space: &TypeSpace,
    arguments: &mut Vec<TokenStream>,
    builders: &mut Vec<TokenStream>,
) {
    let ty = body
        .type_name
        .as_deref()
        .and_then(|t| space.rust_name(t))
        .map_or(quote! { ::glow_client::serde_json::Value }, |rust| {
            ty_tokens_outside(&Ty::Named(rust.to_owned()))
        });
    let media = body.media_type.as_str();
    let validatable = body
        .type_name
        .as_deref()
        .and_then(|t| space.rust_name(t))
        .is_some_and(|rust| space.validatable(&Ty::Named(rust.to_owned())));
    let validation = validatable.then(|| {
        quote! { ::glow_client::validate::before_sending(self.validates_payloads(), "the request body", &body)?; }
    });
    if body.required {
        arguments.push(quote! { body: &#ty });
        builders.insert(
            0,
            quote! { #validation let request = request.body(#media, body)?; },
        );
    } else {
        arguments.push(quote! { body: ::std::option::Option<&#ty> });
        builders.insert(
            0,
            quote! {
                #validation
                let request = match body {
                    ::std::option::Option::Some(body) => request.body(#media, body)?,
                    ::std::option::Option::None => request,
                };
            },
        );
    }
}

fn is_json(media: &str) -> bool {
    media == "application/json" || media.ends_with("+json") || media.contains("json")
}

/// The path as a `format!` template (`/persona/{}`), and the values for its placeholders.
fn path_template(path: &str, values: &[(String, TokenStream)]) -> (String, Vec<TokenStream>) {
    let mut template = String::new();
    let mut ordered = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let name = &rest[open + 1..open + close];
        template.push_str(&rest[..open].replace('}', "}}"));
        match values.iter().find(|(n, _)| n == name) {
            Some((_, value)) => {
                template.push_str("{}");
                ordered.push(value.clone());
            }
            None => {
                template.push_str("{{");
                template.push_str(name);
                template.push_str("}}");
            }
        }
        rest = &rest[open + close + 1..];
    }
    template.push_str(&rest.replace('{', "{{").replace('}', "}}"));
    (template, ordered)
}
