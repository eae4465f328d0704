//! The timer queue: day buckets with O(1) scheduling and generation-counter
//! cancellation, drained in a total order (time, then scheduling sequence).
//!
//! A timer names a target (a dense id in some table), the generation of that target
//! when it was scheduled, and a kind. Cancelling is done by the owner bumping its
//! generation: stale timers are skipped when they come due, so cancelling costs
//! nothing here.
//!
//! A bucket holds its timers in 16 bytes each (`Packed`): the bucket gives the day,
//! so a timer keeps only its second of that day. Ten million domains keep about as many
//! timers pending.

use super::time::{DAY, Time};
use serde::{Deserialize, Serialize};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

/// Bits of a packed key that hold the second of the day (86,400 < 2^17).
const SECOND_BITS: u32 = 17;
/// Bits of a packed key that hold the scheduling sequence.
const SEQ_BITS: u32 = 64 - SECOND_BITS - 8;
/// Sequences at or past this are renumbered before they would overflow their bits.
const SEQ_LIMIT: u64 = 1 << SEQ_BITS;

/// One scheduled timer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timer {
    /// When it is due.
    pub at: Time,
    /// The scheduling sequence (high 56 bits), which breaks ties between timers due at
    /// the same instant, and the kind (low 8 bits).
    order: u64,
    /// Dense id of the target (a domain, a profile, ...), interpreted by the kind.
    pub target: u32,
    /// The target's generation when scheduled; a different current generation means
    /// the timer was cancelled.
    pub generation: u32,
}

impl Timer {
    fn key(&self) -> (Time, u64) {
        (self.at, self.order)
    }

    /// What to do; the meaning belongs to the layer that schedules it.
    pub fn kind(&self) -> u8 {
        self.order as u8
    }
}

impl PartialOrd for Timer {
    fn partial_cmp(&self, other: &Timer) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Timers order by (time, sequence); the sequence is unique.
impl Ord for Timer {
    fn cmp(&self, other: &Timer) -> std::cmp::Ordering {
        self.key().cmp(&other.key())
    }
}

/// A timer inside a day bucket: `key` packs the second of the bucket's day (high 17
/// bits), the scheduling sequence (39 bits) and the kind (low 8 bits), so that one
/// integer comparison orders a day's timers by (time, sequence).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
struct Packed {
    key: u64,
    target: u32,
    generation: u32,
}

impl Packed {
    fn new(second: i64, seq: u64, kind: u8, target: u32, generation: u32) -> Packed {
        debug_assert!((0..DAY).contains(&second) && seq < SEQ_LIMIT);
        Packed {
            key: ((second as u64) << (SEQ_BITS + 8)) | (seq << 8) | u64::from(kind),
            target,
            generation,
        }
    }

    /// The second of the bucket's day.
    fn second(self) -> i64 {
        (self.key >> (SEQ_BITS + 8)) as i64
    }

    /// The full timer, given the day (since the epoch) of its bucket.
    fn unpack(self, day: i64) -> Timer {
        Timer {
            at: Time(day * DAY + self.second()),
            order: self.key & ((SEQ_LIMIT << 8) - 1),
            target: self.target,
            generation: self.generation,
        }
    }
}

/// Day-bucketed timer queue.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Timers {
    /// Day index (days since epoch) of `buckets[0]`.
    base_day: i64,
    /// One bucket per day from `base_day`. The front bucket is kept sorted in ascending
    /// (time, seq) order from `head` on while it is being drained.
    buckets: VecDeque<Vec<Packed>>,
    /// Whether the front bucket is currently sorted.
    front_sorted: bool,
    /// Timers of the front bucket before this index have been popped.
    head: usize,
    /// Timers scheduled into the front bucket after it was sorted: a min-heap, so that
    /// scheduling while a day drains never shifts the sorted bucket.
    late: BinaryHeap<Reverse<Packed>>,
    /// Timers scheduled for a time before the front bucket's day (they come due at
    /// once, before every bucketed timer, in (time, seq) order).
    overdue: BinaryHeap<Reverse<Timer>>,
    next_seq: u64,
    len: usize,
    /// Room for sorting a day (kept between days so that sorting allocates nothing).
    #[serde(skip)]
    scratch: Vec<Packed>,
}

/// Buckets at least this long are sorted by counting passes, shorter ones by comparison.
const RADIX_FROM: usize = 256;

