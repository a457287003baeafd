//! The naming rule, in one place: a handler's path ↔ its event name ↔ its HTTP route ↔ the name
//! it goes by in generated code and in its server pushes.
//!
//! - `core/app/ws/<artifact>/<op>.py` is the event `<artifact>.<op>` and the route `POST /<artifact>/<op>`.
//! - `core/app/ws/<artifact>/<sub>/<op>.py` is the event `<artifact>.<sub>_<op>` and the route
//!   `POST /<artifact>/<sub>/<op>`; deeper folders flatten the same way.
//! - An operation goes by one name in generated code and pushes: [`rust_name`].
//!
//! Nothing else in the crate splits or joins event, route, push or operation names; how those
//! names become Rust identifiers is the identifier module's concern.

use crate::ident::snake_case;
use crate::model::{HttpRoute, Operation};

/// The HTTP method every Glow-style operation route uses.
pub const ROUTE_METHOD: &str = "POST";

/// The name a handler's place in the tree gives it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PathName {
    segments: Vec<String>,
}

impl PathName {
    /// The name of the module at `segments` (folders under the ws root, then the file stem;
    /// `__init__` already removed). `None` when there are fewer than two segments: a file directly
    /// under the ws root has no artifact.
    ///
    /// ```
    /// use glow_codegen::naming::PathName;
    /// let name = PathName::from_segments(&["attempt", "chat", "message"]).unwrap();
    /// assert_eq!(name.event(), "attempt.chat_message");
    /// assert_eq!(name.route_path(), "/attempt/chat/message");
    /// ```
    pub fn from_segments<S: AsRef<str>>(segments: &[S]) -> Option<PathName> {
        if segments.len() < 2 || segments.iter().any(|s| s.as_ref().is_empty()) {
            return None;
        }
        Some(PathName {
            segments: segments.iter().map(|s| s.as_ref().to_owned()).collect(),
        })
    }

    /// The name a Glow-style route gives: `POST /<artifact>/<op>` or `POST /<artifact>/<sub>/<op>`,
    /// every segment a literal identifier. `None` for any other route.
    ///
    /// ```
    /// use glow_codegen::naming::PathName;
    /// let name = PathName::from_route("POST", "/attempt/chat/message").unwrap();
    /// assert_eq!(name.event(), "attempt.chat_message");
    /// assert_eq!(PathName::from_route("GET", "/persona/search"), None);
    /// assert_eq!(PathName::from_route("POST", "/persona/{id}"), None);
    /// ```
    pub fn from_route(method: &str, path: &str) -> Option<PathName> {
        if !method.eq_ignore_ascii_case(ROUTE_METHOD) {
            return None;
        }
        Self::from_path(path)
    }

    /// The name a route path of literal segments gives, whatever its method
    /// (`PATCH /agent/draft` → `agent.draft`): what pairing falls back on when no `POST` route
    /// gives a name.
    pub fn from_path(path: &str) -> Option<PathName> {
        let segments: Vec<&str> = path.strip_prefix('/')?.split('/').collect();
        let literal =
            |s: &&str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !segments.iter().all(literal) {
            return None;
        }
        Self::from_segments(&segments)
    }

    /// The name a dotted event gives when read as a path (`attempt.chat.response` →
    /// `attempt/chat/response` → `attempt.chat_response`).
    pub fn from_dotted(event: &str) -> Option<PathName> {
        let segments: Vec<&str> = event.split('.').collect();
        if segments.iter().any(|s| s.is_empty()) {
            return None;
        }
        Self::from_segments(&segments)
    }

    /// The artifact: the first folder.
    pub fn artifact(&self) -> &str {
        &self.segments[0]
    }

    /// The flattened op: every later segment joined with `_`.
    pub fn op(&self) -> String {
        self.segments[1..].join("_")
    }

    /// The event name the path gives: `<artifact>.<op>`.
    pub fn event(&self) -> String {
        join(self.artifact(), &self.op())
    }

    /// The HTTP route path the path gives: `/<artifact>/<sub>/<op>`.
    pub fn route_path(&self) -> String {
        format!("/{}", self.segments.join("/"))
    }

