use core::num::NonZeroUsize;

/// The outcome of decoding one item from the front of a byte stream.
///
/// Stream protocols (MQTT, AMQP, CoAP over TCP) cannot tell a truncated packet
/// from one whose remaining bytes have not arrived yet, so running out of input
/// is not an error there: the decoder answers [`Decoded::Incomplete`] and the
/// caller tries again once more bytes came in. Malformed input is a separate
/// `Err` in each crate's own error type.
#[must_use]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Decoded<T> {
    /// A whole item was decoded from the first `consumed` bytes of the input.
    Complete {
        /// The decoded item, usually borrowing from the input.
        item: T,
        /// How many bytes of the input the item used. The decoder never read
        /// beyond them.
        consumed: usize,
    },
    /// The input ends before the item does.
    Incomplete {
        /// How many more bytes are needed at least, when the decoder knows
        /// (for example once a length prefix has been read).
        needed: Option<NonZeroUsize>,
    },
}

impl<T> Decoded<T> {
    /// An [`Decoded::Incomplete`] that needs `n` more bytes (`None` when `n == 0`).
    pub fn needs(n: usize) -> Self {
        Self::Incomplete {
            needed: NonZeroUsize::new(n),
        }
    }

    /// Whether a whole item was decoded.
    pub fn is_complete(&self) -> bool {
        matches!(self, Self::Complete { .. })
    }

    /// The decoded item and the bytes it used, or `None` when incomplete.
    pub fn complete(self) -> Option<(T, usize)> {
        match self {
            Self::Complete { item, consumed } => Some((item, consumed)),
            Self::Incomplete { .. } => None,
        }
    }

    /// Applies `f` to the decoded item, keeping `consumed` or `needed`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Decoded<U> {
        match self {
            Self::Complete { item, consumed } => Decoded::Complete {
                item: f(item),
                consumed,
            },
            Self::Incomplete { needed } => Decoded::Incomplete { needed },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needs_zero_is_unknown() {
        assert_eq!(
            Decoded::<()>::needs(0),
            Decoded::Incomplete { needed: None }
        );
        assert_eq!(
            Decoded::<()>::needs(3),
            Decoded::Incomplete {
                needed: NonZeroUsize::new(3)
            }
        );
    }

    #[test]
    fn map_and_complete() {
        let d = Decoded::Complete {
            item: 2u8,
            consumed: 5,
        };
        assert!(d.is_complete());
        assert_eq!(d.map(u16::from).map(|x| x * 10).complete(), Some((20, 5)));
        let i: Decoded<u8> = Decoded::needs(1);
        assert!(!i.is_complete());
        assert_eq!(i.map(|x| x + 1).complete(), None);
    }
}