/// Sorts a day's timers into (second, sequence) order. A day already in order is left
/// as it is. Timers enter a bucket in scheduling order, so a stable sort by the second
/// alone (two counting passes, over its low 9 and high 8 bits) gives that order in
/// linear time. The result is checked, and a bucket found out of order is sorted by
/// comparison instead, so the order never depends on how the bucket was filled.
/// Kept out of line: inlined, its 4 KiB of counting array gave `pop_due`, which runs for
/// every timer, a frame past one page and so a stack probe on every call (8% of a 1M run
/// sat on it; 2% with the sort out of line, plus 3% in the sort).
#[inline(never)]
fn sort_day(bucket: &mut [Packed], scratch: &mut Vec<Packed>) {
    let sorted = |b: &[Packed]| b.windows(2).all(|w| w[0].key < w[1].key);
    // A day whose timers came in time order (the first inversion usually shows within a
    // few timers, so the look is cheap).
    if sorted(bucket) {
        return;
    }
    if bucket.len() >= RADIX_FROM {
        scratch.clear();
        scratch.resize(bucket.len(), Packed::default());
        counting_pass(bucket, scratch, 0, 9);
        counting_pass(scratch, bucket, 9, 8);
        if sorted(bucket) {
            return;
        }
    }
    bucket.sort_unstable_by_key(|p| p.key);
}

/// One stable counting pass from `from` into `to` by `bits` bits of the second, from
/// bit `shift`.
fn counting_pass(from: &[Packed], to: &mut [Packed], shift: u32, bits: u32) {
    let digit = |p: &Packed| ((p.key >> (SEQ_BITS + 8 + shift)) as usize) & ((1 << bits) - 1);
    let mut starts = [0usize; 1 << 9];
    for p in from {
        starts[digit(p)] += 1;
    }
    let mut sum = 0;
    for s in starts.iter_mut() {
        let n = *s;
        *s = sum;
        sum += n;
    }
    for p in from {
        let d = digit(p);
        to[starts[d]] = *p;
        starts[d] += 1;
    }
}

impl Timers {
    /// An empty queue whose first bucket is the day of `start`.
    pub fn new(start: Time) -> Timers {
        Timers {
            base_day: start.day_index(),
            ..Timers::default()
        }
    }

    /// Number of timers held, stale ones included.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Checks a decoded queue's own consistency, so that a damaged snapshot is refused
    /// rather than panicking the queue later: the count, the drain position, every
    /// packed instant within its day, sequence numbers below the limit, and instants on
    /// the clock.
    pub fn validate(&self) -> Result<(), String> {
        let bucketed: usize = self.buckets.iter().map(Vec::len).sum();
        let front = self.buckets.front().map_or(0, Vec::len);
        let held = (self.overdue.len() + self.late.len() + bucketed).checked_sub(self.head);
        if self.head > front || held != Some(self.len) {
            return Err("the timer queue's count does not match its timers".into());
        }
        if self.next_seq > SEQ_LIMIT
            || !(0..=crate::sim::time::MAX_TIME.0 / DAY).contains(&self.base_day)
        {
            return Err("the timer queue's clock is off".into());
        }
        let packed_ok = |p: &Packed| p.second() < DAY;
        let ok = self.buckets.iter().flatten().all(packed_ok)
            && self.late.iter().all(|r| packed_ok(&r.0))
            && self
                .overdue
                .iter()
                .all(|r| (0..=crate::sim::time::MAX_TIME.0).contains(&r.0.at.0));
        if !ok {
            return Err("a timer lies off the clock".into());
        }
        Ok(())
    }

    /// True when no timer is held.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Schedules a timer; returns its sequence number (the sequence restarts when it
    /// would outgrow its bits, see `Timers::renumber`). A time before the first
    /// bucket comes due at once, still in (time, seq) order.
    pub fn schedule(&mut self, at: Time, target: u32, generation: u32, kind: u8) -> u64 {
        if self.next_seq >= SEQ_LIMIT {
            self.renumber();
        }
        let seq = self.next_seq;
        self.next_seq += 1;
        self.len += 1;
        let offset = at.day_index() - self.base_day;
        if offset < 0 {
            self.overdue.push(Reverse(Timer {
                at,
                order: (seq << 8) | u64::from(kind),
                target,
                generation,
            }));
            return seq;
        }
        let offset = offset as usize;
        let timer = Packed::new(at.0.rem_euclid(DAY), seq, kind, target, generation);
        if offset >= self.buckets.len() {
            self.buckets.resize_with(offset + 1, Vec::new);
        }
        if offset == 0 && self.front_sorted {
            self.late.push(Reverse(timer));
        } else {
            self.buckets[offset].push(timer);
        }
        seq
    }

