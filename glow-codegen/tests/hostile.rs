//! Hostile input, each case one that was run against the tool: it must end — with the input read,
//! or with a located diagnostic naming the limit — in bounded time and memory, and nothing may
//! vanish without a word. Large inputs are generated here, never checked in.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{Tree, handler, messages, places};
use glow_codegen::diagnostic::Code;

fn glow(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_glow-codegen"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("the binary runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A tree with one handler validating with `Head`, and `models` (Python source) beside it.
fn tree_with_models(models: &str) -> Tree {
    let tree = Tree::new();
    tree.write("core/app/ws/__init__.py", "from . import a\n")
        .write("core/app/ws/a/__init__.py", "from . import run\n")
        .write("core/app/models.py", models)
        .write(
            "core/app/ws/a/run.py",
            &handler("a.run", "    from app.models import Head\n    Head(**data)").replace(
                "from app.sockets import sio",
                "from app.sockets import sio\nfrom app.models import Head",
            ),
        );
    tree
}

/// `class M0(BaseModel)` .. `class M{n-1}`, each holding the one before, and `Head` the last.
fn model_chain(n: usize, field: impl Fn(usize) -> String) -> String {
    let mut text =
        String::from("from pydantic import BaseModel, Field\n\nclass M0(BaseModel):\n    x: int\n");
    for i in 1..n {
        text.push_str(&format!(
            "\nclass M{i}(BaseModel):\n    x: {}\n",
            field(i - 1)
        ));
    }
    text.push_str(&format!("\nclass Head(M{}):\n    pass\n", n - 1));
    text
}

#[test]
fn a_chain_of_five_thousand_models_is_read_whole() {
    let tree = tree_with_models(&model_chain(5_000, |previous| format!("M{previous}")));
    let out = tree.path("glow.yaml");
    let output = glow(
        &["manifest", "--ws-tree", "core/app/ws", "--out", "glow.yaml"],
        tree.dir.path(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let manifest = std::fs::read_to_string(out).unwrap();
    let api = glow_codegen::manifest::from_yaml(&manifest, "glow.yaml").unwrap();
    // `Head` and the models its chain of fields reaches (its base is not a field).
    assert_eq!(api.types.len(), 5_000, "every model of the chain is a type");
    assert_eq!(
        api.types["M4998"]["properties"]["x"],
        serde_json::json!({"$ref": "#/types/M4997"})
    );
}

#[test]
fn a_chain_of_richly_annotated_models_is_read_whole_also_by_drift() {
    let tree = tree_with_models(&model_chain(850, |previous| {
        format!("list[M{previous}] | dict[str, M{previous}] | None = Field(None, description='up')")
    }));
    std::fs::write(
        tree.path("openapi.json"),
        r#"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}"#,
    )
    .unwrap();
    let output = glow(
        &[
            "drift",
            "--ws-tree",
            "core/app/ws",
            "--openapi",
            "openapi.json",
        ],
        tree.dir.path(),
    );
    // Drift is found (the route is missing), and the run ends normally.
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("no-http-twin"),
        "{}",
        stderr(&output)
    );
    let read = tree.read();
    assert_eq!(read.api.types.len(), 850);
}

#[test]
fn thirty_one_levels_of_inheritance_keep_every_field() {
    let mut models =
        String::from("from pydantic import BaseModel\n\nclass L0(BaseModel):\n    f0: int\n");
    for i in 1..31 {
        models.push_str(&format!("\nclass L{i}(L{}):\n    f{i}: int\n", i - 1));
    }
    models.push_str("\nclass Head(L30):\n    pass\n");
    let read = tree_with_models(&models).read();
    let head = &read.api.types["Head"];
    assert_eq!(head["properties"].as_object().unwrap().len(), 31);
    assert_eq!(head["required"].as_array().unwrap().len(), 31);
}

#[test]
fn a_class_that_is_its_own_ancestor_is_an_error_naming_the_cycle() {
    let read = tree_with_models(
        "from pydantic import BaseModel\n\nclass A(B):\n    a: int\n\nclass B(A):\n    b: int\n\nclass Head(Head):\n    h: int\n",
    )
    .read();
    assert_eq!(
        messages(&read.diagnostics, Code::InheritanceCycle),
        [
            "class `Head` is its own ancestor (`Head` → `Head`): Python refuses it; this base is ignored"
        ]
    );
    let at: Vec<(bool, u32, u32)> = places(&read.diagnostics, Code::InheritanceCycle)
        .into_iter()
        .map(|(file, line, col)| (file.ends_with("core/app/models.py"), line, col))
        .collect();
    assert_eq!(at, [(true, 9, 12)]);
    assert_eq!(read.api.types["Head"]["required"], serde_json::json!(["h"]));
}

#[test]
fn a_link_out_of_the_import_root_is_not_followed_and_says_so() {
    let tree =
        tree_with_models("from pydantic import BaseModel\n\nclass Head(BaseModel):\n    a: int\n");
    std::os::unix::fs::symlink("/", tree.path("core/app/ws/a/everything")).unwrap();
    let read = tree.read();
    assert_eq!(common::names(&read), ["a.run"]);
    let root = tree.path("core").canonicalize().unwrap();
    assert_eq!(
        messages(&read.diagnostics, Code::IoError),
        [format!(
            "symbolic link to `/`, outside the import root `{}`: not followed",
            root.display()
        )]
    );
    assert_eq!(
        places(&read.diagnostics, Code::IoError),
        [("a/everything".to_owned(), 1, 1)]
    );
}

#[test]
fn an_endless_input_is_cut_at_the_limit_with_how_to_raise_it() {
    let dir = tempfile::tempdir().unwrap();
    let output = glow(&["manifest", "--openapi", "/dev/zero"], dir.path());
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "glow-codegen: error: the OpenAPI document `/dev/zero` is larger than the 256 MiB read; raise the limit with GLOW_CODEGEN_MAX_INPUT_MIB=<MiB>\n"
    );
    let output = glow(&["generate", "--manifest", "/dev/zero"], dir.path());
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("the manifest `/dev/zero` is larger than the 256 MiB read"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn the_input_limit_is_the_environment_variable_when_set() {
    let spec = common::workspace().join("tests/data/github-rest-3.0.json");
    let spec = spec.to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let lowered = Command::new(env!("CARGO_BIN_EXE_glow-codegen"))
        .current_dir(dir.path())
        .args(["manifest", "--openapi", spec, "--out", "out.yaml"])
        .env("GLOW_CODEGEN_MAX_INPUT_MIB", "1")
        .output()
        .unwrap();
    assert_eq!(lowered.status.code(), Some(2));
    assert!(
        stderr(&lowered).contains("is larger than the 1 MiB read"),
        "{}",
        stderr(&lowered)
    );
    let raised = Command::new(env!("CARGO_BIN_EXE_glow-codegen"))
        .current_dir(dir.path())
        .args(["manifest", "--openapi", spec, "--out", "out.yaml"])
        .env("GLOW_CODEGEN_MAX_INPUT_MIB", "4")
        .output()
        .unwrap();
    assert_eq!(raised.status.code(), Some(0), "{}", stderr(&raised));
}

#[test]
fn out_through_a_link_or_to_a_device_keeps_them_and_a_rewrite_keeps_the_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let spec = common::workspace().join("tests/server/openapi.json");
    let spec = spec.to_str().unwrap();
    std::fs::write(dir.path().join("real.yaml"), "old").unwrap();
    std::fs::set_permissions(
        dir.path().join("real.yaml"),
        std::fs::Permissions::from_mode(0o664),
    )
    .unwrap();
    std::os::unix::fs::symlink("real.yaml", dir.path().join("glow.yaml")).unwrap();
    let output = glow(
        &["manifest", "--openapi", spec, "--out", "glow.yaml"],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let link = std::fs::symlink_metadata(dir.path().join("glow.yaml")).unwrap();
    assert!(link.file_type().is_symlink(), "the link stays a link");
    let real = std::fs::metadata(dir.path().join("real.yaml")).unwrap();
    assert_eq!(real.permissions().mode() & 0o777, 0o664, "the mode is kept");
    assert!(
        std::fs::read_to_string(dir.path().join("real.yaml"))
            .unwrap()
            .starts_with("manifest_version: 1\n")
    );

    let output = glow(
        &["manifest", "--openapi", spec, "--out", "/dev/null"],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        !std::fs::metadata("/dev/null").unwrap().is_file(),
        "/dev/null is still a device"
    );
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "no temporary file is left: {names:?}");
}

#[test]
fn aliases_that_refer_back_to_themselves_become_newtypes_boxed_where_held_by_value() {
    let api = glow_codegen::manifest::from_yaml(
        "manifest_version: 1\noperations: []\ntypes:\n  Tree: {type: array, items: {$ref: '#/types/Tree'}}\n  Dict: {type: object, additionalProperties: {$ref: '#/types/Dict'}}\n  Pair: {type: array, prefixItems: [{type: string}, {$ref: '#/types/Pair'}], minItems: 2, maxItems: 2}\n  Maybe: {anyOf: [{$ref: '#/types/Maybe'}, {type: 'null'}]}\n  A: {type: array, items: {$ref: '#/types/B'}}\n  B: {anyOf: [{$ref: '#/types/A'}, {type: 'null'}]}\n  Plain: {type: array, items: {type: string}}\n",
        "recursive.yaml",
    )
    .unwrap();
    let code = glow_codegen::render(&api, "recursive.yaml").unwrap().text;
    let declared: Vec<&str> = code
        .lines()
        .map(str::trim)
        .filter(|line| line.starts_with("pub struct") || line.starts_with("pub type"))
        .collect();
    assert_eq!(
        declared,
        [
            "pub struct A(pub ::std::vec::Vec<B>);",
            "pub struct B(pub ::std::option::Option<A>);",
            "pub struct Dict(pub ::std::collections::BTreeMap<::std::string::String, Dict>);",
            "pub struct Maybe(pub ::std::option::Option<::std::boxed::Box<Maybe>>);",
            "pub struct Pair(pub (::std::string::String, ::std::boxed::Box<Pair>));",
            "pub type Plain = ::std::vec::Vec<::std::string::String>;",
            "pub struct Tree(pub ::std::vec::Vec<Tree>);",
        ]
    );
}

#[test]
fn a_chain_of_twenty_thousand_types_is_emitted_and_its_cycle_boxed() {
    let mut types = String::from(
        "manifest_version: 1\noperations: []\ntypes:\n  T0: {type: object, properties: {last: {$ref: '#/types/T19999'}}}\n",
    );
    for i in 1..20_000 {
        types.push_str(&format!(
            "  T{i}: {{type: object, required: [next], properties: {{next: {{$ref: '#/types/T{}'}}}}}}\n",
            i - 1
        ));
    }
    let api = glow_codegen::manifest::from_yaml(&types, "chain.yaml").unwrap();
    let emitted = glow_codegen::emit::emit(&api).unwrap();
    assert_eq!(emitted.stats.definitions, 20_000);
    let code = emitted.tokens.to_string();
    assert!(
        code.contains("pub next : :: std :: boxed :: Box < T0 >"),
        "the cycle through 20,000 types is broken by a box"
    );
}

/// An OpenAPI 3.1 document shaped like the Glow server's, `scale` times its size: ~1,400
/// schemas and ~840 routes at scale 1.
fn glow_sized_spec(scale: usize) -> serde_json::Value {
    let mut schemas = serde_json::Map::new();
    let mut paths = serde_json::Map::new();
    for i in 0..1_400 * scale {
        schemas.insert(
            format!("Model{i}"),
            serde_json::json!({
                "type": "object",
                "title": format!("Model{i}"),
                "required": ["id", "name"],
                "properties": {
                    "id": {"type": "string", "format": "uuid"},
                    "name": {"type": "string", "maxLength": 120, "description": "What it is called."},
                    "tags": {"type": "array", "items": {"type": "string"}, "default": []},
                    "parent": {"anyOf": [{"$ref": format!("#/components/schemas/Model{}", i / 2)}, {"type": "null"}]},
                    "kind": {"type": "string", "enum": ["a", "b", "c"]}
                }
            }),
        );
    }
    for i in 0..840 * scale {
        paths.insert(
            format!("/artifact{}/op{i}", i % 40),
            serde_json::json!({"post": {
                "operationId": format!("op_{i}"),
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/Model{i}")}}}},
                "responses": {
                    "200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/Model{}", i + 1)}}}},
                    "422": {"description": "Invalid", "content": {"application/json": {"schema": {"type": "object"}}}}
                }
            }}),
        );
    }
    serde_json::json!({
        "openapi": "3.1.0",
        "info": {"title": "glow-sized", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas}
    })
}

