//! The ordering rule for `sequenceNumber` (R11). Microsoft documents the property as a
//! read-only string and says nothing of its order, so this crate states its own rule:
//!
//! 1. Both values parse as hexadecimal (1 to 32 digits, any case, surrounding blanks ignored):
//!    they compare as numbers. Graph's published examples (`C0B4B1E86F8F4B3C`, `A0129311063`)
//!    are hexadecimal, and the emulator writes 16 hex digits of a counter that only grows.
//! 2. Otherwise the longer string is the newer, and equal lengths compare byte by byte.
//!
//! A value held without a sequence number is older than any incoming one that has one.

use std::cmp::Ordering;

/// Compares two `sequenceNumber`s by the rule above.
pub fn compare(a: &str, b: &str) -> Ordering {
    match (hex(a), hex(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        _ => {
            let (a, b) = (a.trim(), b.trim());
            a.len().cmp(&b.len()).then_with(|| a.cmp(b))
        }
    }
}

/// Whether an incoming value replaces the held one: only a strictly newer one does, so a
/// duplicate (equal numbers) changes nothing. `None` incoming is decided by the caller.
pub(crate) fn is_newer(incoming: &str, held: Option<&str>) -> bool {
    held.is_none_or(|held| compare(incoming, held) == Ordering::Greater)
}

fn hex(text: &str) -> Option<u128> {
    let text = text.trim();
    if text.is_empty() || text.len() > 32 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u128::from_str_radix(text, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_values_compare_as_numbers_whatever_their_width_or_case() {
        assert_eq!(compare("00000000000000FF", "100"), Ordering::Less);
        assert_eq!(compare("a0129311063", "A0129311063"), Ordering::Equal);
        assert_eq!(
            compare("C0B4B1E86F8F4B3C", "A0129311063"),
            Ordering::Greater
        );
        assert!(is_newer("0000000000000002", Some("0000000000000001")));
        assert!(!is_newer("0000000000000001", Some("0000000000000001")));
        assert!(!is_newer("0000000000000001", Some("0000000000000002")));
        assert!(is_newer("1", None));
    }

    #[test]
    fn other_values_compare_by_length_then_bytes() {
        assert_eq!(compare("zz", "zzz"), Ordering::Less);
        assert_eq!(compare("zb", "za"), Ordering::Greater);
        assert_eq!(compare("g1", "g1"), Ordering::Equal);
    }
}
