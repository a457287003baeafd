//! Generating part of an API: the operations a client names, the types they reach, in every
//! door; a pattern that matches nothing is an error.

mod common;

use std::process::Command;

use common::workspace;
use glow_codegen::filter::{FilterError, OperationFilter};
use glow_codegen::sources::Sources;
use glow_codegen::{Builder, manifest, render};

fn github() -> glow_codegen::model::Api {
    Sources::new()
        .openapi(workspace().join("tests/data/github-rest-3.0.json"))
        .read()
        .unwrap()
        .api
}

#[test]
fn twenty_operations_of_github_keep_only_the_types_they_reach() {
    let api = github();
    let patterns = [
        "repos.get",
        "repos.list_for_*",
        "issues.get",
        "issues.create",
        "pulls.*",
    ];
    let part = OperationFilter::new(patterns).unwrap().apply(&api).unwrap();
    let names: Vec<&str> = part.operations.iter().map(|o| o.name.as_str()).collect();
    assert!(
        names.contains(&"repos.get") && names.contains(&"pulls.get"),
        "{names:?}"
    );
    assert!(names.len() > 20 && names.len() < 40, "{}", names.len());
    assert!(names.iter().all(|name| patterns.iter().any(|p| {
        p.strip_suffix('*')
            .map_or(*name == *p, |prefix| name.starts_with(prefix))
    })));
    // Every type kept is reached, and every reference resolves: the part generates.
    assert!(
        part.types.len() < api.types.len() / 2,
        "{} of {}",
        part.types.len(),
        api.types.len()
    );
    assert!(part.types.contains_key("FullRepository"));
    let whole = render(&api, "github").unwrap();
    let code = render(&part, "github").unwrap();
    assert!(code.text.len() * 3 < whole.text.len());
    assert_eq!(code.operations, names.len());
}

#[test]
fn a_pattern_that_matches_nothing_or_is_not_a_glob_is_an_error() {
    let api = github();
    assert_eq!(
        OperationFilter::new(["repos.gte"])
            .unwrap()
            .apply(&api)
            .unwrap_err(),
        FilterError::Unmatched {
            pattern: "repos.gte".into(),
            count: api.operations.len(),
            example: api.operations[0].name.clone(),
        }
    );
    let invalid = OperationFilter::new(["repos.[get"]).unwrap_err();
    assert!(
        invalid
            .to_string()
            .starts_with("`repos.[get` is not an operation pattern: "),
        "{invalid}"
    );
}

#[test]
fn the_cli_and_the_builder_generate_the_same_part() {
    let manifest_path = workspace().join("manifests/glow.yaml");
    let output = Command::new(env!("CARGO_BIN_EXE_glow-codegen"))
        .args([
            "generate",
            "--manifest",
            "manifests/glow.yaml",
            "--only",
            "persona.*",
            "--only",
            "system.health",
        ])
        .current_dir(workspace())
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let cli = String::from_utf8(output.stdout).unwrap();
    assert!(cli.contains("fn persona_search(") && cli.contains("fn system_health("));
    assert!(!cli.contains("fn attempt_chat_message("));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr).lines().next(),
        Some("glow-codegen: 5 operations, 14 definitions, 0 fallback(s) to serde_json::Value")
    );
    let out = tempfile::tempdir().unwrap();
    let built = Builder::from_manifest(&manifest_path)
        .only("persona.*")
        .only("system.health")
        .out_dir(out.path())
        .emit_rerun_if_changed(false)
        .generate("part")
        .unwrap();
    let from_builder = std::fs::read_to_string(built.path).unwrap();
    assert_eq!(
        from_builder.lines().skip(3).collect::<Vec<_>>(),
        cli.lines().skip(3).collect::<Vec<_>>(),
        "the same code after the header"
    );

    let unmatched = Command::new(env!("CARGO_BIN_EXE_glow-codegen"))
        .args([
            "generate",
            "--manifest",
            "manifests/glow.yaml",
            "--only",
            "persona.serch",
        ])
        .current_dir(workspace())
        .output()
        .unwrap();
    assert_eq!(unmatched.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&unmatched.stderr).trim_end(),
        "glow-codegen: error: cannot generate from `manifests/glow.yaml`: `persona.serch` matches no operation (the manifest has 18, e.g. `attempt.chat.voice`)"
    );
    let text = std::fs::read_to_string(&manifest_path).unwrap();
    assert!(manifest::from_yaml(&text, "glow.yaml").is_ok());
}
