//! The trade platform's state: listings (fixed price, auction, offers, push), bids,
//! orders with their escrow, offers, backorders, and the breach record.

use super::domain::{AccountId, DomainId, DomainRef, NameId, ProfileId};
use crate::sim::Time;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What kind of sale a listing is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ListingKind {
    /// Sold to the first buyer at the price.
    Fixed { price: i64 },
    /// Proxy-bid auction until `ends` (soft close extends it); `private` auctions are
    /// among backorderers only.
    Auction {
        start: i64,
        reserve: Option<i64>,
        ends: Time,
        private: bool,
    },
    /// Buyers make offers of at least `min`.
    Offer { min: i64 },
    /// Offered to one named buyer at a price.
    Push { buyer: AccountId, price: i64 },
}

impl ListingKind {
    /// The kind's name in scripts.
    pub fn as_str(&self) -> &'static str {
        match self {
            ListingKind::Fixed { .. } => "fixed",
            ListingKind::Auction { .. } => "auction",
            ListingKind::Offer { .. } => "offer",
            ListingKind::Push { .. } => "push",
        }
    }
}

/// Where a listing stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ListingState {
    /// Open for buyers.
    Open,
    /// Sold: an order carries it on.
    Sold,
    /// Closed without a sale (unsold auction, declined push, failed delivery).
    Closed,
    /// Withdrawn by the seller.
    Delisted,
    /// Closed because its domain left the phases in which it can be sold (it expired or
    /// was deleted).
    ClosedLapsed,
}

impl ListingState {
    /// The state's name in scripts.
    pub fn as_str(self) -> &'static str {
        match self {
            ListingState::Open => "open",
            ListingState::Sold => "sold",
            ListingState::Closed => "closed",
            ListingState::Delisted => "delisted",
            ListingState::ClosedLapsed => "closed_lapsed",
        }
    }
}

/// A proxy bid: the most the bidder will pay.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bid {
    /// Bidder.
    pub bidder: AccountId,
    /// Maximum.
    pub max: i64,
    /// When placed (earlier wins ties).
    pub at: Time,
}

/// A listing on the trade platform.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listing {
    /// The name for sale.
    pub name: NameId,
    /// The registration for sale (none for a backorder auction of a released name).
    pub domain: Option<DomainRef>,
    /// Seller (none for a backorder auction).
    pub seller: Option<AccountId>,
    /// Sale kind.
    pub kind: ListingKind,
    /// State.
    pub state: ListingState,
    /// When listed.
    pub created: Time,
    /// Bids, in the order placed.
    pub bids: Vec<Bid>,
    /// Deposits held in escrow per bidder.
    pub deposits: Vec<(AccountId, i64)>,
    /// Timer generation (auction close).
    pub generation: u32,
}

/// Where an order stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrderState {
    /// Waiting for the buyer to pay (auction winner, accepted offer).
    AwaitingPayment,
    /// Paid into escrow; the domain is being moved automatically.
    Transferring,
    /// Automatic transfer failed; the seller must deliver.
    AwaitingDelivery,
    /// Done: the buyer holds the domain, the seller is paid.
    Completed,
    /// The seller did not deliver; the buyer got the money back.
    Refunded,
    /// The buyer did not pay in time.
    Cancelled,
}

impl OrderState {
    /// The state's name in scripts.
    pub fn as_str(self) -> &'static str {
        match self {
            OrderState::AwaitingPayment => "awaiting_payment",
            OrderState::Transferring => "transferring",
            OrderState::AwaitingDelivery => "awaiting_delivery",
            OrderState::Completed => "completed",
            OrderState::Refunded => "refunded",
            OrderState::Cancelled => "cancelled",
        }
    }

    /// Whether the order is still going.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            OrderState::AwaitingPayment | OrderState::Transferring | OrderState::AwaitingDelivery
        )
    }
}

/// An order: a sale agreed, its money in escrow, the domain to move.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    /// The listing sold.
    pub listing: u32,
    /// The registration sold (none when a backorder auction sells a released name).
    pub domain: Option<DomainRef>,
    /// Seller.
    pub seller: AccountId,
    /// Buyer.
    pub buyer: AccountId,
    /// Agreed price.
    pub price: i64,
    /// Paid into escrow so far (a deposit counts).
    pub paid: i64,
    /// The buyer's registrant profile for the domain, if given.
    pub profile: Option<ProfileId>,
    /// State.
    pub state: OrderState,
    /// When agreed.
    pub created: Time,
    /// Deadline of the current state (payment or delivery).
    pub deadline: Option<Time>,
    /// Timer generation.
    pub generation: u32,
}

/// Where an offer stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OfferState {
    /// Made by the buyer, awaiting the seller.
    Open,
    /// The seller answered with another amount, awaiting the buyer.
    Countered,
    /// Accepted: an order awaits payment.
    Accepted,
    /// Rejected.
    Rejected,
    /// Nobody answered in time.
    Lapsed,
}

impl OfferState {
    /// The state's name in scripts.
    pub fn as_str(self) -> &'static str {
        match self {
            OfferState::Open => "open",
            OfferState::Countered => "countered",
            OfferState::Accepted => "accepted",
            OfferState::Rejected => "rejected",
            OfferState::Lapsed => "lapsed",
        }
    }
}

