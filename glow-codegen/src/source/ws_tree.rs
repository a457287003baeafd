//! The python-socketio handler tree as a source: every client-callable `@sio.on(...)`
//! registration under `core/app/ws/`, with its payload and ack types.
//!
//! Registration is import-driven, as in the server: a handler file counts only when its package
//! `__init__.py` imports it, transitively up to the tree root.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use walkdir::WalkDir;

use super::facts::{Expr, ExprKind, Forward, FunctionFacts, ModuleFacts, ParamUse, Passed};
use super::modules::{Module, PythonTree, Symbol};
use super::payload::{Handler, Payload};
use super::pushes;
use super::pydantic::PydanticReader;
use super::type_set::TypeEntry;
use super::{Layout, Origin, SourceOutput};
use crate::diagnostic::{Code, Diagnostic, Position};
use crate::ident::type_name;
use crate::input::InputKind;
use crate::model::{Api, Auth, Operation, Push, SocketAuth};
use crate::naming::{PathName, event_parts, push_stage};

/// The object handlers must be registered on to be client-callable.
const SERVER_OBJECT: &str = "sio";

/// Event names python-socketio reserves for the connection lifecycle and catch-alls.
const RESERVED_EVENTS: &[&str] = &["connect", "disconnect", "*"];

/// A ws tree could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum WsTreeError {
    /// The ws tree or the import root does not exist.
    #[error(transparent)]
    Input(#[from] crate::input::InputError),
    /// The given path is not a folder.
    #[error("`{0}` is not a directory")]
    NotADirectory(String),
    /// The given import root is not a folder.
    #[error("the Python import root `{0}` is not a directory")]
    RootNotADirectory(String),
    /// The given import root does not contain the ws tree.
    #[error("the Python import root `{root}` does not contain the ws tree `{ws_tree}`")]
    RootOutsideTree {
        /// The import root.
        root: String,
        /// The ws tree.
        ws_tree: String,
    },
    /// The path could not be made absolute while looking for the import root.
    #[error("cannot resolve `{path}`: {source}")]
    Resolve {
        /// The path as given.
        path: String,
        /// The I/O error resolving it.
        source: std::io::Error,
    },
}

/// One `@sio.on(...)` found in a file.
struct Registration {
    event: String,
    /// The socket.io namespace, when not the default `/`.
    namespace: Option<String>,
    /// The module that registers it (a package `__init__.py` must import this one).
    module: Arc<Module>,
    /// The module the handler function is defined in (for a namespace class, the class's).
    defined_in: Arc<Module>,
    function: FunctionFacts,
    /// The position of the payload parameter: 1 for a function, 2 for a method.
    param: usize,
    decorator_at: Position,
    name_at: Position,
}

