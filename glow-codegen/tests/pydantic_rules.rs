//! The payload and ack types of handlers: Pydantic models read statically, and inference from
//! dict access and return values.

mod common;

use common::{Tree, handler, messages, places};
use glow_codegen::diagnostic::Code;
use glow_codegen::json::Value;
use glow_codegen::sources::SourceOutput;
use serde_json::json;

/// A tree with one handler `a.b` whose file is `module_source`.
fn one_handler(module_source: &str) -> Tree {
    let tree = Tree::new();
    tree.write("core/app/ws/__init__.py", "from . import a\n")
        .write("core/app/ws/a/__init__.py", "from . import b\n")
        .write("core/app/ws/a/b.py", module_source);
    tree
}

fn request(output: &SourceOutput) -> (String, Value) {
    let name = output.api.operations[0]
        .request
        .clone()
        .expect("a request type");
    let schema = output.api.types[&name].clone();
    (name, schema)
}

const HEADER: &str = "from datetime import date, datetime\nfrom enum import Enum\nfrom typing import Any, Dict, List, Literal, Optional, Union\nfrom uuid import UUID\n\nfrom pydantic import BaseModel, Field, computed_field\n\nfrom app.sockets import sio\n\n";

fn model_handler(model: &str, call: &str) -> String {
    format!(
        "{HEADER}{model}\n\n@sio.on('a.b')\nasync def h(sid: str, data: dict[str, Any]) -> None:\n    {call}\n"
    )
}

#[test]
fn scalar_and_container_field_types_map_to_json_schema() {
    let tree = one_handler(&model_handler(
        "class P(BaseModel):\n    s: str\n    i: int\n    f: float\n    b: bool\n    raw: bytes\n    u: UUID\n    at: datetime\n    d: date\n    anything: Any\n    names: list[str]\n    legacy: List[int]\n    scores: dict[str, float]\n    meta: Dict[str, Any]\n",
        "P(**data)",
    ));
    let (name, schema) = request(&tree.read());
    assert_eq!(name, "P");
    let p = &schema["properties"];
    assert_eq!(p["s"], json!({"type": "string"}));
    assert_eq!(p["i"], json!({"type": "integer"}));
    assert_eq!(p["f"], json!({"type": "number"}));
    assert_eq!(p["b"], json!({"type": "boolean"}));
    assert_eq!(p["raw"], json!({"type": "string", "format": "binary"}));
    assert_eq!(p["u"], json!({"type": "string", "format": "uuid"}));
    assert_eq!(p["at"], json!({"type": "string", "format": "date-time"}));
    assert_eq!(p["d"], json!({"type": "string", "format": "date"}));
    assert_eq!(p["anything"], json!({}));
    assert_eq!(
        p["names"],
        json!({"type": "array", "items": {"type": "string"}})
    );
    assert_eq!(
        p["legacy"],
        json!({"type": "array", "items": {"type": "integer"}})
    );
    assert_eq!(
        p["scores"],
        json!({"type": "object", "additionalProperties": {"type": "number"}})
    );
    assert_eq!(
        p["meta"],
        json!({"type": "object", "additionalProperties": true})
    );
    assert_eq!(schema["required"].as_array().unwrap().len(), 13);
}

#[test]
fn optional_union_and_literal_forms() {
    let tree = one_handler(&model_handler(
        "class P(BaseModel):\n    a: str | None\n    b: Optional[int] = None\n    c: Union[int, str]\n    d: int | str | None = None\n    kind: Literal['x', 'y']\n    one: Literal['only']\n",
        "P.model_validate(data)",
    ));
    let (_, schema) = request(&tree.read());
    let p = &schema["properties"];
    assert_eq!(
        p["a"],
        json!({"anyOf": [{"type": "string"}, {"type": "null"}]})
    );
    assert_eq!(
        p["b"],
        json!({"anyOf": [{"type": "integer"}, {"type": "null"}], "default": null})
    );
    assert_eq!(
        p["c"],
        json!({"anyOf": [{"type": "integer"}, {"type": "string"}]})
    );
    assert_eq!(
        p["d"],
        json!({"anyOf": [{"type": "integer"}, {"type": "string"}, {"type": "null"}], "default": null})
    );
    assert_eq!(p["kind"], json!({"enum": ["x", "y"], "type": "string"}));
    assert_eq!(p["one"], json!({"const": "only", "type": "string"}));
    assert_eq!(
        schema["required"],
        json!(["a", "c", "kind", "one"]),
        "nullable without default stays required"
    );
}