#[test]
fn the_manifest_of_a_four_times_glow_sized_server_round_trips_and_generates() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec.json");
    std::fs::write(&spec, serde_json::to_string(&glow_sized_spec(4)).unwrap()).unwrap();
    let read = glow_codegen::sources::Sources::new()
        .openapi(&spec)
        .read()
        .unwrap();
    assert_eq!(read.api.operations.len(), 3_360);
    let yaml = glow_codegen::manifest::to_yaml(&read.api).unwrap();
    assert!(yaml.len() > 4_000_000, "{} bytes of manifest", yaml.len());
    let back = glow_codegen::manifest::from_yaml(&yaml, "big.yaml").unwrap();
    assert!(back == read.api, "the manifest round-trips");
    let emitted = glow_codegen::emit::emit(&back).unwrap();
    // One definition per type, and the `kind` enum of each of the 5,600 models.
    assert_eq!(emitted.stats.definitions, read.api.types.len() + 5_600);
    assert!(
        emitted.stats.fallbacks.is_empty(),
        "{:?}",
        emitted.stats.fallbacks
    );
}

#[test]
fn a_large_yaml_spec_is_read_like_its_json() {
    let spec = common::workspace().join("tests/data/github-rest-3.0.json");
    let value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&spec).unwrap()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let yaml = dir.path().join("github.yaml");
    let text = serde_saphyr::to_string(&value).unwrap();
    assert!(text.len() > 2_900_000, "{} bytes of YAML", text.len());
    std::fs::write(&yaml, text).unwrap();
    let from_yaml = glow_codegen::sources::Sources::new()
        .openapi(&yaml)
        .read()
        .unwrap();
    let from_json = glow_codegen::sources::Sources::new()
        .openapi(&spec)
        .read()
        .unwrap();
    assert_eq!(from_yaml.api.operations.len(), 767);
    assert!(
        from_yaml.api == from_json.api,
        "YAML and JSON give the same API"
    );
}

