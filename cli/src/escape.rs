//! Text from the service (a status message, an error description) printed in a table or an
//! error report: control characters are shown escaped, so a value cannot move the cursor,
//! recolour the terminal or forge extra lines (issue 22). JSON output needs none of this: its
//! encoder escapes them already.

use std::fmt::Write as _;

/// `text` with every control character (C0, DEL, C1: ESC, CR, newline, tab, ...) written as
/// `\n`, `\r`, `\t` or `\u{..}`; a backslash is doubled so the result reads one way only.
pub fn escape(text: &str) -> String {
    if !text.chars().any(|c| c.is_control() || c == '\\') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_not_sent() {
        let hostile = "\u{1b}[31mred\u{1b}[0m\r\nforged line\tand\u{9b}c1";
        let shown = escape(hostile);
        assert!(!shown.chars().any(char::is_control), "{shown:?}");
        assert_eq!(
            shown,
            "\\u{1b}[31mred\\u{1b}[0m\\r\\nforged line\\tand\\u{9b}c1"
        );
        assert_eq!(escape("Busy, InACall: ünïcode"), "Busy, InACall: ünïcode");
        assert_eq!(escape("a\\nb"), "a\\\\nb");
    }
}