#[test]
fn required_and_optional_follow_pydantic() {
    let tree = one_handler(&model_handler(
        "class P(BaseModel):\n    plain: int\n    ellipsis: int = Field(...)\n    none: int | None = None\n    value: int = 12\n    field_value: int = Field(12, ge=1, le=MAX)\n    keyword: str = Field(default='x')\n    factory: list[str] = Field(default_factory=list)\n    mapping: dict[str, int] = Field(default_factory=dict)\n    runs_code: list[int] = Field(default_factory=lambda: [1])\n    described: str = Field(..., description='What it is.', min_length=2, max_length=9, pattern='^[a-z]+$')\n    _private: int = 0\n\nMAX = 40\n",
        "P(**data)",
    ));
    let (_, schema) = request(&tree.read());
    assert_eq!(
        schema["required"],
        json!(["described", "ellipsis", "plain"])
    );
    let p = &schema["properties"];
    assert_eq!(p["value"], json!({"type": "integer", "default": 12}));
    assert_eq!(
        p["field_value"],
        json!({"type": "integer", "default": 12, "minimum": 1, "maximum": 40})
    );
    assert_eq!(p["keyword"], json!({"type": "string", "default": "x"}));
    // A factory of an empty collection is that collection; one that runs code is unknown.
    assert_eq!(
        p["factory"],
        json!({"type": "array", "items": {"type": "string"}, "default": []})
    );
    assert_eq!(
        p["mapping"],
        json!({"type": "object", "additionalProperties": {"type": "integer"}, "default": {}})
    );
    assert_eq!(
        p["runs_code"],
        json!({"type": "array", "items": {"type": "integer"}})
    );
    assert_eq!(
        p["described"],
        json!({"type": "string", "description": "What it is.", "minLength": 2, "maxLength": 9, "pattern": "^[a-z]+$"})
    );
    assert!(p.get("_private").is_none());
}

#[test]
fn constraints_on_optional_fields_go_on_the_value_branch() {
    let tree = one_handler(&model_handler(
        "class P(BaseModel):\n    n: int | None = Field(None, ge=0)\n    tags: list[str] | None = Field(None, max_length=3)\n",
        "P(**data)",
    ));
    let (_, schema) = request(&tree.read());
    assert_eq!(
        schema["properties"]["n"],
        json!({"anyOf": [{"type": "integer", "minimum": 0}, {"type": "null"}], "default": null})
    );
    assert_eq!(
        schema["properties"]["tags"]["anyOf"][0],
        json!({"type": "array", "items": {"type": "string"}, "maxItems": 3})
    );
}

#[test]
fn computed_fields_class_vars_and_methods_are_not_input_fields() {
    let tree = one_handler(&model_handler(
        "from typing import ClassVar\n\nclass P(BaseModel):\n    name: str\n    LIMIT: ClassVar[int] = 3\n\n    @computed_field\n    @property\n    def upper(self) -> str:\n        return self.name.upper()\n\n    def helper(self) -> int:\n        return 1\n",
        "P(**data)",
    ));
    let (_, schema) = request(&tree.read());
    let keys: Vec<&String> = schema["properties"].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["name"]);
}

