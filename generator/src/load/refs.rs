//! Every `$ref` of the document resolved once, at load, wherever it sits.
//!
//! `lower` follows only the references it needs, so a dangling one in a place it never looks
//! (an unused `components.responses` entry, a header, an example) used to pass unnoticed.
//! Here the whole document is walked once ([`super::walk`]) and each reference is looked up in
//! the parsed tree: a mapping lookup per pointer token, so the check is linear in the document
//! and never scans the text. Only the first problem is reported, located at the object that
//! holds the `$ref`; the wording matches what `lower` says about the same problems.
//!
//! Path item references are left to `lower`, which refuses them all (unsupported), and literal
//! data (`example`, `default`, `enum`, extensions) is not entered: a `$ref` key there is data.

use super::walk::{self, Kind};
use crate::error::{Error, Result};
use crate::yaml::Value;

/// Checks every reference of `root`; the error names the first one that is remote or dangling.
pub fn check(root: &Value) -> Result<()> {
    walk::objects(root, &mut |node, kind, pointer| {
        if !kind.may_be_reference() || kind == Kind::PathItem {
            return Ok(());
        }
        match node.get("$ref") {
            None => Ok(()),
            Some(Value::String(reference)) => check_one(root, reference, kind, pointer),
            Some(_) => Err(Error::invalid(
                pointer,
                "`$ref` must be a string such as \"#/components/schemas/name\"",
            )),
        }
    })
}

fn check_one(root: &Value, reference: &str, kind: Kind, pointer: &str) -> Result<()> {
    let section = kind.section().unwrap_or("schemas");
    let Some(fragment) = reference.strip_prefix('#') else {
        let hint = if kind == Kind::Schema {
            " (#/components/schemas/...)"
        } else {
            ""
        };
        return Err(Error::unsupported(
            pointer,
            format!(
                "remote $ref {reference:?}: only references inside the document{hint} are supported"
            ),
        ));
    };
    if !fragment.starts_with('/') {
        return Err(Error::invalid(
            pointer,
            format!(
                "$ref {reference:?} is not a JSON pointer; write it as \"#/components/{section}/name\""
            ),
        ));
    }
    if resolve(root, fragment).is_some() {
        return Ok(());
    }
    let message = if fragment.starts_with(&format!("/components/{section}/")) {
        format!(
            "$ref {reference:?} points to a {} that does not exist",
            kind.noun()
        )
    } else {
        format!("$ref {reference:?} does not point into #/components/{section}")
    };
    Err(Error::invalid(pointer, message))
}

/// The node at a JSON pointer (`/a/b~1c`, percent-escapes allowed as in a URI fragment).
pub fn resolve<'a>(root: &'a Value, pointer: &str) -> Option<&'a Value> {
    let mut node = root;
    for raw in pointer.split('/').skip(1) {
        let token = percent_decode(raw)?.replace("~1", "/").replace("~0", "~");
        node = match node {
            Value::Mapping(map) => map.get(token.as_str()).or_else(|| {
                // Unquoted YAML keys such as `200:` are numbers, not strings.
                map.iter()
                    .find(|(k, _)| walk::key_text(k).as_deref() == Some(token.as_str()))
                    .map(|(_, v)| v)
            })?,
            Value::Sequence(items) => items.get(token.parse::<usize>().ok()?)?,
            Value::Tagged(tagged) => return resolve(&tagged.value, pointer),
            _ => return None,
        };
    }
    Some(node)
}

/// `%7B` → `{`; `None` for a malformed escape or bytes that are not UTF-8.
fn percent_decode(token: &str) -> Option<String> {
    if !token.contains('%') {
        return Some(token.to_owned());
    }
    let bytes = token.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = token.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_text(text: &str) -> Result<()> {
        check(&crate::yaml::from_str(text).unwrap())
    }

    const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: v}\npaths: {}\n";

    #[test]
    fn a_dangling_ref_in_an_unused_component_is_found() {
        let err = check_text(&format!(
            "{HEAD}components:\n  responses:\n    r:\n      $ref: '#/components/responses/gone'\n"
        ))
        .unwrap_err();
        assert_eq!(err.location.pointer, "/components/responses/r");
        assert_eq!(
            err.message,
            "$ref \"#/components/responses/gone\" points to a response that does not exist"
        );
    }

    #[test]
    fn every_kind_of_reference_is_looked_up() {
        for (section, noun) in [
            ("headers", "header"),
            ("examples", "example"),
            ("requestBodies", "request body"),
            ("parameters", "parameter"),
        ] {
            let text = format!(
                "{HEAD}components:\n  {section}:\n    a:\n      $ref: '#/components/{section}/b'\n"
            );
            let err = check_text(&text).unwrap_err();
            assert!(err.message.contains(noun), "{err}");
        }
        // A header deep inside a response, and an example inside a media type.
        let text = format!(
            "{HEAD}components:\n  responses:\n    r:\n      description: d\n      headers:\n        h: {{$ref: '#/components/headers/h'}}\n"
        );
        assert_eq!(
            check_text(&text).unwrap_err().location.pointer,
            "/components/responses/r/headers/h"
        );
    }

    #[test]
    fn references_that_resolve_pass_and_data_is_not_a_reference() {
        let text = format!(
            "{HEAD}components:\n  schemas:\n    a:\n      properties:\n        b: {{$ref: '#/components/schemas/a'}}\n        example: {{type: string}}\n      example: {{$ref: nowhere}}\n      x-data: {{$ref: nowhere}}\n"
        );
        assert!(check_text(&text).is_ok());
    }

    #[test]
    fn remote_and_non_pointer_references_are_refused() {
        let text = format!("{HEAD}components:\n  parameters:\n    p: {{$ref: 'other.yaml#/p'}}\n");
        let err = check_text(&text).unwrap_err();
        assert_eq!(err.kind, crate::ErrorKind::Unsupported);
        assert!(
            err.message
                .contains("only references inside the document are supported"),
            "{err}"
        );
        let text = format!("{HEAD}components:\n  schemas:\n    s: {{$ref: '#anchor'}}\n");
        assert!(
            check_text(&text)
                .unwrap_err()
                .message
                .contains("not a JSON pointer")
        );
    }

    #[test]
    fn pointers_decode_escapes_and_numeric_keys() {
        let doc: Value = crate::yaml::from_str(
            "paths:\n  /a/{id}:\n    get:\n      responses:\n        200: {description: ok}\n",
        )
        .unwrap();
        assert!(resolve(&doc, "/paths/~1a~1%7Bid%7D/get/responses/200").is_some());
        assert!(resolve(&doc, "/paths/~1a~1{id}/get/responses/201").is_none());
        assert!(resolve(&doc, "/paths/%zz").is_none());
    }
}