#[test]
fn an_import_cycle_is_reported_where_it_closes_and_the_payload_is_not_silently_nothing() {
    let tree = Tree::new();
    tree.write("core/app/ws/__init__.py", "from . import a\n")
        .write("core/app/ws/a/__init__.py", "from . import run\n")
        .write("core/app/one.py", "from app.two import Head\n")
        .write("core/app/two.py", "from app.one import Head\n")
        .write(
            "core/app/ws/a/run.py",
            "from app.sockets import sio\nfrom app.one import Head\n\n\n@sio.on('a.run')\nasync def h(sid, data):\n    Head(**data)\n",
        );
    let read = tree.read();
    assert_eq!(
        messages(&read.diagnostics, Code::UnresolvedImport),
        [
            "`from app.one import Head` closes an import cycle: `Head` is imported back and forth and defined in none of the modules; Python fails to import it"
        ]
    );
    let at: Vec<(bool, u32)> = places(&read.diagnostics, Code::UnresolvedImport)
        .into_iter()
        .map(|(file, line, _)| (file.ends_with("core/app/two.py"), line))
        .collect();
    assert_eq!(at, [(true, 1)]);
}

#[test]
fn a_re_export_chain_of_forty_hops_is_followed() {
    let tree =
        tree_with_models("from pydantic import BaseModel\n\nclass Real(BaseModel):\n    a: int\n");
    tree.write("core/app/hop0.py", "from app.models import Real as Head\n");
    for i in 1..40 {
        tree.write(
            &format!("core/app/hop{i}.py"),
            &format!("from app.hop{} import Head\n", i - 1),
        );
    }
    tree.write(
        "core/app/ws/a/run.py",
        "from app.sockets import sio\nfrom app.hop39 import Head\n\n\n@sio.on('a.run')\nasync def h(sid, data):\n    Head(**data)\n",
    );
    let read = tree.read();
    assert_eq!(read.api.operations[0].request.as_deref(), Some("Real"));
    assert!(read.diagnostics.is_empty(), "{:?}", read.diagnostics);
}

