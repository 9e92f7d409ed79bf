//! Spec prose made safe for rustdoc markdown.
//!
//! Spec text is prose, not Rust or rustdoc markdown: outside code spans, `<` is escaped
//! (`<date>` is not an HTML tag), bare URLs are wrapped in `<...>` and `[` is escaped unless it
//! opens a markdown link, so a description can never break `cargo doc -D warnings`. `lower` uses
//! it to build docs that mix spec text with sentences of its own; `emit` to print spec text.

/// Spec prose made safe to embed in generated markdown, line by line.
pub fn prose(text: &str) -> String {
    text.trim()
        .lines()
        .map(|line| escape_prose(line.trim()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Escapes one line of prose everywhere but inside its code spans.
pub fn escape_prose(line: &str) -> String {
    let parts: Vec<&str> = line.split('`').collect();
    let last = parts.len() - 1;
    let mut out = String::with_capacity(line.len() + 8);
    for (index, part) in parts.iter().enumerate() {
        if index > 0 {
            out.push('`');
        }
        // Odd parts sit between two backticks; a trailing unmatched backtick opens no span.
        if index % 2 == 1 && index != last {
            out.push_str(part);
        } else {
            escape_outside_code(part, &mut out);
        }
    }
    out
}

fn escape_outside_code(text: &str, out: &mut String) {
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if let Some(len) = url_len(rest) {
            let (url, tail) = rest.split_at(len);
            // A markdown link's destination is already a link.
            if out.ends_with("](") {
                out.push_str(url);
            } else {
                out.push('<');
                out.push_str(url);
                out.push('>');
            }
            rest = tail;
            continue;
        }
        match c {
            '<' => match rest[1..].find('>') {
                // An autolink the author wrote: keep it.
                Some(end) if url_len(&rest[1..]) == Some(end) => {
                    out.push_str(&rest[..end + 2]);
                    rest = &rest[end + 2..];
                    continue;
                }
                _ => out.push_str("&lt;"),
            },
            '[' if !opens_link(rest) => out.push_str("\\["),
            _ => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
}

/// Whether `[` at the start of `text` opens a markdown link `[text](destination)`.
fn opens_link(text: &str) -> bool {
    match text[1..].find(['[', ']']) {
        Some(end) => text[1 + end..].starts_with("]("),
        None => false,
    }
}

/// The length of the URL `text` starts with, without trailing punctuation; parentheses are
/// part of it only when balanced, as in Wikipedia addresses.
fn url_len(text: &str) -> Option<usize> {
    if !(text.starts_with("https://") || text.starts_with("http://")) {
        return None;
    }
    let mut depth = 0usize;
    let mut end = text.len();
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => {
                end = i;
                break;
            }
            ')' => depth -= 1,
            c if c.is_whitespace() || matches!(c, '<' | '>' | '"') => {
                end = i;
                break;
            }
            _ => {}
        }
    }
    let url = text[..end].trim_end_matches(['.', ',', ';', ':', '!', '?', '\'']);
    (url.len() > "https://".len()).then_some(url.len())
}

#[cfg(test)]
mod tests {
    use super::escape_prose;

    #[test]
    fn prose_escapes_html_like_text_brackets_and_bare_urls() {
        assert_eq!(
            escape_prose("as <date>T<time>, see https://aka.ms/x. Or [Busy]."),
            "as &lt;date>T&lt;time>, see <https://aka.ms/x>. Or \\[Busy]."
        );
    }

    #[test]
    fn prose_keeps_code_spans_links_and_autolinks() {
        let line = "`<T>` and [docs](https://learn.microsoft.com/a_(b)) and <https://x.y/z>";
        assert_eq!(escape_prose(line), line);
    }

    #[test]
    fn an_unmatched_backtick_opens_no_code_span() {
        assert_eq!(escape_prose("a ` b <c>"), "a ` b &lt;c>");
    }
}
