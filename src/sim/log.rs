//! The append-only event log and its running digest.
//!
//! The digest is a BLAKE3 chain over the binary encoding of every event in order (a
//! self-delimiting encoding, so the concatenation names the events exactly): the bytes
//! are buffered and folded into a 32-byte state every 64 KiB, so the digest of a run
//! does not depend on where it was snapshotted, and a run that keeps no events (bulk
//! mode) still has one.

use serde::{Deserialize, Serialize};

const FOLD_AT: usize = 64 * 1024;

/// The running digest of an event stream.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Digest {
    state: [u8; 32],
    pending: Vec<u8>,
}

impl Digest {
    /// Adds one event: the bytes `write` appends (a self-delimiting encoding), written
    /// straight into the pending buffer.
    #[inline]
    pub fn absorb_with(&mut self, write: impl FnOnce(&mut Vec<u8>)) {
        write(&mut self.pending);
        if self.pending.len() >= FOLD_AT {
            self.fold_pending();
        }
    }

    /// Folds the pending bytes into the state (every 64 KiB, so kept out of line).
    #[inline(never)]
    fn fold_pending(&mut self) {
        self.state = self.fold();
        self.pending.clear();
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

/// A `Hasher` that records the byte stream a derived `Hash` writes, so that the stream
/// is the same on every platform: fixed-width integers as little-endian bytes, and the
/// `usize` and `isize` writes (which carry enum discriminants and lengths, nearly always
/// small) as one byte below 255, else 0xff and the value in 8 bytes. It is the digest's
/// encoding of events: field by field, no serde machinery, no allocation. The stream of
/// a derived `Hash` is self-delimiting: discriminants come first, sequences carry their
/// length, strings end in 0xff (never a UTF-8 byte), and a short integer marks its own
/// width.
pub struct ByteSink<'a, B: Bytes = Vec<u8>>(pub &'a mut B);

/// Where a [`ByteSink`] puts its bytes.
pub trait Bytes {
    /// Appends `bytes`.
    fn put(&mut self, bytes: &[u8]);
}

impl Bytes for Vec<u8> {
    #[inline]
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}

/// Room at the end of a byte buffer for one event, written in place: most events fit
/// in [`ROOM`] bytes, and writing there costs a comparison a field instead of a growth
/// check of the buffer. A value that does not fit is marked, and [`Room::write_into`]
/// then keeps nothing of it, so that it can be written again the long way.
///
/// It replaced room on the stack copied over once full: the copy read each 16 bytes
/// back right after the narrower writes of the fields, which the processor cannot
/// forward from its store buffer, and that stall showed as a fifth of the cost of
/// recording an event.
pub struct Room<'a> {
    buf: &'a mut [u8; ROOM],
    len: usize,
}

/// Bytes an event may take in a [`Room`] (events without text take well under this).
pub const ROOM: usize = 64;

impl Room<'_> {
    /// Opens room at the end of `out` (zeroed: the buffer grows by [`ROOM`] bytes until
    /// the room is closed), writes into it with `write`, and closes it: the buffer keeps
    /// the bytes written and true, or, when they did not fit, is as it was and false.
    #[inline]
    pub fn write_into(out: &mut Vec<u8>, write: impl FnOnce(&mut Room)) -> bool {
        let start = out.len();
        out.resize(start + ROOM, 0);
        let buf: &mut [u8; ROOM] = (&mut out[start..])
            .try_into()
            .expect("the room is ROOM bytes");
        let mut room = Room { buf, len: 0 };
        write(&mut room);
        let len = room.len;
        let fits = len <= ROOM;
        out.truncate(if fits { start + len } else { start });
        fits
    }
}

impl Bytes for Room<'_> {
    #[inline]
    fn put(&mut self, bytes: &[u8]) {
        let end = self.len + bytes.len();
        match self.buf.get_mut(self.len..end) {
            Some(room) => {
                room.copy_from_slice(bytes);
                self.len = end;
            }
            // Past the end for good: closing the room then takes nothing.
            None => self.len = ROOM + 1,
        }
    }
}

