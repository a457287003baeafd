//! No input can make the reader panic or hang: garbage, empty, binary files, symlink loops and
//! large trees give diagnostics or a clean error.

mod common;

use common::{Tree, handler, names, places};
use glow_codegen::diagnostic::Code;
use glow_codegen::sources::Sources;

fn tree_with(file: &str, contents: &[u8]) -> Tree {
    let tree = Tree::new();
    tree.write("core/app/ws/__init__.py", "from . import a\n")
        .write("core/app/ws/a/__init__.py", "from . import b, good\n")
        .write(
            "core/app/ws/a/good.py",
            &handler("a.good", "    data.get('x')"),
        );
    std::fs::write(tree.path(file), contents).unwrap();
    tree
}

#[test]
fn garbage_python_is_a_parse_error_and_the_rest_still_counts() {
    let garbage = b"def (((:\n  class ]] @@@ \n\t\x0b lambda lambda ::: \n'''unterminated";
    let output = tree_with("core/app/ws/a/b.py", garbage).read();
    assert_eq!(names(&output), ["a.good"]);
    let errors = places(&output.diagnostics, Code::ParseError);
    assert_eq!(errors.len(), 1);
    assert_eq!((errors[0].0.as_str(), errors[0].1), ("a/b.py", 1));
}

#[test]
fn empty_file_is_a_module_with_nothing_in_it() {
    let output = tree_with("core/app/ws/a/b.py", b"").read();
    assert_eq!(names(&output), ["a.good"]);
    assert!(output.diagnostics.is_empty(), "{:?}", output.diagnostics);
}

#[test]
fn binary_file_is_a_parse_error_naming_the_first_bad_byte() {
    let mut bytes = b"import os\n".to_vec();
    bytes.extend([0x89, b'P', b'N', b'G', 0, 0, 0xff, 0xfe]);
    let output = tree_with("core/app/ws/a/b.py", &bytes).read();
    assert_eq!(names(&output), ["a.good"]);
    assert_eq!(
        places(&output.diagnostics, Code::ParseError),
        [("a/b.py".into(), 2, 1)]
    );
}

#[test]
fn latin1_file_is_a_parse_error_not_a_panic() {
    let output = tree_with("core/app/ws/a/b.py", b"# caf\xe9\nx = 1\n").read();
    assert_eq!(
        places(&output.diagnostics, Code::ParseError),
        [("a/b.py".into(), 1, 6)]
    );
}

#[test]
fn deeply_nested_expression_returns() {
    let source = format!("x = {}1{}\n", "(".repeat(20_000), ")".repeat(20_000));
    let output = tree_with("core/app/ws/a/b.py", source.as_bytes()).read();
    assert_eq!(names(&output), ["a.good"]);
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_reported_and_not_followed() {
    let tree = tree_with("core/app/ws/a/b.py", b"");
    std::os::unix::fs::symlink(tree.path("core/app/ws/a"), tree.path("core/app/ws/a/loop"))
        .unwrap();
    std::os::unix::fs::symlink("self.py", tree.path("core/app/ws/a/self.py")).unwrap();
    let output = tree.read();
    assert_eq!(names(&output), ["a.good"]);
    let io: Vec<String> = output
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::IoError)
        .map(|d| d.message.clone())
        .collect();
    assert!(
        io.iter().any(|m| m.contains("symbolic link loop")),
        "{io:?}"
    );
}

#[test]
fn a_thousand_handlers_all_register() {
    let tree = Tree::new();
    let artifacts = 20;
    let per_artifact = 50;
    let mut root_init = String::from("from . import (\n");
    for a in 0..artifacts {
        root_init.push_str(&format!("    art{a},\n"));
        let mut init = String::from("from . import (\n");
        for op in 0..per_artifact {
            init.push_str(&format!("    op{op},\n"));
            tree.write(
                &format!("core/app/ws/art{a}/op{op}.py"),
                &handler(&format!("art{a}.op{op}"), "    data.get('q')"),
            );
        }
        init.push_str(")\n");
        tree.write(&format!("core/app/ws/art{a}/__init__.py"), &init);
    }
    root_init.push_str(")\n");
    tree.write("core/app/ws/__init__.py", &root_init);
    let output = tree.read();
    assert_eq!(output.api.operations.len(), artifacts * per_artifact);
    assert_eq!(output.api.types.len(), artifacts * per_artifact);
    assert!(output.diagnostics.is_empty());
}

#[test]
fn missing_or_non_directory_tree_is_a_clean_error() {
    let tree = Tree::new();
    let error = Sources::new()
        .ws_tree(tree.path("nope"))
        .read()
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "the ws tree `{0}` does not exist (looked for `{0}`): name the server's handler folder (`core/app/ws`), or correct the path",
            tree.path("nope").display()
        )
    );
    let error = Sources::new()
        .ws_tree(tree.path("core/app/sockets.py"))
        .read()
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "`{}` is not a directory",
            tree.path("core/app/sockets.py").display()
        )
    );
}

#[test]
fn folder_named_like_a_module_is_not_read_as_one() {
    let tree = tree_with("core/app/ws/a/b.py", b"x = 1\n");
    std::fs::create_dir_all(tree.path("core/app/ws/a/c.py")).unwrap();
    let output = tree.read();
    assert_eq!(names(&output), ["a.good"]);
    assert!(output.diagnostics.is_empty(), "{:?}", output.diagnostics);
}