/// Reads the ws tree at `ws_tree`. `python_path` is the import root for resolving
/// `from app.infra... import X`; by default the walk up from `ws_tree` while folders hold an
/// `__init__.py`, stopping at the first that does not.
pub fn read_ws_tree(
    ws_tree: &Path,
    python_path: Option<&Path>,
    layout: Layout,
) -> Result<SourceOutput, WsTreeError> {
    let shown = ws_tree.display().to_string();
    crate::input::require(ws_tree, &shown, InputKind::WsTree)?;
    if !ws_tree.is_dir() {
        return Err(WsTreeError::NotADirectory(shown));
    }
    if let Some(root) = python_path {
        let shown = root.display().to_string();
        crate::input::require(root, &shown, InputKind::PythonPath)?;
    }
    let (ws_tree, root) = match python_path {
        Some(root) if !root.is_dir() => {
            return Err(WsTreeError::RootNotADirectory(root.display().to_string()));
        }
        Some(root) if !ws_tree.starts_with(root) && !absolute_starts_with(ws_tree, root) => {
            return Err(WsTreeError::RootOutsideTree {
                root: root.display().to_string(),
                ws_tree: ws_tree.display().to_string(),
            });
        }
        Some(root) if ws_tree.starts_with(root) => (ws_tree.to_path_buf(), root.to_path_buf()),
        Some(root) => (absolute(ws_tree)?, absolute(root)?),
        None => import_root(ws_tree)?,
    };
    let mut tree = PythonTree::new(root);
    let mut diagnostics = Vec::new();
    let files = walk(&ws_tree, &tree, &mut diagnostics);
    let ws_package = tree
        .module_name(&ws_tree.join("__init__.py"))
        .unwrap_or_default();

    tree.preload(&files);
    let mut modules = Vec::new();
    for file in &files {
        if let Some(shadow) = shadowing_package(file) {
            let display = tree.display(file);
            diagnostics.push(Diagnostic::warning(
                Code::ShadowedModule,
                display,
                Position::START,
                format!(
                    "module `{}` is shadowed by the package `{}`: Python imports the package, so this file never loads",
                    tree.relative(file),
                    tree.relative(&shadow)
                ),
            ));
            continue;
        }
        if let Some(module) = tree.load_file(file) {
            modules.push(module);
        }
    }

    let imported = imported_modules(&mut tree, &ws_tree, &ws_package, &mut diagnostics);
    let mut registrations = Vec::new();
    for module in &modules {
        registrations.extend(registrations_in(&mut tree, module, &mut diagnostics));
    }

    // Of two registrations of one event, keep the one whose path gives that name.
    registrations.sort_by_cached_key(|r| {
        let path_event =
            PathName::from_segments(&ws_segments(&r.module.name, &ws_package)).map(|p| p.event());
        (
            path_event.as_deref() != Some(r.event.as_str()),
            r.module.relative.clone(),
            r.decorator_at,
        )
    });
    let mut reader = PydanticReader::new(&mut tree);
    let mut operations: Vec<(Operation, Option<String>, Option<String>)> = Vec::new();
    let mut origins = BTreeMap::new();
    let mut first_by_event: BTreeMap<String, FirstRegistration> = BTreeMap::new();
    let mut registrations_per_module: BTreeMap<String, usize> = BTreeMap::new();
    for registration in &registrations {
        *registrations_per_module
            .entry(registration.module.name.clone())
            .or_default() += 1;
    }
    for registration in registrations {
        let module = &registration.module;
        if !imported.contains(&module.name) {
            diagnostics.push(not_imported(
                &mut reader,
                &registration,
                &ws_package,
                &imported,
            ));
            continue;
        }
        let segments = ws_segments(&module.name, &ws_package);
        let path_name = match layout {
            Layout::Glow => PathName::from_segments(&segments),
            Layout::Flat => None,
        };
        if layout == Layout::Glow && path_name.is_none() {
            diagnostics.push(Diagnostic::warning(
                Code::UnexpectedLocation,
                module.display.clone(),
                registration.name_at,
                format!(
                    "`{}` registers `{}` where no `<artifact>/<op>.py` name applies: its name cannot be checked against its place, and it is kept as registered (`--layout flat` reads a tree not laid out as Glow's)",
                    module.relative, registration.event
                ),
            ));
        }
        if let Some(first) = first_by_event.get(&registration.event) {
            diagnostics.push(
                Diagnostic::error(
                    Code::DuplicateEvent,
                    module.display.clone(),
                    registration.name_at,
                    format!(
                        "event `{}` is registered twice: in `{}:{}` (kept) and in `{}:{}` (ignored)",
                        registration.event,
                        first.relative,
                        first.line,
                        module.relative,
                        registration.decorator_at.line
                    ),
                )
                .about(&registration.event)
                .also_at(
                    first.display.clone(),
                    first.at,
                    format!("`{}` is first registered here", registration.event),
                ),
            );
            continue;
        }
        first_by_event.insert(
            registration.event.clone(),
            FirstRegistration {
                relative: module.relative.clone(),
                line: registration.decorator_at.line,
                display: module.display.clone(),
                at: registration.name_at,
            },
        );
        if let Some(path_name) = &path_name
            && registration.event != path_name.event()
        {
            diagnostics.push(
                Diagnostic::warning(
                    Code::NameMismatch,
                    module.display.clone(),
                    registration.name_at,
                    format!(
                        "`{}` registers `{}`, but its path gives `{}` (route `{}`); clients must send `{}`",
                        module.relative,
                        registration.event,
                        path_name.event(),
                        path_name.route(),
                        registration.event
                    ),
                )
                .about(&registration.event),
            );
        }
        if let Some(namespace) = &registration.namespace {
            diagnostics.push(Diagnostic::warning(
                Code::UnreachableNamespace,
                module.display.clone(),
                registration.name_at,
                format!(
                    "`{}` is registered in the namespace `{namespace}`; the generated client speaks to `/` only, so it has no method for it",
                    registration.event
                ),
            ));
        }
        let (artifact, op) = match &path_name {
            Some(path_name) => (path_name.artifact().to_owned(), path_name.op()),
            None => event_parts(&registration.event),
        };
        // A file's one handler names its types after the file's place; where a file registers
        // several, each names them after its event.
        let types_named_after = match &path_name {
            Some(path_name) if registrations_per_module.get(&module.name) == Some(&1) => {
                path_name.event()
            }
            _ => registration.event.clone(),
        };
        let handler = Handler {
            event: &registration.event,
            module: &registration.defined_in.name,
            display: &registration.defined_in.display,
            function: &registration.function,
            name: &types_named_after,
            param: registration.param,
        };
        origins.insert(
            registration.event.clone(),
            Origin {
                path: module.display.clone(),
                at: registration.name_at,
            },
        );
        let (request, request_unknown) = match reader.payload(&handler) {
            Payload::None => (None, None),
            Payload::Typed(key) => (Some(key), None),
            Payload::Unknown {
                key,
                reason,
                module,
                at,
            } => {
                let (path, relative) = reader
                    .tree
                    .load(&module)
                    .map_or((module.clone(), module.clone()), |m| {
                        (m.display.clone(), m.relative.clone())
                    });
                diagnostics.push(Diagnostic::warning(
                    Code::UnknownPayload,
                    path,
                    at,
                    format!(
                        "the payload of `{}` is unknown: {reason}; it is recorded as any JSON object",
                        registration.event
                    ),
                ));
                (
                    Some(key),
                    Some(format!("{reason} ({relative}:{})", at.line)),
                )
            }
        };
        let ack = reader.ack_key(&handler);
        // A push is a stage when it extends the registered name or the one its place gives.
        let names: Vec<String> = [
            Some(registration.event.clone()),
            path_name.as_ref().map(|p| p.event()),
        ]
        .into_iter()
        .flatten()
        .collect();
        let pushes = handler_pushes(&mut reader, &registration, &names, &mut diagnostics);
        operations.push((
            Operation {
                name: registration.event.clone(),
                event: Some(registration.event.clone()),
                artifact,
                op,
                http: None,
                request: None,
                request_unknown,
                namespace: registration.namespace.clone(),
                ack: None,
                source: Some(format!(
                    "{}:{}",
                    module.relative, registration.decorator_at.line
                )),
                pushes,
            },
            request,
            ack,
        ));
    }
    diagnostics.extend(reader.take_diagnostics());
    let named = reader.types.finish();
    diagnostics.extend(named.diagnostics);
    diagnostics.extend(tree.take_diagnostics());

    let rename = |key: Option<String>| key.map(|k| named.names.get(&k).cloned().unwrap_or(k));
    let mut api = Api {
        protocols: Vec::new(),
        operations: operations
            .into_iter()
            .map(|(mut operation, request, ack)| {
                operation.request = rename(request);
                operation.ack = rename(ack);
                for push in operation.pushes.iter_mut().flatten() {
                    push.payload = rename(push.payload.take());
                }
                operation
            })
            .collect(),
        types: named.types,
        auth: Auth {
            socket: socket_auth(&modules, &imported),
            http: BTreeMap::new(),
        },
    };
    api.normalize();
    diagnostics.sort();
    diagnostics.dedup();
    Ok(SourceOutput {
        api,
        diagnostics,
        origins,
        files: tree.files_read(),
    })
}

