//! The append-only event log and its running digest.
//!
//! The digest fingerprints every event (XXH3-64 of its self-delimiting binary
//! encoding, which starts with its instant) and adds up, over one day, the fingerprints
//! and, in a second lane, their SplitMix64 finalisation (both wrapping), with the day's
//! event count: a day's sum does not depend on the order of its events, nor on when
//! they were added. Each day that has events is then chained, in day order, into a
//! BLAKE3 state (state, day, count, sums). The digest changes when any event changes
//! (its time, kind or any field), and is the same whether the events of a day are made
//! in one order or another, kept or not (bulk runs), or split by a snapshot: the open
//! days travel with the snapshot.
//!
//! Days stay open (unchained) for [`OPEN_DAYS`] behind the newest: the engine may
//! record an event of a past day late (a notice computed in closed form, recorded when
//! its domain is next touched; see `ops::timeline`), and a late event must find its day
//! still open.

use super::chunked::Chunked;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// How many days behind the newest event's day stay open for late events. A late event
/// is a domain's notice recorded by the time its next milestone fires, which policy
/// bounds (every period is at most `model::tld::MAX_DAYS` = 10,000 days; a notice and
/// the next milestone lie within four such periods of each other).
pub(crate) const OPEN_DAYS: i64 = 4 * 10_000 + 2;

/// One open day's count and sums.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Day {
    day: i64,
    count: u64,
    sums: [u64; 2],
}

impl Day {
    fn add(&mut self, bytes: &[u8]) {
        let h = xxhash_rust::xxh3::xxh3_64(bytes);
        self.sums[0] = self.sums[0].wrapping_add(h);
        self.sums[1] = self.sums[1].wrapping_add(crate::sim::rng::mix64(h));
        self.count += 1;
    }
}

/// The running digest of an event stream.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Digest {
    /// The chain over the days closed so far.
    chain: [u8; 32],
    /// Days before the newest that are still open, oldest first, one entry a day (days
    /// without events included, and skipped when chained), so that a late event finds
    /// its day by subtraction.
    open: VecDeque<Day>,
    /// The newest day (days since the epoch).
    day: i64,
    /// Events of the newest day.
    count: u64,
    /// The newest day's sums of its events' fingerprints and of their finalisations,
    /// over the events already fingerprinted.
    sums: [u64; 2],
    /// Encodings of the newest day's events not yet fingerprinted, back to back, and
    /// where each ends. Fingerprinting waits until [`BATCH`] bytes gather: read right
    /// after the encoder's narrow stores, an event's bytes stalled the processor (a
    /// store cannot be forwarded to a wider load), which cost a sixth of a bulk run.
    pending: Vec<u8>,
    ends: Vec<u32>,
    /// Encodings of late events (of days before the newest) not yet fingerprinted, and
    /// for each where it ends and its day: fingerprinted together as the newest day's.
    late: Vec<u8>,
    late_ends: Vec<(u32, i64)>,
}

/// Bytes of encoded events fingerprinted together.
const BATCH: usize = 16 * 1024;

impl Digest {
    /// Adds one event of day `day`: the bytes `write` appends (a self-delimiting
    /// encoding). An event of a later day than the newest opens that day; one of an
    /// earlier day (a late event) joins its day, which is still open.
    #[inline]
    pub(crate) fn absorb_with(&mut self, day: i64, write: impl FnOnce(&mut Vec<u8>)) {
        if day != self.day {
            if day < self.day {
                return self.absorb_late(day, write);
            }
            self.close_day(day);
        }
        write(&mut self.pending);
        self.ends.push(self.pending.len() as u32);
        self.count += 1;
        if self.pending.len() >= BATCH {
            self.fingerprint_pending();
        }
    }

    /// Adds an event of a day before the newest (its day is still open: see
    /// [`OPEN_DAYS`]).
    #[inline]
    fn absorb_late(&mut self, day: i64, write: impl FnOnce(&mut Vec<u8>)) {
        // A day already chained (only a damaged snapshot's owed notices could reach one)
        // is opened again rather than refused: the digest then differs, nothing panics.
        write(&mut self.late);
        self.late_ends.push((self.late.len() as u32, day));
        if self.late.len() >= BATCH {
            self.fingerprint_late();
        }
    }

