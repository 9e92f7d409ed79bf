//! Making attacker text safe to log (issue 22 F10): a notification body is unauthenticated
//! until checked, so any string from it (subscription ids, token claims, serde's quotes of
//! the input) could carry a newline that forges a log line or an escape that drives a terminal.

use std::fmt::Write as _;

/// Longest escaped text kept from one field; the rest is counted, not shown.
pub(crate) const MAX_LOGGED_CHARS: usize = 120;

/// `text` with every control, format or line-separating character written as `\u{..}` (and
/// `\` doubled so escapes stay unambiguous), cut after [`MAX_LOGGED_CHARS`] characters.
pub(crate) fn escaped(text: &str) -> String {
    escaped_to(text, MAX_LOGGED_CHARS)
}

/// As [`escaped`], keeping at most `max_chars` characters of the input.
pub(crate) fn escaped_to(text: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max_chars) + 8);
    for (kept, (at, c)) in text.char_indices().enumerate() {
        if kept == max_chars {
            let _ = write!(out, "…(+{} bytes)", text.len() - at);
            break;
        }
        if c == '\\' {
            out.push_str("\\\\");
        } else if unsafe_in_logs(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// C0, DEL and C1 controls (newlines and ESC among them), the Unicode line and paragraph
/// separators, and the invisible format characters that reorder or hide text (bidi overrides).
fn unsafe_in_logs(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200b}'..='\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{2069}'
            | '\u{feff}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_separators_are_escaped() {
        let raw = "a\nb\r\u{1b}[31mred\u{7f}\u{85}\u{2028}\u{202e}\\";
        let out = escaped(raw);
        assert_eq!(
            out,
            "a\\u{a}b\\u{d}\\u{1b}[31mred\\u{7f}\\u{85}\\u{2028}\\u{202e}\\\\"
        );
        assert!(!out.chars().any(unsafe_in_logs), "{out:?}");
    }

    #[test]
    fn long_text_is_cut_and_the_rest_counted() {
        let out = escaped_to(&"é".repeat(10), 4);
        assert_eq!(out, "éééé…(+12 bytes)");
        assert_eq!(escaped_to("short", 5), "short");
        assert_eq!(escaped(""), "");
    }
}
