//! Emission: the three doors give the same code, the checked-in `generated/glow.rs` is fresh,
//! every mapping rule's output is a reviewed snapshot, and fallbacks are counted.

mod common;

use std::collections::BTreeSet;
use std::process::Command;

use common::workspace;
use glow_codegen::emit::{EmitError, emit};
use glow_codegen::model::Api;
use glow_codegen::{Builder, manifest, render};

fn fixture() -> Api {
    let text = std::fs::read_to_string(workspace().join("manifests/glow.yaml")).unwrap();
    manifest::from_yaml(&text, "manifests/glow.yaml").unwrap()
}

fn rules() -> Api {
    let text =
        std::fs::read_to_string(workspace().join("tests/generated/manifests/rules.yaml")).unwrap();
    manifest::from_yaml(&text, "rules.yaml").unwrap()
}

#[test]
fn checked_in_generated_code_is_fresh() {
    let fresh = render(&fixture(), "manifests/glow.yaml").unwrap().text;
    let checked_in = std::fs::read_to_string(workspace().join("generated/glow.rs")).unwrap();
    glow_test_support::assert_fresh("generated/glow.rs", &checked_in, &fresh);
}

#[test]
fn checked_in_glovebox_code_is_fresh() {
    let text = std::fs::read_to_string(workspace().join("manifests/glovebox.yaml")).unwrap();
    let api = manifest::from_yaml(&text, "manifests/glovebox.yaml").unwrap();
    assert_eq!(
        manifest::to_yaml(&api).unwrap(),
        text,
        "manifests/glovebox.yaml is canonical"
    );
    let fresh = render(&api, "manifests/glovebox.yaml").unwrap().text;
    let checked_in = std::fs::read_to_string(workspace().join("generated/glovebox.rs")).unwrap();
    glow_test_support::assert_fresh("generated/glovebox.rs", &checked_in, &fresh);
}

#[test]
fn the_cli_and_build_rs_doors_produce_the_same_code() {
    // The CLI door.
    let cli = Command::new(env!("CARGO_BIN_EXE_glow-codegen"))
        .args(["generate", "--manifest", "manifests/glow.yaml"])
        .current_dir(workspace())
        .output()
        .unwrap();
    assert_eq!(
        cli.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&cli.stderr)
    );
    let cli = String::from_utf8(cli.stdout).unwrap();

    // The build.rs door.
    let out = tempfile::tempdir().unwrap();
    let generated = Builder::from_manifest(workspace().join("manifests/glow.yaml"))
        .out_dir(out.path())
        .emit_rerun_if_changed(false)
        .generate("glow")
        .unwrap();
    let built = std::fs::read_to_string(&generated.path).unwrap();
    // The macro door's expansion is compared with `generated/glow.rs` in glow-macros' own tests.
    let body = |text: &str| text.lines().skip(2).collect::<Vec<_>>().join("\n");
    assert_eq!(body(&cli), body(&built), "CLI and build.rs");
}

#[test]
fn builder_from_sources_reruns_on_every_input() {
    let out = tempfile::tempdir().unwrap();
    let sources = glow_codegen::sources::Sources::new()
        .ws_tree(workspace().join("tests/server/core/app/ws"))
        .openapi(workspace().join("tests/server/openapi.json"));
    let generated = Builder::from_sources(sources)
        .out_dir(out.path())
        .emit_rerun_if_changed(false)
        .generate("glow")
        .unwrap();
    let inputs: Vec<String> = generated
        .inputs
        .iter()
        .map(|p| {
            p.strip_prefix(workspace())
                .unwrap_or(p)
                .display()
                .to_string()
        })
        .collect();
    // Every file read — the document, each handler file, each module imported from the import
    // root — and no folder: a `__pycache__` written beside them does not rerun the script.
    for expected in [
        "tests/server/openapi.json",
        "tests/server/core/app/__init__.py",
        "tests/server/core/app/ws/persona/search.py",
        "tests/server/core/app/ws/persona/__init__.py",
        "tests/server/core/app/infra/persona/types.py",
        "tests/server/core/app/realtime.py",
    ] {
        assert!(
            inputs.iter().any(|i| i == expected),
            "{expected} in {inputs:?}"
        );
    }
    assert!(
        generated.inputs.iter().all(|p| p.is_file()),
        "files only: {inputs:?}"
    );
    let mut sorted = inputs.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), inputs.len(), "each once");
    let built = std::fs::read_to_string(&generated.path).unwrap();
    let from_manifest = render(&fixture(), "x").unwrap().text;
    let body = |text: &str| text.lines().skip(2).collect::<Vec<_>>().join("\n");
    assert_eq!(
        body(&built),
        body(&from_manifest),
        "sources and their checked-in manifest give the same code"
    );
}