/// An offer on an offer listing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    /// The listing.
    pub listing: u32,
    /// Buyer.
    pub buyer: AccountId,
    /// The buyer's amount.
    pub amount: i64,
    /// The seller's counter amount.
    pub counter: Option<i64>,
    /// State.
    pub state: OfferState,
    /// When it lapses.
    pub expires: Time,
    /// The order made on acceptance.
    pub order: Option<u32>,
    /// Timer generation.
    pub generation: u32,
}

/// A backorder on a dropping name, its price held in escrow.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Backorder {
    /// Who wants the name.
    pub account: AccountId,
    /// Held in escrow.
    pub held: i64,
    /// When placed.
    pub at: Time,
}

/// The whole trade platform.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Market {
    /// Listings by id (index).
    pub listings: Vec<Listing>,
    /// Orders by id (index).
    pub orders: Vec<Order>,
    /// Offers by id (index).
    pub offers: Vec<Offer>,
    /// Backorders per dropping name.
    pub backorders: BTreeMap<NameId, Vec<Backorder>>,
    /// Released names held for a backorder auction (name → listing).
    pub reserved: BTreeMap<NameId, u32>,
    /// Consecutive payment breaches per buyer.
    pub breaches: BTreeMap<AccountId, u32>,
    /// Every breach: (when, account, what).
    pub breach_log: Vec<(Time, AccountId, String)>,
    /// Listing ids and order ids made for each domain (an index, so "is this domain
    /// in a trade" does not scan every listing ever made).
    by_domain: rustc_hash::FxHashMap<DomainId, Vec<TradeRef>>,
}

impl Market {
    /// The listings and orders made for the domain in slot `id`, oldest first. A
    /// domain's record says whether there are any ([`super::Domain::has_trades`]):
    /// ask it first.
    pub(crate) fn trades_of(&self, id: DomainId) -> &[TradeRef] {
        self.by_domain.get(&id).map_or(&[], Vec::as_slice)
    }

    /// The slots the index has trades for.
    pub(crate) fn indexed_slots(&self) -> impl Iterator<Item = DomainId> + '_ {
        self.by_domain.keys().copied()
    }

    /// Whether every entry of the index names a listing or order that exists (a decoded
    /// snapshot is checked before use).
    pub(crate) fn index_is_sound(&self) -> bool {
        self.by_domain.values().flatten().all(|r| match r {
            TradeRef::Listing(l) => (*l as usize) < self.listings.len(),
            TradeRef::Order(o) => (*o as usize) < self.orders.len(),
        })
    }

    /// Adds a listing or order to the index of slot `id` (through
    /// `crate::market::index_trade`, which marks the domain's record).
    pub(crate) fn index_trade(&mut self, id: DomainId, r: TradeRef) {
        self.by_domain.entry(id).or_default().push(r);
    }

    /// Forgets the trades of slot `id` (its domain is gone).
    pub(crate) fn forget_domain(&mut self, id: DomainId) {
        self.by_domain.remove(&id);
    }
}

/// A listing or an order, in the per-domain index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum TradeRef {
    /// A listing id.
    Listing(u32),
    /// An order id.
    Order(u32),
}

/// Read-only questions about a domain's trades, asked by the rules (guards, views) and
/// answered from the market's data.
impl super::World {
    /// The listings and orders made for the domain in slot `id`: none without a look at
    /// the market's index unless the domain's record says it has trades.
    pub(crate) fn trades_of(&self, id: DomainId) -> &[TradeRef] {
        if self.domain(id).is_some_and(|d| d.has_trades()) {
            self.market.trades_of(id)
        } else {
            &[]
        }
    }

    /// Whether a domain is listed or in an unfinished trade.
    pub fn in_trade(&self, id: DomainId) -> bool {
        let m = &self.market;
        self.trades_of(id).iter().any(|r| match r {
            TradeRef::Listing(l) => m.listings[*l as usize].state == ListingState::Open,
            TradeRef::Order(o) => m.orders[*o as usize].state.is_open(),
        })
    }

    /// Whether a domain has an open listing.
    pub fn listed(&self, id: DomainId) -> bool {
        let m = &self.market;
        self.trades_of(id).iter().any(|r| {
            matches!(r, TradeRef::Listing(l) if m.listings[*l as usize].state == ListingState::Open)
        })
    }

    /// What escrow must hold: the payments of open orders, the deposits of open auctions,
    /// the charges of pending transfers in, and backorders. `ledger().escrow` equals it
    /// whenever no trade has paid out or refunded twice or lost money (the property tests
    /// check it after every step).
    pub fn escrow_owed(&self) -> i64 {
        let m = &self.market;
        let orders: i64 = m
            .orders
            .iter()
            .filter(|o| o.state.is_open())
            .map(|o| o.paid)
            .sum();
        let deposits: i64 = m
            .listings
            .iter()
            .filter(|l| l.state == ListingState::Open)
            .flat_map(|l| l.deposits.iter().map(|d| d.1))
            .sum();
        let transfers: i64 = self.transfers.values().map(|t| t.charged).sum();
        let backorders: i64 = m.backorders.values().flatten().map(|b| b.held).sum();
        orders + deposits + transfers + backorders
    }
}
