//! Reading OpenAPI 3.0 and 3.1 into the manifest's JSON Schema 2020-12: one test per rule.

use glow_codegen::diagnostic::Code;
use glow_codegen::model::ParameterLocation;
use glow_codegen::sources::{SourceOutput, Sources};
use serde_json::json;

/// Reads `text` as the OpenAPI document `name` in a temporary folder.
fn read(name: &str, text: &str) -> SourceOutput {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    Sources::new().openapi(&path).read().unwrap()
}

fn v30(paths: &str, schemas: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n{paths}\ncomponents:\n  schemas:\n{schemas}\n"
    )
}

fn v31(paths: &str, schemas: &str) -> String {
    v30(paths, schemas).replace("openapi: 3.0.3", "openapi: 3.1.0")
}

#[test]
fn nullable_exclusive_bounds_and_example_of_3_0_become_2020_12() {
    let out = read(
        "spec.yaml",
        &v30(
            "  {}",
            "    N:\n      type: object\n      properties:\n        name: {type: string, nullable: true, example: octocat}\n        size: {type: integer, minimum: 0, exclusiveMinimum: true, maximum: 9, exclusiveMaximum: false}\n        color: {type: string, enum: [red, blue], nullable: true}\n        ref:\n          nullable: true\n          allOf:\n            - $ref: '#/components/schemas/Other'\n    Other: {type: string, title: Other}\n",
        ),
    );
    let p = &out.api.types["N"]["properties"];
    assert_eq!(
        p["name"],
        json!({"type": ["string", "null"], "examples": ["octocat"]})
    );
    assert_eq!(
        p["size"],
        json!({"type": "integer", "exclusiveMinimum": 0, "maximum": 9})
    );
    assert_eq!(
        p["color"],
        json!({"type": ["string", "null"], "enum": ["red", "blue", null]})
    );
    assert_eq!(
        p["ref"],
        json!({"anyOf": [{"$ref": "#/types/Other"}, {"type": "null"}]})
    );
    assert_eq!(
        out.api.types["Other"],
        json!({"type": "string"}),
        "titles are dropped"
    );
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
}

#[test]
fn json_schema_2020_12_of_3_1_is_kept() {
    let out = read(
        "spec.json.txt",
        &v31(
            "  {}",
            "    N:\n      type: object\n      required: [b, a]\n      properties:\n        a: {anyOf: [{type: string}, {type: 'null'}], examples: [x]}\n        b: {type: [integer, 'null'], format: int64}\n        c: {const: fixed}\n        d: {type: string, format: date-time, readOnly: true, default: '2020-01-01T00:00:00Z'}\n        e: {type: string, writeOnly: true, minLength: 2, maxLength: 3, pattern: '^a'}\n",
        ),
    );
    let n = &out.api.types["N"];
    assert_eq!(n["required"], json!(["a", "b"]), "required is a sorted set");
    let p = &n["properties"];
    assert_eq!(
        p["a"],
        json!({"anyOf": [{"type": "string"}, {"type": "null"}], "examples": ["x"]})
    );
    assert_eq!(
        p["b"],
        json!({"type": ["integer", "null"], "format": "int64"})
    );
    assert_eq!(p["c"], json!({"const": "fixed"}));
    assert_eq!(p["d"]["readOnly"], json!(true));
    assert_eq!(
        p["e"],
        json!({"type": "string", "writeOnly": true, "minLength": 2, "maxLength": 3, "pattern": "^a"})
    );
}

#[test]
fn json_and_yaml_are_read_by_content_not_extension() {
    let yaml_in_json_file = read("spec.json", &v30("  {}", "    A: {type: string}\n"));
    assert_eq!(yaml_in_json_file.api.types["A"], json!({"type": "string"}));
    let json_in_yaml_file = read(
        "spec.yaml",
        r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}, "components": {"schemas": {"A": {"type": "integer"}}}}"#,
    );
    assert_eq!(json_in_yaml_file.api.types["A"], json!({"type": "integer"}));
}

