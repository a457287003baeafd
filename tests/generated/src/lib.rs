//! The fixture manifest's bindings, three times: the checked-in `generated/glow.rs` (the CLI
//! door), the build.rs builder's output, and the `bindings!` macro's expansion.

/// `generated/glow.rs`, as `glow-codegen generate` wrote it.
pub mod cli {
    include!("../../../generated/glow.rs");
}

/// The build.rs builder's output.
pub mod built {
    include!(concat!(env!("OUT_DIR"), "/glow.rs"));
}

/// The proc-macro's expansion.
pub mod macro_door {
    glow_macros::bindings!("../../manifests/glow.yaml");
}

/// A client of two operations: the macro with `only`, and the types those reach.
pub mod persona_only {
    glow_macros::bindings!(
        "../../manifests/glow.yaml",
        only = ["persona.search", "persona.create"]
    );
}

/// The Glovebox protocol (`manifests/glovebox.yaml`), expanded by the proc-macro.
pub mod glovebox {
    glow_macros::bindings!("../../manifests/glovebox.yaml");
}

/// One type per mapping rule (`manifests/rules.yaml`).
pub mod rules {
    glow_macros::bindings!("manifests/rules.yaml");
}
