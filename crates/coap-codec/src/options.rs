//! The limits the decoders apply.

/// Limits for [`Message::decode_with`](crate::Message::decode_with) and
/// [`TcpMessage::decode_with`](crate::TcpMessage::decode_with); `decode`
/// applies the defaults.
///
/// ```
/// use coap_codec::{DecodeError, DecodeOptions, TcpMessage};
///
/// // a stream that announces a 300-byte message (Len 13, extended 287)
/// let stream = [0xd0, 0xff, 0x45];
/// let small = DecodeOptions::new().max_message_size(256);
/// assert!(matches!(
///     TcpMessage::decode_with(&stream, &small),
///     Err(DecodeError::MessageTooLarge { .. })
/// ));
/// assert!(!TcpMessage::decode(&stream).unwrap().is_complete()); // waits for it
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct DecodeOptions {
    /// The largest whole message accepted, header included. Over a stream
    /// (RFC 8323) it is checked as soon as the length field is read, so a
    /// peer cannot make a reader buffer more; set it to the Max-Message-Size
    /// this side announced in its CSM.
    pub max_message_size: usize,
}

impl DecodeOptions {
    /// The default: no limit beyond the bytes given, so that whatever the
    /// encoder writes decodes (the decoders borrow and reserve nothing). A
    /// stream reader that buffers what `Incomplete { needed }` asks for
    /// sets its own limit, e.g. RFC 8323's default Max-Message-Size of
    /// 1152 bytes, with [`DecodeOptions::max_message_size`].
    pub const DEFAULT_MAX_MESSAGE_SIZE: usize = usize::MAX;

    /// The defaults.
    pub const fn new() -> Self {
        Self {
            max_message_size: Self::DEFAULT_MAX_MESSAGE_SIZE,
        }
    }

    /// Sets [`DecodeOptions::max_message_size`].
    pub const fn max_message_size(mut self, n: usize) -> Self {
        self.max_message_size = n;
        self
    }
}

impl Default for DecodeOptions {
    fn default() -> Self {
        Self::new()
    }
}