    /// Fingerprints the pending late events into their days.
    #[inline(never)]
    fn fingerprint_late(&mut self) {
        add_late(&mut self.open, &self.late, &self.late_ends);
        self.late.clear();
        self.late_ends.clear();
    }

    /// The newest day's sums with the pending events fingerprinted into `sums`.
    fn add_pending(&self, mut sums: [u64; 2]) -> [u64; 2] {
        let mut start = 0;
        for &end in &self.ends {
            let h = xxhash_rust::xxh3::xxh3_64(&self.pending[start..end as usize]);
            sums[0] = sums[0].wrapping_add(h);
            sums[1] = sums[1].wrapping_add(crate::sim::rng::mix64(h));
            start = end as usize;
        }
        sums
    }

    /// Fingerprints the pending events into the newest day's sums.
    #[inline(never)]
    fn fingerprint_pending(&mut self) {
        self.sums = self.add_pending(self.sums);
        self.pending.clear();
        self.ends.clear();
    }

    /// The newest day as an open day, its pending events fingerprinted.
    fn newest(&self) -> Day {
        Day {
            day: self.day,
            count: self.count,
            sums: self.add_pending(self.sums),
        }
    }

    /// Makes `next` the newest day: the newest so far joins the open days (when it has
    /// events), and open days more than [`OPEN_DAYS`] behind `next` are chained.
    #[inline(never)]
    fn close_day(&mut self, next: i64) {
        debug_assert!(next > self.day || self.count == 0, "event days go forward");
        self.fingerprint_late();
        if self.count > 0 {
            let newest = self.newest();
            *day_entry(&mut self.open, newest.day) = newest;
        }
        while let Some(old) = self.open.front().filter(|d| d.day < next - OPEN_DAYS) {
            if old.count > 0 {
                self.chain = chained(&self.chain, old);
            }
            self.open.pop_front();
        }
        self.day = next;
        self.count = 0;
        self.sums = [0, 0];
        self.pending.clear();
        self.ends.clear();
    }

    /// The chain with the open days and the newest folded in.
    fn folded(&self) -> [u8; 32] {
        let mut chain = self.chain;
        let mut open = self.open.clone();
        add_late(&mut open, &self.late, &self.late_ends);
        for d in open.iter().filter(|d| d.count > 0) {
            chain = chained(&chain, d);
        }
        if self.count > 0 {
            chain = chained(&chain, &self.newest());
        }
        chain
    }

    /// Checks a decoded digest state: the pending encodings end where their ends say,
    /// the late events are of open days before the newest, and the open days are one a
    /// day before it. A damaged snapshot is refused rather than panicking later.
    pub(crate) fn validate(&self) -> Result<(), String> {
        let bad = |what: &str| Err(format!("the digest's {what} are damaged"));
        if !ends_ordered(self.ends.iter().copied(), self.pending.len()) {
            return bad("pending events");
        }
        if !ends_ordered(self.late_ends.iter().map(|e| e.0), self.late.len())
            || !self
                .late_ends
                .iter()
                .all(|(_, d)| *d < self.day && self.day.saturating_sub(*d) <= OPEN_DAYS)
        {
            return bad("late events");
        }
        let first = self.open.front().map_or(self.day, |d| d.day);
        let contiguous = self
            .open
            .iter()
            .enumerate()
            .all(|(i, d)| d.day == first.saturating_add(i as i64) && d.day < self.day);
        if !contiguous || self.day.saturating_sub(first) > 2 * OPEN_DAYS {
            return bad("open days");
        }
        Ok(())
    }