#[test]
fn builder_writes_only_when_the_code_changes() {
    let out = tempfile::tempdir().unwrap();
    let builder = Builder::from_manifest(workspace().join("manifests/glow.yaml"))
        .out_dir(out.path())
        .emit_rerun_if_changed(false);
    let first = builder.generate("glow").unwrap();
    let stamp = std::fs::metadata(&first.path).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let second = builder.generate("glow").unwrap();
    assert_eq!(
        std::fs::metadata(&second.path).unwrap().modified().unwrap(),
        stamp
    );
}

#[test]
fn builder_names_a_missing_input_and_what_to_do_on_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("manifests/glow.yaml");
    let error = Builder::from_manifest(&missing)
        .out_dir(dir.path())
        .emit_rerun_if_changed(false)
        .generate("glow")
        .unwrap_err();
    // A build script's `fn main() -> Result<(), BuildError>` prints the `Debug` form.
    let printed = format!("{error:?}");
    assert_eq!(printed, error.to_string());
    assert_eq!(
        printed,
        format!(
            "the manifest `{0}` does not exist (looked for `{0}`): write it with `glow-codegen manifest --ws-tree <dir> --openapi <file> --out <path>`, or correct the path",
            missing.display()
        )
    );

    let sources = glow_codegen::sources::Sources::new()
        .ws_tree(workspace().join("tests/server/core/app/ws"))
        .openapi(dir.path().join("x/../openapi.json"));
    let error = Builder::from_sources(sources)
        .out_dir(dir.path())
        .emit_rerun_if_changed(false)
        .generate("glow")
        .unwrap_err();
    assert_eq!(
        format!("{error:?}"),
        format!(
            "the OpenAPI document `{}` does not exist (looked for `{}`): export the server's OpenAPI document there, or correct the path",
            dir.path().join("x/../openapi.json").display(),
            dir.path().join("openapi.json").display()
        )
    );
}

#[test]
fn fixture_has_no_fallback_to_value() {
    let emitted = emit(&fixture()).unwrap();
    assert!(
        emitted.stats.fallbacks.is_empty(),
        "{:?}",
        emitted.stats.fallbacks
    );
    assert_eq!(emitted.stats.definitions, 50);
}

#[test]
fn dangling_type_reference_is_an_error_naming_it() {
    let mut api = fixture();
    api.types.remove("ChatReply");
    let error = emit(&api).unwrap_err();
    assert_eq!(
        error,
        EmitError::DanglingType {
            place: "operation `attempt.chat_message` (HTTP 200)".into(),
            name: "ChatReply".into()
        }
    );
}

#[test]
fn fallbacks_are_counted_with_their_place() {
    let api: Api = manifest::from_yaml(
        "manifest_version: 1\noperations: []\ntypes:\n  Odd:\n    type: object\n    properties:\n      mixed: {enum: [1, a]}\n      weird: {type: quantum}\n      fine: {}\n",
        "odd.yaml",
    )
    .unwrap();
    let stats = emit(&api).unwrap().stats;
    assert_eq!(
        stats.fallbacks,
        [
            "Odd.mixed: an enum of mixed or unsupported values",
            "Odd.weird: the unknown type `quantum`"
        ]
    );
    assert_eq!(stats.any, 1);
}

