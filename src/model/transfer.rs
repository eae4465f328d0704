//! Inter-registrar transfers in progress.

use super::domain::AccountId;
use crate::sim::Time;
use serde::{Deserialize, Serialize};

/// Which way a transfer goes, seen from `home`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Direction {
    /// A domain comes to `home` from another registrar.
    In,
    /// A domain leaves `home` for another registrar.
    Out,
}

impl Direction {
    /// The direction's name in scripts and events (`in`, `out`).
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::In => "in",
            Direction::Out => "out",
        }
    }
}

/// A pending transfer (the domain carries `pendingTransfer`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transfer {
    /// In or out.
    pub direction: Direction,
    /// Gaining registrar index.
    pub gaining: u8,
    /// Losing registrar index.
    pub losing: u8,
    /// For a transfer in, the gaining customer (who paid); for a transfer out, the holder.
    pub account: AccountId,
    /// When it was requested.
    pub requested: Time,
    /// What the gaining customer paid into escrow (transfers in).
    pub charged: i64,
    /// Timer generation.
    pub generation: u32,
}
