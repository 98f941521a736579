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

use alloc::collections::VecDeque;

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

/// A buffer that messages are cut from as [`Bytes`] sharing its
/// allocation (a chunk of an eighth of the arena's byte budget, between 256
/// bytes and [`ARENA_CHUNK`]), so that most messages cost no allocation of
/// their own.
///
/// A chunk lives as long as the longest-lived message cut from it. So that
/// a few long-lived messages spread over many chunks cannot pin more
/// memory than the limits allow, the arena keeps a handle on each earlier
/// chunk still in use (dropped once it is the only one left) and starts a
/// new chunk only while fewer than `max_chunks` are in use; past that, a
/// message gets an allocation of its own, of its exact size.
#[derive(Debug)]
pub(crate) struct Arena {
    buf: BytesMut,
    /// Earlier chunks, each held by an empty handle, while anything else
    /// still uses them.
    retired: VecDeque<Bytes>,
    /// `buf` is a chunk of ours (not the empty buffer of a new arena or
    /// of one past its chunks).
    has_chunk: bool,
    chunk: usize,
    max_chunks: usize,
}

impl Arena {
    /// An arena for messages of `budget` bytes in all.
    pub(crate) fn new(budget: usize) -> Self {
        let (chunk, max_chunks) = Self::sizes(budget);
        Self {
            buf: BytesMut::new(),
            retired: VecDeque::new(),
            has_chunk: false,
            chunk,
            max_chunks,
        }
    }

    /// The chunk size and how many chunks are kept in use at most for a
    /// budget (what [`Limits::worst_case_bytes`](super::Limits::worst_case_bytes)
    /// counts).
    pub(crate) const fn sizes(budget: usize) -> (usize, usize) {
        let chunk = budget / 8;
        let chunk = if chunk < 256 {
            256
        } else if chunk > ARENA_CHUNK {
            ARENA_CHUNK
        } else {
            chunk
        };
        (chunk, budget / chunk + 2)
    }

    /// Cuts a message of `len` bytes written by `write`.
    fn cut(&mut self, len: usize, write: impl FnOnce(&mut BytesMut)) -> Bytes {
        if self.buf.capacity() < len {
            // the current chunk is done: keep a handle while it is used
            let done = core::mem::take(&mut self.buf).freeze();
            if core::mem::take(&mut self.has_chunk) && !done.is_unique() {
                self.retired.push_back(done);
            }
            self.retired.retain(|c| !c.is_unique());
            if self.retired.len() + 1 > self.max_chunks {
                let mut own = BytesMut::with_capacity(len);
                write(&mut own);
                return own.freeze();
            }
            self.buf = BytesMut::with_capacity(len.max(self.chunk));
            self.has_chunk = true;
        }
        write(&mut self.buf);
        self.buf.split().freeze()
    }

    /// A copy of `bytes`.
    pub(crate) fn copy(&mut self, bytes: &[u8]) -> Bytes {
        self.cut(bytes.len(), |b| b.extend_from_slice(bytes))
    }

    /// `message` encoded (`len` is its encoded length, checked by the
    /// caller, so that encoding cannot fail but on a bug).
    pub(crate) fn encode(
        &mut self,
        message: &Message<'_>,
        len: usize,
    ) -> Result<Bytes, EncodeError> {
        let mut result = Ok(());
        let bytes = self.cut(len, |b| {
            let start = b.len();
            b.resize(start + len, 0);
            if let Err(e) = b
                .get_mut(start..)
                .map_or(Ok(()), |out| message.encode_with_len(out))
            {
                b.truncate(start);
                result = Err(e);
            }
        });
        result.map(|()| bytes)
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

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    #[test]
    fn long_lived_messages_cannot_pin_more_chunks_than_the_budget() {
        let budget = 4096;
        let (chunk, max_chunks) = Arena::sizes(budget);
        assert_eq!((chunk, max_chunks), (512, 10));
        let mut arena = Arena::new(budget);
        // one message in ten lives on: each chunk would stay pinned by it
        let mut kept = Vec::new();
        let mut own = 0;
        for i in 0..2_000u32 {
            let b = arena.copy(&[i as u8; 40]);
            assert_eq!(&b[..], &[i as u8; 40]);
            if i % 10 == 0 {
                kept.push(b);
            }
            assert!(arena.retired.len() <= max_chunks, "{}", arena.retired.len());
        }
        // past the chunks allowed, kept messages got allocations of their own
        for b in &kept {
            if b.is_unique() {
                own += 1;
            }
        }
        assert!(own > 0 && kept.len() == 200);
        // once they are dropped, the chunks go too
        drop(kept);
        arena.copy(&[0; 600]);
        assert!(arena.retired.is_empty());
    }
}
