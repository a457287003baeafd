//! A deterministic server of the Glow API's size, for benchmarks: a python-socketio handler tree
//! (388 handlers and 1,706 Pydantic models, about 640 KB of Python at scale 1) and the OpenAPI 3.1
//! document FastAPI would serve for it (843 routes, 1,442 schemas, about 3.5 MB), both written
//! from one description so that every socket operation has its HTTP twin with the same payload.
//! `scale` multiplies the artifacts (and so every count) for the scaling rows.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

/// Artifacts at scale 1.
const ARTIFACTS: usize = 24;
/// Socket operations per artifact (the first four artifacts have one more: 388 in all).
const OPS: usize = 16;
/// Models per artifact (two more in the first artifact: 1,706 in all).
const MODELS: usize = 71;
/// Models of each artifact the HTTP routes reach (1,442 schemas with the enums and errors).
const HTTP_MODELS: usize = 58;
/// Routes per artifact besides the socket twins (455 in all: 843 routes).
const EXTRA_ROUTES: usize = 19;

/// Where a written corpus is.
#[derive(Debug, Clone)]
pub struct Corpus {
    /// `core/app/ws`.
    pub ws_tree: PathBuf,
    /// `openapi.json`.
    pub openapi: PathBuf,
    /// Bytes of Python written.
    pub python_bytes: usize,
    /// Bytes of the OpenAPI document.
    pub openapi_bytes: usize,
    /// Socket handlers.
    pub handlers: usize,
    /// Pydantic models.
    pub models: usize,
    /// HTTP routes.
    pub routes: usize,
    /// Component schemas.
    pub schemas: usize,
}

/// A tiny deterministic generator (xorshift), so that every run writes the same bytes.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// One field of a model.
struct Field {
    name: String,
    kind: Kind,
    optional: bool,
    description: String,
}

enum Kind {
    Str { max: usize },
    Int { min: i64, max: i64 },
    Float,
    Bool,
    Uuid,
    DateTime,
    Tags,
    Enum(usize),
    Model(usize),
    Models(usize),
}

const WORDS: &[&str] = &[
    "name", "title", "status", "score", "owner", "region", "summary", "notes", "weight", "label",
    "origin", "target", "source", "limit", "offset", "rating", "level", "stage", "phase", "topic",
];

