//! Views of the trade platform, and the seller's shop.

use super::auction::standing;
use crate::model::{ListingKind, Resolve, World};
use crate::refusal::Outcome;
use serde::Serialize;

/// A listing as `listing(id)` shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ListingView {
    /// Listing id.
    pub id: i64,
    /// The name for sale.
    pub domain: String,
    /// Seller, or unit for a backorder auction.
    pub seller: Option<String>,
    /// `fixed`, `auction`, `offer` or `push`.
    pub kind: String,
    /// `open`, `sold`, `closed` or `delisted`.
    pub state: String,
    /// Fixed or push price; auction: the current price (start price before any bid);
    /// offer: the minimum offer.
    pub price: i64,
    /// Auction reserve, or unit.
    pub reserve: Option<i64>,
    /// Auction end, or unit.
    pub ends: Option<String>,
    /// Number of bids.
    pub bids: i64,
    /// Current auction leader, or unit.
    pub leader: Option<String>,
    /// Push buyer, or unit.
    pub buyer: Option<String>,
    /// When listed.
    pub created: String,
}

/// `listing(id)`.
/// Refuses: 2303 `no_such_listing`.
pub(crate) fn listing_view(world: &World, id: i64) -> Outcome<ListingView> {
    let lid = super::listing_id(world, id)?;
    let l = &world.market.listings[lid as usize];
    let st = standing(world, lid);
    let (price, reserve, ends, buyer) = match &l.kind {
        ListingKind::Fixed { price } => (*price, None, None, None),
        ListingKind::Offer { min } => (*min, None, None, None),
        ListingKind::Push { buyer, price } => (
            *price,
            None,
            None,
            Some(world.account_name(*buyer).to_string()),
        ),
        ListingKind::Auction {
            start,
            reserve,
            ends,
            ..
        } => (
            st.map_or(*start, |s| s.1),
            *reserve,
            Some(ends.to_string()),
            None,
        ),
    };
    Ok(ListingView {
        id,
        domain: world.domain_name(l.name).to_string(),
        seller: l.seller.map(|s| world.account_name(s).to_string()),
        kind: l.kind.as_str().to_string(),
        state: l.state.as_str().to_string(),
        price,
        reserve,
        ends,
        bids: l.bids.len() as i64,
        leader: st.map(|s| world.account_name(s.0).to_string()),
        buyer,
        created: l.created.to_string(),
    })
}

/// An order as `order(id)` shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct OrderView {
    /// Order id.
    pub id: i64,
    /// Listing id.
    pub listing: i64,
    /// The name.
    pub domain: String,
    /// Seller (the buyer itself for a backorder auction).
    pub seller: String,
    /// Buyer.
    pub buyer: String,
    /// Agreed price.
    pub price: i64,
    /// In escrow so far.
    pub paid: i64,
    /// `awaiting_payment`, `transferring`, `awaiting_delivery`, `completed`,
    /// `refunded` or `cancelled`.
    pub state: String,
    /// Deadline of the current state, or unit.
    pub deadline: Option<String>,
}

/// `order(id)`.
/// Refuses: 2303 `no_such_order`.
pub(crate) fn order_view(world: &World, id: i64) -> Outcome<OrderView> {
    let oid = super::order_id(world, id)?;
    let o = &world.market.orders[oid as usize];
    Ok(OrderView {
        id,
        listing: o.listing.into(),
        domain: world
            .domain_name(world.market.listings[o.listing as usize].name)
            .to_string(),
        seller: world.account_name(o.seller).to_string(),
        buyer: world.account_name(o.buyer).to_string(),
        price: o.price,
        paid: o.paid,
        state: o.state.as_str().to_string(),
        deadline: o.deadline.map(|t| t.to_string()),
    })
}

/// An offer as `offer(id)` shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct OfferView {
    /// Offer id.
    pub id: i64,
    /// Listing id.
    pub listing: i64,
    /// Buyer.
    pub buyer: String,
    /// The buyer's amount.
    pub amount: i64,
    /// The seller's counter, or unit.
    pub counter: Option<i64>,
    /// `open`, `countered`, `accepted`, `rejected` or `lapsed`.
    pub state: String,
    /// When it lapses.
    pub expires: String,
    /// The order made on acceptance, or unit.
    pub order: Option<i64>,
}

/// `offer(id)`.
/// Refuses: 2303 `no_such_offer`.
pub(crate) fn offer_view(world: &World, id: i64) -> Outcome<OfferView> {
    let oid = super::offer_id(world, id)?;
    let o = &world.market.offers[oid as usize];
    Ok(OfferView {
        id,
        listing: o.listing.into(),
        buyer: world.account_name(o.buyer).to_string(),
        amount: o.amount,
        counter: o.counter,
        state: o.state.as_str().to_string(),
        expires: o.expires.to_string(),
        order: o.order.map(i64::from),
    })
}

/// `shop(seller)`: the seller's open listings, oldest first.
/// Refuses: 2303 `no_such_account`.
pub fn shop(world: &World, seller: &str) -> Outcome<Vec<ListingView>> {
    let s = crate::ops::lookup::find_account(world, seller)?;
    world
        .market
        .listings
        .iter()
        .enumerate()
        .filter(|(_, l)| l.seller == Some(s) && l.state == crate::model::ListingState::Open)
        .map(|(i, _)| listing_view(world, i as i64))
        .collect()
}

/// How many trade breaches (unpaid orders, undelivered sales) an account has on record.
/// Refuses: 2303 `no_such_account`.
pub(crate) fn breaches(world: &World, account: &str) -> Outcome<i64> {
    let a = crate::ops::lookup::find_account(world, account)?;
    Ok(world
        .market
        .breach_log
        .iter()
        .filter(|(_, x, _)| *x == a)
        .count() as i64)
}