/// The manifest `rules.yaml` cut down to `name` and the types it references.
fn rule_manifest(name: &str) -> Api {
    let all = rules();
    let mut wanted = BTreeSet::from([name.to_owned()]);
    let mut queue = vec![name.to_owned()];
    while let Some(current) = queue.pop() {
        for target in Api::references(&all.types[&current]) {
            if wanted.insert(target.to_owned()) {
                queue.push(target.to_owned());
            }
        }
    }
    Api {
        operations: Vec::new(),
        protocols: Vec::new(),
        types: all
            .types
            .into_iter()
            .filter(|(n, _)| wanted.contains(n))
            .collect(),
        auth: Default::default(),
    }
}

macro_rules! rule_snapshot {
    ($test:ident, $name:literal) => {
        #[test]
        fn $test() {
            let code = render(&rule_manifest($name), concat!("rules.yaml#", $name))
                .unwrap()
                .text;
            insta::assert_snapshot!(concat!("rule_", $name), code);
        }
    };
}

rule_snapshot!(object_with_all_optional_fields_gets_default, "Plain");
rule_snapshot!(optional_defaults_keywords_and_renames, "Fields");
rule_snapshot!(string_enum_gets_renames_display_and_from_str, "Color");
rule_snapshot!(integer_enum_reads_numbers, "Level");
rule_snapshot!(single_constant_is_a_unit_tag, "Version");
rule_snapshot!(discriminator_makes_an_internally_tagged_enum, "Pet");
rule_snapshot!(constant_property_makes_an_internally_tagged_enum, "Shape");
rule_snapshot!(other_unions_are_untagged_most_specific_first, "Loose");
rule_snapshot!(nullable_reference_is_an_option, "MaybeCat");
rule_snapshot!(recursion_is_boxed, "Node");
rule_snapshot!(additional_properties_are_maps, "Labels");
rule_snapshot!(properties_and_additional_properties_flatten, "Mixed");
rule_snapshot!(formats_map_to_types, "Formats");

#[test]
fn docs_say_how_the_server_authenticates() {
    let code = render(&fixture(), "manifests/glow.yaml").unwrap().text;
    assert!(code.contains("/// The server reads `auth.token` from the socket.io auth payload at connect (`app/ws/connect.py:10`): `glow_client::Socket::builder(url).bearer(token)` sends `{\"token\": \"Bearer <token>\"}`.\n#[allow(dead_code)]\npub trait SocketApi"), "{code}");
    assert!(code.contains("    /// `POST /persona/search`\n    ///\n    /// Returns `types::PersonaPage` on `200`; documented errors: `422` (`types::HTTPValidationError`). Failures are `Error::Unauthorized` (401, 403), `Error::Invalid` (422) or `Error::Status` (any other status).\n    ///\n    /// Authenticated: send the header `Authorization: Bearer <token>` (`HTTPBearer`); `glow_client::Http::builder(url).bearer(token)` sends it.\n    fn persona_search("), "{code}");
}

#[test]
fn integer_bounds_read_as_integers_and_number_bounds_as_written() {
    let code = render(&fixture(), "manifests/glow.yaml").unwrap().text;
    // `page_size: int = Field(20, ge=1, le=100)`, which the OpenAPI document spells `1.0`.
    assert!(
        code.contains("/// Constraints: minimum 1, maximum 100.\n"),
        "{code}"
    );
    assert!(!code.contains("minimum 1.0, maximum 100.0"));
    // A float's bounds stay floats.
    assert!(code.contains("/// Constraints: minimum 0.0, maximum 1.0."));
}

