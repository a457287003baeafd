//! What arrives on a socket, shared between the transport's callbacks and the threads using the
//! socket: the connection's state, the pushes in arrival order, and the outcome pushes claimed by
//! operations in flight.

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::push::Push;

/// Where the connection stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Connection {
    /// The handshake is under way.
    Connecting,
    /// The server accepted the connection.
    Connected,
    /// The connection dropped at `since`; the transport is trying to make it again.
    Lost {
        /// When it dropped.
        since: Instant,
        /// What happened.
        reason: String,
    },
    /// The server refused the handshake.
    Refused(String),
    /// The socket was closed, by this side or by the server.
    Closed(String),
}

/// An operation in flight waiting for its `.completed` or `.failed` push.
struct Claim {
    id: u64,
    /// The connection it was sent on: a claim outlives no reconnect.
    generation: u64,
    /// Push names that settle it (`persona.search.completed`, `persona.search.failed`, ...).
    outcomes: Vec<String>,
    outcome: Option<Push>,
}

#[derive(Default)]
struct State {
    connection: Option<Connection>,
    pushes: VecDeque<Push>,
    claims: Vec<Claim>,
    next_claim: u64,
    /// How many times the connection was lost.
    generation: u64,
}

/// The shared state and the condition variable every change signals.
#[derive(Default)]
pub(crate) struct Inbox {
    state: Mutex<State>,
    changed: Condvar,
}

/// What a wait for the connection found.
pub(crate) enum Ready {
    /// Connected: go ahead.
    Connected,
    /// Not usable, and it will not become usable: the reason.
    Gone(String),
    /// Not usable yet.
    NotYet,
}

impl Inbox {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves the state consistent (every update is one
        // assignment or push), so a poisoned lock is still usable.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn wait_until<'a>(
        &self,
        guard: MutexGuard<'a, State>,
        deadline: Instant,
    ) -> (MutexGuard<'a, State>, bool) {
        let now = Instant::now();
        if now >= deadline {
            return (guard, false);
        }
        let (guard, result) = self
            .changed
            .wait_timeout(guard, deadline - now)
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        (guard, !result.timed_out())
    }

    /// Records a change of the connection. A refusal or a close is final.
    pub(crate) fn set_connection(&self, connection: Connection) {
        let mut state = self.lock();
        if matches!(
            state.connection,
            Some(Connection::Refused(_) | Connection::Closed(_))
        ) {
            return;
        }
        if let (Some(Connection::Lost { .. }), Connection::Lost { .. }) =
            (&state.connection, &connection)
        {
            return;
        }
        if matches!(connection, Connection::Lost { .. }) {
            state.generation += 1;
        }
        state.connection = Some(connection);
        self.changed.notify_all();
    }

    /// Marks the connection lost, if it was up.
    pub(crate) fn lose(&self, reason: String) {
        let connected = matches!(self.lock().connection, Some(Connection::Connected));
        if connected {
            self.set_connection(Connection::Lost {
                since: Instant::now(),
                reason,
            });
        }
    }

    /// The connection's state.
    pub(crate) fn connection(&self) -> Option<Connection> {
        self.lock().connection.clone()
    }

    /// Waits until the handshake is answered or `deadline` passes.
    pub(crate) fn wait_for_handshake(&self, deadline: Instant) -> Option<Connection> {
        let mut state = self.lock();
        loop {
            match &state.connection {
                Some(Connection::Connecting) | None => {}
                Some(other) => return Some(other.clone()),
            }
            let (next, signalled) = self.wait_until(state, deadline);
            state = next;
            if !signalled && Instant::now() >= deadline {
                return state.connection.clone();
            }
        }
    }

    /// Waits until the connection is usable, for at most until `deadline`; a connection lost
    /// for longer than `patience` is gone.
    pub(crate) fn wait_connected(&self, deadline: Instant, patience: Duration) -> Ready {
        let mut state = self.lock();
        loop {
            match readiness(state.connection.as_ref(), patience) {
                Ready::NotYet => {}
                ready => return ready,
            }
            let (next, _) = self.wait_until(state, deadline.min(Instant::now() + patience));
            state = next;
            if Instant::now() >= deadline {
                return readiness(state.connection.as_ref(), patience);
            }
        }
    }

    /// Takes a push that arrived: to the operation that claimed it, else to the queue.
    pub(crate) fn deliver(&self, push: Push) {
        let mut state = self.lock();
        let claim = state
            .claims
            .iter_mut()
            .find(|claim| claim.outcome.is_none() && claim.outcomes.contains(&push.event));
        match claim {
            Some(claim) => claim.outcome = Some(push),
            None => state.pushes.push_back(push),
        }
        self.changed.notify_all();
    }

    /// Registers an operation waiting for one of `outcomes`; returns its id.
    pub(crate) fn claim(&self, outcomes: Vec<String>) -> u64 {
        let mut state = self.lock();
        state.next_claim += 1;
        let id = state.next_claim;
        let generation = state.generation;
        state.claims.push(Claim {
            id,
            generation,
            outcomes,
            outcome: None,
        });
        id
    }