#[test]
fn component_names_are_sanitised_and_collisions_are_errors_naming_both() {
    let out = read(
        "spec.yaml",
        &v31(
            "  {}",
            "    PersonaTrait-Input: {type: object, properties: {a: {type: string}}}\n    PersonaTraitInput: {type: object, properties: {b: {type: string}}}\n    simple-user: {type: object, properties: {login: {type: string}}}\n    Holder:\n      type: object\n      properties:\n        t: {$ref: '#/components/schemas/PersonaTrait-Input'}\n",
        ),
    );
    let names: Vec<&String> = out.api.types.keys().collect();
    assert_eq!(
        names,
        [
            "Holder",
            "PersonaTraitInput",
            "PersonaTraitInput2",
            "SimpleUser"
        ]
    );
    assert_eq!(
        out.api.types["PersonaTraitInput"]["properties"]["a"],
        json!({"type": "string"})
    );
    assert_eq!(
        out.api.types["Holder"]["properties"]["t"],
        json!({"$ref": "#/types/PersonaTraitInput"})
    );
    let collision = out
        .diagnostics
        .iter()
        .find(|d| d.code == Code::TypeNameCollision)
        .unwrap();
    assert!(
        collision.message.contains("`PersonaTrait-Input`")
            && collision.message.contains("`PersonaTraitInput`")
    );
    assert_eq!((collision.line, collision.col), (8, 5));
}

#[test]
fn inline_objects_get_names_from_their_place() {
    let out = read(
        "spec.yaml",
        &v31(
            "  /persona/search:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {type: object, properties: {q: {type: string}}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  hits:\n                    type: array\n                    items: {type: object, properties: {id: {type: string}}}\n",
            "    Owner:\n      type: object\n      properties:\n        address: {type: object, properties: {city: {type: string}}}\n        tags: {type: object, additionalProperties: {type: object, properties: {n: {type: integer}}}}\n",
        ),
    );
    let names: Vec<&String> = out.api.types.keys().collect();
    assert_eq!(
        names,
        [
            "Owner",
            "OwnerAddress",
            "OwnerTagsValue",
            "PersonaSearchBody",
            "PersonaSearchResponse",
            "PersonaSearchResponseHitsItem"
        ]
    );
    assert_eq!(
        out.api.types["Owner"]["properties"]["address"],
        json!({"$ref": "#/types/OwnerAddress"})
    );
    let route = out.api.operations[0].http.as_ref().unwrap();
    assert_eq!(
        route.body.as_ref().unwrap().type_name.as_deref(),
        Some("PersonaSearchBody")
    );
    assert_eq!(
        route.response.as_ref().unwrap().type_name.as_deref(),
        Some("PersonaSearchResponse")
    );
}

#[test]
fn recursive_schemas_stay_references() {
    let out = read(
        "spec.yaml",
        &v30(
            "  {}",
            "    Node:\n      type: object\n      properties:\n        children: {type: array, items: {$ref: '#/components/schemas/Node'}}\n        parent: {$ref: '#/components/schemas/Node'}\n",
        ),
    );
    assert_eq!(
        out.api.types["Node"]["properties"]["children"],
        json!({"type": "array", "items": {"$ref": "#/types/Node"}})
    );
    assert!(out.diagnostics.is_empty());
}

#[test]
fn all_of_merges_objects_and_discriminator_mapping_is_rewritten() {
    let out = read(
        "spec.yaml",
        &v30(
            "  {}",
            "    Base: {type: object, required: [id], properties: {id: {type: string}}}\n    Cat:\n      allOf:\n        - $ref: '#/components/schemas/Base'\n        - type: object\n          required: [meow]\n          properties: {meow: {type: boolean}, kind: {type: string}}\n    Dog: {type: object, properties: {kind: {type: string}, bark: {type: boolean}}}\n    Pet:\n      oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]\n      discriminator:\n        propertyName: kind\n        mapping: {cat: '#/components/schemas/Cat', dog: Dog}\n",
        ),
    );
    assert_eq!(
        out.api.types["Cat"],
        json!({
            "type": "object",
            "properties": {"id": {"type": "string"}, "meow": {"type": "boolean"}, "kind": {"type": "string"}},
            "required": ["id", "meow"]
        })
    );
    assert_eq!(
        out.api.types["Pet"]["discriminator"],
        json!({"propertyName": "kind", "mapping": {"cat": "#/types/Cat", "dog": "#/types/Dog"}})
    );
}