#[test]
fn copy_parameters_go_by_value_and_an_optional_nullable_one_is_one_option() {
    let yaml = "manifest_version: 1
operations:
- name: things.list
  event: null
  artifact: things
  operation: list
  http:
    method: GET
    path: /things/{owner}
    operation_id: null
    parameters:
    - {name: owner, in: path, required: true, schema: {type: string, format: uuid}}
    - {name: since, in: query, required: false, schema: {type: string, format: date}}
    - {name: cursor, in: query, required: false, schema: {anyOf: [{type: string}, {type: 'null'}]}}
    - {name: limit, in: query, required: true, schema: {anyOf: [{type: integer}, {type: 'null'}]}}
    - {name: labels, in: query, required: false, schema: {type: array, items: {type: string}}}
    body: null
    response: null
    errors: []
  request: null
  ack: null
  source: null
types: {}
";
    let api = manifest::from_yaml(yaml, "params.yaml").unwrap();
    let code = render(&api, "params.yaml").unwrap().text;
    let signature = "    fn things_list(
        &self,
        owner: ::glow_client::uuid::Uuid,
        since: ::std::option::Option<::glow_client::chrono::NaiveDate>,
        cursor: ::std::option::Option<&str>,
        limit: ::std::option::Option<i64>,
        labels: ::std::option::Option<&::std::vec::Vec<::std::string::String>>,
    )";
    assert!(code.contains(signature), "{code}");
    assert!(
        code.contains("::glow_client::http::segment(\"owner\", &owner)"),
        "{code}"
    );
}

#[test]
fn method_docs_say_what_comes_back_and_how() {
    let code = render(&fixture(), "manifests/glow.yaml").unwrap().text;
    assert!(
        code.contains("    /// Emits `persona.create` (`app/ws/persona/create.py:"),
        "{code}"
    );
    assert!(code.contains("    /// The result arrives as the `persona.create.completed` push (carrying `types::Persona`), or a `.failed` push; `SocketCalls::call_persona_create` emits and waits for it.\n"));
    assert!(
        code.contains("    /// Returns the handler's return value, `types::PersonaSummary`.\n")
    );
    assert!(code.contains("    /// Returns `types::Persona` on `200`; documented errors: `422` (`types::HTTPValidationError`). Failures are `Error::Unauthorized` (401, 403), `Error::Invalid` (422) or `Error::Status` (any other status).\n"));
}

#[test]
fn enum_variants_take_the_python_member_names() {
    let code = render(&fixture(), "manifests/glow.yaml").unwrap().text;
    // `class Difficulty(int, Enum): EASY = 1 ...`, not `V1`, `V2`, `V3`.
    assert!(
        code.contains(
            "pub enum Difficulty {\n        Easy,\n        Medium,\n        Hard,\n    }"
        ),
        "{code}"
    );
    assert!(code.contains("1 => ::std::result::Result::Ok(Self::Easy),"));
    // `class Visibility(str, Enum): PRIVATE = "private" ...`.
    assert!(code.contains("Self::Private => \"private\","));
}