/// The pushes of a registered handler: what it emits, with the payload types of the pushes
/// that are not stages of one of its `names`; `None` (and a warning where an event cannot be
/// read) when they are not known.
fn handler_pushes(
    reader: &mut PydanticReader,
    registration: &Registration,
    names: &[String],
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Vec<Push>> {
    // `sio.on` and `sio.event` both register through the server's `on`; a namespace class's
    // methods do not.
    let server_on = (registration.param == 1)
        .then(|| pushes::server_on(reader.tree, &registration.module.name, SERVER_OBJECT))
        .flatten();
    let body = pushes::HandlerBody {
        module: &registration.defined_in.name,
        function: &registration.function,
        event: &registration.event,
        server_on,
    };
    let found = match pushes::read_pushes(reader.tree, &body) {
        Ok(found) => found?,
        Err(unreadable) => {
            let display = reader
                .tree
                .load(&unreadable.module)
                .map_or(unreadable.module.clone(), |m| m.display.clone());
            diagnostics.push(
                Diagnostic::warning(
                    Code::UnreadablePush,
                    display,
                    unreadable.at,
                    format!(
                        "`{}` pushes an event whose name cannot be read (not a literal, an f-string of known parts or a name bound to one); clients expect `{}.started`, `.progress`, `.completed` and `.failed` instead",
                        registration.event, registration.event
                    ),
                )
                .about(&registration.event),
            );
            return None;
        }
    };
    let mut pushes = Vec::new();
    for push in found {
        let payload = match push.payload {
            Some(schema) if push_stage(&push.event, names).is_none() => {
                let key = format!("push:{}", push.event);
                let origin = Origin {
                    path: reader
                        .tree
                        .load(&push.module)
                        .map_or(push.module.clone(), |m| m.display.clone()),
                    at: push.at,
                };
                let entry = TypeEntry {
                    preferred: type_name(&push.event),
                    qualifiers: Vec::new(),
                    schema,
                    origin,
                };
                reader.types.insert(key.clone(), entry);
                Some(key)
            }
            _ => None,
        };
        pushes.push(Push {
            event: push.event,
            payload,
        });
    }
    Some(pushes)
}

/// Where an event was first registered, for the `duplicate-event` error about a second one.
struct FirstRegistration {
    /// The file, relative to the import root.
    relative: String,
    /// The line of its decorator.
    line: u32,
    /// The file, as displayed.
    display: String,
    /// The place of the event name.
    at: Position,
}

fn absolute(path: &Path) -> Result<PathBuf, WsTreeError> {
    std::path::absolute(path).map_err(|source| WsTreeError::Resolve {
        path: path.display().to_string(),
        source,
    })
}

fn absolute_starts_with(path: &Path, prefix: &Path) -> bool {
    match (absolute(path), absolute(prefix)) {
        (Ok(path), Ok(prefix)) => path.starts_with(prefix),
        _ => false,
    }
}

/// The ws tree (made absolute when the root lies above the current folder) and the Python import
/// root above it: the first folder without an `__init__.py`, or above it while that folder is a
/// namespace package the code imports by name.
pub fn import_root(ws_tree: &Path) -> Result<(PathBuf, PathBuf), WsTreeError> {
    let (ws_tree, mut root) = package_root(ws_tree)?;
    // A folder without `__init__.py` that the code imports by name (`from app.infra ...`) is a
    // namespace package (PEP 420): the root is the folder above it.
    while let Some(name) = root.file_name().and_then(|n| n.to_str()).map(str::to_owned) {
        if !imports_by_name(&ws_tree, &name) {
            break;
        }
        match root.parent() {
            Some(parent) => root = parent.to_path_buf(),
            None => break,
        }
    }
    Ok((ws_tree, root))
}

/// Whether a Python file under `tree` imports the top-level module `name` absolutely.
fn imports_by_name(tree: &Path, name: &str) -> bool {
    let starts = [
        format!("from {name}."),
        format!("from {name} import"),
        format!("import {name}."),
    ];
    let bare = format!("import {name}");
    WalkDir::new(tree)
        .into_iter()
        .flatten()
        .filter(|entry| entry.file_type().is_file())
        .filter(|entry| entry.path().extension().is_some_and(|e| e == "py"))
        .any(|entry| {
            let Ok(Some(bytes)) = crate::input::read_capped(entry.path(), 1024 * 1024) else {
                return false;
            };
            String::from_utf8_lossy(&bytes).lines().any(|line| {
                let line = line.trim_start();
                starts.iter().any(|start| line.starts_with(start.as_str()))
                    || line
                        .strip_prefix(bare.as_str())
                        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', ',', '#']))
            })
        })
}

/// The first folder above the ws tree without an `__init__.py`: where its packages start.
fn package_root(ws_tree: &Path) -> Result<(PathBuf, PathBuf), WsTreeError> {
    let mut ws_tree = ws_tree.to_path_buf();
    let mut dir = ws_tree.clone();
    loop {
        if !dir.join("__init__.py").is_file() {
            return Ok((ws_tree, dir));
        }
        match dir.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => dir = parent.to_path_buf(),
            // The current folder is the root: keep every path relative, as the user gave it.
            Some(_) if !Path::new("__init__.py").is_file() => return Ok((ws_tree, PathBuf::new())),
            _ => {
                let absolute_dir = absolute(&dir)?;
                if absolute_dir.parent().is_none() {
                    return Ok((ws_tree, dir));
                }
                ws_tree = absolute(&ws_tree)?;
                dir = absolute_dir;
            }
        }
    }
}

