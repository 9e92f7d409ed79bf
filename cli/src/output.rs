//! How an answer is printed: JSON (pretty on a terminal, one line otherwise, so pipes get one
//! record per line) or a compact table.

use crate::escape::escape;
use serde_json::Value;

/// `--output`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Table,
}

/// The text to print for `value`; empty for no content (`null`).
pub fn render(value: &Value, format: Format, terminal: bool) -> String {
    if value.is_null() {
        return String::new();
    }
    match format {
        Format::Json if terminal => serde_json::to_string_pretty(value).unwrap_or_default(),
        Format::Json => value.to_string(),
        Format::Table => table(value),
    }
}

/// An object is `key  value` lines (nested keys joined with `.`); an array of objects is one
/// row per element under a header of every key seen.
fn table(value: &Value) -> String {
    match value {
        Value::Array(items) => {
            let rows: Vec<Vec<(String, String)>> = items.iter().map(flatten).collect();
            let mut columns: Vec<String> = Vec::new();
            for row in &rows {
                for (key, _) in row {
                    if !columns.contains(key) {
                        columns.push(key.clone());
                    }
                }
            }
            // Keys come sorted; the id names the row, so it goes first.
            if let Some(i) = columns.iter().position(|c| c == "id") {
                let id = columns.remove(i);
                columns.insert(0, id);
            }
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|row| {
                    columns
                        .iter()
                        .map(|c| {
                            row.iter()
                                .find(|(k, _)| k == c)
                                .map(|(_, v)| v.clone())
                                .unwrap_or_default()
                        })
                        .collect()
                })
                .collect();
            aligned(&columns, &cells)
        }
        Value::Object(_) => {
            let rows = flatten(value);
            let width = rows
                .iter()
                .map(|(k, _)| k.chars().count())
                .max()
                .unwrap_or(0);
            rows.iter()
                .map(|(k, v)| format!("{k:width$}  {v}").trim_end().to_owned())
                .collect::<Vec<_>>()
                .join("\n")
        }
        other => scalar(other),
    }
}

fn aligned(columns: &[String], cells: &[Vec<String>]) -> String {
    let widths: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            cells
                .iter()
                .map(|r| r[i].chars().count())
                .chain([c.chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |row: &[String]| {
        row.iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell:width$}"))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_owned()
    };
    std::iter::once(line(columns))
        .chain(cells.iter().map(|r| line(r)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Leaf values of `value` keyed by their dotted path; `@odata.*` annotations are left out.
fn flatten(value: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    walk("", value, &mut out);
    out
}

fn walk(prefix: &str, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (key, v) in map {
                if key.starts_with("@odata.") {
                    continue;
                }
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                walk(&escape(&path), v, out);
            }
        }
        Value::Null => {}
        other => out.push((
            if prefix.is_empty() {
                "value".to_owned()
            } else {
                prefix.to_owned()
            },
            scalar(other),
        )),
    }
}

/// A table cell: service text, so control characters are escaped (see `escape`).
fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => escape(s),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_is_one_line_off_a_terminal() {
        let v = json!({"availability": "Busy"});
        assert_eq!(
            render(&v, Format::Json, false),
            r#"{"availability":"Busy"}"#
        );
        assert!(render(&v, Format::Json, true).contains('\n'));
        assert_eq!(render(&Value::Null, Format::Json, false), "");
    }

    #[test]
    fn table_cells_carry_no_raw_control_characters() {
        let v = json!([{"id": "u1", "statusMessage": {"message": {"content": "\u{1b}[31mout\nsick\r"}}}]);
        let text = render(&v, Format::Table, false);
        assert_eq!(text.lines().count(), 2, "{text}");
        assert!(!text.contains('\u{1b}') && !text.contains('\r'), "{text:?}");
        assert!(text.contains("\\u{1b}[31mout\\nsick\\r"), "{text}");
    }

    #[test]
    fn tables_flatten_nested_fields() {
        let v = json!({"id": "u1", "workLocation": {"source": "none"}, "@odata.context": "x"});
        assert_eq!(
            render(&v, Format::Table, false),
            "id                   u1\nworkLocation.source  none"
        );
        let rows = json!([{"id": "u1", "availability": "Busy"}, {"id": "u22"}]);
        assert_eq!(
            render(&rows, Format::Table, false),
            "id   availability\nu1   Busy\nu22"
        );
    }
}
