//! `pub enum ServerEvent`: every push the server sends while running a socket operation, typed.

use std::collections::BTreeSet;

use super::code::{Code, string};
use super::operations::Named;
use super::render::{named_or_any_outside, ty_text_outside};
use super::typespace::{Def, Ty, TypeSpace};
use crate::ident::{Scope, ident_text, pascal_case, type_name};
use crate::model::{Operation, Push};
use crate::naming::{PUSH_STAGES, push_event, push_prefixes, push_stage, push_suffix};

/// `ServerEvent` with `NAMES`, `parse` and `name`: a variant for each push an operation's
/// handler is read to send, the four stages of each operation whose pushes are not known, and
/// one variant per event name however many operations push it.
pub fn server_event(code: &mut Code, names: &[Named<'_>], space: &TypeSpace) {
    // (variant, the events it parses, what it carries)
    let mut rows: Vec<(String, Vec<String>, String)> = Vec::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut scope = Scope::default();
    scope.claim("Other");
    for named in names {
        let operation = named.operation;
        let Some(event) = named.client_event() else {
            continue;
        };
        let prefixes = push_prefixes(event, &named.rust_name);
        let pushes: Vec<(String, Vec<String>, String)> = match &operation.pushes {
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
            if events.is_empty() {
                continue;
            }
            let variant = ident_text(&scope.claim(&variant)).into_owned();
            rows.push((variant, events, payload));
        }
    }
    code.docs(&[
        "A push from the server: the stages of every socket operation, typed, and anything else."
            .to_owned(),
    ]);
    code.line("#[derive(Debug, Clone, PartialEq)]");
    code.line("#[allow(dead_code)]");
    code.open("pub enum ServerEvent {");
    for (variant, events, payload) in &rows {
        code.docs(&[format!("`{}`", events[0])]);
        code.line(&format!("{variant}({payload}),"));
    }
    super::other_variant(
        code,
        "A push this manifest does not name.",
        ("event", "The event name."),
        ("payload", "Its payload."),
    );
    code.close("}");
    code.line("#[allow(clippy::match_single_binding)]");
    code.line("#[allow(dead_code)]");
    code.open("impl ServerEvent {");
    code.docs(&[
        "Every push name, so that a socket.io client can register a handler for each.".to_owned(),
    ]);
    let all: Vec<String> = rows
        .iter()
        .flat_map(|(_, events, _)| events.iter().map(|event| string(event)))
        .collect();
    code.list("pub const NAMES: &'static [&'static str] = &[", &all, "];");
    code.docs(&[
        "The typed push for `event`; [`ServerEvent::Other`] for names the manifest does not know."
            .to_owned(),
    ]);
    code.open_list(
        "pub fn parse(",
        &["event: &str", "payload: ::glow_client::serde_json::Value"],
        ") -> ::std::result::Result<Self, ::glow_client::Error> {",
    );
    code.open("::std::result::Result::Ok(match event {");
    for (variant, events, _) in &rows {
        let events: Vec<String> = events.iter().map(|event| string(event)).collect();
        code.line(&format!(
            "{} => Self::{variant}(::glow_client::push::decode(event, payload)?),",
            events.join(" | ")
        ));
    }
    code.open("_ => Self::Other {");
    code.line("event: event.to_owned(),");
    code.line("payload,");
    code.close("},");
    code.close("})");
    code.close("}");
    code.docs(&["The push's event name.".to_owned()]);
    code.open("pub fn name(&self) -> &str {");
    code.open("match self {");
    for (variant, events, _) in &rows {
        code.line(&format!("Self::{variant}(_) => {},", string(&events[0])));
    }
    code.line("Self::Other { event, .. } => event,");
    code.close("}");
    code.close("}");
    code.close("}");
}

/// What a stage's push carries: the envelope, progress counts, the envelope with the result
/// spread in, or the failure.
fn stage_payload(stage: &str, operation: &Operation, space: &TypeSpace) -> String {
    match stage {
        "started" => "::glow_client::push::Started".to_owned(),
        "progress" => "::glow_client::push::Progress".to_owned(),
        "completed" => format!(
            "::glow_client::push::Completed<{}>",
            completed_type(operation, space)
        ),
        _ => "::glow_client::push::Failed".to_owned(),
    }
}

/// What another push carries: the type of its literal keys, else any JSON.
fn push_payload(push: &Push, space: &TypeSpace) -> String {
    named_or_any_outside(space, push.payload.as_deref())
}

/// What `.completed` spreads in: the HTTP twin's response type when it is an object; else any fields.
pub(super) fn completed_type(operation: &crate::model::Operation, space: &TypeSpace) -> String {
    match completed_struct(operation, space) {
        Some(rust) => ty_text_outside(&Ty::Named(rust.to_owned())),
        None => ty_text_outside(&Ty::Object),
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