/// Path items and component schemas are read one at a time from the document's text: a key
/// given twice inside one is named once, however often it is read, and references into them
/// (a path item's, a schema's property) find their targets.
#[test]
fn references_into_path_items_and_schemas_and_their_repeated_keys_are_read() {
    let read = read_spec(
        r##"{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
 "paths": {
  "/a": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json":
    {"schema": {"$ref": "#/components/schemas/A/properties/x"}}}}}}},
  "/b": {"$ref": "#/paths/~1a"}},
 "components": {"schemas": {
  "A": {"type": "object", "properties": {"x": {"type": "object",
    "properties": {"n": {"type": "integer"}}, "required": ["m"], "required": ["n"]}}}}}}
"##,
    );
    assert_eq!(
        messages(&read.diagnostics, Code::DuplicateKey),
        [
            "the object at `#/components/schemas/A/properties/x` has the key `required` twice; the last is read"
        ]
    );
    let routes: Vec<(&str, Option<&str>)> = read
        .api
        .operations
        .iter()
        .filter_map(|operation| operation.http.as_ref())
        .map(|route| {
            let response = route.response.as_ref().and_then(|r| r.type_name.as_deref());
            (route.path.as_str(), response)
        })
        .collect();
    assert_eq!(routes.len(), 2, "{routes:?}");
    assert_eq!(routes[0].0, "/a");
    assert_eq!(routes[1].0, "/b");
    let (Some(a), Some(b)) = (routes[0].1, routes[1].1) else {
        panic!("both responses have a type: {routes:?}");
    };
    assert_eq!(read.api.types[a], read.api.types[b], "/b is /a's path item");
    assert_eq!(
        read.api.types[a]["required"],
        serde_json::json!(["n"]),
        "{:?}",
        read.api.types[a]
    );
}

