//! Listing a domain for sale, withdrawing it, buying at a fixed price, and push sales
//! to a named buyer.

use super::{AUCTION_TIMER, log, order, trader};
use crate::model::{
    Book, Listing, ListingKind, ListingState, Lock, Memo, Permission, Phase, Status, WatchChange,
    World,
};
use crate::ops::lifecycle::held;
use crate::ops::views::statuses;
use crate::refusal::{Code, Outcome, Refusal};
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
        Some(p) if p > 0 && p <= crate::model::tld::MAX_PRICE => Ok(p),
        Some(p) => Err(Refusal::new(
            Code::ValueRange,
            "amount_not_positive",
            format!(
                "{what} must be 1..={}, not {p}",
                crate::model::tld::MAX_PRICE
            ),
        )),
        None => Err(Refusal::new(
            Code::ValueSyntax,
            "invalid_option",
            format!("a listing of this kind needs `{what}`"),
        )),
    }
}

/// Lists a domain for sale. Listing is free.
/// Refuses: 2303/2201 actor and domain, 2306 `trading_frozen`, 2304
/// `not_allowed_in_phase` / `pending_delete`, 2306 `listing_too_close_to_expiry`, 2306
/// `listing_too_new`, 2304 `on_hold`, 2304 `update_prohibited`, 2302 `already_listed`,
/// 2005 `invalid_listing_kind` / `invalid_option`, 2004 `amount_not_positive` /
/// `duration_out_of_range`, 2303 `no_such_account` (push buyer), 2306 `own_listing`.
pub fn list_for_sale(
    world: &mut World,
    actor: &str,
    name: &str,
    input: &ListingInput,
) -> Outcome<u32> {
    trader(world, actor)?;
    let h = held(world, actor, name, Permission::Trade)?;
    if h.phase != Phase::Active {
        return Err(crate::ops::lifecycle::refuse_in_phase(
            h.name(world),
            h.phase,
            "listing for sale",
        ));
    }
    let d = world.domain(h.id).expect("live domain");
    let tld = world.tlds.get(d.tld);
    let now = world.now;
    let min_days = world.rules.listing_min_days_before_expiry;
    if d.expires.get() <= now.add_days(min_days.into()) {
        return Err(Refusal::new(
            Code::Policy,
            "listing_too_close_to_expiry",
            format!(
                "{} expires {}; listings close to expiry (within {min_days} days) are refused — renew first",
                h.name(world),
                d.expires.get()
            ),
        ));
    }
    let age = tld.listing_min_age_days;
    if now < d.created.get().add_days(age.into()) {
        return Err(Refusal::new(
            Code::Policy,
            "listing_too_new",
            format!(
                "{} was registered less than {age} days ago; .{} domains can be listed after {age} days",
                h.name(world),
                world.tlds.name(d.tld)
            ),
        ));
    }
    if statuses(world, d)
        .iter()
        .any(|s| matches!(s, Status::ClientHold | Status::ServerHold))
    {
        return Err(Refusal::new(
            Code::StatusProhibits,
            "on_hold",
            format!("{} is on hold and cannot be listed", h.name(world)),
        ));
    }
    if d.locks.has(Lock::Update) {
        return Err(Refusal::new(
            Code::StatusProhibits,
            "update_prohibited",
            format!(
                "{} carries clientUpdateProhibited; lift the update lock to list it",
                h.name(world)
            ),
        ));
    }
    if super::in_trade(world, h.id) {
        return Err(Refusal::new(
            Code::Exists,
            "already_listed",
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
                    Ok(crate::sim::Span::Years(_)) | Err(_) => -1,
                },
            };
            if !(3_600..=30 * DAY).contains(&span) {
                return Err(Refusal::new(
                    Code::ValueRange,
                    "duration_out_of_range",
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
            let buyer = crate::ops::views::find_account(world, &buyer_id)?;
            if buyer == h.actor.account {
                return Err(Refusal::new(
                    Code::Policy,
                    "own_listing",
                    "a push names another account as the buyer".to_string(),
                ));
            }
            ListingKind::Push { buyer, price }
        }
        other => {
            return Err(Refusal::new(
                Code::ValueSyntax,
                "invalid_listing_kind",
                format!("`{other}` is not a listing kind; use fixed, auction, offer or push"),
            ));
        }
    };
    let (domain_name, seller) = (d.name, h.actor.account);
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
        world.timers.schedule(ends, id, 0, AUCTION_TIMER);
    }
    log(world, domain_name, "listed", id, amount, seller);
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
            Code::Authorization,
            "not_owner",
            format!("listing {listing} is not `{actor}`'s"),
        ));
    }
    if l.state != ListingState::Open {
        return Err(Refusal::new(
            Code::StatusProhibits,
            "listing_not_open",
            format!("listing {listing} is {}", l.state.as_str()),
        ));
    }
    if !l.bids.is_empty() {
        return Err(Refusal::new(
            Code::StatusProhibits,
            "has_bids",
            format!("listing {listing} has bids; an auction with bids runs to its end"),
        ));
    }
    let name = l.name;
    world.market.listings[lid as usize].state = ListingState::Delisted;
    super::offer::lapse_all(world, lid);
    log(world, name, "delisted", lid, 0, a.account);
    Ok(())
}

