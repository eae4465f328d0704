//! A progress bar for long simulated spans, drawn on standard error only when it is a
//! terminal and only once an advance has fired many timers; quiet otherwise.

use crate::sim::Time;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// Shows how far a long `advance` has come.
#[derive(Default)]
pub struct AdvanceProgress {
    bar: Option<ProgressBar>,
}

impl AdvanceProgress {
    /// A progress display, or `None` when standard error is not a terminal.
    pub(crate) fn for_terminal() -> Option<AdvanceProgress> {
        std::io::stderr()
            .is_terminal()
            .then(AdvanceProgress::default)
    }

    /// Called while advancing from `from` to `to`, with the clock at `now`.
    pub fn update(&mut self, from: Time, to: Time, now: Time) {
        let total = (to.0 - from.0).max(1) as u64;
        let bar = self.bar.get_or_insert_with(|| {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            if let Ok(style) =
                ProgressStyle::with_template("advancing {bar:40} {percent:>3}% {msg}")
            {
                bar.set_style(style);
            }
            bar
        });
        bar.set_position(((now.0 - from.0).max(0) as u64).min(total));
        bar.set_message(now.date_string());
    }

    /// Called when the advance is over: the bar is cleared.
    pub fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
