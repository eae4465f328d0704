//! Listing a domain for sale, withdrawing it, buying at a fixed price, and push sales
//! to a named buyer.

use super::{log, order, trader};
use crate::model::MarketAction;
use crate::model::TimerKind;
use crate::model::{
    Book, Listing, ListingKind, ListingState, Memo, Notice, Permission, WatchChange, World,
};
use crate::ops::guard::{Guard, held};
use crate::refusal::{Outcome, Reason, Refusal};
use crate::sim::DAY;

/// What a listing asks for, as given by a script.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListingInput {
    /// `fixed`, `auction`, `offer` or `push`.
    pub kind: String,
    /// Fixed or push price.
    pub price: Option<i64>,
    /// Auction start price.
    pub start_price: Option<i64>,
    /// Auction reserve price.
    pub reserve: Option<i64>,
    /// Auction length, e.g. `3d` (default `rules.auction_days`).
    pub duration: Option<String>,
    /// Lowest offer accepted.
    pub min_offer: Option<i64>,
    /// Push buyer's account id.
    pub buyer: Option<String>,
}

fn positive(v: Option<i64>, what: &str) -> Outcome<i64> {
    match v {
        Some(p) if p > 0 => super::amount_within_limit(p, what).map(|()| p),
        Some(p) => Err(Refusal::new(
            Reason::AmountNotPositive,
            format!("{what} must be at least 1, not {p}"),
        )),
        None => Err(Refusal::new(
            Reason::InvalidOption,
            format!("a listing of this kind needs `{what}`"),
        )),
    }
}

/// Lists a domain for sale. Listing is free.
/// Refuses: 2201 `not_sponsoring_registrar`, 2304 `pending_transfer`, 2303/2201 actor
/// and domain, 2306 `trading_frozen`, 2304 `not_allowed_in_phase` / `pending_delete`,
/// 2306 `listing_too_close_to_expiry`, 2306 `listing_too_new`, 2304 `on_hold`, 2304
/// `update_prohibited`, 2302 `already_listed`, 2005 `invalid_listing_kind` /
/// `invalid_option`, 2004 `amount_not_positive` / `amount_too_large` /
/// `duration_out_of_range`, 2303 `no_such_account` (push buyer), 2306 `own_listing`.
pub fn list_for_sale(
    world: &mut World,
    actor: &str,
    name: &str,
    input: &ListingInput,
) -> Outcome<u32> {
    trader(world, actor)?;
    let h = held(world, actor, name, Permission::Trade)?;
    h.require(world, &[Guard::Active], "listing for sale")?;
    let now = world.now();
    let min_days = world.rules.listing_min_days_before_expiry;
    if h.expires <= now.add_days(min_days.into()) {
        return Err(Refusal::new(
            Reason::ListingTooCloseToExpiry,
            format!(
                "{} expires {}; listings close to expiry (within {min_days} days) are refused — renew first",
                h.name(world),
                h.expires
            ),
        ));
    }
    let age = world.tlds.get(h.tld).listing_min_age_days;
    if now < h.created.add_days(age.into()) {
        return Err(Refusal::new(
            Reason::ListingTooNew,
            format!(
                "{} was registered less than {age} days ago; .{} domains can be listed after {age} days",
                h.name(world),
                world.tlds.name(h.tld)
            ),
        ));
    }
    h.require(
        world,
        &[Guard::NotOnHold, Guard::NoUpdateLock],
        "listing for sale",
    )?;
    if world.in_trade(h.id) {
        return Err(Refusal::new(
            Reason::AlreadyListed,
            format!("{} is already listed or in a trade", h.name(world)),
        ));
    }
    let kind = match input.kind.as_str() {
        "fixed" => ListingKind::Fixed {
            price: positive(input.price, "price")?,
        },
        "offer" => ListingKind::Offer {
            min: positive(input.min_offer.or(Some(1)), "min_offer")?,
        },
        "auction" => {
            let start = positive(input.start_price, "start_price")?;
            let reserve = match input.reserve {
                None => None,
                Some(r) => Some(positive(Some(r), "reserve")?),
            };
            let span = match &input.duration {
                None => i64::from(world.rules.auction_days) * DAY,
                Some(s) => match crate::sim::parse_span(s) {
                    Ok(crate::sim::Span::Seconds(secs)) => secs,
                    Ok(_) | Err(_) => -1,
                },
            };
            if !(3_600..=30 * DAY).contains(&span) {
                return Err(Refusal::new(
                    Reason::DurationOutOfRange,
                    "an auction lasts from 1 hour to 30 days, written like 3d or 12h".to_string(),
                ));
            }
            ListingKind::Auction {
                start,
                reserve,
                ends: now.add_secs(span),
                private: false,
            }
        }
        "push" => {
            let price = positive(input.price, "price")?;
            let buyer_id = input.buyer.clone().unwrap_or_default();
            let buyer = crate::ops::lookup::find_account(world, &buyer_id)?;
            if buyer == h.actor.account {
                return Err(Refusal::new(
                    Reason::OwnListing,
                    "a push names another account as the buyer".to_string(),
                ));
            }
            ListingKind::Push { buyer, price }
        }
        other => {
            return Err(Refusal::new(
                Reason::InvalidListingKind,
                format!("`{other}` is not a listing kind; use fixed, auction, offer or push"),
            ));
        }
    };
    // Apply.
    let (domain_name, seller) = (h.name_id, h.actor.account);
    let id = world.market.listings.len() as u32;
    let ends = match kind {
        ListingKind::Auction { ends, .. } => Some(ends),
        _ => None,
    };
    let amount = match kind {
        ListingKind::Fixed { price } | ListingKind::Push { price, .. } => price,
        ListingKind::Auction { start, .. } => start,
        ListingKind::Offer { min } => min,
    };
    world.market.listings.push(Listing {
        name: domain_name,
        domain: world.ref_of(h.id),
        seller: Some(seller),
        kind,
        state: ListingState::Open,
        created: now,
        bids: Vec::new(),
        deposits: Vec::new(),
        generation: 0,
    });
    super::index_trade(
        world,
        world.ref_of(h.id),
        crate::model::market::TradeRef::Listing(id),
    );
    if let Some(ends) = ends {
        world.schedule(ends, TimerKind::AuctionClose, id, 0);
    }
    log(world, domain_name, MarketAction::Listed, id, amount, seller);
    crate::ops::notify::watchers(world, domain_name, WatchChange::Listed);
    Ok(id)
}

