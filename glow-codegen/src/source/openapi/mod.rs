//! OpenAPI 3.0 and 3.1 (JSON or YAML) as a source: every path and method becomes an HTTP
//! operation, every component schema a type (FastAPI's `X-Input` and `X-Output` one type `X`
//! where they are equal).

mod document;
pub mod json;
mod operations;
pub mod schema;

use std::path::Path;

pub use document::{Document, OpenApiError};

use super::{Origin, SourceOutput};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{Api, Auth};

/// Reads the OpenAPI document at `path`.
pub fn read_openapi(path: &Path) -> Result<SourceOutput, OpenApiError> {
    let mut output = read_document(&Document::load(path)?);
    output.files = vec![path.to_path_buf()];
    Ok(output)
}

/// Converts a loaded document.
pub fn read_document(doc: &Document) -> SourceOutput {
    let mut schemas = schema::Schemas::new(doc);
    schemas.convert_components();
    let (operations, mut diagnostics) = operations::read_operations(doc, &mut schemas);
    schemas.finish();
    diagnostics.append(&mut schemas.diagnostics);
    for duplicate in &doc.duplicate_keys() {
        diagnostics.push(Diagnostic::error(
            Code::DuplicateKey,
            doc.display.clone(),
            doc.locate_key(&duplicate.key),
            format!(
                "the object at `#{}` has the key `{}` twice; the last is read",
                duplicate.object, duplicate.key
            ),
        ));
    }
    diagnostics.sort();
    diagnostics.dedup();
    let one_model = schemas.one_model_renames();
    let mut api = Api {
        operations,
        protocols: Vec::new(),
        types: schemas.types,
        auth: Auth {
            socket: None,
            http: operations::security_schemes(doc),
        },
    };
    api.rename_types(&one_model);
    api.normalize();
    let origins = api
        .operations
        .iter()
        .filter_map(|operation| {
            let route = operation.http.as_ref()?;
            let origin = Origin {
                path: doc.display.clone(),
                at: doc.locate_key(&route.path),
            };
            Some((operation.name.clone(), origin))
        })
        .collect();
    SourceOutput {
        api,
        diagnostics,
        origins,
        files: Vec::new(),
    }
}