/// Writes the corpus at `scale` under `dir`.
pub fn write(dir: &Path, scale: usize) -> std::io::Result<Corpus> {
    let artifacts = ARTIFACTS * scale.max(1);
    let app = dir.join("core/app");
    let ws = app.join("ws");
    let mut python_bytes = 0;
    let mut put = |path: PathBuf, text: String| -> std::io::Result<()> {
        python_bytes += text.len();
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, text)
    };
    put(app.join("__init__.py"), String::new())?;
    put(app.join("infra/__init__.py"), String::new())?;
    put(
        app.join("sockets.py"),
        "import socketio\n\nsio = socketio.AsyncServer(async_mode=\"asgi\")\n".to_owned(),
    )?;
    put(app.join("realtime.py"), REALTIME.to_owned())?;

    let mut dice = Dice(0x9E37_79B9_7F4A_7C15);
    let mut schemas = Map::new();
    let mut paths = Map::new();
    let mut handlers = 0;
    let mut models = 0;
    let mut ws_init = String::from("from . import (\n");
    for a in 0..artifacts {
        let artifact = format!("artifact{a}");
        let class = format!("Artifact{a}");
        let model_count = MODELS + usize::from(a == 0) * 2;
        let fields: Vec<Vec<Field>> = (0..model_count)
            .map(|m| model_fields(&mut dice, m, model_count))
            .collect();
        models += model_count;
        let mut types = String::from(
            "\"\"\"Models of one artifact.\"\"\"\n\nfrom datetime import datetime\nfrom enum import Enum\nfrom typing import Literal\nfrom uuid import UUID\n\nfrom pydantic import BaseModel, Field\n\n\n",
        );
        for e in 0..2 {
            let _ = write!(
                types,
                "class {class}Kind{e}(str, Enum):\n    \"\"\"A kind.\"\"\"\n\n    ALPHA = \"alpha\"\n    BETA = \"beta\"\n    GAMMA = \"gamma\"\n\n\n"
            );
            schemas.insert(
                format!("{class}Kind{e}"),
                json!({"type": "string", "enum": ["alpha", "beta", "gamma"], "title": format!("{class}Kind{e}"), "description": "A kind."}),
            );
        }
        // Later models refer to earlier ones only, so the module reads top to bottom.
        for (m, model) in fields.iter().enumerate() {
            let _ = writeln!(types, "class {class}Model{m}(BaseModel):");
            let _ = writeln!(types, "    \"\"\"Model {m} of {artifact}.\"\"\"\n");
            for field in model {
                let _ = writeln!(types, "    {}", python_field(&class, field));
            }
            types.push_str("\n\n");
            // The HTTP document holds the models its routes reach.
            if m < HTTP_MODELS {
                schemas.insert(format!("{class}Model{m}"), model_schema(&class, m, model));
            }
        }
        put(
            app.join(format!("infra/{artifact}/__init__.py")),
            String::new(),
        )?;
        put(app.join(format!("infra/{artifact}/types.py")), types)?;

        let ops = OPS + usize::from(a < 4);
        let mut init = String::from("from . import (\n");
        for o in 0..ops {
            handlers += 1;
            let op = format!("op{o}");
            let payload = o % HTTP_MODELS;
            let result = (o + 7) % HTTP_MODELS;
            let _ = writeln!(init, "    {op},");
            put(
                ws.join(format!("{artifact}/{op}.py")),
                format!(
                    "from typing import Any\n\nfrom app.infra.{artifact}.types import {class}Model{payload}\nfrom app.realtime import run_operation\nfrom app.sockets import sio\n\n\n@sio.on(\"{artifact}.{op}\")  # type: ignore\nasync def {artifact}_{op}(sid: str, data: dict[str, Any]) -> None:\n    \"\"\"Runs {op} of {artifact}.\"\"\"\n    payload = {class}Model{payload}.model_validate(data)\n    await run_operation(sid, \"{artifact}.{op}\", lambda: payload)\n"
                ),
            )?;
            paths.insert(
                format!("/{artifact}/{op}"),
                json!({"post": route(&format!("{artifact}_{op}"), Some(&format!("{class}Model{payload}")), &format!("{class}Model{result}"))}),
            );
        }
        init.push_str(")\n");
        put(ws.join(format!("{artifact}/__init__.py")), init)?;
        let _ = writeln!(ws_init, "    {artifact},");
        for r in 0..EXTRA_ROUTES {
            if a == 0 && r == EXTRA_ROUTES - 1 {
                continue;
            }
            let model = format!("{class}Model{}", (r * 3) % HTTP_MODELS);
            let (path, method, body) = match r % 3 {
                0 => (format!("/{artifact}/item{r}/{{item_id}}"), "get", None),
                1 => (
                    format!("/{artifact}/item{r}/{{item_id}}"),
                    "patch",
                    Some(model.clone()),
                ),
                _ => (format!("/{artifact}/list{r}"), "get", None),
            };
            let mut operation = route(&format!("{artifact}_{method}_{r}"), body.as_deref(), &model);
            if path.contains("{item_id}") {
                operation["parameters"] = json!([{"name": "item_id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid", "title": "Item Id"}}]);
            }
            paths.insert(path, json!({ method: operation }));
        }
    }
    ws_init.push_str(")\n");
    put(ws.join("__init__.py"), ws_init)?;
    schemas.insert("HTTPValidationError".to_owned(), json!({"properties": {"detail": {"items": {"$ref": "#/components/schemas/ValidationError"}, "type": "array", "title": "Detail"}}, "type": "object", "title": "HTTPValidationError"}));
    schemas.insert("ValidationError".to_owned(), json!({"properties": {"loc": {"items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}, "type": "array", "title": "Location"}, "msg": {"type": "string", "title": "Message"}, "type": {"type": "string", "title": "Error Type"}}, "type": "object", "required": ["loc", "msg", "type"], "title": "ValidationError"}));
    let routes = paths
        .values()
        .map(|item| item.as_object().map_or(0, Map::len))
        .sum();
    let schema_count = schemas.len();
    let document = json!({
        "openapi": "3.1.0",
        "info": {"title": "Glow-sized API", "version": "1.0.0"},
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"HTTPBearer": {"type": "http", "scheme": "bearer"}},
        },
    });
    let text = serde_json::to_string(&document).map_err(std::io::Error::other)?;
    let openapi = dir.join("openapi.json");
    std::fs::write(&openapi, &text)?;
    Ok(Corpus {
        ws_tree: ws,
        openapi,
        python_bytes,
        openapi_bytes: text.len(),
        handlers,
        models,
        routes,
        schemas: schema_count,
    })
}

fn model_fields(dice: &mut Dice, index: usize, count: usize) -> Vec<Field> {
    let n = 2 + dice.below(4);
    (0..n)
        .map(|f| {
            let kind = match dice.below(12) {
                0 => Kind::Int {
                    min: 0,
                    max: 1000 + dice.below(9000) as i64,
                },
                1 => Kind::Float,
                2 => Kind::Bool,
                3 => Kind::Uuid,
                4 => Kind::DateTime,
                5 => Kind::Tags,
                6 => Kind::Enum(dice.below(2)),
                7 | 8 if index > 0 => Kind::Model(dice.below(index.min(count))),
                9 if index > 0 => Kind::Models(dice.below(index.min(count))),
                _ => Kind::Str {
                    max: 40 + dice.below(200),
                },
            };
            let word = WORDS[dice.below(WORDS.len())];
            Field {
                name: format!("{word}_{f}"),
                optional: dice.below(3) == 0,
                description: if dice.below(4) == 0 {
                    format!("The {word} kept.")
                } else {
                    String::new()
                },
                kind,
            }
        })
        .collect()
}

fn python_field(class: &str, field: &Field) -> String {
    let annotation = match &field.kind {
        Kind::Str { .. } => "str".to_owned(),
        Kind::Int { .. } => "int".to_owned(),
        Kind::Float => "float".to_owned(),
        Kind::Bool => "bool".to_owned(),
        Kind::Uuid => "UUID".to_owned(),
        Kind::DateTime => "datetime".to_owned(),
        Kind::Tags => "list[str]".to_owned(),
        Kind::Enum(e) => format!("{class}Kind{e}"),
        Kind::Model(m) => format!("{class}Model{m}"),
        Kind::Models(m) => format!("list[{class}Model{m}]"),
    };
    let description = if field.description.is_empty() {
        String::new()
    } else {
        format!(", description=\"{}\"", field.description)
    };
    let constraint = match &field.kind {
        Kind::Str { max } => format!(", max_length={max}"),
        Kind::Int { min, max } => format!(", ge={min}, le={max}"),
        _ => String::new(),
    };
    match (&field.kind, field.optional) {
        (Kind::Tags, _) => format!(
            "{}: {annotation} = Field(default_factory=list{description})",
            field.name
        ),
        (_, true) => format!(
            "{}: {annotation} | None = Field(None{description}{constraint})",
            field.name
        ),
        (_, false) => format!(
            "{}: {annotation} = Field(...{description}{constraint})",
            field.name
        ),
    }
}

/// The schema FastAPI writes for a model: titles on everything, `anyOf` with `null` for
/// optional fields, no default for a `default_factory`.
fn model_schema(class: &str, index: usize, fields: &[Field]) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for field in fields {
        let mut schema = match &field.kind {
            Kind::Str { max } => json!({"type": "string", "maxLength": max}),
            Kind::Int { min, max } => json!({"type": "integer", "minimum": min, "maximum": max}),
            Kind::Float => json!({"type": "number"}),
            Kind::Bool => json!({"type": "boolean"}),
            Kind::Uuid => json!({"type": "string", "format": "uuid"}),
            Kind::DateTime => json!({"type": "string", "format": "date-time"}),
            Kind::Tags => json!({"type": "array", "items": {"type": "string"}}),
            Kind::Enum(e) => json!({"$ref": format!("#/components/schemas/{class}Kind{e}")}),
            Kind::Model(m) => json!({"$ref": format!("#/components/schemas/{class}Model{m}")}),
            Kind::Models(m) => {
                json!({"type": "array", "items": {"$ref": format!("#/components/schemas/{class}Model{m}")}})
            }
        };
        if field.optional && !matches!(field.kind, Kind::Tags) {
            schema = json!({"anyOf": [schema, {"type": "null"}], "default": null});
        }
        if let Value::Object(map) = &mut schema {
            map.insert("title".into(), json!(title(&field.name)));
            if !field.description.is_empty() {
                map.insert("description".into(), json!(field.description));
            }
        }
        if !field.optional && !matches!(field.kind, Kind::Tags) {
            required.push(field.name.clone());
        }
        properties.insert(field.name.clone(), schema);
    }
    let mut schema = json!({
        "properties": properties,
        "type": "object",
        "title": format!("{class}Model{index}"),
        "description": format!("Model {index} of artifact{}.", &class["Artifact".len()..]),
    });
    if !required.is_empty() {
        schema["required"] = json!(required);
    }
    schema
}

fn title(name: &str) -> String {
    name.split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn route(operation_id: &str, body: Option<&str>, response: &str) -> Value {
    let mut operation = json!({
        "summary": title(operation_id),
        "description": format!("{ROUTE_DESCRIPTION}\n\n{ROUTE_DESCRIPTION}"),
        "operationId": operation_id,
        "responses": {
            "200": {"description": "Successful Response", "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{response}")}}}},
            "422": {"description": "Validation Error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/HTTPValidationError"}}}}
        },
        "security": [{"HTTPBearer": []}]
    });
    if let Some(body) = body {
        operation["requestBody"] = json!({"content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{body}")}}}, "required": true});
    }
    operation
}