/// Every `.py` file under the tree, sorted; unreadable entries become diagnostics.
fn walk(ws_tree: &Path, tree: &PythonTree, diagnostics: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let mut files = Vec::new();
    // Links are followed only while they stay under the import root: one pointing at `/` would
    // otherwise walk the whole file system.
    let root = std::fs::canonicalize(tree.root()).unwrap_or_else(|_| tree.root().to_path_buf());
    let mut outside = Vec::new();
    let entries = WalkDir::new(ws_tree)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            let name = entry.file_name().to_string_lossy();
            if entry.depth() > 0 && (name.starts_with('.') || name == "__pycache__") {
                return false;
            }
            if entry.path_is_symlink() {
                let target = std::fs::canonicalize(entry.path());
                if let Ok(target) = target
                    && !target.starts_with(&root)
                {
                    outside.push((entry.path().to_path_buf(), target));
                    return false;
                }
            }
            true
        });
    for entry in entries {
        match entry {
            Ok(entry) => {
                let path = entry.path();
                if entry.file_type().is_file() && path.extension().is_some_and(|e| e == "py") {
                    if entry.file_name().to_str().is_none() {
                        diagnostics.push(Diagnostic::warning(
                            Code::ParseError,
                            tree.display(path),
                            Position::START,
                            "the file name is not UTF-8: no import can name it, so it never registers; it is not read",
                        ));
                        continue;
                    }
                    files.push(path.to_path_buf());
                }
            }
            Err(error) => {
                let path = error
                    .path()
                    .map_or_else(|| ws_tree.to_path_buf(), Path::to_path_buf);
                // A loop repeats what is read anyway; anything else unreadable may hide handlers.
                diagnostics.push(match error.loop_ancestor() {
                    Some(ancestor) => Diagnostic::warning(
                        Code::IoError,
                        tree.display(&path),
                        Position::START,
                        format!(
                            "symbolic link loop: `{}` leads back to `{}`; not followed",
                            tree.display(&path),
                            tree.display(ancestor)
                        ),
                    ),
                    None => Diagnostic::error(
                        Code::IoError,
                        tree.display(&path),
                        Position::START,
                        format!("cannot read: {error}; the handlers under it are missing"),
                    ),
                });
            }
        }
    }
    for (link, target) in outside {
        diagnostics.push(Diagnostic::warning(
            Code::IoError,
            tree.display(&link),
            Position::START,
            format!(
                "symbolic link to `{}`, outside the import root `{}`: not followed",
                target.display(),
                root.display()
            ),
        ));
    }
    files
}