    /// Gives every pending timer a new sequence number from 0, in the order they
    /// would come due, so that the sequence never outgrows its 39 bits (after about
    /// 5.5 × 10^11 timers).
    fn renumber(&mut self) {
        let mut all: Vec<Timer> = self.overdue.drain().map(|r| r.0).collect();
        all.extend(self.late.drain().map(|r| r.0.unpack(self.base_day)));
        for (i, bucket) in self.buckets.iter_mut().enumerate() {
            let day = self.base_day + i as i64;
            let from = if i == 0 { self.head } else { 0 };
            all.extend(bucket.drain(..).skip(from).map(|p| p.unpack(day)));
        }
        all.sort_unstable();
        self.front_sorted = false;
        self.head = 0;
        self.next_seq = 0;
        self.len = 0;
        for t in all {
            self.schedule(t.at, t.target, t.generation, t.kind());
        }
    }

    /// Drops the front bucket once drained (late timers included), moving to the next
    /// day.
    fn advance_front(&mut self) {
        debug_assert!(self.late.is_empty());
        self.buckets.pop_front();
        self.base_day += 1;
        self.front_sorted = false;
        self.head = 0;
    }

    /// Removes and returns the earliest timer due at or before `until`, if any.
    ///
    /// Inlined into its one caller, the timer loop, so that the timer comes back in
    /// registers: returned through memory, it was stored field by field and copied out
    /// in wider loads, which the store buffer cannot forward (5% of a 1M run).
    #[inline(always)]
    pub fn pop_due(&mut self, until: Time) -> Option<Timer> {
        if let Some(Reverse(t)) = self.overdue.peek() {
            if t.at > until {
                return None;
            }
            self.len -= 1;
            return self.overdue.pop().map(|r| r.0);
        }
        loop {
            let head = self.head;
            let front = self.buckets.front_mut()?;
            if front.len() == head && self.late.is_empty() {
                if self.base_day * DAY > until.0 {
                    return None;
                }
                self.advance_front();
                continue;
            }
            if !self.front_sorted {
                sort_day(&mut front[head..], &mut self.scratch);
                self.front_sorted = true;
            }
            let sorted = front.get(head).copied();
            let late = self.late.peek().map(|r| r.0);
            let (first, from_late) = match (sorted, late) {
                (Some(s), Some(l)) if l < s => (l, true),
                (Some(s), _) => (s, false),
                (None, Some(l)) => (l, true),
                (None, None) => unreachable!("checked above"),
            };
            let timer = first.unpack(self.base_day);
            if timer.at > until {
                return None;
            }
            if from_late {
                self.late.pop();
            } else {
                self.head += 1;
                if self.head == front.len() {
                    front.clear();
                    self.head = 0;
                }
            }
            self.len -= 1;
            return Some(timer);
        }
    }

    /// The target of the timer `ahead` places after the next one in the draining
    /// bucket, if it is sorted and that far (for prefetching what it will touch).
    pub fn upcoming_target(&self, ahead: usize) -> Option<u32> {
        if !self.front_sorted {
            return None;
        }
        self.buckets
            .front()
            .and_then(|b| b.get(self.head + ahead))
            .map(|t| t.target)
    }

