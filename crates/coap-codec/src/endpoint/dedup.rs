//! Deduplication of received Confirmable and Non-confirmable messages
//! (RFC 7252 §4.5), keyed on (peer, Message ID), each entry kept for
//! EXCHANGE_LIFETIME (CON) or NON_LIFETIME (NON) with the reply a duplicate
//! gets again. Bounded in all and per peer; past a bound the oldest entry
//! goes. Every operation is O(log n).

use alloc::collections::BTreeMap;

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

#[derive(Debug)]
struct Entry {
    seq: u64,
    expires: Instant,
    reply: Reply,
}

#[derive(Debug)]
pub(crate) struct Dedup<A> {
    max_total: usize,
    max_per_peer: usize,
    next_seq: u64,
    entries: BTreeMap<(A, u16), Entry>,
    /// Entries by insertion, one index per lifetime, so that each is also
    /// ordered by expiry.
    by_age: [BTreeMap<u64, (A, u16)>; 2],
    /// Each peer's entries by insertion: sequence number to Message ID.
    by_peer: BTreeMap<A, BTreeMap<u64, u16>>,
}

impl<A> Dedup<A> {
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }
}

impl<A: Clone + Ord> Dedup<A> {
    pub(crate) fn new(max_total: usize, max_per_peer: usize) -> Self {
        Self {
            max_total,
            max_per_peer,
            next_seq: 0,
            entries: BTreeMap::new(),
            by_age: [BTreeMap::new(), BTreeMap::new()],
            by_peer: BTreeMap::new(),
        }
    }

    /// The reply recorded for a message seen within its lifetime.
    pub(crate) fn get(&self, peer: &A, mid: u16) -> Option<&Reply> {
        // the BTreeMap key needs an owned peer
        self.entries.get(&(peer.clone(), mid)).map(|e| &e.reply)
    }

    /// Records a message (`confirmable` picks the index its lifetime
    /// belongs to); a message already known only has its reply replaced.
    pub(crate) fn insert(
        &mut self,
        now: Instant,
        peer: &A,
        mid: u16,
        confirmable: bool,
        lifetime: core::time::Duration,
        reply: Reply,
    ) {
        let key = (peer.clone(), mid);
        if let Some(e) = self.entries.get_mut(&key) {
            e.reply = reply;
            return;
        }
        if self.max_total == 0 || self.max_per_peer == 0 {
            return;
        }
        let mine = self.by_peer.get(peer).map_or(0, BTreeMap::len);
        if mine >= self.max_per_peer {
            if let Some((_, &old)) = self.by_peer.get(peer).and_then(BTreeMap::first_key_value) {
                self.remove(&(peer.clone(), old));
            }
        }
        while self.entries.len() >= self.max_total {
            let oldest = match (
                self.by_age[0].first_key_value(),
                self.by_age[1].first_key_value(),
            ) {
                (Some((a, ka)), Some((b, kb))) => {
                    if a < b {
                        ka.clone()
                    } else {
                        kb.clone()
                    }
                }
                (Some((_, k)), None) | (None, Some((_, k))) => k.clone(),
                (None, None) => break,
            };
            self.remove(&oldest);
        }
        let seq = self.next_seq;
        self.next_seq += 1;
        self.by_age[usize::from(!confirmable)].insert(seq, key.clone());
        self.by_peer
            .entry(peer.clone())
            .or_default()
            .insert(seq, mid);
        self.entries.insert(
            key,
            Entry {
                seq,
                expires: now + lifetime,
                reply,
            },
        );
    }

    /// Replaces the reply of a known message.
    pub(crate) fn set_reply(&mut self, peer: &A, mid: u16, reply: Reply) {
        if let Some(e) = self.entries.get_mut(&(peer.clone(), mid)) {
            e.reply = reply;
        }
    }

    fn remove(&mut self, key: &(A, u16)) {
        let Some(e) = self.entries.remove(key) else {
            return;
        };
        for index in &mut self.by_age {
            index.remove(&e.seq);
        }
        if let Some(q) = self.by_peer.get_mut(&key.0) {
            q.remove(&e.seq);
            if q.is_empty() {
                self.by_peer.remove(&key.0);
            }
        }
    }

    /// Drops the entries whose lifetime is over.
    pub(crate) fn expire(&mut self, now: Instant) {
        for i in 0..2 {
            while let Some((&seq, key)) = self.by_age[i].first_key_value() {
                if self.entries.get(key).is_some_and(|e| e.expires > now) {
                    break;
                }
                let key = key.clone();
                self.by_age[i].remove(&seq);
                self.remove(&key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::time::Duration;

    const CON: Duration = Duration::from_secs(247);
    const NON: Duration = Duration::from_secs(145);

    #[test]
    fn lifetimes_per_kind() {
        let mut d: Dedup<u8> = Dedup::new(100, 100);
        d.insert(Instant::ZERO, &1, 10, true, CON, Reply::EmptyAck);
        d.insert(Instant::from_secs(1), &1, 11, false, NON, Reply::Nothing);
        d.expire(Instant::from_secs(146));
        assert_eq!(d.get(&1, 10), Some(&Reply::EmptyAck));
        assert_eq!(d.get(&1, 11), None);
        d.expire(Instant::from_secs(247));
        assert_eq!(d.get(&1, 10), None);
        assert_eq!(d.len(), 0);
        assert!(d.by_peer.is_empty());
    }

    #[test]
    fn bounds_evict_the_oldest() {
        let mut d: Dedup<u8> = Dedup::new(5, 3);
        for mid in 0..4 {
            d.insert(Instant::ZERO, &1, mid, true, CON, Reply::Nothing);
        }
        // per peer: 3, the first went
        assert_eq!(d.len(), 3);
        assert_eq!(d.get(&1, 0), None);
        d.insert(Instant::ZERO, &2, 0, false, NON, Reply::Nothing);
        d.insert(Instant::ZERO, &2, 1, true, CON, Reply::Nothing);
        d.insert(Instant::ZERO, &3, 0, true, CON, Reply::Nothing);
        // in all: 5, the oldest (peer 1, mid 1) went
        assert_eq!(d.len(), 5);
        assert_eq!(d.get(&1, 1), None);
        assert!(d.get(&1, 2).is_some() && d.get(&3, 0).is_some());
        let sizes: usize = d.by_peer.values().map(BTreeMap::len).sum();
        assert_eq!(sizes, 5);
    }

    #[test]
    fn known_message_keeps_its_place() {
        let mut d: Dedup<u8> = Dedup::new(5, 5);
        d.insert(Instant::ZERO, &1, 7, true, CON, Reply::Nothing);
        d.insert(Instant::from_secs(100), &1, 7, true, CON, Reply::Reset);
        assert_eq!(d.get(&1, 7), Some(&Reply::Reset));
        d.expire(Instant::from_secs(247));
        assert_eq!(d.get(&1, 7), None, "lifetime runs from the first sight");
    }
}
