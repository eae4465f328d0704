//! The append-only event log and its running digest.
//!
//! The digest is a BLAKE3 chain over the binary encoding of every event in order:
//! the bytes are buffered and folded into a 32-byte state every 64 KiB, so the digest
//! of a run does not depend on where it was snapshotted, and a run that keeps no events
//! (bulk mode) still has one.

use serde::{Deserialize, Serialize};

const FOLD_AT: usize = 64 * 1024;

/// The running digest of an event stream.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Digest {
    state: [u8; 32],
    pending: Vec<u8>,
}

impl Digest {
    /// Adds one event's bytes.
    pub fn absorb(&mut self, bytes: &[u8]) {
        self.pending
            .extend_from_slice(&(bytes.len() as u32).to_le_bytes());
        self.pending.extend_from_slice(bytes);
        if self.pending.len() >= FOLD_AT {
            self.state = self.fold();
            self.pending.clear();
        }
    }

    fn fold(&self) -> [u8; 32] {
        let mut h = blake3::Hasher::new();
        h.update(&self.state);
        h.update(&self.pending);
        *h.finalize().as_bytes()
    }

    /// The digest so far, as 64 hex digits.
    pub fn hex(&self) -> String {
        self.fold().iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// An event that can be written into the digest.
pub trait Encode {
    /// Appends a canonical binary encoding of the event to `out`.
    fn encode(&self, out: &mut Vec<u8>);
}

/// The event log: every event in order (unless keeping is off) and the digest.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EventLog<E> {
    events: Vec<E>,
    keep: bool,
    count: u64,
    digest: Digest,
    #[serde(skip)]
    scratch: Vec<u8>,
}

impl<E: Encode> EventLog<E> {
    /// A new log; `keep` says whether events are stored or only digested and counted.
    pub fn new(keep: bool) -> Self {
        EventLog {
            events: Vec::new(),
            keep,
            count: 0,
            digest: Digest::default(),
            scratch: Vec::new(),
        }
    }

    /// Appends an event.
    pub fn record(&mut self, event: E) {
        self.scratch.clear();
        event.encode(&mut self.scratch);
        self.digest.absorb(&self.scratch);
        self.count += 1;
        if self.keep {
            self.events.push(event);
        }
    }

    /// The stored events, oldest first.
    pub fn events(&self) -> &[E] {
        &self.events
    }

    /// How many events were recorded (stored or not).
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The run digest over every event so far.
    pub fn digest(&self) -> String {
        self.digest.hex()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct E(u64);
    impl Encode for E {
        fn encode(&self, out: &mut Vec<u8>) {
            out.extend_from_slice(&self.0.to_le_bytes());
        }
    }

    #[test]
    fn digest_depends_on_order_and_content_only() {
        let mut a = EventLog::new(true);
        let mut b = EventLog::new(false);
        for i in 0..20_000 {
            a.record(E(i));
            b.record(E(i));
        }
        assert_eq!(a.digest(), b.digest());
        assert_eq!(a.events().len(), 20_000);
        assert_eq!(b.events().len(), 0);
        let mut c = EventLog::new(false);
        c.record(E(1));
        c.record(E(0));
        let mut d = EventLog::new(false);
        d.record(E(0));
        d.record(E(1));
        assert_ne!(c.digest(), d.digest());
        assert_eq!(c.digest().len(), 64);
    }
}