    /// The route as `POST /<artifact>/...`, for messages.
    pub fn route(&self) -> String {
        format!("{ROUTE_METHOD} {}", self.route_path())
    }
}

/// The artifact and operation of a route that is not Glow-style, for naming it:
/// the artifact is the first literal path segment; the operation comes from the `operationId`
/// (`repos/get` gives `repos` and `get`; FastAPI's generated `<function><path>_<method>` ids
/// give `<function>`, without a leading `<artifact>_`), else from the method and path.
///
/// ```
/// use glow_codegen::naming::route_identity;
/// assert_eq!(route_identity("GET", "/repos/{owner}/{repo}", Some("repos/get")), ("repos".into(), "get".into()));
/// assert_eq!(
///     route_identity("GET", "/persona/{persona_id}", Some("persona_read_persona__persona_id__get")),
///     ("persona".into(), "read".into())
/// );
/// assert_eq!(route_identity("DELETE", "/v1/items/{id}", None), ("v1".into(), "delete_v1_items_id".into()));
/// ```
pub fn route_identity(method: &str, path: &str, operation_id: Option<&str>) -> (String, String) {
    let first_literal = path
        .split('/')
        .find(|s| !s.is_empty() && !s.starts_with('{'))
        .map(snake_case)
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "root".to_owned());
    let Some(id) = operation_id.filter(|id| !id.is_empty()) else {
        return (first_literal, snake_case(&format!("{method} {path}")));
    };
    if let Some((artifact, operation)) = id.split_once('/') {
        let artifact = snake_case(artifact);
        if !artifact.is_empty() && !snake_case(operation).is_empty() {
            return (artifact, snake_case(operation));
        }
    }
    let generated_suffix: String = format!("{path}_{}", method.to_ascii_lowercase())
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let stem = id
        .strip_suffix(&generated_suffix)
        .filter(|stem| !stem.is_empty())
        .unwrap_or(id);
    let operation = snake_case(stem);
    let operation = operation
        .strip_prefix(&format!("{first_literal}_"))
        .filter(|rest| !rest.is_empty())
        .map(str::to_owned)
        .unwrap_or(operation);
    (first_literal, operation)
}

/// The name an artifact and an op spell: `attempt.chat_message`, or the artifact alone when
/// there is no op (an event without a dot).
pub fn join(artifact: &str, op: &str) -> String {
    if op.is_empty() {
        artifact.to_owned()
    } else {
        format!("{artifact}.{op}")
    }
}

/// The name an operation's place gives (its file for a handler, its route for an HTTP-only
/// operation): its artifact and op joined.
pub fn place_name(operation: &Operation) -> String {
    join(&operation.artifact, &operation.op)
}

/// The name a route's literal path gives, whatever its method (`PATCH /agent/draft` →
/// `agent.draft`); `None` for a path with parameters or fewer than two segments.
pub fn route_name(route: &HttpRoute) -> Option<String> {
    PathName::from_path(&route.path).map(|name| name.event())
}

/// A route as people and drift policies name it: `POST /persona/archive`.
pub fn route_label(route: &HttpRoute) -> String {
    format!("{} {}", route.method, route.path)
}

/// The name of an HTTP-only operation whose name a socket operation already holds:
/// `persona.search` → `persona.search_http`.
pub fn http_only_name(name: &str) -> String {
    format!("{name}_http")
}

/// The name an operation goes by in generated code and in its server pushes
/// (`<name>.started`, ...): the name its Glow-style HTTP route gives, when it has one; else its
/// registered event when that has the `<artifact>.<op>` shape of its artifact; else the name its
/// place gives. Emitters call this once per operation and use what it returns everywhere.
///
/// So `attempt/message.py` registering `attempt.chat_message` is `attempt.chat_message`, and
/// `attempt/chat/voice.py` registering `attempt.chat.voice` is `attempt.chat_voice`.
pub fn rust_name(operation: &Operation) -> String {
    if operation.op.is_empty() {
        return operation
            .event
            .clone()
            .unwrap_or_else(|| operation.artifact.clone());
    }
    if let Some(route) = &operation.http
        && let Some(name) = PathName::from_route(&route.method, &route.path)
    {
        return name.event();
    }
    let by_place = place_name(operation);
    match &operation.event {
        Some(event) => match event.split_once('.') {
            Some((artifact, op))
                if artifact == operation.artifact && !op.contains('.') && !op.is_empty() =>
            {
                event.clone()
            }
            _ => by_place,
        },
        None => by_place,
    }
}