#[test]
fn a_json_key_given_twice_is_an_error_naming_the_object() {
    let read = read_spec(
        "{\"openapi\": \"3.1.0\", \"info\": {\"title\": \"t\", \"version\": \"1\"},\n \"paths\": {},\n \"components\": {\"schemas\": {\n  \"A\": {\"type\": \"string\"},\n  \"A\": {\"type\": \"integer\"}}}}\n",
    );
    assert_eq!(
        messages(&read.diagnostics, Code::DuplicateKey),
        ["the object at `#/components/schemas` has the key `A` twice; the last is read"]
    );
    let at: Vec<(u32, u32)> = read
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::DuplicateKey)
        .map(|d| (d.line, d.col))
        .collect();
    assert_eq!(at, [(4, 3)]);
    assert_eq!(read.api.types["A"], serde_json::json!({"type": "integer"}));
}

#[test]
fn a_folder_that_cannot_be_read_is_an_error_and_the_run_fails() {
    let tree =
        tree_with_models("from pydantic import BaseModel\n\nclass Head(BaseModel):\n    a: int\n");
    std::os::unix::fs::symlink(tree.path("core/app/gone"), tree.path("core/app/ws/persona"))
        .unwrap();
    let read = tree.read();
    let errors: Vec<String> = read
        .diagnostics
        .iter()
        .filter(|d| {
            d.code == Code::IoError && d.severity == glow_codegen::diagnostic::Severity::Error
        })
        .map(|d| {
            format!(
                "{}: {}",
                d.path.rsplit("/ws/").next().unwrap_or(&d.path),
                d.message
            )
        })
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("persona: cannot read:")
            && errors[0].ends_with("; the handlers under it are missing"),
        "{errors:?}"
    );
    let output = glow(&["manifest", "--ws-tree", "core/app/ws"], tree.dir.path());
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
}

/// Reads an OpenAPI document given as text (JSON when it starts with `{`, else YAML).
fn read_spec(text: &str) -> glow_codegen::sources::SourceOutput {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec.yaml");
    std::fs::write(&spec, text).unwrap();
    glow_codegen::sources::Sources::new()
        .openapi(&spec)
        .read()
        .unwrap()
}