#[test]
fn enums_nested_models_and_forward_references_become_named_types() {
    let tree = one_handler(&model_handler(
        "class Color(str, Enum):\n    \"\"\"A color.\"\"\"\n    RED = 'red'\n    BLUE = 'blue'\n\nclass Level(int, Enum):\n    LOW = 1\n    HIGH = 2\n\nclass Node(BaseModel):\n    label: str\n    children: list['Node'] = []\n\nclass P(BaseModel):\n    color: Color = Color.RED\n    level: Optional[Level] = None\n    root: Node\n    later: 'Later | None' = None\n\nclass Later(BaseModel):\n    x: int\n",
        "P(**data)",
    ));
    let output = tree.read();
    let (_, schema) = request(&output);
    let p = &schema["properties"];
    assert_eq!(
        p["color"],
        json!({"$ref": "#/types/Color", "default": "red"})
    );
    assert_eq!(p["level"]["anyOf"][0], json!({"$ref": "#/types/Level"}));
    assert_eq!(p["root"], json!({"$ref": "#/types/Node"}));
    assert_eq!(p["later"]["anyOf"][0], json!({"$ref": "#/types/Later"}));
    let types = &output.api.types;
    assert_eq!(
        types["Color"],
        json!({"enum": ["red", "blue"], "type": "string", "description": "A color.", "x-enum-varnames": ["RED", "BLUE"]}),
        "the members' names ride beside the values"
    );
    assert_eq!(types["Level"]["enum"], json!([1, 2]));
    assert_eq!(types["Level"]["type"], "integer");
    assert_eq!(types["Level"]["x-enum-varnames"], json!(["LOW", "HIGH"]));
    assert_eq!(
        types["Node"]["properties"]["children"],
        json!({"type": "array", "items": {"$ref": "#/types/Node"}, "default": []})
    );
    assert!(output.diagnostics.is_empty(), "{:?}", output.diagnostics);
}

#[test]
fn imported_model_with_base_class_in_another_module_inherits_fields() {
    let tree = one_handler(
        "from typing import Any\nimport app.infra.types as t\nfrom app.sockets import sio\n\n@sio.on('a.b')\nasync def h(sid: str, data: dict[str, Any]):\n    t.Search(**data)\n",
    );
    tree.write("core/app/infra/__init__.py", "")
        .write(
            "core/app/infra/types.py",
            "from pydantic import Field\nfrom ..ws.pagination import Paginated as Base\n\nclass Search(Base):\n    query: str | None = None\n    page_size: int = 50\n",
        )
        .write(
            "core/app/ws/pagination.py",
            "from pydantic import BaseModel, Field\n\nclass Paginated(BaseModel):\n    page: int = Field(1, ge=1)\n    page_size: int = Field(12, ge=1, le=100)\n",
        );
    let output = tree.read();
    let (name, schema) = request(&output);
    assert_eq!(name, "Search");
    let keys: Vec<&String> = schema["properties"].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["page", "page_size", "query"]);
    assert_eq!(
        schema["properties"]["page_size"],
        json!({"type": "integer", "default": 50}),
        "the subclass's own declaration overrides the base's"
    );
    assert!(output.diagnostics.is_empty(), "{:?}", output.diagnostics);
}

#[test]
fn re_exported_and_aliased_imports_are_followed() {
    let tree = one_handler(
        "from typing import Any\nfrom app.infra import Payload as Renamed\nfrom app.sockets import sio\n\n@sio.on('a.b')\nasync def h(sid: str, data: dict[str, Any]):\n    Renamed.model_validate(data)\n",
    );
    tree.write(
        "core/app/infra/__init__.py",
        "from .models import Payload\n",
    )
    .write(
        "core/app/infra/models.py",
        "from pydantic import BaseModel\n\nclass Payload(BaseModel):\n    x: int\n",
    );
    let (name, schema) = request(&tree.read());
    assert_eq!(name, "Payload");
    assert_eq!(schema["required"], json!(["x"]));
}

#[test]
fn field_discriminator_makes_a_tagged_one_of_as_pydantic_does() {
    let tree = one_handler(&model_handler(
        "class Cat(BaseModel):\n    kind: Literal['cat']\n\nclass Dog(BaseModel):\n    kind: Literal['dog']\n    bark: int = 1\n\nclass P(BaseModel):\n    pet: Cat | Dog = Field(discriminator='kind')\n    maybe: Cat | Dog | None = Field(None, discriminator='kind')\n",
        "P(**data)",
    ));
    let (_, schema) = request(&tree.read());
    let tagged = json!({
        "oneOf": [{"$ref": "#/types/Cat"}, {"$ref": "#/types/Dog"}],
        "discriminator": {"propertyName": "kind", "mapping": {"cat": "#/types/Cat", "dog": "#/types/Dog"}}
    });
    assert_eq!(schema["properties"]["pet"], tagged);
    assert_eq!(
        schema["properties"]["maybe"],
        json!({"anyOf": [tagged, {"type": "null"}], "default": null})
    );
}

