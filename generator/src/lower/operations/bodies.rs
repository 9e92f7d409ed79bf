//! Request bodies and responses: which media type is used and which response is success.

use super::params::local_ref;
use crate::error::{Error, Result, pointer_join};
use crate::ir::TypeRef;
use crate::ir::{BodyEncoding, RequestBody, Success, SuccessBody, Warning};
use crate::lower::schemas::{Context, TypeBuilder, is_empty_object};
use indexmap::IndexMap;
use openapiv3::{OpenAPI, ReferenceOr, RequestBody as OaBody, Response, Schema, StatusCode};

/// What names and documents an operation's body types: "The request body of `setPresence`:
/// <summary>", named `SetPresenceRequest`.
pub(super) struct BodyNames<'s> {
    /// PascalCase stem of the operation's type names (`SetPresence`).
    pub stem: &'s str,
    /// The action as the API names it (`setPresence`).
    pub action: &'s str,
    pub summary: Option<&'s str>,
}

impl BodyNames<'_> {
    fn context(&self, direction: &str) -> Context {
        Context::body(self.stem, direction, self.action, self.summary)
    }
}

/// An inline object schema with no properties and no `additionalProperties`: the only value it
/// allows to mean anything is `{}`, so the caller should not have to build one.
fn is_always_empty(schema: &ReferenceOr<Schema>) -> bool {
    matches!(schema, ReferenceOr::Item(s) if is_empty_object(s))
}

pub(super) fn lower_body(
    doc: &OpenAPI,
    types: &mut TypeBuilder<'_>,
    body: &ReferenceOr<OaBody>,
    pointer: &str,
    names: &BodyNames<'_>,
) -> Result<RequestBody> {
    let body = match body {
        ReferenceOr::Item(b) => b,
        ReferenceOr::Reference { reference } => {
            let key = local_ref(reference, "#/components/requestBodies/", pointer)?;
            match doc
                .components
                .as_ref()
                .and_then(|c| c.request_bodies.get(key))
            {
                Some(ReferenceOr::Item(b)) => b,
                Some(ReferenceOr::Reference { .. }) => {
                    return Err(Error::unsupported(
                        pointer,
                        "a requestBody $ref that points to another $ref",
                    ));
                }
                None => {
                    return Err(Error::invalid(
                        pointer,
                        format!("$ref {reference:?} points to a request body that does not exist"),
                    ));
                }
            }
        }
    };
    let content_ptr = pointer_join(pointer, "content");
    let (media, encoding) = pick_media(&body.content).ok_or_else(|| {
        let types: Vec<&str> = body.content.keys().map(String::as_str).collect();
        if types.is_empty() {
            Error::invalid(&content_ptr, "request body has no content")
        } else {
            Error::unsupported(&content_ptr, format!("request body media type(s) {types:?}; supported: JSON, text/plain, application/octet-stream"))
        }
    })?;
    let media_ptr = pointer_join(&content_ptr, media);
    let (ty, encoding) = match (encoding, &body.content[media].schema) {
        (Media::Json, Some(schema)) if is_always_empty(schema) => {
            (TypeRef::Json, BodyEncoding::EmptyObject)
        }
        (Media::Json, Some(schema)) => {
            let at = pointer_join(&media_ptr, "schema");
            let ty = types.body_type(schema, &at, &names.context("request"))?;
            (ty, BodyEncoding::Json)
        }
        (Media::Json, None) => (TypeRef::Json, BodyEncoding::Json),
        (Media::Text, _) => (TypeRef::String, BodyEncoding::Text),
        (Media::Binary, _) => (TypeRef::Bytes, BodyEncoding::Binary),
    };
    Ok(RequestBody {
        ty,
        docs: body.description.clone(),
        encoding,
    })
}

/// How a media type is read or written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Media {
    Json,
    Text,
    Binary,
}