    /// Waits for claim `id`'s outcome until `deadline`, and removes the claim. `Err` with the
    /// reason when the connection dropped before the outcome came (the server may or may not
    /// have run the operation), or is gone for good.
    pub(crate) fn settle(
        &self,
        id: u64,
        deadline: Instant,
        patience: Duration,
    ) -> Result<Option<Push>, String> {
        let mut state = self.lock();
        let result = loop {
            let index = state.claims.iter().position(|claim| claim.id == id);
            if let Some(push) = index.and_then(|i| state.claims[i].outcome.take()) {
                break Ok(Some(push));
            }
            if index.is_some_and(|i| state.claims[i].generation != state.generation) {
                break Err("the connection dropped before the outcome arrived".to_owned());
            }
            if let Ready::Gone(reason) = readiness(state.connection.as_ref(), patience) {
                break Err(reason);
            }
            let (next, _) = self.wait_until(state, deadline.min(Instant::now() + patience));
            state = next;
            if Instant::now() >= deadline {
                let index = state.claims.iter().position(|claim| claim.id == id);
                break Ok(index.and_then(|i| state.claims[i].outcome.take()));
            }
        };
        state.claims.retain(|claim| claim.id != id);
        result
    }

    /// The next push, waiting until `deadline`. `Err` with the reason when none is queued and
    /// the connection is gone for good.
    pub(crate) fn next_push(
        &self,
        deadline: Instant,
        patience: Duration,
    ) -> Result<Option<Push>, String> {
        let mut state = self.lock();
        loop {
            if let Some(push) = state.pushes.pop_front() {
                return Ok(Some(push));
            }
            if let Ready::Gone(reason) = readiness(state.connection.as_ref(), patience) {
                return Err(reason);
            }
            if Instant::now() >= deadline {
                return Ok(None);
            }
            let (next, _) = self.wait_until(state, deadline.min(Instant::now() + patience));
            state = next;
        }
    }
}

fn readiness(connection: Option<&Connection>, patience: Duration) -> Ready {
    match connection {
        Some(Connection::Connected) => Ready::Connected,
        Some(Connection::Refused(message)) => {
            Ready::Gone(format!("the server refused it: {message}"))
        }
        Some(Connection::Closed(reason)) => Ready::Gone(reason.clone()),
        Some(Connection::Lost { since, reason }) if since.elapsed() >= patience => {
            Ready::Gone(format!("{reason}; not back within {patience:?}"))
        }
        _ => Ready::NotYet,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn push(event: &str) -> Push {
        Push {
            event: event.into(),
            payload: json!({}),
        }
    }

    #[test]
    fn pushes_are_queued_in_arrival_order_and_claims_take_only_their_outcomes() {
        let inbox = Inbox::default();
        inbox.set_connection(Connection::Connected);
        let id = inbox.claim(vec!["a.run.completed".into(), "a.run.failed".into()]);
        inbox.deliver(push("a.run.started"));
        inbox.deliver(push("b.run.completed"));
        inbox.deliver(push("a.run.completed"));
        let soon = Instant::now() + Duration::from_millis(10);
        let patience = Duration::from_secs(1);
        assert_eq!(
            inbox.settle(id, soon, patience).unwrap(),
            Some(push("a.run.completed"))
        );
        assert_eq!(
            inbox.next_push(soon, patience).unwrap(),
            Some(push("a.run.started"))
        );
        assert_eq!(
            inbox.next_push(soon, patience).unwrap(),
            Some(push("b.run.completed"))
        );
        assert_eq!(inbox.next_push(soon, patience).unwrap(), None);
    }

    #[test]
    fn a_claim_fails_when_the_connection_drops_before_its_outcome() {
        let inbox = Inbox::default();
        inbox.set_connection(Connection::Connected);
        let id = inbox.claim(vec!["a.run.completed".into()]);
        inbox.lose("gone".into());
        inbox.set_connection(Connection::Connected);
        let later = Instant::now() + Duration::from_secs(5);
        assert_eq!(
            inbox.settle(id, later, Duration::from_secs(1)),
            Err("the connection dropped before the outcome arrived".into())
        );
    }

    #[test]
    fn a_refused_connection_stays_refused_and_ends_waits() {
        let inbox = Inbox::default();
        inbox.set_connection(Connection::Refused("no".into()));
        inbox.set_connection(Connection::Connected);
        let later = Instant::now() + Duration::from_secs(5);
        assert_eq!(
            inbox.next_push(later, Duration::from_secs(1)),
            Err("the server refused it: no".into())
        );
    }

    #[test]
    fn a_lost_connection_is_gone_after_the_patience() {
        let inbox = Inbox::default();
        inbox.set_connection(Connection::Connected);
        inbox.lose("server went away".into());
        let patience = Duration::from_millis(30);
        let started = Instant::now();
        let result = inbox.next_push(started + Duration::from_secs(5), patience);
        assert_eq!(result, Err("server went away; not back within 30ms".into()));
        assert!(started.elapsed() < Duration::from_secs(1));
    }
}
