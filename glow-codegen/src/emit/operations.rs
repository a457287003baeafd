//! The operation list and the two call surfaces: `Operation`, `SocketApi` (for any
//! `glow_client::Emit`) and `HttpApi` (for any `glow_client::Call`).

use std::borrow::Cow;

use super::code::{Code, flat, string};
use super::render::{named_or_any_outside, ty_text_outside};
use super::typespace::{Ty, TypeSpace};
use crate::ident::{Scope, ident_text, pascal_case, type_name, value_name};
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
    /// By operation, then by the parameter's place in its route.
    types: Vec<Vec<Ty>>,
}

impl ParameterTypes {
    /// Defines the types of every route's parameters in `space`.
    pub fn define(names: &[Named<'_>], space: &mut TypeSpace) -> ParameterTypes {
        let mut types = Vec::with_capacity(names.len());
        for named in names {
            let Some(route) = &named.operation.http else {
                types.push(Vec::new());
                continue;
            };
            let mut route_types = vec![Ty::Value; route.parameters.len()];
            for (position, parameter) in ordered_parameters(route) {
                route_types[position] = space.ty(
                    &parameter.schema,
                    &|| {
                        let (method, name) = (&named.method, &parameter.name);
                        format!("{}{}", pascal_case(method), pascal_case(name))
                    },
                    &|| format!("{}({})", named.method, parameter.name),
                );
            }
            types.push(route_types);
        }
        ParameterTypes { types }
    }

    fn get(&self, operation: usize, parameter: usize) -> Ty {
        self.types
            .get(operation)
            .and_then(|route| route.get(parameter))
            .cloned()
            .unwrap_or(Ty::Value)
    }
}

/// How a parameter of type `ty` is passed: `Copy` scalars by value (`bool`, `i64`, `Uuid`, dates),
/// strings as `&str`, everything else by reference.
fn passed(ty: &Ty) -> String {
    match ty {
        Ty::Bool | Ty::I64 | Ty::I32 | Ty::F64 | Ty::Uuid | Ty::Date | Ty::Time | Ty::DateTime => {
            ty_text_outside(ty)
        }
        Ty::String => "&str".to_owned(),
        other => format!("&{}", ty_text_outside(other)),
    }
}

/// A route's parameters with their places in the route, in argument order: path parameters in
/// the order the path names them, then query parameters, headers and cookies.
fn ordered_parameters(route: &HttpRoute) -> Vec<(usize, &Parameter)> {
    let mut parameters: Vec<(usize, &Parameter)> = route.parameters.iter().enumerate().collect();
    parameters.sort_by_cached_key(|(_, p)| match p.location {
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
pub fn operation_enum(code: &mut Code, names: &[Named<'_>]) {
    let variants: Vec<Cow<str>> = names
        .iter()
        .map(|named| ident_text(&named.variant))
        .collect();
    code.docs(&["Every operation the server offers.".to_owned()]);
    code.line("#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]");
    code.line("#[allow(dead_code)]");
    code.open("pub enum Operation {");
    for (named, variant) in names.iter().zip(&variants) {
        code.docs(&[format!("`{}`", named.operation.name)]);
        code.line(&format!("{variant},"));
    }
    code.close("}");
    code.line("#[allow(dead_code)]");
    code.open("impl Operation {");
    code.docs(&["Every operation, in manifest order.".to_owned()]);
    let all: Vec<String> = variants.iter().map(|v| format!("Operation::{v}")).collect();
    code.list("pub const ALL: &'static [Operation] = &[", &all, "];");
    let arms = |code: &mut Code, arm: &dyn Fn(&Operation) -> String| {
        code.open("match self {");
        for (named, variant) in names.iter().zip(&variants) {
            code.line(&format!("Self::{variant} => {},", arm(named.operation)));
        }
        code.close("}");
    };
    code.docs(&["The operation's name in the manifest.".to_owned()]);
    code.open("pub fn name(self) -> &'static str {");
    arms(code, &|operation| string(&operation.name));
    code.close("}");
    code.docs(&[
        "The event name the server registers (what goes on the wire), if it has a socket handler."
            .to_owned(),
    ]);
    code.open("pub fn ws_event(self) -> ::std::option::Option<&'static str> {");
    arms(code, &|operation| match &operation.event {
        Some(event) => format!("::std::option::Option::Some({})", string(event)),
        None => "::std::option::Option::None".to_owned(),
    });
    code.close("}");
    code.docs(&["The HTTP method and path, if it has a route.".to_owned()]);
    code.open("pub fn http(self) -> ::std::option::Option<(&'static str, &'static str)> {");
    arms(code, &|operation| match &operation.http {
        Some(route) => format!(
            "::std::option::Option::Some(({}, {}))",
            string(&route.method),
            string(&route.path)
        ),
        None => "::std::option::Option::None".to_owned(),
    });
    code.close("}");
    code.close("}");
}

/// `pub trait SocketApi`, one method per socket operation.
pub fn socket_api(code: &mut Code, api: &Api, names: &[Named<'_>], space: &TypeSpace) {
    let mut doc = vec![
        "One method per socket operation, sending the event name the server registers.".to_owned(),
        "Implemented for every [`::glow_client::Emit`].".to_owned(),
    ];
    if let Some(line) = socket_auth_doc(api) {
        doc.extend([String::new(), line]);
    }
    code.docs(&doc);
    code.line("#[allow(dead_code)]");
    code.open("pub trait SocketApi: ::glow_client::Emit {");
    for named in names {
        let operation = named.operation;
        let Some(event) = named.client_event() else {
            continue;
        };
        let method = ident_text(&named.method);
        let payload = payload_argument(operation, event, space);
        let source = operation
            .source
            .as_deref()
            .map(|s| format!(" (`{s}`)"))
            .unwrap_or_default();
        let unknown = operation.request_unknown.as_deref().map(|reason| {
            format!(
                "The payload's shape is not known from the server's code ({reason}): check what the handler expects."
            )
        });
        let mut arguments = vec!["&self".to_owned()];
        arguments.extend(payload.parameter.clone());
        let event_literal = string(event);
        match operation
            .ack
            .as_deref()
            .and_then(|name| space.rust_name(name))
        {
            Some(ack) => {
                let mut doc = vec![
                    format!(
                        "Emits `{event}`{source} and waits up to `timeout` for its acknowledgement."
                    ),
                    String::new(),
                    format!("Returns the handler's return value, `types::{ack}`."),
                ];
                doc.extend(unknown.into_iter().flat_map(|line| [String::new(), line]));
                code.docs(&doc);
                arguments.push("timeout: ::std::time::Duration".to_owned());
                code.open_list(
                    &format!("fn {method}("),
                    &arguments,
                    &format!(
                        ") -> ::std::result::Result<{}, ::glow_client::Error> {{",
                        ty_text_outside(&Ty::Named(ack.to_owned()))
                    ),
                );
                payload.write(code);
                code.list(
                    "let ack = self.emit_with_ack(",
                    &[event_literal.as_str(), &payload.value, "timeout"],
                    ")?;",
                );
                code.line(&format!("::glow_client::socket::ack({event_literal}, ack)"));
                code.close("}");
            }
            None => {
                let carried = match super::events::completed_struct(operation, space) {
                    Some(rust) => format!("carrying `types::{rust}`"),
                    None => "carrying any fields".to_owned(),
                };
                let completed = crate::naming::push_event(&named.rust_name, "completed");
                let mut doc = vec![
                    format!("Emits `{event}`{source}."),
                    String::new(),
                    format!(
                        "The result arrives as the `{completed}` push ({carried}), or a `.failed` \
                         push; `SocketCalls::call_{}` emits and waits for it.",
                        named.method
                    ),
                ];
                doc.extend(unknown.into_iter().flat_map(|line| [String::new(), line]));
                code.docs(&doc);
                code.open_list(
                    &format!("fn {method}("),
                    &arguments,
                    ") -> ::std::result::Result<(), ::glow_client::Error> {",
                );
                payload.write(code);
                code.line(&format!("self.emit({event_literal}, {})", payload.value));
                code.close("}");
            }
        }
    }
    code.close("}");
    code.line("impl<T: ::glow_client::Emit + ?Sized> SocketApi for T {}");
}

/// How a socket method takes and sends its payload.
pub(super) struct Payload {
    /// The parameter (`payload: &types::X`); none when the handler takes no payload.
    pub parameter: Option<String>,
    /// What a failed check calls the payload (a string literal), when it has constraints.
    checked_as: Option<String>,
    /// The event, as a string literal.
    event: String,
    /// The expression sent: `payload`, or `None`.
    pub value: String,
}

impl Payload {
    /// Writes the statements that check the payload and make it JSON.
    pub fn write(&self, code: &mut Code) {
        if self.parameter.is_none() {
            return;
        }
        if let Some(what) = &self.checked_as {
            code.list(
                "::glow_client::validate::before_sending(",
                &["self.validates_payloads()", what, "payload"],
                ")?;",
            );
        }
        code.list(
            "let payload = ::std::option::Option::Some(::glow_client::socket::payload(",
            &[self.event.as_str(), "payload"],
            ")?);",
        );
    }
}

/// A socket method's payload parameter and the statements that send it.
pub(super) fn payload_argument(operation: &Operation, event: &str, space: &TypeSpace) -> Payload {
    let Some(rust) = operation
        .request
        .as_deref()
        .and_then(|name| space.rust_name(name))
    else {
        return Payload {
            parameter: None,
            checked_as: None,
            event: string(event),
            value: "::std::option::Option::None".to_owned(),
        };
    };
    let named = Ty::Named(rust.to_owned());
    // Checked against its constraints first: an invalid payload never leaves the process.
    let checked_as = space
        .validatable(&named)
        .then(|| string(&format!("the payload of `{event}`")));
    Payload {
        parameter: Some(format!("payload: &{}", ty_text_outside(&named))),
        checked_as,
        event: string(event),
        value: "payload".to_owned(),
    }
}

/// `pub trait HttpApi`, one method per HTTP operation.
pub fn http_api(
    code: &mut Code,
    api: &Api,
    names: &[Named<'_>],
    parameters: &ParameterTypes,
    space: &TypeSpace,
) {
    code.docs(&[
        "One method per HTTP operation, named as its socket twin. Implemented for every".to_owned(),
        "[`::glow_client::Call`].".to_owned(),
    ]);
    code.line("#[allow(clippy::too_many_arguments)]");
    code.line("#[allow(dead_code)]");
    code.open("pub trait HttpApi: ::glow_client::Call {");
    for (index, named) in names.iter().enumerate() {
        let Some(route) = &named.operation.http else {
            continue;
        };
        let types = |position: usize| parameters.get(index, position);
        http_method(code, route, &named.method, &api.auth, &types, space);
    }
    code.close("}");
    code.line("impl<T: ::glow_client::Call + ?Sized> HttpApi for T {}");
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
        "The server reads {} from the socket.io auth payload at connect (`{}`){how}.",
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
            "Returns {} on `{}`",
            shown(
                response.type_name.as_deref(),
                response.media_type.as_deref()
            ),
            response.status
        ),
        None => "Returns nothing".to_owned(),
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
    Some(format!("Authenticated: send {}{how}.", ways.join(" or ")))
}

fn http_method(
    code: &mut Code,
    route: &HttpRoute,
    method: &str,
    auth: &Auth,
    parameter_type: &dyn Fn(usize) -> Ty,
    space: &TypeSpace,
) {
    let http_method = string(&route.method);
    let path = string(&route.path);
    let mut scope = Scope::default();
    for reserved in ["self", "request", "body"] {
        scope.claim(reserved);
    }
    let mut arguments = vec!["&self".to_owned()];
    let mut path_values = Vec::new();
    let mut builders = Vec::new();

    // Path parameters in the order the path names them, then the body, then query and headers.
    let (in_path, others): (Vec<_>, Vec<_>) = ordered_parameters(route)
        .into_iter()
        .partition(|(_, p)| p.location == ParameterLocation::Path);
    let mut path_arguments = Vec::new();
    let mut other_arguments = Vec::new();
    for (position, parameter) in in_path.iter().chain(&others) {
        let argument = ident_text(&scope.claim(&value_name(&parameter.name))).into_owned();
        let ty = parameter_type(*position);
        let wire = string(&parameter.name);
        let required = parameter.required || parameter.location == ParameterLocation::Path;
        let declared = match (&ty, required) {
            // A parameter that may be null (or also absent) is one `Option`.
            (Ty::Option(inner), _) => {
                format!("{argument}: ::std::option::Option<{}>", passed(inner))
            }
            (ty, true) => format!("{argument}: {}", passed(ty)),
            (ty, false) => format!("{argument}: ::std::option::Option<{}>", passed(ty)),
        };
        let builder = match parameter.location {
            ParameterLocation::Path => {
                path_arguments.push(declared);
                path_values.push((
                    parameter.name.clone(),
                    format!("::glow_client::http::segment({wire}, &{argument})?"),
                ));
                continue;
            }
            ParameterLocation::Query => "query",
            ParameterLocation::Header => "header",
            ParameterLocation::Cookie => "cookie",
        };
        other_arguments.push(declared);
        builders.push(format!(
            "let request = request.{builder}({wire}, &{argument})?;"
        ));
    }
    arguments.extend(path_arguments);
    let body = route.body.as_ref().map(|body| {
        let (parameter, validatable) = body_parameter(body, space);
        arguments.push(parameter);
        (body, validatable)
    });
    arguments.extend(other_arguments);

    let (output, finish) = match &route.response {
        Some(response) => match (&response.media_type, &response.type_name) {
            (Some(media), type_name) if is_json(media) => {
                (named_or_any_outside(space, type_name.as_deref()), "json")
            }
            (Some(_), _) => ("::std::vec::Vec<u8>".to_owned(), "bytes"),
            (None, _) => ("()".to_owned(), "empty"),
        },
        None => ("()".to_owned(), "empty"),
    };
    let mut doc = vec![
        format!("`{} {}`", route.method, route.path),
        String::new(),
        returns_doc(route, space),
    ];
    if let Some(line) = route_auth_doc(route, auth) {
        doc.extend([String::new(), line]);
    }
    code.docs(&doc);
    code.open_list(
        &format!("fn {}(", ident_text(method)),
        &arguments,
        &format!(") -> ::std::result::Result<{output}, ::glow_client::Error> {{"),
    );
    let (template, values) = path_template(&route.path, &path_values);
    let path_expr = if values.is_empty() {
        format!("::std::string::String::from({})", string(&template))
    } else {
        let mut items = vec![string(&template)];
        items.extend(values.iter().cloned());
        flat("::std::format!(", &items, ")")
    };
    let head = "let request = ::glow_client::HttpRequest::new(";
    if code.fits(head, &[&http_method, &path_expr], ");") || values.is_empty() {
        code.list(head, &[&http_method, &path_expr], ");");
    } else {
        code.open(head);
        code.line(&format!("{http_method},"));
        let mut items = vec![string(&template)];
        items.extend(values);
        code.list("::std::format!(", &items, "),");
        code.close(");");
    }
    if let Some((body, validatable)) = body {
        write_body(code, body, validatable);
    }
    for builder in &builders {
        code.line(builder);
    }
    code.line(&format!(
        "self.call(request)?.{finish}({http_method}, {path})"
    ));
    code.close("}");
}

/// The `body` parameter, and whether the body has constraints to check.
fn body_parameter(body: &crate::model::Body, space: &TypeSpace) -> (String, bool) {
    let rust = body.type_name.as_deref().and_then(|t| space.rust_name(t));
    let ty = named_or_any_outside(space, body.type_name.as_deref());
    let validatable = rust.is_some_and(|rust| space.validatable(&Ty::Named(rust.to_owned())));
    let parameter = if body.required {
        format!("body: &{ty}")
    } else {
        format!("body: ::std::option::Option<&{ty}>")
    };
    (parameter, validatable)
}

/// The statements that check the body and put it in the request.
fn write_body(code: &mut Code, body: &crate::model::Body, validatable: bool) {
    if validatable {
        code.list(
            "::glow_client::validate::before_sending(",
            &["self.validates_payloads()", "\"the request body\"", "&body"],
            ")?;",
        );
    }
    let media = string(&body.media_type);
    if body.required {
        code.line(&format!("let request = request.body({media}, body)?;"));
    } else {
        code.open("let request = match body {");
        code.line(&format!(
            "::std::option::Option::Some(body) => request.body({media}, body)?,"
        ));
        code.line("::std::option::Option::None => request,");
        code.close("};");
    }
}

fn is_json(media: &str) -> bool {
    media == "application/json" || media.ends_with("+json") || media.contains("json")
}

/// The path as a `format!` template (`/persona/{}`), and the values for its placeholders.
fn path_template(path: &str, values: &[(String, String)]) -> (String, Vec<String>) {
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