/// Withdraws a listing: the seller only, while open, before any bid or accepted offer.
/// Open offers lapse.
/// Refuses: 2303 `no_such_listing`, 2201 `not_owner`, 2304 `listing_not_open`, 2304
/// `has_bids`.
pub fn delist(world: &mut World, actor: &str, listing: i64) -> Outcome<()> {
    let a = crate::ops::actor::authorize(world, actor, Permission::Trade)?;
    let lid = super::listing_id(world, listing)?;
    let l = &world.market.listings[lid as usize];
    if l.seller != Some(a.account) {
        return Err(Refusal::new(
            Reason::NotOwner,
            format!("listing {listing} is not `{actor}`'s"),
        ));
    }
    if l.state != ListingState::Open {
        return Err(Refusal::new(
            Reason::ListingNotOpen,
            format!("listing {listing} is {}", l.state.as_str()),
        ));
    }
    if !l.bids.is_empty() {
        return Err(Refusal::new(
            Reason::HasBids,
            format!("listing {listing} has bids; an auction with bids runs to its end"),
        ));
    }
    let name = l.name;
    world.market.listings[lid as usize].state = ListingState::Delisted;
    super::offer::lapse_all(world, lid);
    log(world, name, MarketAction::Delisted, lid, 0, a.account);
    Ok(())
}

fn buyer_profile(world: &World, buyer: u32, profile: Option<&str>) -> Outcome<Option<u32>> {
    let Some(p) = profile else { return Ok(None) };
    let id = crate::ops::lookup::find_profile(world, p)?;
    if world.profiles[id as usize].owner != buyer {
        return Err(Refusal::new(
            Reason::NotOwner,
            format!("profile `{p}` belongs to another account"),
        ));
    }
    Ok(Some(id))
}

/// A validated purchase, ready to apply.
struct Purchase {
    lid: u32,
    seller: u32,
    buyer: u32,
    price: i64,
    profile: Option<u32>,
}

/// Validates a purchase of an open listing at `price`: the buyer's profile and funds.
/// A listing is open only while its domain is active with its seller (a lapse closes
/// it); the hand-over checks the domain again, under the guards of a registrant change.
fn plan_purchase(
    world: &World,
    lid: u32,
    buyer: u32,
    price: i64,
    profile: Option<&str>,
) -> Outcome<Purchase> {
    let l = &world.market.listings[lid as usize];
    let Some(seller) = l.seller.filter(|_| l.state == ListingState::Open) else {
        return Err(Refusal::new(
            Reason::ListingNotOpen,
            format!("listing {lid} is {}", l.state.as_str()),
        ));
    };
    let profile = buyer_profile(world, buyer, profile)?;
    if !world.ledger.can_pay(buyer, price) {
        return Err(Refusal::new(
            Reason::InsufficientFunds,
            format!(
                "listing {lid} costs {price} but the wallet of `{}` holds {}",
                world.accounts[buyer as usize].id,
                world.ledger.balance(Book::Wallet(buyer))
            ),
        ));
    }
    Ok(Purchase {
        lid,
        seller,
        buyer,
        price,
        profile,
    })
}