const REALTIME: &str = "\"\"\"Running an operation over the socket: `.started`, then `.completed` or `.failed`.\"\"\"\n\nfrom app.sockets import sio\n\n\nasync def run_operation(sid, operation_key, work):\n    await sio.emit(f\"{operation_key}.started\", {\"operation_key\": operation_key}, to=sid)\n    try:\n        result = work()\n    except Exception as error:\n        await sio.emit(f\"{operation_key}.failed\", {\"message\": str(error)}, to=sid)\n        return None\n    await sio.emit(f\"{operation_key}.completed\", {\"operation_key\": operation_key}, to=sid)\n    return result\n";

/// What FastAPI copies from a route's docstring: real routes document themselves at length.
const ROUTE_DESCRIPTION: &str = "Runs the operation for the caller's profile and answers with the record it produced. The payload is validated against the operation's model first; an invalid payload is answered with 422 and the validation errors, field by field. The caller must hold a bearer token whose profile may act on the artifact; a missing or expired token is answered with 401, a profile without the right with 403. Long-running work is queued: the answer then carries the record as it stands, and the socket pushes `.progress` frames until `.completed`. Every answer carries the identifiers the client needs to follow up: the record's id, the group it belongs to, and the call that made it, so that a retried call is recognised and not run twice. Fields the server computes (timestamps, counters, derived names) are read-only and ignored when sent. Lists are paginated with `page` and `page_size`; the default page size is 12 and the largest 100. Dates are ISO 8601 in UTC; identifiers are UUIDs. Deprecated fields are kept for one minor version and flagged in the schema.";
