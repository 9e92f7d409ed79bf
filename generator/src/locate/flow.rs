//! Follows a JSON pointer through flow-style text: JSON documents, and YAML's `{a: b}` and
//! `[a, b]` inside block documents.
//!
//! A small scanner, not a parser: it knows quoted strings (so brackets and commas inside them
//! do not count), nesting, and `key: value` pairs, which is all a pointer walk needs. Malformed
//! text never reaches it, because locating happens only after the document has parsed.

/// Byte offset of the deepest key or item along `tokens`, starting at the `{` or `[` at
/// `start`; `None` when even the first token is not found.
pub fn find(src: &str, start: usize, tokens: &[String]) -> Option<usize> {
    let bytes = src.as_bytes();
    let mut at = start;
    let mut found = None;
    for token in tokens {
        let step = match bytes.get(at) {
            Some(b'{') => find_key(src, at + 1, token),
            Some(b'[') => token.parse().ok().and_then(|i| find_item(src, at + 1, i)),
            _ => None,
        };
        let Some((entry, value)) = step else {
            break;
        };
        found = Some(entry);
        at = value;
    }
    found
}

fn skip_space(bytes: &[u8], mut at: usize) -> usize {
    while at < bytes.len() {
        match bytes[at] {
            b' ' | b'\t' | b'\r' | b'\n' => at += 1,
            b'#' => {
                while at < bytes.len() && bytes[at] != b'\n' {
                    at += 1;
                }
            }
            _ => break,
        }
    }
    at
}

/// End of a quoted string starting at `at` (one past the closing quote).
fn skip_quoted(bytes: &[u8], at: usize) -> usize {
    let quote = bytes[at];
    let mut i = at + 1;
    while i < bytes.len() {
        if quote == b'"' && bytes[i] == b'\\' {
            i += 2;
            continue;
        }
        if bytes[i] == quote {
            // YAML escapes a single quote by doubling it.
            if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    bytes.len()
}

/// End of the value starting at `at`: a nested collection, a quoted string or a plain scalar.
fn skip_value(bytes: &[u8], at: usize) -> usize {
    let mut depth = 0usize;
    let mut i = at;
    while i < bytes.len() {
        match bytes[i] {
            b'"' | b'\'' => {
                i = skip_quoted(bytes, i);
                if depth == 0 {
                    return i;
                }
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                if depth == 0 {
                    return i;
                }
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            b',' if depth == 0 => return i,
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// The text of a key at `at` and the offset after it.
fn read_key(src: &str, at: usize) -> (String, usize) {
    let bytes = src.as_bytes();
    if matches!(bytes.get(at), Some(b'"' | b'\'')) {
        let end = skip_quoted(bytes, at);
        let inner = &src[at + 1..end.saturating_sub(1).max(at + 1)];
        let text = if bytes[at] == b'"' {
            serde_json::from_str::<String>(&src[at..end]).unwrap_or_else(|_| inner.to_owned())
        } else {
            inner.replace("''", "'")
        };
        return (text, end);
    }
    let mut end = at;
    while end < bytes.len() {
        let b = bytes[end];
        if b == b',' || b == b'}' || b == b']' {
            break;
        }
        if b == b':' && matches!(bytes.get(end + 1), None | Some(b' ' | b'\n' | b'\r' | b',')) {
            break;
        }
        end += 1;
    }
    (src[at..end].trim_end().to_owned(), end)
}

/// (offset of the key, offset of its value) for `token` in the mapping whose body starts at
/// `at`.
fn find_key(src: &str, mut at: usize, token: &str) -> Option<(usize, usize)> {
    let bytes = src.as_bytes();
    loop {
        at = skip_space(bytes, at);
        match bytes.get(at)? {
            b'}' => return None,
            b',' => {
                at += 1;
                continue;
            }
            _ => {}
        }
        let key_at = at;
        let (key, after) = read_key(src, at);
        at = skip_space(bytes, after);
        if bytes.get(at) == Some(&b':') {
            at = skip_space(bytes, at + 1);
        }
        if key == token {
            return Some((key_at, at));
        }
        if at == key_at {
            return None;
        }
        at = skip_value(bytes, at);
    }
}

/// (offset of the item, offset of its value) for item `index` of the sequence whose body
/// starts at `at`.
fn find_item(src: &str, mut at: usize, index: usize) -> Option<(usize, usize)> {
    let bytes = src.as_bytes();
    let mut current = 0;
    loop {
        at = skip_space(bytes, at);
        match bytes.get(at)? {
            b']' => return None,
            b',' => {
                at += 1;
                continue;
            }
            _ => {}
        }
        if current == index {
            return Some((at, at));
        }
        let before = at;
        at = skip_value(bytes, at);
        if at == before {
            return None;
        }
        current += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::find;

    fn tokens(pointer: &str) -> Vec<String> {
        pointer
            .split('/')
            .skip(1)
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
            .collect()
    }

    #[test]
    fn walks_json_objects_and_arrays() {
        let src = r#"{"a": {"b,}": 1, "c": [10, {"d": "x}"}, 30]}, "e": 2}"#;
        let at = |p: &str| find(src, 0, &tokens(p)).map(|o| &src[o..o + 3]);
        assert_eq!(at("/a/c/1/d"), Some("\"d\""));
        assert_eq!(at("/a/c/2"), Some("30]"));
        assert_eq!(at("/e"), Some("\"e\""));
        assert_eq!(at("/a/missing"), Some("\"a\""));
        assert_eq!(at("/zzz"), None);
    }

    #[test]
    fn walks_yaml_flow_with_plain_keys() {
        let src = "{get: {operationId: same, responses: {'204': {description: ok}}}}";
        let o = find(src, 0, &tokens("/get/responses/204/description")).unwrap();
        assert!(src[o..].starts_with("description"));
    }
}
