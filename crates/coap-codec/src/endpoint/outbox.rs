//! What waits for `poll_transmit`, and the buffers messages are cut from.
//!
//! Nothing is encoded into a datagram of its own ahead of time: the queue
//! holds small descriptions (an Empty message's type and Message ID, a
//! request to send by its id, a reply kept for deduplication), and
//! `poll_transmit` writes the datagram straight into the caller's buffer.
//! What must be kept anyway (a request for its retransmissions, a
//! piggybacked response for duplicates of its request, a received message
//! for the application) is kept once, cut from a shared [`Arena`] buffer,
//! so that most messages cost no allocation of their own.

use bytes::{Bytes, BytesMut};

use super::config::ARENA_CHUNK;
use crate::{EncodeError, Message, MessageType};

/// A datagram to write when `poll_transmit` is called.
#[derive(Debug, Clone)]
pub(crate) enum Pending<A> {
    /// An Empty ACK or RST.
    Empty {
        to: A,
        mtype: MessageType,
        message_id: u16,
    },
    /// A client request (first transmission or retransmission), by id: its
    /// kept bytes with its current Message ID. Skipped if it is gone.
    Request(u64),
    /// A separate Confirmable response, by server exchange id. Skipped if
    /// the exchange is over.
    Response(u64),
    /// Bytes kept elsewhere (a reply, a separate response), shared.
    Bytes { to: A, bytes: Bytes },
}

/// A growing buffer that messages are cut from as [`Bytes`] sharing its
/// allocation. When every message cut from it has been dropped, the
/// allocation is used again; else a new one is made.
#[derive(Debug, Default)]
pub(crate) struct Arena {
    buf: BytesMut,
}

impl Arena {
    fn make_room(&mut self, len: usize) {
        if self.buf.capacity() < len {
            // reclaims the allocation when nothing cut from it is alive
            self.buf.reserve(len.max(ARENA_CHUNK));
        }
    }

    /// A copy of `bytes`.
    pub(crate) fn copy(&mut self, bytes: &[u8]) -> Bytes {
        self.make_room(bytes.len());
        self.buf.extend_from_slice(bytes);
        self.buf.split().freeze()
    }

    /// `message` encoded (`len` is its encoded length).
    pub(crate) fn encode(
        &mut self,
        message: &Message<'_>,
        len: usize,
    ) -> Result<Bytes, EncodeError> {
        self.make_room(len);
        if let Err(e) = message.encode(&mut self.buf) {
            self.buf.clear();
            return Err(e);
        }
        Ok(self.buf.split().freeze())
    }
}

/// Writes an Empty message (always 4 bytes) into `buf`.
pub(crate) fn write_empty(buf: &mut BytesMut, mtype: MessageType, message_id: u16) -> usize {
    let mut head = [0u8; 4];
    let n = Message::empty(mtype, message_id)
        .encode_to_slice(&mut head)
        .unwrap_or_default();
    buf.extend_from_slice(&head[..n]);
    n
}

/// Writes a kept datagram into `buf` with `message_id` in its header.
pub(crate) fn write_with_message_id(buf: &mut BytesMut, datagram: &[u8], message_id: u16) -> usize {
    let start = buf.len();
    buf.extend_from_slice(datagram);
    if let Some(id) = buf.get_mut(start + 2..start + 4) {
        id.copy_from_slice(&message_id.to_be_bytes());
    }
    datagram.len()
}
