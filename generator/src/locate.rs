//! Finds the line of a JSON pointer in block-style YAML text.
//!
//! The YAML parser keeps no positions once a document is deserialized, so errors found later
//! (a dangling `$ref`, a name collision) are located by walking the text along the pointer. The
//! walk follows indentation, which covers the block style every published OpenAPI document
//! uses; flow-style nodes (JSON documents, `{a: b}` values) are followed by [`flow`]. When a
//! step cannot be followed it returns the deepest line it reached.

mod flow;

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// 1-based line and column of the node at `pointer` (the column of its key, or of the `-` of a
/// sequence item), or `None` for the whole document. To locate many pointers in one document,
/// make one [`Locator`]: this indexes the text anew on every call.
pub fn position_of_pointer(source: &str, pointer: &str) -> Option<(usize, usize)> {
    Locator::new(source).position(pointer)
}

/// Locates pointers in one document in time linear in the document overall: the lines are
/// split once, and each block node's entries are indexed by key the first time a walk passes
/// through it, so a thousand warnings under `/paths` scan `/paths` once, not a thousand times.
pub struct Locator<'s> {
    source: &'s str,
    lines: Vec<&'s str>,
    line_starts: Vec<usize>,
    children: RefCell<HashMap<Node, Rc<Children>>>,
    /// The value node of each entry walked through (its key's line and column), since finding
    /// where a block ends scans it.
    values: RefCell<HashMap<(usize, usize), Option<Node>>>,
}

/// The entries of one block node, indexed.
struct Children {
    /// Mapping keys: the first entry with each key (line, column).
    keys: HashMap<String, (usize, usize)>,
    /// Sequence items (line, column of the `-`), in order.
    items: Vec<(usize, usize)>,
}

impl<'s> Locator<'s> {
    /// Indexes the lines of `source`.
    pub fn new(source: &'s str) -> Self {
        Locator {
            source,
            lines: source.lines().collect(),
            line_starts: line_starts(source),
            children: RefCell::new(HashMap::new()),
            values: RefCell::new(HashMap::new()),
        }
    }

    /// 1-based line and column of the node at `pointer`; see [`position_of_pointer`].
    pub fn position(&self, pointer: &str) -> Option<(usize, usize)> {
        if pointer.is_empty() {
            return None;
        }
        let lines = &self.lines;
        let mut node = Node {
            line: 0,
            column: 0,
            end: lines.len(),
        };
        let tokens: Vec<String> = pointer
            .split('/')
            .skip(1)
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
            .collect();
        let mut found = None;
        for (index, token) in tokens.iter().enumerate() {
            // JSON, or a YAML `{...}`/`[...]` value: the rest of the walk is in flow style.
            if let Some(start) = flow_start(lines, &self.line_starts, node) {
                if let Some(offset) = flow::find(self.source, start, &tokens[index..]) {
                    found = Some(line_and_column(&self.line_starts, offset));
                }
                break;
            }
            match self.step(node, token) {
                Some((line, column, child)) => {
                    found = Some((line + 1, column + 1));
                    node = child;
                }
                None => break,
            }
        }
        found
    }

    fn children(&self, node: Node) -> Rc<Children> {
        if let Some(children) = self.children.borrow().get(&node) {
            return Rc::clone(children);
        }
        let mut keys = HashMap::new();
        let mut items = Vec::new();
        for (l, c) in entries(&self.lines, node) {
            let text = &self.lines[l][c..];
            if text.starts_with('-') {
                items.push((l, c));
            }
            if let Some(key) = key_of(text) {
                keys.entry(key.to_owned()).or_insert((l, c));
            }
        }
        let children = Rc::new(Children { keys, items });
        self.children
            .borrow_mut()
            .insert(node, Rc::clone(&children));
        children
    }

    /// The entry for `token` inside `node`: (its line, its column, the node of its value).
    fn step(&self, node: Node, token: &str) -> Option<(usize, usize, Node)> {
        let lines = &self.lines;
        let children = self.children(node);
        if let Ok(index) = token.parse::<usize>()
            && !children.items.is_empty()
        {
            let (l, c) = *children.items.get(index)?;
            let child = self.value(l, c, || {
                // The item's own content starts after "- ".
                let rest = &lines[l][c + 1..];
                let pad = rest.len() - rest.trim_start().len();
                Some(Node {
                    line: l,
                    column: c + 1 + pad,
                    end: block_end(lines, l, c),
                })
            })?;
            return Some((l, c, child));
        }
        let (line, col) = *children.keys.get(token)?;
        let child = self.value(line, col, || value_node(lines, line, col))?;
        Some((line, col, child))
    }

    /// The value node of the entry at (`line`, `col`), computed once.
    fn value(&self, line: usize, col: usize, find: impl FnOnce() -> Option<Node>) -> Option<Node> {
        if let Some(node) = self.values.borrow().get(&(line, col)) {
            return *node;
        }
        let node = find();
        self.values.borrow_mut().insert((line, col), node);
        node
    }
}