fn buyer_profile(world: &World, buyer: u32, profile: Option<&str>) -> Outcome<Option<u32>> {
    let Some(p) = profile else { return Ok(None) };
    let id = crate::ops::lookup::find_profile(world, p)?;
    if world.profiles[id as usize].owner != buyer {
        return Err(Refusal::new(
            Code::Authorization,
            "not_owner",
            format!("profile `{p}` belongs to another account"),
        ));
    }
    Ok(Some(id))
}

/// Checks that the listing's domain is still the seller's and active.
fn still_for_sale(world: &World, lid: u32) -> Outcome<()> {
    let l = &world.market.listings[lid as usize];
    let ok = l.domain.and_then(|r| world.domain_ref(r)).is_some_and(|d| {
        Some(d.owner) == l.seller && d.phase(world.now, world.tlds.get(d.tld)) == Phase::Active
    });
    if ok {
        Ok(())
    } else {
        Err(Refusal::new(
            Code::StatusProhibits,
            "listing_unavailable",
            format!("the domain of listing {lid} is no longer active with its seller"),
        ))
    }
}

/// Pays `price` from the buyer's wallet into escrow and opens a paid order.
fn purchase(
    world: &mut World,
    lid: u32,
    buyer: u32,
    price: i64,
    profile: Option<u32>,
) -> Outcome<u32> {
    if !world.ledger.can_pay(buyer, price) {
        return Err(Refusal::new(
            Code::Billing,
            "insufficient_funds",
            format!(
                "listing {lid} costs {price} but the wallet of `{}` holds {}",
                world.accounts[buyer as usize].id,
                world.ledger.balance(Book::Wallet(buyer))
            ),
        ));
    }
    let l = &world.market.listings[lid as usize];
    let (name, seller) = (
        l.name,
        l.seller.expect("listings with a domain have a seller"),
    );
    let now = world.now;
    world.ledger.post(
        now,
        Book::Wallet(buyer),
        Book::Escrow,
        price,
        Memo::Trade(name),
    );
    Ok(order::open(
        world, lid, seller, buyer, price, price, profile, None,
    ))
}

/// Buys a fixed-price listing: the money goes to escrow and the automatic transfer
/// starts. `profile` becomes the registrant (unset otherwise).
/// Refuses: 2303 `no_such_listing`, 2306 `trading_frozen`, 2306 `own_listing`, 2304
/// `listing_not_open`, 2306 `not_fixed_price`, 2304 `listing_unavailable`, 2303/2201
/// profile, 2104 `insufficient_funds`.
pub fn buy(world: &mut World, actor: &str, listing: i64, profile: Option<&str>) -> Outcome<u32> {
    let a = trader(world, actor)?;
    let lid = super::listing_id(world, listing)?;
    let l = &world.market.listings[lid as usize];
    let ListingKind::Fixed { price } = l.kind else {
        return Err(Refusal::new(
            Code::Policy,
            "not_fixed_price",
            format!(
                "listing {listing} is a {} listing, not fixed price",
                l.kind.as_str()
            ),
        ));
    };
    super::open_to_buyer(world, lid, a.account, actor)?;
    still_for_sale(world, lid)?;
    let p = buyer_profile(world, a.account, profile)?;
    purchase(world, lid, a.account, price, p)
}

/// The named buyer accepts a push and pays at once.
/// Refuses: 2303 `no_such_listing`, 2306 `trading_frozen`, 2306 `not_a_push`, 2201
/// `not_the_buyer`, 2304 `listing_not_open` / `listing_unavailable`, 2104.
pub fn accept_push(
    world: &mut World,
    actor: &str,
    listing: i64,
    profile: Option<&str>,
) -> Outcome<u32> {
    let (lid, buyer, price) = push_for(world, actor, listing)?;
    still_for_sale(world, lid)?;
    let p = buyer_profile(world, buyer, profile)?;
    purchase(world, lid, buyer, price, p)
}

/// The named buyer declines a push; the listing closes.
/// Refuses: as `accept_push` without funds.
pub fn decline_push(world: &mut World, actor: &str, listing: i64) -> Outcome<()> {
    let (lid, buyer, _) = push_for(world, actor, listing)?;
    let name = world.market.listings[lid as usize].name;
    world.market.listings[lid as usize].state = ListingState::Closed;
    log(world, name, "push_declined", lid, 0, buyer);
    Ok(())
}

fn push_for(world: &World, actor: &str, listing: i64) -> Outcome<(u32, u32, i64)> {
    let a = trader(world, actor)?;
    let lid = super::listing_id(world, listing)?;
    let l = &world.market.listings[lid as usize];
    let ListingKind::Push { buyer, price } = l.kind else {
        return Err(Refusal::new(
            Code::Policy,
            "not_a_push",
            format!("listing {listing} is not a push"),
        ));
    };
    if buyer != a.account {
        return Err(Refusal::new(
            Code::Authorization,
            "not_the_buyer",
            format!("listing {listing} is pushed to another account"),
        ));
    }
    if l.state != ListingState::Open {
        return Err(Refusal::new(
            Code::StatusProhibits,
            "listing_not_open",
            format!("listing {listing} is {}", l.state.as_str()),
        ));
    }
    Ok((lid, a.account, price))
}
