//! Topic names, topic filters, matching and shared subscriptions.
//!
//! ```
//! use mqtt_codec::topic::{matches, validate_topic_filter};
//! assert!(validate_topic_filter("sport/+/player1").is_ok());
//! assert!(validate_topic_filter("sport/#/x").is_err());
//! assert!(matches("sport/#", "sport"));
//! assert!(!matches("#", "$SYS/uptime"));
//! assert!(matches("$SYS/#", "$SYS/uptime"));
//! ```

use crate::scan;

/// Why a topic name or filter is invalid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum TopicError {
    /// Topic names and filters hold at least one character.
    #[error("empty topic [MQTT-4.7.3-1]")]
    Empty,
    /// U+0000 is not allowed in a topic.
    #[error("NUL character in topic [MQTT-4.7.3-2]")]
    Nul,
    /// A topic name holds `+` or `#`.
    #[error("wildcard in topic name [MQTT-3.3.2-2]")]
    WildcardInName,
    /// `#` is not a whole level or not the last level.
    #[error("'#' must be the last level and occupy it entirely [MQTT-4.7.1-1]")]
    InvalidMultiLevel,
    /// `+` does not occupy a whole level.
    #[error("'+' must occupy an entire level [MQTT-4.7.1-2]")]
    InvalidSingleLevel,
    /// A `$share/{group}/{filter}` is malformed.
    #[error("malformed shared subscription [MQTT-4.8.2-1]")]
    InvalidShare,
}

impl TopicError {
    /// The normative statement broken.
    pub fn rule(&self) -> Option<&'static str> {
        Some(match self {
            Self::Empty => "MQTT-4.7.3-1",
            Self::Nul => "MQTT-4.7.3-2",
            Self::WildcardInName => "MQTT-3.3.2-2",
            Self::InvalidMultiLevel => "MQTT-4.7.1-1",
            Self::InvalidSingleLevel => "MQTT-4.7.1-2",
            Self::InvalidShare => "MQTT-4.8.2-1",
        })
    }
}

/// Checks a topic name (as in PUBLISH): non-empty, no NUL, no wildcards.
pub fn validate_topic_name(name: &str) -> Result<(), TopicError> {
    validate_name_bytes(name.as_bytes())
}

/// [`validate_topic_name`] on the bytes of a string.
#[inline]
pub(crate) fn validate_name_bytes(b: &[u8]) -> Result<(), TopicError> {
    if b.is_empty() {
        return Err(TopicError::Empty);
    }
    if scan::plain_ascii_name(b) || scan::no_nul_or_wildcard(b) {
        return Ok(());
    }
    for &c in b {
        match c {
            0 => return Err(TopicError::Nul),
            b'+' | b'#' => return Err(TopicError::WildcardInName),
            _ => {}
        }
    }
    Ok(())
}

/// Checks a topic filter (as in SUBSCRIBE): non-empty, no NUL, `+` a whole
/// level, `#` a whole level and the last one.
pub fn validate_topic_filter(filter: &str) -> Result<(), TopicError> {
    validate_filter_bytes(filter.as_bytes())
}

/// [`validate_topic_filter`] on the bytes of a string (`/`, `+` and `#`
/// never occur inside a multi-byte UTF-8 sequence).
#[inline]
pub(crate) fn validate_filter_bytes(b: &[u8]) -> Result<(), TopicError> {
    if b.is_empty() {
        return Err(TopicError::Empty);
    }
    let found = scan::scan_filter(b, |i| wildcard_fits(b, i));
    if !found.plain && scan::has_nul(b) {
        return Err(TopicError::Nul);
    }
    wildcard_error(b, found.bad_wildcard)
}

/// Whether the wildcard at `i` occupies a whole level: a level separator
/// (or an end) on both sides, and for `#` the end after it [MQTT-4.7.1-1/2].
#[inline(always)]
pub(crate) fn wildcard_fits(b: &[u8], i: usize) -> bool {
    let sep = |j: usize| b.get(j).map_or(true, |&c| c == b'/');
    let before = i == 0 || sep(i - 1);
    let after = if b.get(i) == Some(&b'#') {
        i + 1 == b.len()
    } else {
        sep(i + 1)
    };
    before && after
}

