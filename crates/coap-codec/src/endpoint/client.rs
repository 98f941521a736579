//! The client side: requests, pings and multicast requests; their
//! transmission under NSTART and PROBING_RATE, retransmission with
//! exponential back-off, and the matching of ACKs, Resets and responses.

use core::time::Duration;

use bytes::Bytes;

use super::dedup::Reply;
use super::outbox::Pending;
use super::peer::Sent;
use super::{Endpoint, Event, Failure, Request, RequestId, Timer, UsageError};
use crate::{Code, Instant, Message, MessageType, Options, OwnedMessage, Token};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ClientState {
    /// Waiting for NSTART (or for PROBING_RATE, with a deadline).
    Queued,
    /// CON sent, retransmitting until ACK/RST.
    AwaitingAck,
    /// NON sent, or CON acknowledged by an empty ACK.
    AwaitingResponse,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ClientKind {
    Request,
    Multicast,
    Ping,
}

#[derive(Debug)]
pub(crate) struct ClientExchange<A> {
    pub(crate) peer: A,
    token: Token,
    kind: ClientKind,
    confirmable: bool,
    /// The Message ID of the current transmission.
    pub(crate) mid: Option<u16>,
    /// The request, encoded once (its Message ID written at each
    /// transmission).
    pub(crate) datagram: Bytes,
    state: ClientState,
    deadline: Option<Instant>,
    retransmissions: u32,
    interval: Duration,
    /// Counts against NSTART.
    open: bool,
    /// A transmission waits in the outbox.
    pub(crate) queued: bool,
}

impl<A> ClientExchange<A> {
    pub(crate) fn deadline(&self) -> Option<Instant> {
        self.deadline
    }
}

impl<A: Clone + Ord> Endpoint<A> {
    /// Sends a request to `peer` (queued while NSTART interactions toward
    /// it are outstanding). Its outcome comes as [`Event::Response`],
    /// [`Event::Acknowledged`] then a response, or [`Event::RequestFailed`].
    pub fn request(
        &mut self,
        now: Instant,
        peer: A,
        request: &Request<'_>,
    ) -> Result<RequestId, UsageError> {
        self.start(now, peer, request, ClientKind::Request)
    }

    /// Sends a Non-confirmable request to a multicast group address (RFC
    /// 7252 §8): every response with its token, from any peer, comes as an
    /// [`Event::Response`] until [`Config::multicast_timeout`](super::Config::multicast_timeout),
    /// then [`Event::MulticastDone`].
    pub fn request_multicast(
        &mut self,
        now: Instant,
        group: A,
        request: &Request<'_>,
    ) -> Result<RequestId, UsageError> {
        self.start(
            now,
            group,
            &request.non_confirmable(),
            ClientKind::Multicast,
        )
    }

    /// Sends a ping (an Empty Confirmable message, answered with a Reset):
    /// [`Event::Pong`] or [`Event::RequestFailed`] with [`Failure::Timeout`].
    pub fn ping(&mut self, now: Instant, peer: A) -> Result<RequestId, UsageError> {
        self.start(
            now,
            peer,
            &Request::new(Code::EMPTY, Options::EMPTY),
            ClientKind::Ping,
        )
    }

    /// Forgets a request: no event will come for it, and a late response is
    /// answered with a Reset. Its NSTART slot goes to the next queued
    /// request toward the same peer.
    pub fn cancel(&mut self, now: Instant, request: RequestId) {
        let now = self.advance(now);
        self.finish_client(request.0);
        self.start_queued(now);
        self.tidy_timers();
    }

    fn start(
        &mut self,
        now: Instant,
        peer: A,
        request: &Request<'_>,
        kind: ClientKind,
    ) -> Result<RequestId, UsageError> {
        let r = self.start_inner(now, peer, request, kind);
        self.tidy_timers();
        r
    }

    fn start_inner(
        &mut self,
        now: Instant,
        peer: A,
        request: &Request<'_>,
        kind: ClientKind,
    ) -> Result<RequestId, UsageError> {
        let now = self.advance(now);
        if self.closed {
            return Err(UsageError::Closed);
        }
        if kind != ClientKind::Ping && !request.method.is_request() {
            return Err(UsageError::NotARequest(request.method));
        }
        if self.client.len() >= self.config.limits.max_requests {
            return Err(UsageError::TooManyRequests);
        }
        self.ensure_peer(now, &peer)?;
        let token = if kind == ClientKind::Ping {
            Token::EMPTY
        } else {
            self.fresh_token(&peer, kind)?
        };
        let msg = Message {
            mtype: if request.confirmable {
                MessageType::Confirmable
            } else {
                MessageType::NonConfirmable
            },
            code: request.method,
            message_id: 0,
            token,
            options: request.options,
            payload: request.payload,
        };
        let len = msg.encoded_len()?;
        if self.request_bytes + len > self.config.limits.max_request_bytes {
            return Err(UsageError::TooManyRequests);
        }
        // encoded once now (the Message ID written when sent), to fail early
        let datagram = self.encode(&msg)?;
        self.request_bytes += datagram.len();
        let id = self.client.insert(ClientExchange {
            peer: peer.clone(),
            token,
            kind,
            confirmable: request.confirmable,
            mid: None,
            datagram,
            state: ClientState::Queued,
            deadline: None,
            retransmissions: 0,
            interval: Duration::ZERO,
            open: false,
            queued: false,
        });
        match kind {
            ClientKind::Request => {
                if let Some(p) = self.peers.get_mut(&peer) {
                    p.tokens.insert(token, id);
                }
            }
            ClientKind::Multicast => {
                self.multicast.insert(token, id);
            }
            ClientKind::Ping => {}
        }
        let nstart = self.config.params.nstart;
        let room = self.peers.get(&peer).is_some_and(|p| p.open < nstart);
        if kind == ClientKind::Multicast || room {
            if let Err(e) = self.transmit_request(now, id) {
                self.finish_client(id);
                return Err(e);
            }
        } else if let Some(p) = self.peers.get_mut(&peer) {
            p.queue.push_back(id);
        }
        Ok(RequestId(id))
    }

    fn fresh_token(&mut self, peer: &A, kind: ClientKind) -> Result<Token, UsageError> {
        let len = usize::from(self.config.token_len.min(8));
        for _ in 0..16 {
            let mut bytes = [0u8; 8];
            self.rng.fill(&mut bytes[..len]);
            let t = Token::new(&bytes[..len]).unwrap_or(Token::EMPTY);
            // a multicast token must not be any request's, and no request
            // may take a multicast request's token (responses to both come
            // from unicast peers)
            let taken = self.multicast.contains_key(&t)
                || match kind {
                    ClientKind::Multicast => self.peers.values().any(|p| p.tokens.contains_key(&t)),
                    _ => self
                        .peers
                        .get(peer)
                        .is_some_and(|p| p.tokens.contains_key(&t)),
                };
            if !taken {
                return Ok(t);
            }
        }
        Err(UsageError::TokenInUse)
    }

    /// Sends a queued request for the first time, or holds it back while
    /// PROBING_RATE toward a silent peer does not allow it yet.
    fn transmit_request(&mut self, now: Instant, id: u64) -> Result<(), UsageError> {
        let Some(x) = self.client.get(&id) else {
            return Ok(());
        };
        let (peer, kind, len) = (x.peer.clone(), x.kind, x.datagram.len());
        if kind != ClientKind::Multicast {
            let rate = self.config.params.probing_rate;
            let p = self.ensure_peer(now, &peer)?;
            let hold = p.silent && now < p.probe_next;
            let at = p.probe_next;
            if p.silent && !hold {
                p.paced(now, len, rate);
            }
            if hold {
                // held, counting against NSTART, until the rate allows
                self.stats.paced += 1;
                if let Some(x) = self.client.get_mut(&id) {
                    if !x.open {
                        x.open = true;
                        if let Some(p) = self.peers.get_mut(&peer) {
                            p.open += 1;
                        }
                    }
                }
                self.set_client_timer(id, Some(at));
                return Ok(());
            }
        }
        let mid = self.allocate_mid(now, &peer)?;
        let interval = self.initial_timeout();
        let non_timeout = self.times.non_request_timeout;
        let multicast_timeout = self.config.multicast_timeout;
        let Some(x) = self.client.get_mut(&id) else {
            return Ok(());
        };
        x.mid = Some(mid);
        let was_open = x.open;
        x.open = x.kind != ClientKind::Multicast;
        let deadline = if x.confirmable {
            x.state = ClientState::AwaitingAck;
            x.interval = interval;
            now + interval
        } else {
            x.state = ClientState::AwaitingResponse;
            now + if x.kind == ClientKind::Multicast {
                multicast_timeout
            } else {
                non_timeout
            }
        };
        let open = x.open && !was_open;
        if let Some(p) = self.peers.get_mut(&peer) {
            p.sent.insert(mid, Sent::Request(id));
            if open {
                p.open += 1;
            }
        }
        self.queue_request(id);
        self.set_client_timer(id, Some(deadline));
        Ok(())
    }

    /// Queues the request's next transmission, unless one is waiting for
    /// `poll_transmit` already (it will carry the current Message ID).
    fn queue_request(&mut self, id: u64) {
        if self.client.get(&id).is_some_and(|x| !x.queued) && self.queue_own(Pending::Request(id)) {
            if let Some(x) = self.client.get_mut(&id) {
                x.queued = true;
            }
        }
    }

    /// A client timer set for `at` has fired.
    pub(crate) fn client_timer(&mut self, at: Instant, id: u64) {
        let max_retransmit = self.config.params.max_retransmit;
        let now = self.now;
        let Some(x) = self.client.get_mut(&id) else {
            return;
        };
        x.deadline = None;
        match x.state {
            ClientState::Queued => {
                // PROBING_RATE allows it now
                if let Err(e) = self.transmit_request(now, id) {
                    self.fail_client(id, Failure::Unsent(e));
                }
            }
            ClientState::AwaitingAck if x.retransmissions < max_retransmit => {
                // the schedule runs from the deadlines, not from a late
                // wake-up: retransmissions missed by a wake-up later than
                // the next deadline are counted as made, and one copy goes
                let mut next = at;
                loop {
                    x.retransmissions += 1;
                    x.interval = x.interval.saturating_mul(2);
                    next += x.interval;
                    if next > now || x.retransmissions >= max_retransmit {
                        break;
                    }
                }
                self.stats.retransmissions += 1;
                self.queue_request(id);
                self.set_client_timer(id, Some(next.max(now)));
            }
            ClientState::AwaitingResponse if x.kind == ClientKind::Multicast => {
                self.finish_client(id);
                self.push_event(Event::MulticastDone {
                    request: RequestId(id),
                });
            }
            _ => {
                let peer = x.peer.clone();
                if let Some(p) = self.peers.get_mut(&peer) {
                    // nothing came back: pace what follows (RFC 7252 §4.7)
                    p.silent = true;
                }
                self.fail_client(id, Failure::Timeout);
            }
        }
    }

    pub(crate) fn fail_client(&mut self, id: u64, reason: Failure) {
        if !self.client.contains_key(&id) {
            return;
        }
        self.finish_client(id);
        let now = self.now;
        self.start_queued(now);
        self.push_event(Event::RequestFailed {
            request: RequestId(id),
            reason,
        });
    }

    /// Removes a client exchange and everything pointing to it.
    pub(crate) fn finish_client(&mut self, id: u64) {
        let Some(x) = self.client.remove(&id) else {
            return;
        };
        self.request_bytes -= x.datagram.len();
        if x.kind == ClientKind::Multicast {
            self.multicast.remove(&x.token);
        }
        if let Some(p) = self.peers.get_mut(&x.peer) {
            if x.kind == ClientKind::Request {
                p.tokens.remove(&x.token);
            }
            if let Some(mid) = x.mid {
                p.sent.remove(&mid);
            }
            if x.open {
                p.open = p.open.saturating_sub(1);
            }
            p.queue.retain(|&q| q != id);
        }
    }

    /// Closes an interaction for NSTART (ACK received) without finishing
    /// the exchange.
    fn close_interaction(&mut self, id: u64) {
        if let Some(x) = self.client.get_mut(&id) {
            if x.open {
                x.open = false;
                if let Some(p) = self.peers.get_mut(&x.peer) {
                    p.open = p.open.saturating_sub(1);
                }
            }
        }
    }

    /// Sends queued requests wherever NSTART allows.
    pub(crate) fn start_queued(&mut self, now: Instant) {
        let nstart = self.config.params.nstart;
        // one request at a time, rechecking room after each: a send that
        // fails leaves its slot to the next one, in queue order
        loop {
            let next = self
                .peers
                .values_mut()
                .find(|p| p.open < nstart && !p.queue.is_empty())
                .and_then(|p| p.queue.pop_front());
            let Some(id) = next else {
                break;
            };
            if let Err(e) = self.transmit_request(now, id) {
                self.fail_client(id, Failure::Unsent(e));
            }
        }
    }

    pub(crate) fn set_client_timer(&mut self, id: u64, at: Option<Instant>) {
        let Some(x) = self.client.get_mut(&id) else {
            return;
        };
        x.deadline = at;
        self.push_timer(Timer::Client(id), at);
    }

    /// What our message with this Message ID to `peer` was, if it still
    /// waits for an ACK or RST.
    fn sent_to(&self, peer: &A, mid: u16) -> Option<Sent> {
        self.peers.get(peer).and_then(|p| p.sent.get(&mid)).copied()
    }

    pub(crate) fn on_ack(&mut self, now: Instant, from: A, msg: &Message<'_>, datagram: &[u8]) {
        let Some(sent) = self.sent_to(&from, msg.message_id) else {
            // nothing of ours: ignore (RFC 7252 §4.2)
            self.stats.unmatched += 1;
            return;
        };
        match sent {
            Sent::Separate(xid) => {
                if msg.code.is_empty() {
                    self.finish_server(xid);
                    self.push_event(Event::ResponseAcknowledged {
                        exchange: super::ExchangeId(xid),
                    });
                }
            }
            Sent::Request(id) => {
                let Some(x) = self.client.get(&id) else {
                    return;
                };
                if x.state != ClientState::AwaitingAck {
                    return;
                }
                if x.kind == ClientKind::Ping {
                    self.finish_client(id);
                    self.start_queued(now);
                    self.push_event(Event::Pong {
                        request: RequestId(id),
                    });
                    return;
                }
                if msg.code.is_empty() {
                    let deadline = now + self.times.separate_response_timeout;
                    if let Some(p) = self.peers.get_mut(&from) {
                        p.sent.remove(&msg.message_id);
                    }
                    if let Some(x) = self.client.get_mut(&id) {
                        x.state = ClientState::AwaitingResponse;
                        x.mid = None;
                    }
                    self.close_interaction(id);
                    self.set_client_timer(id, Some(deadline));
                    self.start_queued(now);
                    self.push_event(Event::Acknowledged {
                        request: RequestId(id),
                    });
                    return;
                }
                if msg.token != x.token {
                    // same Message ID, other token: not our response
                    self.stats.unmatched += 1;
                    return;
                }
                if let Some(bad) = msg.options.first_bad_critical(self.config.recognized) {
                    self.stats.bad_options += 1;
                    self.fail_client(id, Failure::BadOption(bad));
                    return;
                }
                self.deliver_response(now, id, from, msg, datagram);
            }
        }
    }

    pub(crate) fn on_reset(&mut self, from: A, mid: u16) {
        let Some(sent) = self.sent_to(&from, mid) else {
            self.stats.unmatched += 1;
            return;
        };
        match sent {
            Sent::Separate(xid) => {
                self.finish_server(xid);
                self.push_event(Event::ResponseFailed {
                    exchange: super::ExchangeId(xid),
                    reason: Failure::Reset,
                });
            }
            Sent::Request(id) => {
                let ping = self.client.get(&id).map(|x| x.kind) == Some(ClientKind::Ping);
                if ping {
                    self.finish_client(id);
                    let now = self.now;
                    self.start_queued(now);
                    self.push_event(Event::Pong {
                        request: RequestId(id),
                    });
                } else {
                    self.fail_client(id, Failure::Reset);
                }
            }
        }
    }

    /// A separate response (CON or NON).
    pub(crate) fn on_response(
        &mut self,
        now: Instant,
        from: A,
        msg: &Message<'_>,
        datagram: &[u8],
    ) {
        if self.duplicate(&from, msg) {
            return;
        }
        let id = self
            .peers
            .get(&from)
            .and_then(|p| p.tokens.get(&msg.token))
            .or_else(|| self.multicast.get(&msg.token))
            .copied()
            .filter(|id| {
                self.client
                    .get(id)
                    .is_some_and(|x| x.state != ClientState::Queued)
            });
        let con = msg.mtype == MessageType::Confirmable;
        let Some(id) = id else {
            // nobody waits for it (timed out, cancelled, unknown): RST
            self.stats.unknown_tokens += 1;
            self.remember(now, &from, msg, Reply::Reset);
            self.send_empty(from, MessageType::Reset, msg.message_id);
            return;
        };
        if let Some(bad) = msg.options.first_bad_critical(self.config.recognized) {
            self.stats.bad_options += 1;
            if con {
                self.remember(now, &from, msg, Reply::Reset);
                self.send_empty(from, MessageType::Reset, msg.message_id);
            }
            self.fail_client(id, Failure::BadOption(bad));
            return;
        }
        if !self.has_event_room() {
            // as if lost: a CON comes again
            self.stats.events_dropped += 1;
            return;
        }
        if con {
            self.remember(now, &from, msg, Reply::EmptyAck);
            self.send_empty(from.clone(), MessageType::Acknowledgement, msg.message_id);
        } else {
            self.remember(now, &from, msg, Reply::Nothing);
        }
        self.deliver_response(now, id, from, msg, datagram);
    }

    fn deliver_response(
        &mut self,
        now: Instant,
        id: u64,
        from: A,
        msg: &Message<'_>,
        datagram: &[u8],
    ) {
        if !self.has_event_room() {
            // a piggybacked response not taken: our CON is retransmitted
            // and the server answers it again
            self.stats.events_dropped += 1;
            return;
        }
        let response = OwnedMessage::from_decoded(msg, self.rx_arena.copy(datagram));
        let multicast = self.client.get(&id).map(|x| x.kind) == Some(ClientKind::Multicast);
        if !multicast {
            self.finish_client(id);
            self.start_queued(now);
        }
        self.push_event(Event::Response {
            request: RequestId(id),
            peer: from,
            response,
        });
    }
}
