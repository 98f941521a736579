//! Deduplication of received Confirmable and Non-confirmable messages
//! (RFC 7252 §4.5), keyed on (peer, Message ID), each entry kept for
//! EXCHANGE_LIFETIME (CON) or NON_LIFETIME (NON) with the reply a duplicate
//! gets again.
//!
//! The entries live in each peer's record ([`PeerDedup`]); the
//! endpoint-wide [`AgeIndex`] orders them by age, one queue per lifetime,
//! so that expiry and the endpoint-wide bounds take the oldest first.
//! Removing an entry early (a per-peer bound, a peer forgotten) leaves its
//! place in the queues behind; such places are skipped when met and swept
//! out when they would double a queue's length.

use alloc::collections::{BTreeMap, VecDeque};

use bytes::Bytes;

use crate::Instant;

/// What a duplicate is answered with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Reply {
    /// Nothing (yet): the request is being processed, or it was a NON.
    Nothing,
    /// An empty ACK with the same Message ID.
    EmptyAck,
    /// A Reset with the same Message ID.
    Reset,
    /// A piggybacked response.
    Response(Bytes),
}

impl Reply {
    /// Bytes held.
    pub(crate) fn bytes(&self) -> usize {
        match self {
            Self::Response(b) => b.len(),
            _ => 0,
        }
    }
}

#[derive(Debug)]
pub(crate) struct Entry {
    pub(crate) seq: u64,
    pub(crate) reply: Reply,
}

/// One peer's entries, and their order of arrival.
#[derive(Debug, Default)]
pub(crate) struct PeerDedup {
    pub(crate) entries: BTreeMap<u16, Entry>,
    /// (seq, Message ID), oldest first; places of removed entries stay
    /// until met.
    order: VecDeque<(u64, u16)>,
}

impl PeerDedup {
    pub(crate) fn get(&self, mid: u16) -> Option<&Reply> {
        self.entries.get(&mid).map(|e| &e.reply)
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    fn is_live(&self, seq: u64, mid: u16) -> bool {
        self.entries.get(&mid).is_some_and(|e| e.seq == seq)
    }

    pub(crate) fn push(&mut self, seq: u64, mid: u16, reply: Reply) {
        while let Some(&(s, m)) = self.order.front() {
            if self.is_live(s, m) {
                break;
            }
            self.order.pop_front();
        }
        if self.order.len() > 2 * self.entries.len() + 16 {
            let entries = &self.entries;
            self.order
                .retain(|&(s, m)| entries.get(&m).is_some_and(|e| e.seq == s));
        }
        self.order.push_back((seq, mid));
        self.entries.insert(mid, Entry { seq, reply });
    }

    /// The oldest live entry's Message ID.
    pub(crate) fn oldest(&mut self) -> Option<u16> {
        while let Some(&(s, m)) = self.order.front() {
            if self.is_live(s, m) {
                return Some(m);
            }
            self.order.pop_front();
        }
        None
    }

    /// Removes an entry if it is still the one made with `seq`; returns
    /// its reply's bytes.
    pub(crate) fn remove_if(&mut self, seq: u64, mid: u16) -> Option<usize> {
        if !self.is_live(seq, mid) {
            return None;
        }
        self.entries.remove(&mid).map(|e| e.reply.bytes())
    }

    pub(crate) fn remove(&mut self, mid: u16) -> Option<Entry> {
        self.entries.remove(&mid)
    }
}

/// A place in the age queues: when it expires, and which entry.
#[derive(Debug, Clone)]
pub(crate) struct Aged<A> {
    pub(crate) expires: Instant,
    pub(crate) seq: u64,
    pub(crate) peer: A,
    pub(crate) mid: u16,
    /// In the Non-confirmable queue.
    non: bool,
}

/// Every entry by age, one queue per lifetime (CON, NON), and the totals.
#[derive(Debug)]
pub(crate) struct AgeIndex<A> {
    queues: [VecDeque<Aged<A>>; 2],
    next_seq: u64,
    /// Live entries in all.
    pub(crate) entries: usize,
    /// Bytes of live replies in all.
    pub(crate) bytes: usize,
}

impl<A> Default for AgeIndex<A> {
    fn default() -> Self {
        Self {
            queues: [VecDeque::new(), VecDeque::new()],
            next_seq: 0,
            entries: 0,
            bytes: 0,
        }
    }
}

impl<A: Clone> AgeIndex<A> {
    /// A new place at the back of the queue of its lifetime; returns its
    /// sequence number.
    pub(crate) fn push(&mut self, expires: Instant, confirmable: bool, peer: &A, mid: u16) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.queues[usize::from(!confirmable)].push_back(Aged {
            expires,
            seq,
            peer: peer.clone(),
            mid,
            non: !confirmable,
        });
        seq
    }