/// The media type to use: JSON first, then text, then raw bytes; form and multipart bodies are
/// not supported (and reported as such by the caller).
fn pick_media(content: &IndexMap<String, openapiv3::MediaType>) -> Option<(&str, Media)> {
    let find = |pred: &dyn Fn(&str) -> bool| {
        content
            .keys()
            .find(|k| pred(&k.to_ascii_lowercase()))
            .map(String::as_str)
    };
    if let Some(k) = find(&|k| {
        k == "application/json"
            || k.starts_with("application/json;")
            || k.ends_with("+json")
            || k == "*/*"
    }) {
        return Some((k, Media::Json));
    }
    if let Some(k) = find(&|k| k.starts_with("text/")) {
        return Some((k, Media::Text));
    }
    if let Some(k) = find(&|k| {
        k == "application/octet-stream"
            || k.starts_with("image/")
            || k.starts_with("video/")
            || k.starts_with("audio/")
    }) {
        return Some((k, Media::Binary));
    }
    None
}

pub(super) fn lower_responses(
    doc: &OpenAPI,
    types: &mut TypeBuilder<'_>,
    op: &openapiv3::Operation,
    pointer: &str,
    names: &BodyNames<'_>,
) -> Result<(Success, Vec<String>)> {
    let responses_ptr = pointer_join(pointer, "responses");
    let mut statuses = Vec::new();
    let mut body = SuccessBody::Empty;
    let mut errors = Vec::new();
    for (code, response) in &op.responses.responses {
        let key = code.to_string();
        let at = pointer_join(&responses_ptr, &key);
        let is_success = match code {
            StatusCode::Code(c) => (200..300).contains(c),
            StatusCode::Range(r) => *r == 2,
        };
        if !is_success {
            let is_error = match code {
                StatusCode::Code(c) => *c >= 400,
                StatusCode::Range(r) => *r >= 4,
            };
            if is_error {
                errors.push(key);
            }
            continue;
        }
        statuses.push(key);
        let response = resolve_response(doc, response, &at)?;
        if body == SuccessBody::Empty && !response.content.is_empty() {
            body = response_body(types, response, &pointer_join(&at, "content"), names)?;
        }
    }
    if op.responses.default.is_some() {
        errors.push("default".to_owned());
    }
    if statuses.is_empty()
        && let Some(default) = &op.responses.default
    {
        // Only a `default` response: it stands for success too, but its schema is usually the
        // error's, so a body it documents is returned untyped (bytes, as below).
        let at = pointer_join(&responses_ptr, "default");
        let response = resolve_response(doc, default, &at)?;
        statuses.push("2XX".to_owned());
        if !response.content.is_empty() {
            types.warnings.push(Warning {
                pointer: at,
                message: "only a `default` response is documented: any 2XX is success and the method returns the body as bytes".to_owned(),
                also_at: None,
            });
            body = SuccessBody::Binary;
        }
    }
    if statuses.is_empty() {
        // `responses: {}` (or only 1XX/3XX/error statuses): nothing says what success returns.
        // The method returns the body's bytes: a JSON value would fail on an empty or non-JSON
        // body, and bytes are what arrived, whatever the service sends.
        types.warnings.push(Warning {
            pointer: responses_ptr.clone(),
            message: "no success (2XX) or `default` response is documented: any 2XX is success and the method returns the body as bytes".to_owned(),
            also_at: None,
        });
        statuses.push("2XX".to_owned());
        body = SuccessBody::Binary;
    }
    Ok((Success { statuses, body }, errors))
}

pub(super) fn resolve_response<'a>(
    doc: &'a OpenAPI,
    response: &'a ReferenceOr<Response>,
    at: &str,
) -> Result<&'a Response> {
    match response {
        ReferenceOr::Item(r) => Ok(r),
        ReferenceOr::Reference { reference } => {
            let key = local_ref(reference, "#/components/responses/", at)?;
            match doc.components.as_ref().and_then(|c| c.responses.get(key)) {
                Some(ReferenceOr::Item(r)) => Ok(r),
                Some(ReferenceOr::Reference { .. }) => Err(Error::unsupported(
                    at,
                    "a response $ref that points to another $ref",
                )),
                None => Err(Error::invalid(
                    at,
                    format!("$ref {reference:?} points to a response that does not exist"),
                )),
            }
        }
    }
}