#[test]
fn path_items_that_are_not_operations_are_errors_and_left_out() {
    let read = read_spec(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    GET: {responses: {'200': {description: ok}}}\n    get: 5\n    put: null\n    post: {responses: {'200': {description: ok}}}\n  /b/{id}/{id}:\n    get: {responses: {'200': {description: ok}}}\n",
    );
    assert_eq!(
        messages(&read.diagnostics, Code::InvalidOperation),
        [
            "`GET` of `/a` is not read: methods are lower-case (`get`)",
            "`get` of `/a` is a number, not an operation object; it is left out",
            "`put` of `/a` is null, not an operation object; it is left out",
            "`/b/{id}/{id}` names the parameter `id` twice: the two places cannot hold different values",
        ]
    );
    let routes: Vec<String> = read
        .api
        .operations
        .iter()
        .map(|o| {
            o.http
                .as_ref()
                .map(|r| format!("{} {}", r.method, r.path))
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(routes, ["POST /a", "GET /b/{id}/{id}"]);
}

#[test]
fn a_ref_to_a_part_of_the_document_is_refused() {
    let read = read_spec(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Whole: {$ref: '#'}\n    Paths: {$ref: '#/paths'}\n",
    );
    assert_eq!(
        messages(&read.diagnostics, Code::UnresolvedRef),
        [
            "`$ref: #` at `#/components/schemas/Whole` points at a part of the document, not at a schema; read as any JSON",
            "`$ref: #/paths` at `#/components/schemas/Paths` points at a part of the document, not at a schema; read as any JSON",
        ]
    );
    assert_eq!(read.api.types["Whole"], serde_json::json!({}));
}

#[test]
fn all_of_members_that_disagree_on_a_property_are_reported() {
    let read = read_spec(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Both:\n      allOf:\n        - {type: object, properties: {x: {type: string}, y: {type: string}}}\n        - {type: object, properties: {x: {type: integer}, y: {type: string, maxLength: 3}}}\n",
    );
    assert_eq!(
        messages(&read.diagnostics, Code::InvalidSchema),
        [
            "`allOf` of `Both`: members disagree on the property `x` ({\"type\":\"string\"} and {\"type\":\"integer\"}); the last is read"
        ]
    );
    assert_eq!(
        read.api.types["Both"]["properties"],
        serde_json::json!({"x": {"type": "integer"}, "y": {"type": "string", "maxLength": 3}})
    );
}

#[test]
fn a_default_nested_too_deeply_is_reported_not_cut_silently() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let read = tree_with_models(&format!(
        "from pydantic import BaseModel\n\nclass Head(BaseModel):\n    a: list = {deep}\n"
    ))
    .read();
    assert_eq!(
        messages(&read.diagnostics, Code::LimitExceeded),
        [
            "a value nested (or named through constants) more than 24 levels deep is not read: it is left out"
        ]
    );
    let at: Vec<(bool, u32)> = places(&read.diagnostics, Code::LimitExceeded)
        .into_iter()
        .map(|(file, line, _)| (file.ends_with("core/app/models.py"), line))
        .collect();
    assert_eq!(at, [(true, 4)]);
    assert_eq!(
        read.api.types["Head"]["required"],
        serde_json::Value::Null,
        "still optional"
    );
}

#[test]
fn a_returned_value_nested_too_deeply_is_reported() {
    let deep = format!("{}1{}", "{'k': ".repeat(40), "}".repeat(40));
    let tree = Tree::new();
    tree.write("core/app/ws/__init__.py", "from . import a\n")
        .write("core/app/ws/a/__init__.py", "from . import run\n")
        .write(
            "core/app/ws/a/run.py",
            &handler("a.run", &format!("    return {deep}")),
        );
    let read = tree.read();
    assert_eq!(
        messages(&read.diagnostics, Code::LimitExceeded),
        [
            "the returned value nests (or is assigned) more than 32 levels deep: past that it is read as any JSON"
        ]
    );
    assert!(
        read.api.operations[0].ack.is_some(),
        "the ack is still recorded"
    );
}

#[test]
fn odd_file_names_are_reported_on_one_line() {
    use std::os::unix::ffi::OsStrExt;
    let tree =
        tree_with_models("from pydantic import BaseModel\n\nclass Head(BaseModel):\n    a: int\n");
    let odd = std::ffi::OsStr::from_bytes(b"bad\xff\xfe.py");
    std::fs::write(tree.path("core/app/ws/a").join(odd), "x = 1\n").unwrap();
    std::fs::write(tree.path("core/app/ws/a/new\nline.py"), "x = (\n").unwrap();
    let read = tree.read();
    let warnings: Vec<String> = read
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::ParseError)
        .map(|d| {
            d.to_human()
                .rsplit("/ws/")
                .next()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    assert_eq!(
        warnings,
        [
            "a/bad\u{fffd}\u{fffd}.py:1:1: warning[parse-error]: the file name is not UTF-8: no import can name it, so it never registers; it is not read",
            "a/new\\nline.py:2:1: error[parse-error]: invalid Python: unexpected EOF while parsing",
        ]
    );
}

#[test]
fn lines_ending_in_a_lone_carriage_return_are_counted() {
    let tree = Tree::new();
    tree.write("core/app/ws/__init__.py", "from . import a\n")
        .write("core/app/ws/a/__init__.py", "from . import run\n")
        .write(
            "core/app/ws/a/run.py",
            "from app.sockets import sio\r\r\r@sio.on(dynamic())\rasync def h(sid, data):\r    pass\r",
        );
    let read = tree.read();
    assert_eq!(
        places(&read.diagnostics, Code::DynamicName),
        [("a/run.py".to_owned(), 4, 9)]
    );
}

/// An OpenAPI 3.0 document (minified JSON, one line) with these component schemas.
fn spec_with_schemas(
    schemas: serde_json::Map<String, serde_json::Value>,
) -> glow_codegen::sources::SourceOutput {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec.json");
    let doc = serde_json::json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}, "components": {"schemas": schemas}});
    std::fs::write(&spec, serde_json::to_string(&doc).unwrap()).unwrap();
    glow_codegen::sources::Sources::new()
        .openapi(&spec)
        .read()
        .unwrap()
}