#[test]
fn parameters_bodies_and_responses_resolve_their_references() {
    let out = read(
        "spec.yaml",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /items/{item_id}:\n    parameters:\n      - $ref: '#/components/parameters/ItemId'\n    put:\n      operationId: items/update\n      parameters:\n        - {name: dry, in: query, schema: {type: boolean}}\n        - {name: X-Trace, in: header, required: true, schema: {type: string}}\n      requestBody: {$ref: '#/components/requestBodies/ItemBody'}\n      responses:\n        '201': {$ref: '#/components/responses/Item'}\n        '404': {description: missing}\n        default: {$ref: '#/components/responses/Problem'}\n  /upload:\n    post:\n      requestBody:\n        content:\n          multipart/form-data:\n            schema: {type: object, properties: {file: {type: string, format: binary}}}\n      responses:\n        '204': {description: stored}\ncomponents:\n  parameters:\n    ItemId: {name: item_id, in: path, required: true, schema: {type: integer, format: int64}}\n  requestBodies:\n    ItemBody:\n      required: true\n      content: {application/json: {schema: {$ref: '#/components/schemas/Item'}}}\n  responses:\n    Item:\n      description: the item\n      content: {application/json: {schema: {$ref: '#/components/schemas/Item'}}}\n    Problem:\n      description: error\n      content: {application/problem+json: {schema: {$ref: '#/components/schemas/Problem'}}}\n  schemas:\n    Item: {type: object, properties: {id: {type: integer}}}\n    Problem: {type: object, properties: {title: {type: string}}}\n",
    );
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let update = out
        .api
        .operations
        .iter()
        .find(|o| o.name == "items.update")
        .unwrap();
    let route = update.http.as_ref().unwrap();
    assert_eq!(
        (route.method.as_str(), route.path.as_str()),
        ("PUT", "/items/{item_id}")
    );
    let params: Vec<(&str, ParameterLocation, bool)> = route
        .parameters
        .iter()
        .map(|p| (p.name.as_str(), p.location, p.required))
        .collect();
    assert_eq!(
        params,
        [
            ("item_id", ParameterLocation::Path, true),
            ("dry", ParameterLocation::Query, false),
            ("X-Trace", ParameterLocation::Header, true)
        ]
    );
    assert_eq!(
        route.parameters[0].schema,
        json!({"type": "integer", "format": "int64"})
    );
    let body = route.body.as_ref().unwrap();
    assert_eq!(
        (body.type_name.as_deref(), body.required),
        (Some("Item"), true)
    );
    let response = route.response.as_ref().unwrap();
    assert_eq!(
        (response.status.as_str(), response.type_name.as_deref()),
        ("201", Some("Item"))
    );
    let errors: Vec<(&str, Option<&str>, Option<&str>)> = route
        .errors
        .iter()
        .map(|e| {
            (
                e.status.as_str(),
                e.media_type.as_deref(),
                e.type_name.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [
            ("404", None, None),
            ("default", Some("application/problem+json"), Some("Problem"))
        ]
    );
    let upload = out
        .api
        .operations
        .iter()
        .find(|o| o.name == "upload.post_upload")
        .unwrap();
    let route = upload.http.as_ref().unwrap();
    let body = route.body.as_ref().unwrap();
    assert_eq!(body.media_type, "multipart/form-data");
    assert_eq!(body.type_name.as_deref(), Some("UploadPostUploadBody"));
    assert_eq!(route.response.as_ref().unwrap().type_name, None);
}

#[test]
fn glow_routes_take_the_naming_rule_and_others_their_operation_id() {
    let out = read(
        "spec.yaml",
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /attempt/chat/message:\n    post: {operationId: anything_at_all, responses: {'200': {description: ok}}}\n  /persona/{persona_id}:\n    get: {operationId: persona_read_persona__persona_id__get, responses: {'200': {description: ok}}}\n  /repos/{owner}/{repo}:\n    get: {operationId: repos/get, responses: {'200': {description: ok}}}\n",
    );
    let names: Vec<(&str, &str, &str)> = out
        .api
        .operations
        .iter()
        .map(|o| (o.name.as_str(), o.artifact.as_str(), o.op.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("attempt.chat_message", "attempt", "chat_message"),
            ("persona.read", "persona", "read"),
            ("repos.get", "repos", "get")
        ]
    );
    assert!(
        out.api
            .operations
            .iter()
            .all(|o| o.event.is_none() && o.request.is_none())
    );
}

#[test]
fn broken_references_are_errors_naming_the_pointer_never_panics() {
    let out = Sources::new()
        .openapi(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/server-defects/openapi-broken.yaml"
        ))
        .read()
        .unwrap();
    let found: Vec<(Code, u32, u32)> = out
        .diagnostics
        .iter()
        .map(|d| (d.code, d.line, d.col))
        .collect();
    assert_eq!(
        found,
        [
            (Code::UnresolvedRef, 10, 11),
            (Code::UnresolvedRef, 17, 17),
            (Code::RefCycle, 20, 5),
            (Code::TypeNameCollision, 28, 5),
            (Code::UnresolvedRef, 33, 7),
            (Code::UnresolvedRef, 40, 16),
        ]
    );
    let messages: Vec<&str> = out.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert!(messages[0].contains("#/components/parameters/Missing"));
    assert!(
        messages[1].contains("#/components/schemas/Gone")
            && messages[1].contains("/paths/~1things/get/responses/200")
    );
    assert!(messages[2].contains("LoopA → LoopB → LoopA"));
    assert!(messages[4].contains("other.yaml"));
    assert!(messages[5].contains("`cat`"));
}

#[test]
fn not_openapi_is_a_clean_error() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text, expected) in [
        ("swagger.yaml", "swagger: '2.0'\n", "Swagger 2.0"),
        ("nothing.json", "{\"hello\": 1}", "not an OpenAPI document"),
        ("broken.json", "{\"openapi\": ", "not valid JSON"),
        ("broken.yaml", "openapi: [3.1\n", "not valid YAML"),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let error = Sources::new().openapi(&path).read().unwrap_err();
        assert!(error.to_string().contains(expected), "{name}: {error}");
    }
}

