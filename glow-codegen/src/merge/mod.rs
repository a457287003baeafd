//! The merge of two sources into one API: each socket operation is paired with its HTTP twin,
//! the types of both sides are joined, and the routes without a twin stay as HTTP-only
//! operations. It sits above the sources (they produce their output and never call it); what
//! the merged API says about drift between the two sides is [`crate::drift`]'s to check.
//!
//! A route of literal segments `/<artifact>/<op>` (or `/<artifact>/<sub>/<op>`) gives a name;
//! `POST` routes give theirs first, routes of other methods only names no `POST` route gave. The
//! route pairs with the socket operation registered under that name (`POST /attempt/chat/message`
//! ↔ a handler registered as `attempt.chat_message`, wherever its file is), else with the one whose
//! dotted name spells the path (`attempt.chat.response` ↔ `/attempt/chat/response`), else with the
//! one whose *file* gives that name (`attempt/chat/voice.py` registering `attempt.chat.voice`).

mod types;

use std::collections::BTreeMap;

use crate::diagnostic::{Code, Diagnostic};
use crate::ident::Scope;
use crate::model::{Api, Auth, Operation};
use crate::naming::{PathName, http_only_name, place_name, route_label, route_name};
use crate::source::{Origin, SourceOutput};

/// One API from a socket source and an HTTP source: each socket operation carries its HTTP
/// twin; routes without a twin stay as HTTP-only operations, renamed (`<name>_http`) where a
/// socket operation holds their name. Every operation keeps its origin.
pub(crate) fn merge(ws: SourceOutput, http: SourceOutput) -> SourceOutput {
    let mut joined = types::join(&ws.api.types, &http.api.types);
    let mut diagnostics = ws.diagnostics;
    diagnostics.extend(http.diagnostics);
    let mut origins = ws.origins;
    let mut files = ws.files;
    files.extend(http.files);
    files.sort();
    files.dedup();
    let http_origins = http.origins;

    let (mut routes, mut http_only) = routes_by_name(http.api.operations);
    let twins = pair(&ws.api.operations, &routes);
    let mut twins: BTreeMap<String, Operation> = twins
        .into_iter()
        .filter_map(|(socket, event)| Some((socket, routes.remove(&event)?)))
        .collect();
    http_only.extend(routes.into_values());

    let mut operations = Vec::new();
    for mut operation in ws.api.operations {
        operation.request = operation.request.map(|name| joined.final_name(name));
        operation.ack = operation.ack.map(|name| joined.final_name(name));
        if let Some(twin) = twins.remove(&operation.name) {
            let route = twin.http;
            let body = route
                .as_ref()
                .and_then(|route| route.body.as_ref())
                .and_then(|body| body.type_name.clone());
            if let (Some(reason), Some(body)) = (&operation.request_unknown, body) {
                // The HTTP twin takes the same payload: its body says what the handler hides.
                let origin = origins.get(&operation.name).cloned().unwrap_or_default();
                diagnostics.push(Diagnostic::warning(
                    Code::UnknownPayload,
                    origin.path,
                    origin.at,
                    format!(
                        "the payload of `{}` is unknown ({reason}); its HTTP twin's body `{body}` is used",
                        operation.name
                    ),
                ));
                if let Some(placeholder) = operation.request.replace(body) {
                    joined.types.remove(&placeholder);
                }
            }
            if let (Some(route), Some(place)) = (&route, http_origins.get(&twin.name)) {
                point_at_route(&mut diagnostics, &operation, &route_label(route), place);
            }
            operation.http = route;
        }
        operations.push(operation);
    }

    let mut names = Scope::with_taken(
        operations
            .iter()
            .chain(&http_only)
            .map(|operation| operation.name.clone()),
    );
    for mut operation in http_only {
        let origin = http_origins.get(&operation.name).cloned();
        if operations.iter().any(|o| o.name == operation.name) {
            operation.name = names.claim(&http_only_name(&operation.name));
        }
        if let Some(origin) = origin {
            origins.insert(operation.name.clone(), origin);
        }
        operations.push(operation);
    }

    let mut api = Api {
        operations,
        protocols: Vec::new(),
        types: joined.types,
        auth: Auth {
            socket: ws.api.auth.socket,
            http: http.api.auth.http,
        },
    };
    api.normalize();
    SourceOutput {
        api,
        diagnostics,
        origins,
        files,
    }
}

/// The routes that give a name, by that name — `POST` routes first, then routes of other
/// methods whose path is all literal (`PATCH /agent/draft` → `agent.draft`) for names no `POST`
/// route gave — and every other route.
fn routes_by_name(routes: Vec<Operation>) -> (BTreeMap<String, Operation>, Vec<Operation>) {
    let mut named: BTreeMap<String, Operation> = BTreeMap::new();
    let mut others = Vec::new();
    let (posts, rest): (Vec<Operation>, Vec<Operation>) = routes
        .into_iter()
        .partition(|o| o.http.as_ref().is_some_and(|r| r.method == "POST"));
    for operation in posts.into_iter().chain(rest) {
        match operation.http.as_ref().and_then(route_name) {
            Some(name) if !named.contains_key(&name) => {
                named.insert(name, operation);
            }
            _ => others.push(operation),
        }
    }
    (named, others)
}

/// Socket operation name → the name of the route it pairs with: registered names first, so that
/// a file elsewhere cannot take a route its registration names; then the name a dotted
/// registration gives as a path; then the name the file's place gives.
fn pair(socket: &[Operation], routes: &BTreeMap<String, Operation>) -> BTreeMap<String, String> {
    let mut twins = BTreeMap::new();
    let mut taken = std::collections::BTreeSet::new();
    let mut try_pair = |operation: &Operation, candidate: String| {
        if twins.contains_key(&operation.name)
            || taken.contains(&candidate)
            || !routes.contains_key(&candidate)
        {
            return;
        }
        taken.insert(candidate.clone());
        twins.insert(operation.name.clone(), candidate);
    };
    for operation in socket {
        try_pair(operation, operation.name.clone());
    }
    for operation in socket {
        let dotted = operation
            .event
            .as_deref()
            .and_then(PathName::from_dotted)
            .map(|name| name.event());
        for candidate in dotted.into_iter().chain([place_name(operation)]) {
            try_pair(operation, candidate);
        }
    }
    twins
}

/// Adds the route's place to the `name-mismatch` finding about `operation`: the reader of the
/// finding sees both sides of the name.
fn point_at_route(
    diagnostics: &mut [Diagnostic],
    operation: &Operation,
    route: &str,
    place: &Origin,
) {
    let about = |d: &Diagnostic| {
        d.code == Code::NameMismatch && d.subject.as_deref() == Some(operation.name.as_str())
    };
    for diagnostic in diagnostics.iter_mut().filter(|d| about(d)) {
        diagnostic.related.push(crate::diagnostic::Related::new(
            place.path.clone(),
            place.at,
            format!("its HTTP twin `{route}` is here"),
        ));
    }
}