#[test]
fn a_list_the_client_only_receives_reads_absent_as_empty_and_one_it_sends_stays_optional() {
    let api: Api = manifest::from_yaml(
        "manifest_version: 1\noperations:\n- name: item.save\n  event: item.save\n  artifact: item\n  operation: save\n  http: null\n  request: Sent\n  ack: Got\n  source: null\n  pushes:\n  - event: item.save.token\n    payload: Pushed\ntypes:\n  Pushed:\n    type: object\n    properties:\n      tags: {type: array, items: {type: string}}\n  Got:\n    type: object\n    properties:\n      tags: {type: array, items: {type: string}}\n      shared: {$ref: '#/types/Both'}\n  Sent:\n    type: object\n    properties:\n      tags: {type: array, items: {type: string}}\n      defaulted: {type: array, items: {type: string}, default: []}\n      shared: {$ref: '#/types/Both'}\n  Both:\n    type: object\n    properties:\n      tags: {type: array, items: {type: string}}\n",
        "lists.yaml",
    )
    .unwrap();
    let code = render(&api, "lists.yaml").unwrap().text;
    let field = |owner: &str, name: &str| -> String {
        let start = code.find(&format!("pub struct {owner} {{")).unwrap();
        let body = &code[start..start + code[start..].find("\n    }").unwrap()];
        let at = body.find(&format!("pub {name}:")).unwrap();
        let attribute = body[..at].rfind("#[serde(").unwrap();
        body[attribute..at + body[at..].find(",").unwrap()]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let empty_vec = "#[serde(default, skip_serializing_if = \"::std::vec::Vec::is_empty\")] pub tags: ::std::vec::Vec<::std::string::String>";
    let optional = "#[serde(default, skip_serializing_if = \"::std::option::Option::is_none\")] pub tags: ::std::option::Option<::std::vec::Vec<::std::string::String>>";
    assert_eq!(field("Got", "tags"), empty_vec);
    assert_eq!(
        field("Pushed", "tags"),
        empty_vec,
        "a push's payload is received too"
    );
    assert_eq!(
        field("Sent", "tags"),
        optional,
        "absent and [] may differ to the server"
    );
    assert_eq!(field("Both", "tags"), optional, "sent inside `Sent`");
    assert_eq!(
        field("Sent", "defaulted"),
        empty_vec.replace("pub tags", "pub defaulted")
    );
}

#[test]
fn server_event_lists_the_pushes_read_and_the_four_stages_only_where_none_were() {
    let operation = |name: &str, pushes: &str| {
        format!(
            "- name: {name}\n  event: {name}\n  artifact: a\n  operation: {name}\n  http: null\n  request: null\n  ack: null\n  source: null\n{pushes}"
        )
    };
    let manifest = format!(
        "manifest_version: 1\noperations:\n{}{}{}types:\n  Token:\n    type: object\n    properties:\n      token: {{type: string}}\n",
        operation("a.ack", "  pushes: []\n"),
        operation(
            "a.chat",
            "  pushes:\n  - event: a.chat.completed\n  - event: a.chat.token\n    payload: Token\n  - event: activity.changed\n"
        ),
        operation("a.opaque", ""),
    );
    let api: Api = manifest::from_yaml(&manifest, "pushes.yaml").unwrap();
    let code = render(&api, "pushes.yaml").unwrap().text;
    let start = code.find("pub enum ServerEvent {").unwrap();
    let body = &code[start..start + code[start..].find("\n}").unwrap()];
    // The variants, whitespace left out (the printer wraps long ones).
    let flat: String = body
        .lines()
        .filter(|line| !line.trim_start().starts_with("///"))
        .flat_map(|line| line.chars().filter(|c| !c.is_whitespace()))
        .collect::<String>()
        .replace(",>", ">")
        .replace(">,)", ">)");
    let variants: Vec<&str> = flat["pubenumServerEvent{".len()..]
        .split("),")
        .take(7)
        .collect();
    assert_eq!(
        variants,
        [
            "AChatCompleted(::glow_client::push::Completed<::glow_client::serde_json::Map<::std::string::String,::glow_client::serde_json::Value>>",
            "AChatToken(types::Token",
            "ActivityChanged(::glow_client::serde_json::Value",
            "AOpaqueStarted(::glow_client::push::Started",
            "AOpaqueProgress(::glow_client::push::Progress",
            "AOpaqueCompleted(::glow_client::push::Completed<::glow_client::serde_json::Map<::std::string::String,::glow_client::serde_json::Value>>",
            "AOpaqueFailed(::glow_client::push::Failed",
        ]
    );
    assert!(
        flat.contains("AOpaqueFailed(::glow_client::push::Failed),Other{"),
        "`a.ack` has none: {flat}"
    );
    assert!(code.contains("pub const NAMES: &'static [&'static str] = &[\n        \"a.chat.completed\",\n        \"a.chat.token\",\n        \"activity.changed\",\n        \"a.opaque.started\","), "{code}");
}