#[test]
fn fifteen_thousand_dangling_refs_in_a_one_line_spec_are_each_located() {
    let mut schemas = serde_json::Map::new();
    for i in 0..15_000 {
        schemas.insert(
            format!("S{i}"),
            serde_json::json!({"type": "object", "properties": {
                "a": {"$ref": format!("#/components/schemas/Missing{i}")},
                "pad": {"type": "string", "description": "x".repeat(300)}
            }}),
        );
    }
    let read = spec_with_schemas(schemas);
    let located: Vec<(u32, u32)> = read
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::UnresolvedRef)
        .map(|d| (d.line, d.col))
        .collect();
    assert_eq!(located.len(), 15_000);
    assert!(located.iter().all(|(line, col)| *line == 1 && *col > 1));
    let distinct: std::collections::BTreeSet<u32> = located.iter().map(|(_, col)| *col).collect();
    assert_eq!(distinct.len(), 15_000, "each at its own place");
}

#[test]
fn long_reference_chains_and_cycles_are_resolved_in_linear_time() {
    let mut chain = serde_json::Map::new();
    chain.insert("C0".into(), serde_json::json!({"type": "string"}));
    for i in 1..8_000 {
        chain.insert(
            format!("C{i}"),
            serde_json::json!({"$ref": format!("#/components/schemas/C{}", i - 1)}),
        );
    }
    let read = spec_with_schemas(chain);
    assert!(read.diagnostics.is_empty(), "{:?}", &read.diagnostics[..1]);
    assert_eq!(
        read.api.types["C7999"],
        serde_json::json!({"$ref": "#/types/C7998"})
    );

    let mut cycle = serde_json::Map::new();
    for i in 0..5_000 {
        cycle.insert(
            format!("Y{i}"),
            serde_json::json!({"$ref": format!("#/components/schemas/Y{}", (i + 1) % 5_000)}),
        );
    }
    let read = spec_with_schemas(cycle);
    assert_eq!(
        messages(&read.diagnostics, Code::RefCycle),
        [
            "`#/components/schemas/Y0` is a cycle of references with no object in between: Y0 → Y1 → Y2 → Y3 → Y4 → … (5000 types) … Y4999 → Y0"
        ]
    );
}