/// Byte offset where each line starts.
fn line_starts(source: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(source.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

/// 1-based (line, column) of a byte offset.
fn line_and_column(line_starts: &[usize], offset: usize) -> (usize, usize) {
    let line = line_starts
        .partition_point(|&s| s <= offset)
        .saturating_sub(1);
    (line + 1, offset - line_starts[line] + 1)
}

/// The byte offset of the `{` or `[` that opens `node`, when the node is in flow style.
fn flow_start(lines: &[&str], line_starts: &[usize], node: Node) -> Option<usize> {
    let line = (node.line..node.end.min(lines.len())).find(|&i| !is_blank(lines[i]))?;
    let column = if line == node.line {
        node.column
    } else {
        indent(lines[line])
    };
    let text = lines[line].get(column..)?;
    let pad = text.len() - text.trim_start().len();
    text.trim_start()
        .starts_with(['{', '['])
        .then(|| line_starts[line] + column + pad)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Node {
    /// First line of the node (0-based).
    line: usize,
    /// Column where the node's content starts on its first line.
    column: usize,
    /// One past the last line that can belong to the node.
    end: usize,
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_blank(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

/// Entries of a block node: (line, column where the entry's text starts).
fn entries(lines: &[&str], node: Node) -> Vec<(usize, usize)> {
    let mut out = vec![];
    for (i, line) in lines.iter().enumerate().take(node.end).skip(node.line) {
        if is_blank(line) {
            continue;
        }
        let col = if i == node.line {
            node.column
        } else {
            indent(line)
        };
        if i != node.line && col < node.column {
            break;
        }
        if col == node.column {
            out.push((i, col));
        }
    }
    out
}

fn key_of(text: &str) -> Option<&str> {
    let text = text.trim_start_matches("? ");
    let (key, _) = if let Some(rest) = text.strip_prefix('"') {
        (rest.split('"').next()?, ())
    } else if let Some(rest) = text.strip_prefix('\'') {
        (rest.split('\'').next()?, ())
    } else {
        (text.split(':').next()?.trim_end(), ())
    };
    Some(key)
}

/// The node of the value of the key at (`line`, `col`): on the same line, or the indented
/// block below.
fn value_node(lines: &[&str], line: usize, col: usize) -> Option<Node> {
    let text = &lines[line][col..];
    let after_colon = text
        .find(':')
        .map(|p| col + p + 1)
        .unwrap_or(lines[line].len());
    let inline = lines[line][after_colon..].trim();
    if !inline.is_empty()
        && !inline.starts_with('#')
        && !inline.starts_with('|')
        && !inline.starts_with('>')
    {
        Some(Node {
            line,
            column: after_colon
                + (lines[line][after_colon..].len()
                    - lines[line][after_colon..].trim_start().len()),
            end: line + 1,
        })
    } else {
        let next = (line + 1..lines.len()).find(|&i| !is_blank(lines[i]))?;
        Some(Node {
            line: next,
            column: indent(lines[next]),
            end: block_end(lines, line, col),
        })
    }
}

/// End of the block that starts at `line`, whose key sits at `column`: the first later line
/// indented at or left of `column` (a sequence dash at the same column still belongs to it).
fn block_end(lines: &[&str], line: usize, column: usize) -> usize {
    (line + 1..lines.len())
        .find(|&i| {
            let l = lines[i];
            !is_blank(l)
                && (indent(l) < column || (indent(l) == column && !l[column..].starts_with('-')))
        })
        .unwrap_or(lines.len())
}

#[cfg(test)]
mod tests {
    fn line_of_pointer(source: &str, pointer: &str) -> Option<usize> {
        super::position_of_pointer(source, pointer).map(|(line, _)| line)
    }

    const DOC: &str = "openapi: 3.0.3
paths:
  /me/presence:
    get:
      operationId: me_GetPresence
      responses:
        '200':
          description: ok
components:
  schemas:
    a:
      type: object
      required:
        - x
        - y
      properties:
        x: {type: string}
";

    #[test]
    fn finds_nested_keys_and_quoted_keys() {
        assert_eq!(line_of_pointer(DOC, "/paths/~1me~1presence/get"), Some(4));
        assert_eq!(
            line_of_pointer(DOC, "/paths/~1me~1presence/get/responses/200"),
            Some(7)
        );
        assert_eq!(
            line_of_pointer(DOC, "/components/schemas/a/properties/x"),
            Some(17)
        );
    }

    #[test]
    fn follows_json_and_flow_values() {
        let json = "{\n  \"paths\": {\n    \"/me\": {\"get\": {}}\n  }\n}\n";
        assert_eq!(
            super::position_of_pointer(json, "/paths/~1me/get"),
            Some((3, 13))
        );
        let flow = "paths:\n  /a: {get: {operationId: x}}\n  /b: [1, {c: d}]\n";
        assert_eq!(
            super::position_of_pointer(flow, "/paths/~1a/get/operationId"),
            Some((2, 14))
        );
        assert_eq!(
            super::position_of_pointer(flow, "/paths/~1b/1/c"),
            Some((3, 12))
        );
    }

    #[test]
    fn reports_the_column_of_the_key() {
        assert_eq!(
            super::position_of_pointer(DOC, "/components/schemas/a/properties/x"),
            Some((17, 9))
        );
        assert_eq!(
            super::position_of_pointer(DOC, "/components/schemas/a/required/1"),
            Some((15, 9))
        );
    }

    #[test]
    fn one_locator_answers_like_fresh_walks() {
        let locator = super::Locator::new(DOC);
        let pointers = [
            "/paths/~1me~1presence/get",
            "/components/schemas/a/required/1",
            "/paths/~1me~1presence/get/responses/200",
            "/components/schemas/missing",
            "/components/schemas/a/properties/x",
            "/paths/~1me~1presence/get",
        ];
        for pointer in pointers {
            assert_eq!(
                locator.position(pointer),
                super::position_of_pointer(DOC, pointer),
                "{pointer}"
            );
        }
        assert_eq!(locator.position("/paths/~1me~1presence/get"), Some((4, 5)));
    }

    #[test]
    fn finds_sequence_items() {
        assert_eq!(
            line_of_pointer(DOC, "/components/schemas/a/required/1"),
            Some(15)
        );
    }

    #[test]
    fn stops_at_the_deepest_known_node() {
        assert_eq!(
            line_of_pointer(DOC, "/components/schemas/missing"),
            Some(10)
        );
        assert_eq!(line_of_pointer(DOC, ""), None);
    }
}
