//! The simulation engine, knowing nothing about domains: virtual time, the timer
//! queue, seeded random streams, and the event log with its digest.

pub mod chunked;
pub mod log;
pub mod rng;
pub mod time;
pub mod timers;

pub use chunked::Chunked;
pub use log::{ByteSink, Bytes, Digest, Encode, EventLog, Room};
pub use rng::Streams;
pub use time::{DAY, OptTime, Span, Time, Time40, parse_span};
pub use timers::{Timer, Timers};