pub(super) fn response_body(
    types: &mut TypeBuilder<'_>,
    response: &Response,
    content_ptr: &str,
    names: &BodyNames<'_>,
) -> Result<SuccessBody> {
    let Some((media, encoding)) = pick_media(&response.content) else {
        return Ok(SuccessBody::Binary);
    };
    Ok(match encoding {
        Media::Json => match &response.content[media].schema {
            Some(schema) => {
                let at = pointer_join(&pointer_join(content_ptr, media), "schema");
                SuccessBody::Json(types.body_type(schema, &at, &names.context("response"))?)
            }
            None => SuccessBody::Json(TypeRef::Json),
        },
        Media::Text => match &response.content[media].schema {
            Some(schema) if types.is_integer(schema) => SuccessBody::Integer,
            _ => SuccessBody::Text,
        },
        Media::Binary => SuccessBody::Binary,
    })
}

#[cfg(test)]
mod tests {
    use crate::ir::{BodyEncoding, TypeRef};

    /// One POST operation whose JSON request body is `schema` (YAML), lowered.
    fn body_of(schema: &str) -> crate::ir::RequestBody {
        let text = format!(
            "openapi: 3.0.1
info: {{title: t, version: v1.0}}
paths:
  /me/presence/clearIt:
    post:
      operationId: me.presence.clearIt
      summary: Clear it
      requestBody:
        content:
          application/json:
            schema: {schema}
      responses:
        '204': {{description: done}}
"
        );
        let doc: openapiv3::OpenAPI = crate::yaml::from_str(&text).expect("test document parses");
        let api = crate::lower::lower(&doc, "v1_0", &crate::ir::CratePath::parse("crate").unwrap())
            .expect("lowers");
        api.operations[0].body.clone().expect("has a body")
    }

    #[test]
    fn an_always_empty_object_takes_no_argument_and_names_no_type() {
        let body = body_of("{type: object}");
        assert_eq!(body.encoding, BodyEncoding::EmptyObject);
        assert_eq!(body.ty, TypeRef::Json);
    }

    #[test]
    fn an_object_with_properties_or_a_map_is_a_body_the_caller_builds() {
        let body = body_of("{type: object, properties: {sessionId: {type: string}}}");
        assert_eq!(body.encoding, BodyEncoding::Json);
        // Its name comes from the operation's naming, which is not this rule's business.
        assert!(matches!(body.ty, TypeRef::Named(_)), "{:?}", body.ty);
        let map = body_of("{type: object, additionalProperties: {type: string}}");
        assert_eq!(map.encoding, BodyEncoding::Json);
    }

    /// One GET operation whose `responses` is `responses` (YAML), lowered: its success and
    /// the warnings.
    fn success_of(responses: &str) -> (crate::ir::Success, Vec<String>) {
        let text = format!(
            "openapi: 3.0.1\ninfo: {{title: t, version: v1.0}}\npaths:\n  /me/report:\n    get:\n      operationId: me.report\n      responses: {responses}\n"
        );
        let doc: openapiv3::OpenAPI = crate::yaml::from_str(&text).expect("test document parses");
        let api = crate::lower::lower(&doc, "v1_0", &crate::ir::CratePath::parse("crate").unwrap())
            .expect("lowers");
        let warnings = api.warnings.iter().map(|w| w.pointer.clone()).collect();
        (api.operations[0].success.clone(), warnings)
    }

    #[test]
    fn loose_responses_return_bytes_with_a_warning_and_no_content_returns_unit() {
        use crate::ir::SuccessBody;
        let (none, warned) = success_of("{}");
        assert_eq!(
            (none.statuses, none.body),
            (vec!["2XX".to_owned()], SuccessBody::Binary)
        );
        assert_eq!(warned, ["/paths/~1me~1report/get/responses"]);
        let (default, warned) = success_of(
            "{default: {description: d, content: {application/json: {schema: {type: string}}}}}",
        );
        assert_eq!(default.body, SuccessBody::Binary);
        assert_eq!(warned, ["/paths/~1me~1report/get/responses/default"]);
        let (empty, warned) = success_of("{'204': {description: done}}");
        assert_eq!(empty.body, SuccessBody::Empty);
        assert!(warned.is_empty());
        let (empty_default, warned) = success_of("{default: {description: done}}");
        assert_eq!(empty_default.body, SuccessBody::Empty);
        assert!(warned.is_empty());
    }
}
