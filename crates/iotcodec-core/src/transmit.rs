/// A datagram that a datagram state machine (CoAP over UDP, MQTT-SN) wrote
/// into the caller's buffer, and where to send it.
///
/// The bytes themselves stay in the buffer the caller passed to
/// `poll_transmit`; this only says where they go and how many there are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Transmit<A> {
    /// The peer address the datagram is for.
    pub destination: A,
    /// How many bytes were appended to the caller's buffer.
    pub len: usize,
}