/// The names an operation's pushes go under, most preferred first: its [`rust_name`] and, when
/// it differs, the event it registers (servers push under either).
pub fn push_prefixes(event: &str, rust_name: &str) -> Vec<String> {
    let mut names = vec![rust_name.to_owned()];
    if event != rust_name {
        names.push(event.to_owned());
    }
    names
}

/// The stages of an operation a server pushes when nothing says which it pushes:
/// `<event>.started`, `.progress`, `.completed`, `.failed`.
pub const PUSH_STAGES: [&str; 4] = ["started", "progress", "completed", "failed"];

/// What follows `<prefix>.` in a pushed event, for the first of an operation's `prefixes` (its
/// names) that it starts with: `token` in `attempt.chat_message.token`.
///
/// ```
/// use glow_codegen::naming::{push_stage, push_suffix};
/// let names = ["attempt.chat.voice".to_owned(), "attempt.chat_voice".to_owned()];
/// assert_eq!(push_suffix("attempt.chat_voice.completed", &names), Some("completed"));
/// assert_eq!(push_stage("attempt.chat_voice.completed", &names), Some("completed"));
/// assert_eq!(push_stage("attempt.chat_voice.token", &names), None);
/// ```
pub fn push_suffix<'e>(event: &'e str, prefixes: &[String]) -> Option<&'e str> {
    prefixes
        .iter()
        .find_map(|prefix| event.strip_prefix(prefix.as_str())?.strip_prefix('.'))
}

/// The stage (one of [`PUSH_STAGES`]) a pushed event is of one of the operation's names, if it
/// is one.
pub fn push_stage<'e>(event: &'e str, prefixes: &[String]) -> Option<&'e str> {
    push_suffix(event, prefixes).filter(|suffix| PUSH_STAGES.contains(suffix))
}

/// The event a push of one stage goes under: `persona.search.completed`.
pub fn push_event(prefix: &str, stage: &str) -> String {
    format!("{prefix}.{stage}")
}

/// The artifact and op a registered event names when no file place gives them:
/// `chat.send` → (`chat`, `send`); `attempt.chat.voice` → (`attempt`, `chat_voice`); `ping` →
/// (`ping`, ``).
///
/// ```
/// use glow_codegen::naming::event_parts;
/// assert_eq!(event_parts("attempt.chat.voice"), ("attempt".to_owned(), "chat_voice".to_owned()));
/// assert_eq!(event_parts("ping"), ("ping".to_owned(), String::new()));
/// ```
pub fn event_parts(event: &str) -> (String, String) {
    match event.split_once('.') {
        Some((artifact, op)) => (artifact.to_owned(), op.replace('.', "_")),
        None => (event.to_owned(), String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn artifact_file_is_dotted_event_and_post_route() {
        let name = PathName::from_segments(&["persona", "search"]).unwrap();
        assert_eq!(name.artifact(), "persona");
        assert_eq!(name.op(), "search");
        assert_eq!(name.event(), "persona.search");
        assert_eq!(name.route(), "POST /persona/search");
    }

    #[test]
    fn sub_folder_flattens_to_underscore() {
        let name = PathName::from_segments(&["test", "invocation", "run"]).unwrap();
        assert_eq!(name.event(), "test.invocation_run");
        assert_eq!(name.op(), "invocation_run");
        assert_eq!(name.route_path(), "/test/invocation/run");
    }

    #[test]
    fn deeper_folders_flatten_the_same_way() {
        let name = PathName::from_segments(&["system", "group", "member", "add"]).unwrap();
        assert_eq!(name.event(), "system.group_member_add");
        assert_eq!(name.route_path(), "/system/group/member/add");
    }

    #[test]
    fn file_directly_under_root_has_no_name() {
        assert_eq!(PathName::from_segments(&["health"]), None);
        assert_eq!(PathName::from_segments::<&str>(&[]), None);
    }
}