/// Pays the price from the buyer's wallet into escrow and opens a paid order.
fn apply_purchase(world: &mut World, p: Purchase) -> u32 {
    let name = world.market.listings[p.lid as usize].name;
    let now = world.now();
    world.ledger.post(
        now,
        Book::Wallet(p.buyer),
        Book::Escrow,
        p.price,
        Memo::Trade(name),
    );
    order::open(
        world, p.lid, p.seller, p.buyer, p.price, p.price, p.profile, None,
    )
}

/// Buys a fixed-price listing: the money goes to escrow and the automatic transfer
/// starts. `profile` becomes the registrant (unset otherwise).
/// Refuses: 2303 `no_such_listing`, 2306 `trading_frozen`, 2306 `own_listing`, 2304
/// `listing_not_open`, 2306 `not_fixed_price`, 2303/2201 profile, 2104
/// `insufficient_funds`.
pub fn buy(world: &mut World, actor: &str, listing: i64, profile: Option<&str>) -> Outcome<u32> {
    let a = trader(world, actor)?;
    let lid = super::listing_id(world, listing)?;
    let l = &world.market.listings[lid as usize];
    let ListingKind::Fixed { price } = l.kind else {
        return Err(Refusal::new(
            Reason::NotFixedPrice,
            format!(
                "listing {listing} is a {} listing, not fixed price",
                l.kind.as_str()
            ),
        ));
    };
    super::open_to_buyer(world, lid, a.account, actor)?;
    let plan = plan_purchase(world, lid, a.account, price, profile)?;
    Ok(apply_purchase(world, plan))
}

/// The named buyer accepts a push and pays at once.
/// Refuses: 2303 `no_such_listing`, 2306 `trading_frozen`, 2306 `not_a_push`, 2201
/// `not_the_buyer`, 2304 `listing_not_open`, 2303/2201 profile, 2104
/// `insufficient_funds`.
pub fn accept_push(
    world: &mut World,
    actor: &str,
    listing: i64,
    profile: Option<&str>,
) -> Outcome<u32> {
    let (lid, buyer, price) = push_for(world, actor, listing)?;
    let plan = plan_purchase(world, lid, buyer, price, profile)?;
    Ok(apply_purchase(world, plan))
}

/// The named buyer declines a push; the listing closes.
/// Refuses: as [`accept_push`] without funds.
pub fn decline_push(world: &mut World, actor: &str, listing: i64) -> Outcome<()> {
    let (lid, buyer, _) = push_for(world, actor, listing)?;
    let name = world.market.listings[lid as usize].name;
    world.market.listings[lid as usize].state = ListingState::Closed;
    log(world, name, MarketAction::PushDeclined, lid, 0, buyer);
    Ok(())
}

fn push_for(world: &World, actor: &str, listing: i64) -> Outcome<(u32, u32, i64)> {
    let a = trader(world, actor)?;
    let lid = super::listing_id(world, listing)?;
    let l = &world.market.listings[lid as usize];
    let ListingKind::Push { buyer, price } = l.kind else {
        return Err(Refusal::new(
            Reason::NotAPush,
            format!("listing {listing} is not a push"),
        ));
    };
    if buyer != a.account {
        return Err(Refusal::new(
            Reason::NotTheBuyer,
            format!("listing {listing} is pushed to another account"),
        ));
    }
    if l.state != ListingState::Open {
        return Err(Refusal::new(
            Reason::ListingNotOpen,
            format!("listing {listing} is {}", l.state.as_str()),
        ));
    }
    Ok((lid, a.account, price))
}

/// Closes the open listings of a domain that left `active` (expiry, deletion): the
/// listing becomes `closed_lapsed`, auction deposits go back to the bidders, open offers
/// lapse, and the seller is told. Orders already opened run on and obey the guards of
/// the hand-over.
pub(crate) fn close_lapsed(world: &mut World, id: crate::model::DomainId) {
    let open: Vec<u32> = world
        .trades_of(id)
        .iter()
        .filter_map(|r| match r {
            crate::model::market::TradeRef::Listing(l)
                if world.market.listings[*l as usize].state == ListingState::Open =>
            {
                Some(*l)
            }
            _ => None,
        })
        .collect();
    let now = world.now();
    for lid in open {
        let l = &mut world.market.listings[lid as usize];
        l.state = ListingState::ClosedLapsed;
        let (name, seller) = (l.name, l.seller);
        let deposits = std::mem::take(&mut l.deposits);
        for (bidder, amount) in deposits {
            world.ledger.post(
                now,
                Book::Escrow,
                Book::Wallet(bidder),
                amount,
                Memo::Refund(name),
            );
        }
        super::offer::lapse_all(world, lid);
        if let Some(seller) = seller {
            log(world, name, MarketAction::ClosedLapsed, lid, 0, seller);
            crate::ops::notify::send(world, seller, Some(name), None, Notice::ListingClosed);
        }
    }
}
