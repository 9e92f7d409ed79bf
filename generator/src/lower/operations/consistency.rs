//! `x-msgraph-consistency-level`: which calls send `ConsistencyLevel: eventual`.
//!
//! Graph answers the advanced queries of directory objects (`$count`, `$search`, `$filter`
//! with `endsWith` or `ne`, ...) only when the request says it accepts eventual consistency,
//! and answers 400 `Request_UnsupportedQuery` otherwise. Microsoft's documents do not say which
//! operations or parameters those are, so an overlay marks them:
//! - on an operation: every call of it sends the header;
//! - on a query or header parameter: a call sends it when that parameter is given.
//!
//! The runtime knows nothing of this: the decision is the spec's, made here, and the emitted
//! method adds the header like any other.

use crate::error::{Error, Result, pointer_join};
use crate::ir::{FixedHeader, Param};
use indexmap::IndexMap;
use openapiv3::Parameter;
use serde_json::Value;

/// The extension's key, on an operation or a parameter.
pub const CONSISTENCY_LEVEL: &str = "x-msgraph-consistency-level";

/// The header it sends.
const HEADER: &str = "ConsistencyLevel";

/// The one level Graph documents.
const EVENTUAL: &str = "eventual";

/// The headers an operation sends because of the extension: at most one, `ConsistencyLevel`,
/// sent always (an operation-level mark or a required marked parameter) or when one of the
/// marked parameters is given. `params` are the lowered `raw` parameters, in the same order.
pub(super) fn fixed_headers(
    op_extensions: &IndexMap<String, Value>,
    op_pointer: &str,
    raw: &[(&Parameter, String)],
    params: &[Param],
) -> Result<Vec<FixedHeader>> {
    let always = level(op_extensions, op_pointer)?.is_some();
    let mut when_set = Vec::new();
    let mut required_marked = false;
    for ((param, at), lowered) in raw.iter().zip(params) {
        if level(&param.parameter_data_ref().extensions, at)?.is_some() {
            if lowered.required {
                required_marked = true;
            } else {
                when_set.push(lowered.name.clone());
            }
        }
    }
    if always || required_marked {
        when_set.clear();
    } else if when_set.is_empty() {
        return Ok(Vec::new());
    }
    Ok(vec![FixedHeader {
        name: HEADER.to_owned(),
        value: EVENTUAL.to_owned(),
        when_set,
    }])
}

/// The level the extension asks for at `pointer`, refusing anything but `eventual` so a typo
/// does not silently drop the header (and every advanced query with it).
fn level<'v>(extensions: &'v IndexMap<String, Value>, pointer: &str) -> Result<Option<&'v str>> {
    match extensions.get(CONSISTENCY_LEVEL) {
        None => Ok(None),
        Some(Value::String(level)) if level == EVENTUAL => Ok(Some(level)),
        Some(other) => Err(Error::invalid(
            pointer_join(pointer, CONSISTENCY_LEVEL),
            format!(
                "must be the string {EVENTUAL:?} (the only level Graph documents), not {other}"
            ),
        )),
    }
}