/// For `x.py`, the package folder `x/` (with an `__init__.py`) that shadows it.
fn shadowing_package(file: &Path) -> Option<PathBuf> {
    let stem = file.file_stem()?;
    if stem == "__init__" {
        return None;
    }
    let package = file.with_file_name(stem);
    package.join("__init__.py").is_file().then_some(package)
}

/// The dotted names of the ws tree's modules that the server imports, starting at the ws
/// package (or, when the tree has no `__init__.py`, at each top-level entry).
fn imported_modules(
    tree: &mut PythonTree,
    ws_tree: &Path,
    ws_package: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeSet<String> {
    let within = |name: &str| {
        ws_package.is_empty() || name == ws_package || name.starts_with(&format!("{ws_package}."))
    };
    let mut imported = BTreeSet::new();
    let mut queue = Vec::new();
    if ws_tree.join("__init__.py").is_file() {
        queue.push(ws_package.to_owned());
    } else if let Ok(entries) = std::fs::read_dir(ws_tree) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let name = name.strip_suffix(".py").unwrap_or(&name).to_owned();
            queue.push(name);
        }
    }
    imported.extend(queue.iter().cloned());
    while let Some(name) = queue.pop() {
        let Some(module) = tree.load(&name) else {
            continue;
        };
        for target in tree.imported_modules(&module) {
            if !within(&target.name) {
                continue;
            }
            if target.missing {
                diagnostics.push(Diagnostic::error(
                    Code::UnresolvedImport,
                    module.display.clone(),
                    target.at,
                    format!(
                        "`{}` imports `{}`, which is no module and no name there: the server fails to start",
                        module.relative, target.name
                    ),
                ));
                continue;
            }
            let parts: Vec<&str> = target.name.split('.').collect();
            for end in 1..=parts.len() {
                let prefix = parts[..end].join(".");
                if within(&prefix) && imported.insert(prefix.clone()) {
                    queue.push(prefix);
                }
            }
        }
    }
    imported
}