/// The error for the first misplaced wildcard at `bad`, if any. The first
/// level that breaks a rule is the one holding the first misplaced
/// wildcard; a level holding `#` breaks the `#` rule first (the order in
/// which the rules are checked level by level).
#[inline(always)]
pub(crate) fn wildcard_error(b: &[u8], bad: Option<usize>) -> Result<(), TopicError> {
    let Some(i) = bad else {
        return Ok(());
    };
    let start = b.get(..i).and_then(|s| s.iter().rposition(|&c| c == b'/'));
    let start = start.map_or(0, |p| p + 1);
    let end = b.get(i..).and_then(|s| s.iter().position(|&c| c == b'/'));
    let end = end.map_or(b.len(), |p| i + p);
    if b.get(start..end).is_some_and(|level| level.contains(&b'#')) {
        Err(TopicError::InvalidMultiLevel)
    } else {
        Err(TopicError::InvalidSingleLevel)
    }
}

/// Splits a shared subscription `$share/{group}/{filter}` into `(group,
/// filter)`, validating both; `Ok(None)` when `filter` is not shared.
pub fn parse_shared(filter: &str) -> Result<Option<(&str, &str)>, TopicError> {
    let Some(rest) = filter.strip_prefix("$share/") else {
        return Ok(None);
    };
    let Some((group, inner)) = rest.split_once('/') else {
        return Err(TopicError::InvalidShare);
    };
    if group.is_empty() || group.contains(['+', '#']) || inner.is_empty() {
        return Err(TopicError::InvalidShare);
    }
    validate_topic_filter(inner)?;
    Ok(Some((group, inner)))
}

/// [`parse_shared`] on the bytes of a string: whether it is a valid shared
/// subscription (`Ok(false)`: not a shared one).
#[inline]
pub(crate) fn check_shared_bytes(filter: &[u8]) -> Result<bool, TopicError> {
    let Some(rest) = filter.strip_prefix(b"$share/") else {
        return Ok(false);
    };
    let Some(slash) = rest.iter().position(|&c| c == b'/') else {
        return Err(TopicError::InvalidShare);
    };
    let (group, inner) = (&rest[..slash], &rest[slash + 1..]);
    if group.is_empty() || group.iter().any(|&c| c == b'+' || c == b'#') || inner.is_empty() {
        return Err(TopicError::InvalidShare);
    }
    validate_filter_bytes(inner)?;
    Ok(true)
}