#[test]
fn field_alias_is_the_wire_name_and_extra_forbid_closes_the_object() {
    let tree = one_handler(&model_handler(
        "from pydantic import ConfigDict\n\nclass P(BaseModel):\n    model_config = ConfigDict(extra='forbid')\n    type_: str = Field(..., alias='type')\n",
        "P(**data)",
    ));
    let (_, schema) = request(&tree.read());
    assert_eq!(schema["required"], json!(["type"]));
    assert_eq!(schema["additionalProperties"], json!(false));
}

#[test]
fn annotated_parameter_model_is_the_payload() {
    let tree = one_handler(&format!(
        "{HEADER}class P(BaseModel):\n    x: int\n\n@sio.on('a.b')\nasync def h(sid: str, data: P) -> None:\n    pass\n"
    ));
    assert_eq!(request(&tree.read()).0, "P");
}

#[test]
fn dict_access_infers_an_object_with_optional_and_required_keys() {
    let tree = one_handler(&handler(
        "a.b",
        "    chat_id = UUID(data['chat_id'])\n    text = data['text']\n    limit = int(data.get('limit', 10))\n    persona = data.get('persona_id')\n    if 'flag' in data:\n        pass\n    data['written'] = 1",
    ));
    let output = tree.read();
    let (name, schema) = request(&output);
    assert_eq!(name, "ABPayload");
    assert_eq!(
        schema,
        json!({
            "type": "object",
            "properties": {
                "chat_id": {"type": "string", "format": "uuid"},
                "text": {},
                "limit": {"type": "integer", "default": 10},
                "persona_id": {},
                "flag": {}
            },
            "required": ["chat_id", "text"]
        })
    );
}

#[test]
fn handler_without_payload_has_no_request_type() {
    let tree =
        one_handler("from app.sockets import sio\n\n@sio.on('a.b')\nasync def h(sid):\n    pass\n");
    let output = tree.read();
    assert_eq!(output.api.operations[0].request, None);
    assert!(output.api.types.is_empty());
}

#[test]
fn returned_values_become_the_ack_type() {
    let tree = one_handler(&model_handler(
        "VERSION = '1.0'\n\nclass Result(BaseModel):\n    ok: bool\n",
        "if data.get('fast'):\n        return {'status': 'ok', 'version': VERSION, 'count': len([]), 'ratio': 0.5, 'tags': ['a']}\n    return {'status': 'ok', 'version': VERSION, 'count': 1, 'ratio': 1.5, 'tags': []}",
    ));
    let output = tree.read();
    let op = &output.api.operations[0];
    assert_eq!(op.ack.as_deref(), Some("ABAck"));
    assert_eq!(
        output.api.types["ABAck"],
        json!({
            "type": "object",
            "additionalProperties": false,
            "properties": {
                "count": {"type": "integer"},
                "ratio": {"type": "number"},
                "status": {"type": "string"},
                "tags": {"type": "array", "items": {"type": "string"}},
                "version": {"type": "string"}
            },
            "required": ["count", "ratio", "status", "tags", "version"]
        })
    );
}

#[test]
fn returned_model_dump_acks_with_the_model_and_unknown_returns_with_any() {
    let tree = one_handler(&model_handler(
        "class Result(BaseModel):\n    ok: bool\n",
        "result = Result(ok=True)\n    return result.model_dump(mode='json')",
    ));
    let output = tree.read();
    assert_eq!(output.api.operations[0].ack.as_deref(), Some("Result"));

    let tree = one_handler(&model_handler("", "return await compute(data)"));
    let output = tree.read();
    assert_eq!(output.api.operations[0].ack.as_deref(), Some("ABAck"));
    assert_eq!(output.api.types["ABAck"], json!({}));

    let tree = one_handler(&model_handler(
        "",
        "if data:\n        return\n    return None",
    ));
    assert_eq!(tree.read().api.operations[0].ack, None);
}