    /// The digest so far, as 64 hex digits.
    pub(crate) fn hex(&self) -> String {
        self.folded().iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// Whether encoding ends go forward and stay within `len` bytes.
fn ends_ordered(ends: impl Iterator<Item = u32>, len: usize) -> bool {
    let mut last = 0;
    ends.into_iter().all(|e| {
        let ok = e >= last && e as usize <= len;
        last = e;
        ok
    })
}

/// Adds late events (encodings back to back in `bytes`, each with where it ends and its
/// day) to their open days, opening a day that has none yet.
fn add_late(open: &mut VecDeque<Day>, bytes: &[u8], ends: &[(u32, i64)]) {
    let mut start = 0;
    for &(end, day) in ends {
        day_entry(open, day).add(&bytes[start..end as usize]);
        start = end as usize;
    }
}

/// The entry of day `day` among the open days (one a day, in order), adding empty days
/// before or after them to reach it.
fn day_entry(open: &mut VecDeque<Day>, day: i64) -> &mut Day {
    let empty = |day| Day {
        day,
        ..Day::default()
    };
    let Some(first) = open.front().map(|d| d.day) else {
        open.push_back(empty(day));
        return &mut open[0];
    };
    for d in (day..first).rev() {
        open.push_front(empty(d));
    }
    let first = first.min(day);
    while first + (open.len() as i64) <= day {
        open.push_back(empty(first + open.len() as i64));
    }
    &mut open[(day - first) as usize]
}

/// The chain state `chain` followed by day `d`.
fn chained(chain: &[u8; 32], d: &Day) -> [u8; 32] {
    let mut h = blake3::Hasher::new();
    h.update(chain);
    h.update(&d.day.to_le_bytes());
    h.update(&d.count.to_le_bytes());
    h.update(&d.sums[0].to_le_bytes());
    h.update(&d.sums[1].to_le_bytes());
    *h.finalize().as_bytes()
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
pub(crate) const ROOM: usize = 64;

impl Room<'_> {
    /// Opens room at the end of `out` (zeroed: the buffer grows by [`ROOM`] bytes until
    /// the room is closed), writes into it with `write`, and closes it: the buffer keeps
    /// the bytes written and true, or, when they did not fit, is as it was and false.
    #[inline]
    pub(crate) fn write_into(out: &mut Vec<u8>, write: impl FnOnce(&mut Room)) -> bool {
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

/// The event log: every event in order (unless keeping is off) and the digest. Kept
/// events are stored compactly ([`Chunked`], a few bytes each instead of a 64-byte
/// struct) and decoded on demand; each chunk notes the day of its first event, so that
/// a reader of a time window starts near it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EventLog<E> {
    kept: Chunked<E>,
    keep: bool,
    count: u64,
    digest: Digest,
}

impl<E: Encode + Serialize + serde::de::DeserializeOwned> EventLog<E> {
    /// A new log; `keep` says whether events are stored or only digested and counted.
    pub fn new(keep: bool) -> Self {
        EventLog {
            kept: Chunked::default(),
            keep,
            count: 0,
            digest: Digest::default(),
        }
    }

    /// Appends an event of day `day` (days since the epoch).
    #[inline]
    pub fn record(&mut self, day: i64, event: E) {
        if self.digest_event(day, |out| event.encode(out)) {
            self.keep_event(day, &event);
        }
    }

    /// Digests and counts an event of day `day` whose encoding `encode` writes, and says
    /// whether the log keeps events: if so, the caller then hands the event to
    /// [`EventLog::keep_event`]. Split so that a run that keeps none never builds or
    /// moves an event, only encodes it.
    #[inline]
    pub(crate) fn digest_event(&mut self, day: i64, encode: impl FnOnce(&mut Vec<u8>)) -> bool {
        self.digest.absorb_with(day, encode);
        self.count += 1;
        self.keep
    }

    /// Stores one event of day `day` (out of line: bulk runs never call it).
    #[inline(never)]
    pub(crate) fn keep_event(&mut self, day: i64, event: &E) {
        self.kept.push(day, event);
    }

    /// Stops keeping events, dropping those kept (the count and digest go on).
    pub(crate) fn stop_keeping(&mut self) {
        self.keep = false;
        self.kept.clear();
    }

    /// The kept events, oldest first, decoded one by one.
    pub fn events(&self) -> impl Iterator<Item = E> + '_ {
        self.kept.iter()
    }

    /// The kept events from the first chunk that may hold events of day `day` on
    /// (events of earlier days may come first: the caller skips them).
    pub(crate) fn events_near_day(&self, day: i64) -> impl Iterator<Item = E> + '_ {
        self.kept.iter_near(day)
    }

    /// How many events are kept.
    pub fn kept(&self) -> u64 {
        self.kept.len()
    }

    /// How many events were recorded (stored or not). Notices a world owes in closed
    /// form are not yet among them: `World::event_total` records them first.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Checks a decoded log's digest state (see [`Digest::validate`]).
    pub(crate) fn validate(&self) -> Result<(), String> {
        self.digest.validate()
    }

    /// The run digest over every event recorded so far (`World::digest` records the
    /// notices a world owes in closed form first).
    pub fn digest(&self) -> String {
        self.digest.hex()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
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
    fn damaged_digest_states_are_refused() {
        let mut log: EventLog<E> = EventLog::new(false);
        log.record(5, E(1));
        log.record(9, E(2));
        assert!(log.validate().is_ok());
        let mut d = log.digest.clone();
        d.ends.push(10_000);
        assert!(d.validate().is_err(), "an end past the pending bytes");
        let mut d = log.digest.clone();
        d.late_ends.push((0, i64::MIN));
        assert!(d.validate().is_err(), "a late event of a day long closed");
        let mut d = log.digest.clone();
        d.open.push_back(Day {
            day: 3,
            ..Day::default()
        });
        assert!(d.validate().is_err(), "open days out of order");
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
    fn digest_depends_on_days_and_content_not_order_within_a_day() {
        let run = |events: &[(i64, u64)], keep: bool| {
            let mut log = EventLog::new(keep);
            for &(day, v) in events {
                log.record(day, E(v));
            }
            log
        };
        let many: Vec<(i64, u64)> = (0..20_000).map(|i| (i / 1_000, i as u64)).collect();
        let (a, b) = (run(&many, true), run(&many, false));
        assert_eq!(a.digest(), b.digest());
        assert_eq!((a.kept(), b.kept()), (20_000, 0));
        assert!(
            a.events().map(|e| e.0).eq(0..20_000),
            "kept in order, read back"
        );
        // Reading from a day starts at the chunk that holds it.
        assert_eq!(a.events_near_day(7).next(), Some(E(0)));
        // Within a day, order does not matter; across days, and content, it does.
        let base = run(&[(1, 0), (1, 1), (2, 2)], false).digest();
        assert_eq!(run(&[(1, 1), (1, 0), (2, 2)], false).digest(), base);
        assert_ne!(run(&[(1, 0), (2, 1), (2, 2)], false).digest(), base);
        assert_ne!(run(&[(1, 0), (1, 1), (2, 3)], false).digest(), base);
        assert_ne!(run(&[(1, 0), (1, 1), (1, 1), (2, 2)], false).digest(), base);
        assert_eq!(base.len(), 64);
        // Late events (of a day before the newest, still open) count as if made in order,
        // whether fingerprinted in a batch or read before.
        let mut late = run(&[(1, 0), (2, 2)], false);
        late.record(1, E(1));
        assert_eq!(late.digest(), base);
        let mut late = run(&[(2, 2)], false);
        late.record(1, E(0));
        late.record(1, E(1));
        late.record(3, E(3));
        let mut in_order = run(&[(1, 0), (1, 1), (2, 2)], false);
        in_order.record(3, E(3));
        assert_eq!(late.digest(), in_order.digest());
        assert!(late.validate().is_ok());
        // A digest taken mid-day, then more events: the same as without the look.
        let mut split = run(&[(1, 0)], false);
        let _ = split.digest();
        split.record(1, E(1));
        split.record(2, E(2));
        assert_eq!(split.digest(), base);
    }
}
