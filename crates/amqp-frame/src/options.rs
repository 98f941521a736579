//! [`DecodeOptions`]: every limit the decoders apply to untrusted bytes.

/// The limits of the wire layer, applied while decoding untrusted bytes:
/// the largest frame, the nesting depth of values, and the element count
/// of arrays whose elements take no bytes.
///
/// Every `decode` uses [`DecodeOptions::default()`]; every `decode_with`
/// takes options built from it with the setters:
///
/// ```
/// use amqp_frame::frame::Frame;
/// use amqp_frame::{DecodeError, DecodeOptions};
///
/// // The frame size this end announced in its `open`.
/// const OPTIONS: DecodeOptions = DecodeOptions::new().max_frame_size(4096);
///
/// let huge = [0, 0, 0x20, 0, 2, 0, 0, 0]; // SIZE 8192
/// let e = Frame::decode_with(&huge, &OPTIONS).unwrap_err();
/// assert_eq!(e, DecodeError::FrameTooLarge { size: 8192, max: 4096 });
/// assert_eq!(DecodeOptions::default().max_frame_size, 65_536);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct DecodeOptions {
    /// The largest frame accepted (its SIZE field, header included):
    /// larger frames fail with
    /// [`DecodeError::FrameTooLarge`](crate::DecodeError::FrameTooLarge) as
    /// soon as SIZE has arrived. Default [`DecodeOptions::DEFAULT_MAX_FRAME_SIZE`].
    pub max_frame_size: u32,
    /// How deeply lists, maps, arrays and described values may nest
    /// (values above 65535 act as 65535). Default 32.
    pub max_depth: u32,
    /// The largest element count accepted for an array whose elements take
    /// zero bytes each. Default 4096.
    pub max_zero_width_elements: u32,
}

impl DecodeOptions {
    /// The default largest frame: 64 KiB.
    ///
    /// The protocol's own default for `max-frame-size` is 4294967295 (no
    /// limit), which does not suit a decoder that borrows: a frame is only
    /// decoded once all of it is in the caller's buffer, and while it is
    /// not, [`Decoded::Incomplete`](crate::Decoded::Incomplete) asks for
    /// the rest, so this limit is the most a reader driven by `needed`
    /// ever buffers for one frame. A peer sending a SIZE of 4 GiB is
    /// refused after four bytes instead of making the reader wait for
    /// them. 64 KiB holds every performative and, since a sender must
    /// split a message across transfers to respect the `max-frame-size`
    /// the receiver announced in its `open`, it limits the buffer, not
    /// the size of messages. It is far below 1,095,586,128 (`AMQP` read as
    /// a SIZE), so [`Unit::decode`](crate::Unit::decode) tells protocol
    /// headers from frames, and above the 512 bytes every peer must accept
    /// ([`MIN_MAX_FRAME_SIZE`](crate::frame::MIN_MAX_FRAME_SIZE)). Announce
    /// the same value in `open` ([`Open::max_frame_size`](crate::transport::Open)).
    pub const DEFAULT_MAX_FRAME_SIZE: u32 = 65_536;

    /// The defaults: frames up to 64 KiB, 32 levels of nesting, 4096
    /// zero-width array elements.
    pub const fn new() -> Self {
        Self {
            max_frame_size: Self::DEFAULT_MAX_FRAME_SIZE,
            max_depth: 32,
            max_zero_width_elements: 4096,
        }
    }

    /// The same options with the largest frame set to `max` bytes.
    pub const fn max_frame_size(mut self, max: u32) -> Self {
        self.max_frame_size = max;
        self
    }

    /// The same options with the nesting depth set to `max` levels.
    pub const fn max_depth(mut self, max: u32) -> Self {
        self.max_depth = max;
        self
    }

    /// The same options with the zero-width array element count set to `max`.
    pub const fn max_zero_width_elements(mut self, max: u32) -> Self {
        self.max_zero_width_elements = max;
        self
    }
}

impl Default for DecodeOptions {
    fn default() -> Self {
        Self::new()
    }
}
