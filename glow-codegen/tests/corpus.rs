//! The benchmark's Glow-sized server is what it says: its tree and its document read into one
//! manifest with every socket operation paired and nothing to report.

use glow_codegen::sources::Sources;

#[test]
fn the_glow_sized_corpus_reads_clean_with_every_operation_paired()
-> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let corpus = glow_test_support::corpus::write(dir.path(), 1)?;
    assert_eq!(
        (
            corpus.handlers,
            corpus.models,
            corpus.routes,
            corpus.schemas
        ),
        (388, 1_706, 843, 1_442)
    );
    let read = Sources::new()
        .ws_tree(&corpus.ws_tree)
        .openapi(&corpus.openapi)
        .read()?;
    assert!(
        read.diagnostics.is_empty(),
        "{:?}",
        read.diagnostics.first()
    );
    let socket: Vec<_> = read
        .api
        .operations
        .iter()
        .filter(|o| o.event.is_some())
        .collect();
    assert_eq!(socket.len(), 388);
    assert!(
        socket.iter().all(|o| o.http.is_some()),
        "every handler has its twin"
    );
    assert_eq!(read.api.operations.len(), 843);
    assert!(
        !read.api.types.keys().any(|name| name.starts_with("Ws")),
        "the socket and HTTP sides of each model are one type"
    );
    // The pushes come through the shared helper's f-strings.
    let first = socket[0];
    let events: Vec<&str> = first
        .pushes
        .iter()
        .flatten()
        .map(|p| p.event.as_str())
        .collect();
    let name = &first.name;
    assert_eq!(
        events,
        [
            format!("{name}.completed"),
            format!("{name}.failed"),
            format!("{name}.started")
        ]
    );
    Ok(())
}