    /// The front place of the queue whose front is older (smaller
    /// sequence number), or the one that has expired by `now` when
    /// `expired_by` is given; taken off its queue.
    pub(crate) fn pop_oldest(&mut self, expired_by: Option<Instant>) -> Option<Aged<A>> {
        let pick = match (self.queues[0].front(), self.queues[1].front()) {
            (Some(a), Some(b)) => {
                let older = usize::from(b.seq < a.seq);
                match expired_by {
                    None => older,
                    Some(now) => {
                        let (x, y) = (a.expires <= now, b.expires <= now);
                        match (x, y) {
                            (true, true) => older,
                            (true, false) => 0,
                            (false, true) => 1,
                            (false, false) => return None,
                        }
                    }
                }
            }
            (Some(a), None) => {
                if expired_by.is_some_and(|now| a.expires > now) {
                    return None;
                }
                0
            }
            (None, Some(b)) => {
                if expired_by.is_some_and(|now| b.expires > now) {
                    return None;
                }
                1
            }
            (None, None) => return None,
        };
        self.queues[pick].pop_front()
    }

    /// Puts back a place taken by [`AgeIndex::pop_oldest`] (the oldest of
    /// its queue).
    pub(crate) fn requeue_front(&mut self, place: Aged<A>) {
        self.queues[usize::from(place.non)].push_front(place);
    }

    /// Places held (live or not).
    pub(crate) fn places(&self) -> usize {
        self.queues[0].len() + self.queues[1].len()
    }

    /// Drops the places `live` says are gone.
    pub(crate) fn sweep(&mut self, mut live: impl FnMut(&Aged<A>) -> bool) {
        for q in &mut self.queues {
            q.retain(&mut live);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peer_order_skips_removed_entries() {
        let mut d = PeerDedup::default();
        d.push(1, 10, Reply::Nothing);
        d.push(2, 11, Reply::EmptyAck);
        d.push(3, 12, Reply::Nothing);
        assert_eq!(d.oldest(), Some(10));
        assert_eq!(d.remove_if(1, 10), Some(0));
        assert_eq!(d.remove_if(1, 10), None, "gone already");
        assert_eq!(d.oldest(), Some(11));
        // a Message ID used again is a new entry; the old place is stale
        d.remove(11);
        d.push(4, 11, Reply::Reset);
        assert_eq!(d.oldest(), Some(12));
        assert_eq!(d.remove_if(2, 11), None);
        assert_eq!(d.get(11), Some(&Reply::Reset));
    }

    #[test]
    fn peer_order_stays_bounded() {
        let mut d = PeerDedup::default();
        for i in 0..10_000u64 {
            let mid = (i % 7) as u16;
            d.remove(mid);
            d.push(i, mid, Reply::Nothing);
            assert!(d.order.len() <= 2 * d.len() + 17, "{}", d.order.len());
        }
    }

    #[test]
    fn ages_by_lifetime_and_order() {
        let mut ix: AgeIndex<u8> = AgeIndex::default();
        let t = Instant::from_secs;
        let a = ix.push(t(247), true, &1, 10);
        let b = ix.push(t(146), false, &1, 11);
        // the NON expires first though it came later
        let first = ix.pop_oldest(Some(t(146))).unwrap();
        assert_eq!((first.seq, first.mid), (b, 11));
        assert!(ix.pop_oldest(Some(t(146))).is_none());
        // over a bound, the oldest goes whatever its expiry
        let c = ix.push(t(300), false, &2, 1);
        assert_eq!(ix.pop_oldest(None).unwrap().seq, a);
        let last = ix.pop_oldest(None).unwrap();
        assert_eq!(last.seq, c);
        assert_eq!(ix.places(), 0);
        // put back, it is found again in its own queue
        ix.requeue_front(last);
        assert_eq!(ix.pop_oldest(Some(t(300))).map(|p| p.seq), Some(c));
    }
}
