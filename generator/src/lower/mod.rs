//! lower: `openapiv3::OpenAPI` → [`crate::ir::Api`]. Every naming and typing decision lives here.

pub mod cli;
mod cycles;
mod defaults;
mod extensions;
pub mod naming;
mod operations;
mod schemas;

use crate::error::Result;
use crate::ir::{Api, CratePath};
use openapiv3::OpenAPI;

/// Names the generated code defines next to the spec's types, so schemas cannot take them.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "Client", "Result", "Error", "Option", "Vec", "String", "Box",
];

/// Lowers one document into the IR for the Rust module `module`, whose code calls the runtime
/// crate at `runtime_crate`.
pub fn lower(doc: &OpenAPI, module: &str, runtime_crate: &CratePath) -> Result<Api> {
    let mut types = schemas::TypeBuilder::new(doc, RESERVED_TYPE_NAMES);
    types.lower_components()?;
    let mut lowered = operations::lower_operations(doc, &mut types, &doc.info.version)?;
    // Schema warnings first: the types are lowered before the operations.
    let mut warnings = std::mem::take(&mut types.warnings);
    warnings.append(&mut lowered.warnings);
    let mut defs = types.types;
    cycles::box_cycles(&mut defs)?;
    defaults::mark_defaults(&mut defs);
    defaults::mark_takes_into(&mut defs);
    Ok(Api {
        version: doc.info.version.clone(),
        module: module.to_owned(),
        base_path: base_path(doc),
        title: doc.info.title.clone(),
        runtime_crate: runtime_crate.clone(),
        types: defs.into_values().collect(),
        operations: lowered.operations,
        nodes: lowered.nodes,
        warnings,
    })
}

/// The path part of the first server URL (`https://graph.microsoft.com/v1.0/` → `/v1.0`), or
/// `/<info.version>` when the document names no server.
fn base_path(doc: &OpenAPI) -> String {
    let from_server = doc.servers.first().map(|s| {
        let url = s.url.as_str();
        let after_scheme = url.split_once("://").map(|(_, rest)| rest).unwrap_or(url);
        let path = after_scheme
            .find('/')
            .map(|i| &after_scheme[i..])
            .unwrap_or("");
        path.trim_end_matches('/').to_owned()
    });
    from_server.unwrap_or_else(|| format!("/{}", doc.info.version.trim_matches('/')))
}
