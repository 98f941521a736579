/// A datagram that a datagram state machine (CoAP over UDP, MQTT-SN) wrote
/// into the caller's buffer, and where to send it.
///
/// The bytes themselves stay in the buffer the caller passed to
/// `poll_transmit`; this only says where they go and how many there are.
/// `#[non_exhaustive]` so that fields (e.g. an ECN mark or a source
/// address for multi-homed endpoints) can come without breaking users:
/// state machines make one with [`Transmit::new`].
///
/// ```
/// use iotcodec_core::Transmit;
///
/// let t = Transmit::new("peer", 12);
/// assert_eq!((t.destination, t.len), ("peer", 12));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Transmit<A> {
    /// The peer address the datagram is for.
    pub destination: A,
    /// How many bytes were appended to the caller's buffer.
    pub len: usize,
}

impl<A> Transmit<A> {
    /// `len` bytes for `destination`.
    pub const fn new(destination: A, len: usize) -> Self {
        Self { destination, len }
    }
}