impl<B: Bytes> ByteSink<'_, B> {
    /// One byte for a small value, else the escape and 8 bytes.
    #[inline]
    fn write_short(&mut self, v: u64) {
        if v < 0xff {
            self.0.put(&[v as u8]);
        } else {
            self.0.put(&[0xff]);
            self.0.put(&v.to_le_bytes());
        }
    }
}

impl<B: Bytes> std::hash::Hasher for ByteSink<'_, B> {
    fn finish(&self) -> u64 {
        0
    }
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        self.0.put(bytes);
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.0.put(&[i]);
    }
    #[inline]
    fn write_u16(&mut self, i: u16) {
        self.0.put(&i.to_le_bytes());
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.0.put(&i.to_le_bytes());
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.0.put(&i.to_le_bytes());
    }
    #[inline]
    fn write_u128(&mut self, i: u128) {
        self.0.put(&i.to_le_bytes());
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.write_short(i as u64);
    }
    // The other signed writes default to the unsigned ones above; `isize` is
    // sign-extended to 64 bits so that 32-bit hosts write the same stream.
    #[inline]
    fn write_isize(&mut self, i: isize) {
        self.write_short(i as i64 as u64);
    }
}

/// An event that can be written into the digest.
pub trait Encode {
    /// Appends a canonical binary encoding of the event to `out`. It must be
    /// self-delimiting (no event's encoding a prefix of another's), as events are
    /// digested back to back without a length.
    fn encode(&self, out: &mut Vec<u8>);
}

/// The event log: every event in order (unless keeping is off) and the digest.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EventLog<E> {
    events: Vec<E>,
    keep: bool,
    count: u64,
    digest: Digest,
}

impl<E: Encode> EventLog<E> {
    /// A new log; `keep` says whether events are stored or only digested and counted.
    pub fn new(keep: bool) -> Self {
        EventLog {
            events: Vec::new(),
            keep,
            count: 0,
            digest: Digest::default(),
        }
    }

    /// Appends an event.
    #[inline]
    pub fn record(&mut self, event: E) {
        self.record_parts(event, |event, out| event.encode(out), |event| event);
    }

    /// Appends an event given as `parts`, which `encode` writes into the digest and,
    /// only when the log keeps events, `build` turns into the event: a run that keeps
    /// none never moves the parts into an event.
    #[inline]
    pub fn record_parts<P>(
        &mut self,
        parts: P,
        encode: impl FnOnce(&P, &mut Vec<u8>),
        build: impl FnOnce(P) -> E,
    ) {
        self.digest.absorb_with(|out| encode(&parts, out));
        self.count += 1;
        if self.keep {
            self.events.push(build(parts));
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
    fn short_integers_take_one_byte_and_others_escape() {
        use std::hash::Hasher;
        let mut out = Vec::new();
        let mut sink = ByteSink(&mut out);
        sink.write_usize(3);
        sink.write_isize(254);
        sink.write_usize(255);
        sink.write_isize(-1);
        let mut expected = vec![3u8, 254, 0xff];
        expected.extend_from_slice(&255u64.to_le_bytes());
        expected.push(0xff);
        expected.extend_from_slice(&u64::MAX.to_le_bytes());
        assert_eq!(out, expected);
    }

    #[test]
    fn room_keeps_what_fits_and_refuses_the_rest() {
        let mut out = vec![7u8];
        assert!(Room::write_into(&mut out, |room| {
            room.put(&[1, 2, 3]);
            room.put(&[4]);
        }));
        assert_eq!(out, [7, 1, 2, 3, 4]);
        assert!(Room::write_into(&mut out, |room| room.put(&[9; ROOM])));
        assert_eq!(out.len(), 5 + ROOM, "a value of exactly the room fits");
        out.truncate(5);
        assert!(!Room::write_into(&mut out, |room| {
            room.put(&[0; ROOM]);
            room.put(&[5]);
            room.put(&[6]);
        }));
        assert_eq!(out, [7, 1, 2, 3, 4], "nothing appended once past the room");
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
