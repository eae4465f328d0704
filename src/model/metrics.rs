//! Run metrics for policy analysis: counters observed from the events as they are
//! recorded (so nothing else has to remember to count), and a sample at each month end.

use super::event::{EventKind, MarketAction};
use serde::{Deserialize, Serialize};

/// Cumulative counters. Money in fen.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counters {
    /// Registrations (including backorder and re-registrations).
    pub registrations: i64,
    /// Renewals (manual and automatic).
    pub renewals: i64,
    /// Renewals made in grace (after expiry).
    pub late_renewals: i64,
    /// Restores from redemption.
    pub restores: i64,
    /// Names released (dropped).
    pub drops: i64,
    /// Completed transfers in.
    pub transfers: i64,
    /// Auctions sold.
    pub auctions_sold: i64,
    /// Auctions closed unsold.
    pub auctions_unsold: i64,
    /// Sum of auction sale prices.
    pub auction_revenue: i64,
    /// Registration revenue (net of add-grace refunds).
    pub revenue_register: i64,
    /// Renewal revenue.
    pub revenue_renew: i64,
    /// Restore revenue (restore fee plus the renewal year).
    pub revenue_restore: i64,
    /// Transfer revenue.
    pub revenue_transfer: i64,
    /// Trade commission.
    pub revenue_commission: i64,
}

impl Counters {
    /// Folds one event into the counters.
    #[inline]
    pub fn observe(&mut self, kind: &EventKind) {
        match kind {
            EventKind::Registered { charged, .. } => {
                self.registrations += 1;
                self.revenue_register += charged;
            }
            EventKind::Renewed { charged, late, .. } => {
                self.renewals += 1;
                self.late_renewals += i64::from(*late);
                self.revenue_renew += charged;
            }
            EventKind::Restored { charged, .. } => {
                self.restores += 1;
                self.revenue_restore += charged;
            }
            EventKind::Deleted { refunded, .. } => self.revenue_register -= refunded,
            EventKind::Released { .. } => self.drops += 1,
            EventKind::TransferEnded {
                completed: true,
                charged,
                ..
            } if *charged > 0 => {
                self.transfers += 1;
                self.revenue_transfer += charged;
            }
            EventKind::Market { action, amount, .. } => match action {
                MarketAction::Commission => self.revenue_commission += amount,
                MarketAction::AuctionWon => {
                    self.auctions_sold += 1;
                    self.auction_revenue += amount;
                }
                MarketAction::AuctionUnsold => self.auctions_unsold += 1,
                _ => {}
            },
            _ => {}
        }
    }

    /// Total revenue: registrations, renewals, restores, transfers and commission.
    pub fn revenue_total(&self) -> i64 {
        self.revenue_register
            + self.revenue_renew
            + self.revenue_restore
            + self.revenue_transfer
            + self.revenue_commission
    }
}

/// The metric names regsim reports, in order.
pub(crate) const METRICS: [&str; 17] = [
    "revenue.total",
    "revenue.register",
    "revenue.renew",
    "revenue.restore",
    "revenue.transfer",
    "revenue.commission",
    "margin",
    "domains.active",
    "registrations",
    "renewals",
    "late_renewals",
    "restores",
    "drops",
    "transfers",
    "auctions.sold",
    "auctions.unsold",
    "auctions.revenue",
];

/// Whether a metric counts things (domains, renewals, drops, auctions): never negative,
/// unlike money (`revenue.*`, `margin`, `auctions.revenue`).
pub(crate) fn is_count(metric: &str) -> bool {
    !(metric.starts_with("revenue.") || metric == "margin" || metric == "auctions.revenue")
}

/// A month-end sample: the counters so far, the margin (registrar revenue book) and
/// the active domains.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sample {
    /// The month sampled, `2026-01`.
    pub month: String,
    /// Counters at its end.
    pub counters: Counters,
    /// Revenue book (retail minus wholesale, plus commission) at its end.
    pub margin: i64,
    /// Live domains at home in phase active at its end.
    pub active: i64,
}

impl Sample {
    /// A metric's value (cumulative for flows, the level for `domains.active`).
    pub fn get(&self, metric: &str) -> Option<i64> {
        let c = &self.counters;
        Some(match metric {
            "revenue.total" => c.revenue_total(),
            "revenue.register" => c.revenue_register,
            "revenue.renew" => c.revenue_renew,
            "revenue.restore" => c.revenue_restore,
            "revenue.transfer" => c.revenue_transfer,
            "revenue.commission" => c.revenue_commission,
            "margin" => self.margin,
            "domains.active" => self.active,
            "registrations" => c.registrations,
            "renewals" => c.renewals,
            "late_renewals" => c.late_renewals,
            "restores" => c.restores,
            "drops" => c.drops,
            "transfers" => c.transfers,
            "auctions.sold" => c.auctions_sold,
            "auctions.unsold" => c.auctions_unsold,
            "auctions.revenue" => c.auction_revenue,
            _ => return None,
        })
    }
}

/// Whether a metric is a level (reported as is per month) rather than a flow
/// (reported per month as the change).
pub(crate) fn is_level(metric: &str) -> bool {
    metric == "domains.active"
}

/// The metrics of a run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metrics {
    /// Counters so far.
    pub counters: Counters,
    /// Month-end samples, oldest first.
    pub months: Vec<Sample>,
}