/// The module's path below the ws package, as segments (`__init__` already dropped).
fn ws_segments(module: &str, ws_package: &str) -> Vec<String> {
    let below = if ws_package.is_empty() {
        module
    } else {
        module
            .strip_prefix(ws_package)
            .map_or(module, |rest| rest.trim_start_matches('.'))
    };
    below
        .split('.')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// What the imported `connect` handler (`@sio.event async def connect(sid, environ, auth)` or
/// `@sio.on("connect")`) reads from the socket.io auth payload.
fn socket_auth(modules: &[Arc<Module>], imported: &BTreeSet<String>) -> Option<SocketAuth> {
    modules
        .iter()
        .filter(|module| imported.contains(&module.name))
        .find_map(|module| {
            let facts = module.facts.as_ref()?;
            let connect = facts.functions.iter().find(|function| {
                function
                    .decorators
                    .iter()
                    .any(|decorator| match &decorator.kind {
                        ExprKind::Attribute(object, method) => {
                            method == "event"
                                && function.name == "connect"
                                && object.dotted().as_deref() == Some(SERVER_OBJECT)
                        }
                        ExprKind::Call { func, args, .. } => {
                            func.dotted().as_deref() == Some(&format!("{SERVER_OBJECT}.on"))
                                && args.first().and_then(Expr::as_str) == Some("connect")
                        }
                        _ => false,
                    })
            })?;
            let mut keys: Vec<String> = connect
                .auth()
                .into_iter()
                .flat_map(|auth| auth.reads.iter().map(|r| r.key.clone()))
                .collect();
            keys.sort();
            keys.dedup();
            (!keys.is_empty()).then(|| SocketAuth {
                keys,
                source: format!("{}:{}", module.relative, connect.at.line),
            })
        })
}

/// The client-callable registrations in one module: `@sio.on("x")`, `@sio.event` on a function
/// not named for the lifecycle, the calls `sio.on("x", handler)` and `sio.on("x")(handler)` (the
/// handler defined here or imported), and the `on_<event>` methods of a
/// namespace class given to `sio.register_namespace(...)`; each with its `namespace=`.
fn registrations_in(
    tree: &mut PythonTree,
    module: &Arc<Module>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Registration> {
    let Some(facts) = module.facts.clone() else {
        return Vec::new();
    };
    let on_server = |expr: &Expr, method: &str| match &expr.kind {
        ExprKind::Attribute(object, name) => {
            name == method && object.dotted().as_deref() == Some(SERVER_OBJECT)
        }
        _ => false,
    };
    let mut found = Vec::new();
    let mut register = |event: String,
                        namespace: Option<String>,
                        function: &FunctionFacts,
                        defined_in: &Arc<Module>,
                        param: usize,
                        decorator_at: Position,
                        name_at: Position| {
        if RESERVED_EVENTS.contains(&event.as_str()) {
            return;
        }
        found.push(Registration {
            event,
            namespace: namespace.filter(|n| n != "/"),
            module: module.clone(),
            defined_in: defined_in.clone(),
            function: function.clone(),
            param,
            decorator_at,
            name_at,
        });
    };
    for function in &facts.functions {
        for decorator in &function.decorators {
            // `@sio.event`: the function's name is the event.
            if on_server(decorator, "event") {
                register(
                    function.name.clone(),
                    None,
                    function,
                    module,
                    1,
                    decorator.at,
                    decorator.at,
                );
                continue;
            }
            let ExprKind::Call { func, args, .. } = &decorator.kind else {
                continue;
            };
            if on_server(func, "event") {
                let namespace = keyword_text(tree, module, decorator, "namespace", diagnostics);
                register(
                    function.name.clone(),
                    namespace,
                    function,
                    module,
                    1,
                    decorator.at,
                    decorator.at,
                );
                continue;
            }
            if !on_server(func, "on") {
                continue;
            }
            let Some(argument) = args.first() else {
                diagnostics.push(dynamic_name(module, decorator, "has no event name"));
                continue;
            };
            let Some(event) = event_name(tree, module, argument) else {
                diagnostics.push(dynamic_name(
                    module,
                    argument,
                    "names its event with an expression, not a string literal or a module-level string constant",
                ));
                continue;
            };
            let namespace = keyword_text(tree, module, decorator, "namespace", diagnostics);
            register(
                event,
                namespace,
                function,
                module,
                1,
                decorator.at,
                argument.at,
            );
        }
    }
    for call in &facts.calls {
        let ExprKind::Call { func, args, .. } = &call.kind else {
            continue;
        };
        // `sio.on("x", handler)`, and `sio.on("x")(handler)` (the decorator called by hand).
        let on_call = if on_server(func, "on") {
            Some((call, args.get(1).or_else(|| call.keyword("handler"))))
        } else if let ExprKind::Call { func: inner, .. } = &func.kind
            && on_server(inner, "on")
        {
            Some((&**func, args.first()))
        } else {
            None
        };
        if let Some((on, handler)) = on_call {
            let ExprKind::Call { args: on_args, .. } = &on.kind else {
                continue;
            };
            let Some(argument) = on_args.first() else {
                diagnostics.push(dynamic_name(module, on, "has no event name"));
                continue;
            };
            let Some(event) = event_name(tree, module, argument) else {
                diagnostics.push(dynamic_name(
                    module,
                    argument,
                    "names its event with an expression, not a string literal or a module-level string constant",
                ));
                continue;
            };
            let Some(handler) = handler else {
                continue;
            };
            let namespace = keyword_text(tree, module, on, "namespace", diagnostics);
            match handler_function(tree, module, &facts, handler) {
                Some((function, defined_in)) => register(
                    event,
                    namespace,
                    &function,
                    &defined_in,
                    1,
                    call.at,
                    argument.at,
                ),
                // A handler the reader cannot read (a lambda, a bound method, `partial(...)`):
                // the event is registered all the same; its payload is handed to that handler.
                None => register(
                    event,
                    namespace,
                    &opaque_handler(handler),
                    module,
                    1,
                    call.at,
                    argument.at,
                ),
            }
        } else if on_server(func, "register_namespace") {
            // `sio.register_namespace(Chat("/chat"))`: its `on_<event>` methods.
            let Some(ExprKind::Call {
                func: class,
                args: class_args,
                ..
            }) = args.first().map(|a| &a.kind)
            else {
                continue;
            };
            let namespace = class_args
                .first()
                .and_then(|a| event_name(tree, module, a))
                .or_else(|| {
                    args.first()
                        .and_then(|a| keyword_text(tree, module, a, "namespace", diagnostics))
                });
            let Some(Symbol::Class {
                module: class_module,
                name,
            }) = tree.resolve_expr(&module.name, class)
            else {
                continue;
            };
            let Some(defined_in) = tree.load(&class_module) else {
                continue;
            };
            let methods = defined_in
                .facts
                .as_ref()
                .and_then(|f| f.class(&name))
                .map(|c| c.methods.clone())
                .unwrap_or_default();
            for method in &methods {
                let Some(event) = method.name.strip_prefix("on_") else {
                    continue;
                };
                register(
                    event.to_owned(),
                    namespace.clone(),
                    method,
                    &defined_in,
                    2,
                    call.at,
                    method.at,
                );
            }
        }
    }
    found
}

/// The function a handler expression names, and the module it is defined in: one of this
/// module, or one imported from under the import root.
fn handler_function(
    tree: &mut PythonTree,
    module: &Arc<Module>,
    facts: &ModuleFacts,
    handler: &Expr,
) -> Option<(FunctionFacts, Arc<Module>)> {
    if let ExprKind::Name(name) = &handler.kind
        && let Some(function) = facts.function(name)
    {
        return Some((function.clone(), module.clone()));
    }
    let Some(Symbol::Function {
        module: defined,
        name,
    }) = tree.resolve_expr(&module.name, handler)
    else {
        return None;
    };
    let function = tree.function(&defined, &name)?;
    let defined_in = tree.load(&defined)?;
    Some((function, defined_in))
}

/// A stand-in for a handler the reader cannot read: `(sid, data)` passing `data` to the
/// handler expression, so that the payload is unknown and says why.
fn opaque_handler(handler: &Expr) -> FunctionFacts {
    let forward = Forward {
        callee: handler.clone(),
        passed: Passed::Positional(1),
        other_keywords: Vec::new(),
        positional: 1,
        at: handler.at,
    };
    FunctionFacts {
        name: handler.dotted().unwrap_or_else(|| "<handler>".to_owned()),
        is_async: true,
        decorators: Vec::new(),
        params: vec![("sid".to_owned(), None), ("data".to_owned(), None)],
        defaults: vec![false, false],
        any_keywords: false,
        positional: 2,
        uses: vec![
            ParamUse::default(),
            ParamUse {
                forwards: vec![forward],
                ..ParamUse::default()
            },
        ],
        rest: None,
        returns: Vec::new(),
        locals: Vec::new(),
        calls: None,
        return_annotation: None,
        docstring: None,
        at: handler.at,
    }
}

/// The text of a keyword argument of `call` (`namespace="/chat"`), a literal or a constant;
/// a dynamic one is reported.
fn keyword_text(
    tree: &mut PythonTree,
    module: &Module,
    call: &Expr,
    keyword: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<String> {
    let value = call.keyword(keyword)?;
    let text = event_name(tree, module, value);
    if text.is_none() {
        diagnostics.push(dynamic_name(
            module,
            value,
            &format!("gives `{keyword}=` as an expression, not a string literal or a module-level string constant"),
        ));
    }
    text
}

/// The event name of a decorator argument: a literal, or a name bound to a string constant.
fn event_name(tree: &mut PythonTree, module: &Module, argument: &Expr) -> Option<String> {
    match &argument.kind {
        ExprKind::Str(name) => Some(name.clone()),
        ExprKind::Name(_) | ExprKind::Attribute(..) => {
            match tree.resolve_expr(&module.name, argument)? {
                Symbol::Value { value, .. } => value.as_str().map(str::to_owned),
                _ => None,
            }
        }
        _ => None,
    }
}

fn dynamic_name(module: &Module, at: &Expr, why: &str) -> Diagnostic {
    Diagnostic::error(
        Code::DynamicName,
        module.display.clone(),
        at.at,
        format!("`@sio.on` in `{}` {why}", module.relative),
    )
}

/// Why a registration never happens: the nearest package on the way down that does not import
/// the next step.
fn not_imported(
    reader: &mut PydanticReader,
    registration: &Registration,
    ws_package: &str,
    imported: &BTreeSet<String>,
) -> Diagnostic {
    let module = &registration.module;
    let parts: Vec<&str> = module.name.split('.').collect();
    let first_missing = (1..=parts.len())
        .map(|end| parts[..end].join("."))
        .find(|name| name.len() >= ws_package.len() && !imported.contains(name))
        .unwrap_or_else(|| module.name.clone());
    let (parent, child) = first_missing
        .rsplit_once('.')
        .unwrap_or(("", &first_missing));
    let reason = match reader.tree.module_file(parent) {
        Some((init, true)) => format!(
            "`{}` does not import `{child}`",
            reader.tree.relative(&init)
        ),
        _ => format!(
            "package `{}` has no `__init__.py`",
            parent.replace('.', "/")
        ),
    };
    Diagnostic::warning(
        Code::NotImported,
        module.display.clone(),
        registration.name_at,
        format!(
            "`{}` registers `{}` but is never imported ({reason}), so the server never registers it",
            module.relative, registration.event
        ),
    )
}
