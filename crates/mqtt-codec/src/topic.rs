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

/// Why a topic name or filter is invalid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
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
    if name.is_empty() {
        return Err(TopicError::Empty);
    }
    for b in name.bytes() {
        match b {
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
    if filter.is_empty() {
        return Err(TopicError::Empty);
    }
    if filter.bytes().any(|b| b == 0) {
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