/// Whether topic `name` matches `filter` (both assumed valid). Filters
/// starting with a wildcard never match names starting with `$`
/// [MQTT-4.7.2-1].
pub fn matches(filter: &str, name: &str) -> bool {
    if name.starts_with('$') && (filter.starts_with('+') || filter.starts_with('#')) {
        return false;
    }
    let mut f = filter.split('/');
    let mut n = name.split('/');
    loop {
        match (f.next(), n.next()) {
            (Some("#"), _) => return true,
            (Some("+"), Some(_)) => {}
            (Some(a), Some(b)) if a == b => {}
            (None, None) => return true,
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters() {
        for ok in ["#", "+", "a/+/b", "a/#", "+/+", "/", "a//b", "$SYS/#"] {
            assert_eq!(validate_topic_filter(ok), Ok(()), "{ok}");
        }
        assert_eq!(
            validate_topic_filter("a/#/b"),
            Err(TopicError::InvalidMultiLevel)
        );
        assert_eq!(
            validate_topic_filter("a#"),
            Err(TopicError::InvalidMultiLevel)
        );
        assert_eq!(
            validate_topic_filter("a+/b"),
            Err(TopicError::InvalidSingleLevel)
        );
        assert_eq!(validate_topic_filter(""), Err(TopicError::Empty));
        assert_eq!(validate_topic_filter("a\0"), Err(TopicError::Nul));
        assert_eq!(validate_topic_name("a/+"), Err(TopicError::WildcardInName));
        assert_eq!(validate_topic_name("a/b"), Ok(()));
    }

    #[test]
    fn matching() {
        assert!(matches("sport/tennis/+", "sport/tennis/p1"));
        assert!(!matches("sport/tennis/+", "sport/tennis/p1/x"));
        assert!(matches("sport/#", "sport"));
        assert!(matches("sport/#", "sport/a/b"));
        assert!(matches("+/+", "/x"));
        assert!(!matches("+", "/x"));
        assert!(!matches("+/monitor", "$SYS/monitor"));
        assert!(!matches("#", "$SYS"));
        assert!(matches("$SYS/#", "$SYS/x"));
        assert!(matches("$SYS/+", "$SYS/x"));
        assert!(!matches("a/b", "a"));
    }

    /// The filter rules as the specification words them, level by level.
    #[cfg(feature = "alloc")]
    fn reference_filter(filter: &str) -> Result<(), TopicError> {
        if filter.is_empty() {
            return Err(TopicError::Empty);
        }
        if filter.contains('\0') {
            return Err(TopicError::Nul);
        }
        let mut levels = filter.split('/').peekable();
        while let Some(level) = levels.next() {
            if level.contains('#') && (level != "#" || levels.peek().is_some()) {
                return Err(TopicError::InvalidMultiLevel);
            }
            if level.contains('+') && level != "+" {
                return Err(TopicError::InvalidSingleLevel);
            }
        }
        Ok(())
    }

    /// Every string of up to 6 characters from a small alphabet (and
    /// longer random ones) is judged as the level-by-level rules judge it.
    #[cfg(feature = "alloc")]
    #[test]
    fn filter_check_agrees_with_the_level_rules() {
        const ALPHABET: [&str; 6] = ["a", "/", "+", "#", "\0", "é"];
        let mut n = 0u32;
        for len in 0..=6u32 {
            for code in 0..6u32.pow(len) {
                let mut s = alloc::string::String::new();
                let mut c = code;
                for _ in 0..len {
                    s.push_str(ALPHABET[(c % 6) as usize]);
                    c /= 6;
                }
                assert_eq!(validate_topic_filter(&s), reference_filter(&s), "{s:?}");
                let name_ref = if s.is_empty() {
                    Err(TopicError::Empty)
                } else {
                    s.bytes()
                        .find_map(|b| match b {
                            0 => Some(TopicError::Nul),
                            b'+' | b'#' => Some(TopicError::WildcardInName),
                            _ => None,
                        })
                        .map_or(Ok(()), Err)
                };
                assert_eq!(validate_topic_name(&s), name_ref, "{s:?}");
                assert_eq!(
                    check_shared_bytes(s.as_bytes()),
                    parse_shared(&s).map(|x| x.is_some())
                );
                n += 1;
            }
        }
        assert_eq!(n, 55_987);
        // long filters cross the eight-byte words of the scan
        let mut rng = iotcodec_core::Rng::new(7);
        for _ in 0..20_000 {
            let len = rng.next_u32() % 40;
            let s: alloc::string::String = (0..len)
                .map(|_| ["ab", "/", "+", "#", "x", "/+", "/#"][(rng.next_u32() % 7) as usize])
                .collect();
            assert_eq!(validate_topic_filter(&s), reference_filter(&s), "{s:?}");
            let shared = alloc::format!("$share/g/{s}");
            assert_eq!(
                check_shared_bytes(shared.as_bytes()),
                parse_shared(&shared).map(|x| x.is_some()),
                "{shared:?}"
            );
        }
    }

    /// The examples of sections 4.7.1.2, 4.7.1.3 and 4.7.2.
    #[test]
    fn matching_spec_examples() {
        let yes = [
            ("sport/tennis/player1/#", "sport/tennis/player1"),
            ("sport/tennis/player1/#", "sport/tennis/player1/ranking"),
            (
                "sport/tennis/player1/#",
                "sport/tennis/player1/score/wimbledon",
            ),
            ("sport/#", "sport"),
            ("sport/tennis/+", "sport/tennis/player1"),
            ("sport/tennis/+", "sport/tennis/player2"),
            ("sport/+", "sport/"),
            ("+/+", "/finance"),
            ("/+", "/finance"),
            ("$SYS/#", "$SYS/monitor/Clients"),
            ("$SYS/monitor/+", "$SYS/monitor/Clients"),
        ];
        let no = [
            ("sport/tennis/+", "sport/tennis/player1/ranking"),
            ("sport/+", "sport"),
            ("+", "/finance"),
            ("#", "$SYS/monitor/Clients"),
            ("+/monitor/Clients", "$SYS/monitor/Clients"),
            // topic names and filters are case sensitive (4.7.3)
            ("ACCOUNTS", "Accounts"),
        ];
        for (f, n) in yes {
            assert!(validate_topic_filter(f).is_ok() && validate_topic_name(n).is_ok());
            assert!(matches(f, n), "{f} {n}");
        }
        for (f, n) in no {
            assert!(!matches(f, n), "{f} {n}");
        }
    }

    #[test]
    fn shared() {
        assert_eq!(parse_shared("$share/g/a/+"), Ok(Some(("g", "a/+"))));
        assert_eq!(parse_shared("a/b"), Ok(None));
        assert_eq!(parse_shared("$share/g"), Err(TopicError::InvalidShare));
        assert_eq!(parse_shared("$share//a"), Err(TopicError::InvalidShare));
        assert_eq!(parse_shared("$share/g+/a"), Err(TopicError::InvalidShare));
        assert_eq!(
            parse_shared("$share/g/a#"),
            Err(TopicError::InvalidMultiLevel)
        );
    }
}