#[test]
fn security_schemes_and_route_requirements_are_recorded() {
    let out = read(
        "spec.yaml",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nsecurity:\n  - bearer: []\npaths:\n  /a:\n    get:\n      responses: {'204': {description: ok}}\n  /b:\n    get:\n      security:\n        - key: []\n        - bearer: []\n      responses: {'204': {description: ok}}\n  /health:\n    get:\n      security: []\n      responses: {'204': {description: ok}}\ncomponents:\n  securitySchemes:\n    bearer: {type: http, scheme: bearer, bearerFormat: JWT}\n    key: {type: apiKey, in: header, name: X-Api-Key}\n    broken: 3\n",
    );
    let security = |path: &str| {
        out.api
            .operations
            .iter()
            .find(|o| o.http.as_ref().unwrap().path == path)
            .unwrap()
            .http
            .as_ref()
            .unwrap()
            .security
            .clone()
    };
    assert_eq!(security("/a"), ["bearer"], "the document's default");
    assert_eq!(security("/b"), ["bearer", "key"], "the route's own, any of");
    assert!(security("/health").is_empty(), "explicitly none");
    let schemes = &out.api.auth.http;
    assert_eq!(schemes.keys().collect::<Vec<_>>(), ["bearer", "key"]);
    assert_eq!(
        schemes["bearer"].describe(),
        "the header `Authorization: Bearer <token>`"
    );
    assert_eq!(schemes["key"].describe(), "the header `X-Api-Key`");
}

#[test]
fn enum_member_names_are_kept_from_x_enum_varnames() {
    let output = read(
        "spec.yaml",
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Level:\n      type: integer\n      enum: [1, 2]\n      x-enum-varnames: [LOW, HIGH]\n      x-other: dropped\n",
    );
    assert_eq!(
        output.api.types["Level"],
        json!({"type": "integer", "enum": [1, 2], "x-enum-varnames": ["LOW", "HIGH"]})
    );
    let code = glow_codegen::render(&output.api, "spec.yaml").unwrap().text;
    assert!(
        code.contains("pub enum Level {\n        Low,\n        High,\n    }"),
        "{code}"
    );
}

#[test]
fn fastapi_input_and_output_sides_of_one_model_are_one_type_where_equal() {
    let paths = "  /case:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {$ref: '#/components/schemas/Case-Input'}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Case-Output'}\n";
    let same = "    Case-Input:\n      type: object\n      properties:\n        children: {type: array, items: {$ref: '#/components/schemas/Case-Input'}}\n    Case-Output:\n      type: object\n      properties:\n        children: {type: array, items: {$ref: '#/components/schemas/Case-Output'}}\n    Holder:\n      type: object\n      properties:\n        case: {$ref: '#/components/schemas/Case-Output'}\n";
    let out = read("spec.yaml", &v31(paths, same));
    let names: Vec<&str> = out.api.types.keys().map(String::as_str).collect();
    assert_eq!(names, ["Case", "Holder"]);
    assert_eq!(
        out.api.types["Case"]["properties"]["children"]["items"],
        json!({"$ref": "#/types/Case"})
    );
    assert_eq!(
        out.api.types["Holder"]["properties"]["case"],
        json!({"$ref": "#/types/Case"})
    );
    let route = out.api.operations[0].http.as_ref().unwrap();
    assert_eq!(
        route.body.as_ref().unwrap().type_name.as_deref(),
        Some("Case")
    );
    assert_eq!(
        route.response.as_ref().unwrap().type_name.as_deref(),
        Some("Case")
    );

    // The output side says more (a computed field): two types, as FastAPI named them.
    let different = same.replace(
        "    Case-Output:\n      type: object\n      properties:\n",
        "    Case-Output:\n      type: object\n      properties:\n        label: {type: string, readOnly: true}\n",
    );
    let out = read("spec.yaml", &v31(paths, &different));
    let names: Vec<&str> = out.api.types.keys().map(String::as_str).collect();
    assert_eq!(names, ["CaseInput", "CaseOutput", "Holder"]);
}
