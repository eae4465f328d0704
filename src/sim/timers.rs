//! The timer queue: day buckets with O(1) scheduling and generation-counter
//! cancellation, drained in a total order (time, then scheduling sequence).
//!
//! A timer names a target (a dense id in some table), the generation of that target
//! when it was scheduled, and a kind. Cancelling is done by the owner bumping its
//! generation: stale timers are skipped when they come due, so cancelling costs
//! nothing here.

use super::time::{DAY, Time};
use serde::{Deserialize, Serialize};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

/// One scheduled timer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timer {
    /// When it is due.
    pub at: Time,
    /// The scheduling sequence (high 56 bits), which breaks ties between timers due at
    /// the same instant, and the kind (low 8 bits): one word, so a timer is 24 bytes.
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

/// Day-bucketed timer queue.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Timers {
    /// Day index (days since epoch) of `buckets[0]`.
    base_day: i64,
    /// One bucket per day from `base_day`. The front bucket is kept sorted in ascending
    /// (time, seq) order from `head` on while it is being drained.
    buckets: VecDeque<Vec<Timer>>,
    /// Whether the front bucket is currently sorted.
    front_sorted: bool,
    /// Timers of the front bucket before this index have been popped.
    head: usize,
    /// Timers scheduled into the front bucket after it was sorted: a min-heap, so that
    /// scheduling while a day drains never shifts the sorted bucket.
    late: BinaryHeap<Reverse<Timer>>,
    next_seq: u64,
    len: usize,
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

    /// True when no timer is held.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Schedules a timer; returns its sequence number. A time before the first bucket is
    /// put in the first bucket (it comes due at once, still in (time, seq) order).
    pub fn schedule(&mut self, at: Time, target: u32, generation: u32, kind: u8) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        let timer = Timer {
            at,
            order: (seq << 8) | u64::from(kind),
            target,
            generation,
        };
        let offset = (at.day_index() - self.base_day).max(0) as usize;
        if offset >= self.buckets.len() {
            self.buckets.resize_with(offset + 1, Vec::new);
        }
        if offset == 0 && self.front_sorted {
            self.late.push(Reverse(timer));
        } else {
            self.buckets[offset].push(timer);
        }
        self.len += 1;
        seq
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
    pub fn pop_due(&mut self, until: Time) -> Option<Timer> {
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
                front.sort_unstable();
                self.front_sorted = true;
            }
            let sorted = front.get(head).copied();
            let late = self.late.peek().map(|r| r.0);
            let first = match (sorted, late) {
                (Some(s), Some(l)) => s.min(l),
                (Some(s), None) => s,
                (None, Some(l)) => l,
                (None, None) => unreachable!("checked above"),
            };
            if first.at > until {
                return None;
            }
            if Some(first) == late {
                self.late.pop();
            } else {
                self.head += 1;
                if self.head == front.len() {
                    front.clear();
                    self.head = 0;
                }
            }
            self.len -= 1;
            return Some(first);
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
        while self.late.is_empty() && self.buckets.front().is_some_and(|b| b.len() == self.head) {
            self.advance_front();
        }
        let front = self.buckets.front()?;
        let sorted = if self.front_sorted {
            front.get(self.head).map(|t| t.at)
        } else {
            front.iter().map(|t| t.at).min()
        };
        let late = self.late.peek().map(|r| r.0.at);
        sorted.into_iter().chain(late).min()
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
    fn past_times_come_due_first() {
        let start = Time::DEFAULT_START.add_days(10);
        let mut q = Timers::new(start);
        q.schedule(start.add_days(1), 1, 0, 0);
        q.schedule(start.add_days(-5), 2, 0, 0);
        assert_eq!(q.pop_due(start).map(|t| t.target), Some(2));
        assert_eq!(q.pop_due(start), None);
    }
}
