//! Events streamed as JSON lines while a run makes them (`regsim run --events FILE`), for
//! analysis in other tools: one object a line, `{"at", "kind", ...fields}` with names
//! resolved, exactly the maps `events()` gives. Streaming keeps nothing in memory, so it
//! works in `--bulk` runs too.

use super::event::{EventKind, Field, Resolve};
use crate::sim::Time;
use std::io::Write;

/// A run's event stream: off, or a writer and the first error it gave.
#[derive(Default)]
pub struct EventStream(Option<Box<Stream>>);

struct Stream {
    out: Box<dyn Write + Send>,
    written: u64,
    error: Option<String>,
}

/// A copy of a world (a fork) does not stream: the events are the original's.
impl Clone for EventStream {
    fn clone(&self) -> EventStream {
        EventStream(None)
    }
}

impl std::fmt::Debug for EventStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "EventStream(on)"
        } else {
            "EventStream(off)"
        })
    }
}

/// One event as a line of JSON: the map `events()` gives (`EventKind::view_at`: `at` and
/// `kind` first, then the fields), in that order.
pub(crate) fn json_line(r: &impl Resolve, at: Time, kind: &EventKind) -> String {
    let text = |t: &str| serde_json::to_string(t).unwrap_or_default();
    let pairs: Vec<String> = kind
        .view_at(at, r)
        .into_iter()
        .map(|(name, value)| {
            let v = match value {
                Field::Text(t) => text(&t),
                Field::Int(i) => i.to_string(),
                Field::Bool(b) => b.to_string(),
            };
            format!("{}:{v}", text(name))
        })
        .collect();
    format!("{{{}}}\n", pairs.join(","))
}

impl EventStream {
    /// A stream writing to `out`.
    pub fn to(out: Box<dyn Write + Send>) -> EventStream {
        EventStream(Some(Box::new(Stream {
            out,
            written: 0,
            error: None,
        })))
    }

    /// Whether events are being streamed.
    #[inline]
    pub(crate) fn is_on(&self) -> bool {
        self.0.is_some()
    }

    /// Writes one event's line (nothing more once a write failed).
    pub fn write(&mut self, line: &str) {
        let Some(s) = self.0.as_mut() else { return };
        if s.error.is_some() {
            return;
        }
        match s.out.write_all(line.as_bytes()) {
            Ok(()) => s.written += 1,
            Err(e) => s.error = Some(format!("cannot write the event stream: {e}")),
        }
    }

    /// Flushes and closes the stream: how many events it holds, or the first error.
    pub fn finish(&mut self) -> Result<u64, String> {
        let Some(mut s) = self.0.take() else {
            return Ok(0);
        };
        if let Some(e) = s.error {
            return Err(e);
        }
        s.out
            .flush()
            .map_err(|e| format!("cannot write the event stream: {e}"))?;
        Ok(s.written)
    }
}