    /// The earliest due time held, if any (stale timers included).
    pub fn peek_time(&mut self) -> Option<Time> {
        if let Some(Reverse(t)) = self.overdue.peek() {
            return Some(t.at);
        }
        while self.late.is_empty() && self.buckets.front().is_some_and(|b| b.len() == self.head) {
            self.advance_front();
        }
        let front = self.buckets.front()?;
        let sorted = if self.front_sorted {
            front.get(self.head).map(|t| t.key)
        } else {
            front.iter().map(|t| t.key).min()
        };
        let late = self.late.peek().map(|r| r.0.key);
        let key = sorted.into_iter().chain(late).min()?;
        Some(Time(self.base_day * DAY + (key >> (SEQ_BITS + 8)) as i64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drains_in_time_then_sequence_order() {
        let start = Time::DEFAULT_START;
        let mut q = Timers::new(start);
        q.schedule(start.add_days(3), 1, 0, 0);
        q.schedule(start.add_secs(10), 2, 0, 0);
        q.schedule(start.add_days(3), 3, 0, 0);
        q.schedule(start.add_secs(10), 4, 0, 0);
        q.schedule(start.add_days(400), 5, 0, 0);
        let mut got = vec![];
        while let Some(t) = q.pop_due(start.add_days(3)) {
            got.push(t.target);
            if t.target == 2 {
                // Scheduled while draining the same day: still in order.
                q.schedule(start.add_secs(20), 6, 0, 0);
                q.schedule(start.add_secs(10), 7, 0, 0);
            }
        }
        assert_eq!(got, vec![2, 4, 7, 6, 1, 3]);
        assert_eq!(q.len(), 1);
        assert_eq!(q.peek_time(), Some(start.add_days(400)));
        assert_eq!(q.len(), 1);
        assert_eq!(q.pop_due(start.add_days(399)), None);
        assert_eq!(q.pop_due(start.add_days(400)).map(|t| t.target), Some(5));
        assert!(q.is_empty());
        assert_eq!(q.peek_time(), None);
    }

    #[test]
    fn renumbering_keeps_the_order() {
        let start = Time::DEFAULT_START.add_days(10);
        let schedule = |q: &mut Timers| {
            for i in 0..50u32 {
                let at = start.add_secs(i64::from(i % 7) * 40_000 - 100_000);
                q.schedule(at, i, i, (i % 5) as u8);
            }
        };
        let drain = |q: &mut Timers, popped: usize| {
            let mut got = vec![];
            while let Some(t) = q.pop_due(start.add_days(5)) {
                got.push((t.at, t.target, t.generation, t.kind()));
                if popped + got.len() == 20 {
                    // Scheduled while draining: some late, some bucketed.
                    q.schedule(start.add_secs(30_000), 100, 1, 2);
                    q.schedule(start.add_days(2), 101, 1, 3);
                }
            }
            got
        };
        let mut plain = Timers::new(start);
        schedule(&mut plain);
        let mut renumbered = Timers::new(start);
        schedule(&mut renumbered);
        let first: Vec<_> = (0..10).filter_map(|_| renumbered.pop_due(start)).collect();
        renumbered.renumber();
        assert_eq!(renumbered.len(), 40);
        assert_eq!(renumbered.next_seq, 40);
        let mut got: Vec<_> = first
            .iter()
            .map(|t| (t.at, t.target, t.generation, t.kind()))
            .collect();
        got.extend(drain(&mut renumbered, 10));
        assert_eq!(got, drain(&mut plain, 0));
        assert!(renumbered.is_empty() && plain.is_empty());
    }

    #[test]
    fn a_bucketed_timer_is_16_bytes_and_keeps_its_instant() {
        assert_eq!(std::mem::size_of::<Packed>(), 16);
        let p = Packed::new(DAY - 1, SEQ_LIMIT - 1, 255, 7, 9);
        let t = p.unpack(20_000);
        assert_eq!(t.at, Time(20_000 * DAY + DAY - 1));
        assert_eq!((t.kind(), t.target, t.generation), (255, 7, 9));
        assert_eq!(t.order >> 8, SEQ_LIMIT - 1);
    }

    #[test]
    fn a_long_day_sorts_by_counting_and_any_order_by_comparison() {
        let packed = |second: i64, seq: u64| Packed::new(second, seq, 0, seq as u32, 0);
        // Filled in scheduling order, as buckets are: the counting passes order it.
        let mut day: Vec<Packed> = (0..1_000u64)
            .map(|seq| packed((seq as i64 * 7_919) % DAY, seq))
            .collect();
        let mut expected = day.clone();
        expected.sort_unstable_by_key(|p| p.key);
        let mut scratch = Vec::new();
        sort_day(&mut day, &mut scratch);
        assert_eq!(day, expected);
        // Out of scheduling order (not how a bucket fills): still sorted, by comparison.
        let mut shuffled: Vec<Packed> = (0..1_000u64)
            .map(|i| packed(i as i64 % 5, (i * 7_919) % 1_000))
            .collect();
        let mut expected = shuffled.clone();
        expected.sort_unstable_by_key(|p| p.key);
        sort_day(&mut shuffled, &mut scratch);
        assert_eq!(shuffled, expected);
    }

    #[test]
    fn past_times_come_due_first() {
        let start = Time::DEFAULT_START.add_days(10);
        let mut q = Timers::new(start);
        q.schedule(start.add_days(1), 1, 0, 0);
        q.schedule(start.add_days(-5), 2, 0, 0);
        assert_eq!(q.pop_due(start).map(|t| t.target), Some(2));
        assert_eq!(q.pop_due(start), None);
    }
}