#[test]
fn unresolvable_model_import_is_a_warning_and_any_payload() {
    let tree = one_handler(
        "from typing import Any\nfrom app.infra.gone import Payload\nfrom app.sockets import sio\n\n@sio.on('a.b')\nasync def h(sid: str, data: dict[str, Any]):\n    Payload(**data)\n",
    );
    tree.write("core/app/infra/__init__.py", "");
    let output = tree.read();
    assert_eq!(
        places(&output.diagnostics, Code::UnresolvedImport),
        [("a/b.py".into(), 2, 28)]
    );
    assert!(messages(&output.diagnostics, Code::UnresolvedImport)[0].contains("app.infra.gone"));
    let operation = &output.api.operations[0];
    assert_eq!(operation.request.as_deref(), Some("ABPayload"));
    assert_eq!(output.api.types["ABPayload"], json!({"type": "object"}));
    assert_eq!(
        operation.request_unknown.as_deref(),
        Some("it is validated with `Payload`, which does not resolve to a model (app/ws/a/b.py:7)")
    );
    assert_eq!(
        messages(&output.diagnostics, Code::UnknownPayload),
        [
            "the payload of `a.b` is unknown: it is validated with `Payload`, which does not resolve to a model; it is recorded as any JSON object"
        ]
    );
}

#[test]
fn name_not_defined_by_the_imported_module_is_unresolved() {
    let tree = one_handler(
        "from typing import Any\nfrom app.infra import Missing\nfrom app.sockets import sio\n\n@sio.on('a.b')\nasync def h(sid: str, data: dict[str, Any]):\n    Missing(**data)\n",
    );
    tree.write("core/app/infra/__init__.py", "X = 1\n");
    let output = tree.read();
    let texts = messages(&output.diagnostics, Code::UnresolvedImport);
    assert_eq!(texts.len(), 1);
    assert!(
        texts[0].contains("`Missing`") && texts[0].contains("`app.infra`"),
        "{}",
        texts[0]
    );
}

#[test]
fn unknown_annotation_is_a_warning_at_the_annotation() {
    let tree = one_handler(&model_handler(
        "import numpy\n\nclass P(BaseModel):\n    v: Vector\n    m: numpy.ndarray\n",
        "P(**data)",
    ));
    let output = tree.read();
    let found = places(&output.diagnostics, Code::UnknownType);
    assert_eq!(found, [("a/b.py".into(), 13, 8), ("a/b.py".into(), 14, 8)]);
    let texts = messages(&output.diagnostics, Code::UnknownType);
    assert!(texts[0].contains("`Vector` is not defined"), "{}", texts[0]);
    assert!(texts[1].contains("numpy.ndarray"), "{}", texts[1]);
    assert_eq!(request(&output).1["properties"]["v"], json!({}));
}

#[test]
fn namesake_models_in_different_handlers_are_qualified_by_module() {
    let tree = Tree::new();
    let model = |event: &str| {
        format!(
            "from typing import Any\nfrom pydantic import BaseModel\nfrom app.sockets import sio\n\nclass Payload(BaseModel):\n    x: int\n\n@sio.on('{event}')\nasync def h(sid: str, data: dict[str, Any]):\n    Payload(**data)\n"
        )
    };
    tree.write(
        "core/app/ws/__init__.py",
        "from . import persona, scenario\n",
    )
    .write("core/app/ws/persona/__init__.py", "from . import search\n")
    .write("core/app/ws/persona/search.py", &model("persona.search"))
    .write("core/app/ws/scenario/__init__.py", "from . import search\n")
    .write("core/app/ws/scenario/search.py", &model("scenario.search"));
    let output = tree.read();
    let requests: Vec<Option<&str>> = output
        .api
        .operations
        .iter()
        .map(|o| o.request.as_deref())
        .collect();
    assert_eq!(
        requests,
        [Some("PersonaSearchPayload"), Some("ScenarioSearchPayload")]
    );
}
