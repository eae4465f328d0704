//! The transfer and trade vocabulary: transfers in and out, pushes, listings, purchases,
//! auctions, offers, push sales, backorders. Each function parses its arguments, calls
//! one library function and returns a view.

use super::Shared;
use super::api::Registry;
use super::bindings::{only_keys, opt_int, opt_str, with};
use super::convert::{R, done, view};
use crate::market::{auction, backorder, listing, offer, order, views as mviews};
use crate::ops::{ownership, transfer};
use rhai::{Array, Dynamic, Map};

/// Registers the transfer and trade vocabulary.
pub fn register(r: &mut Registry, session: &Shared) {
    r.area("transfers");
    let s = session.clone();
    r.add("transfer_in", "transfer_in(actor, name, auth_code)", "Requests a domain from another registrar; the transfer price waits in escrow while pending.", move |actor: &str, name: &str, code: &str| -> R<()> {
        with(&s, |w| done(transfer::transfer_in(w, actor, name, code)))
    });
    let s = session.clone();
    r.add(
        "check_transfer_in",
        "check_transfer_in(actor, name, auth_code)",
        "Refuses as transfer_in would, changing nothing; an empty auth_code leaves the code unchecked.",
        move |actor: &str, name: &str, code: &str| -> R<()> {
            let code = (!code.is_empty()).then_some(code);
            with(&s, |w| done(transfer::check_transfer_in(w, actor, name, code)))
        },
    );
    let s = session.clone();
    r.add(
        "cancel_transfer",
        "cancel_transfer(actor, name)",
        "Cancels a pending transfer in; the charge is refunded.",
        move |actor: &str, name: &str| -> R<()> {
            with(&s, |w| done(transfer::cancel_transfer(w, actor, name)))
        },
    );
    let s = session.clone();
    r.add(
        "auth_code",
        "auth_code(actor, name) -> string",
        "The holder's transfer authorization code.",
        move |actor: &str, name: &str| -> R<String> {
            with(&s, |w| done(transfer::auth_code(w, actor, name)))
        },
    );
    let s = session.clone();
    r.add(
        "foreign_auth_code",
        "foreign_auth_code(name) -> string",
        "The auth code of a domain held at another registrar, as its registrar gives it to the holder (to transfer it in).",
        move |name: &str| -> R<String> {
            with(&s, |w| done(transfer::foreign_auth_code(w, name)))
        },
    );
    let s = session.clone();
    r.add("request_transfer_out", "request_transfer_out(name, registrar, auth_code)", "Another registrar asks for a domain held here (auto-approved after pending_transfer_days).", move |name: &str, registrar: &str, code: &str| -> R<()> {
        with(&s, |w| done(transfer::request_transfer_out(w, name, registrar, code)))
    });
    let s = session.clone();
    r.add(
        "approve_transfer",
        "approve_transfer(actor, name)",
        "The holder approves a pending transfer out at once.",
        move |actor: &str, name: &str| -> R<()> {
            with(&s, |w| done(transfer::approve_transfer(w, actor, name)))
        },
    );
    let s = session.clone();
    r.add(
        "reject_transfer",
        "reject_transfer(actor, name)",
        "The holder rejects a pending transfer out.",
        move |actor: &str, name: &str| -> R<()> {
            with(&s, |w| done(transfer::reject_transfer(w, actor, name)))
        },
    );
    let s = session.clone();
    r.add("transfer", "transfer(name) -> map", "The pending transfer: #{direction, gaining, losing, requested, auto_approve, charged}, or ().", move |name: &str| -> R<Dynamic> {
        with(&s, |w| view(&done(transfer::transfer_view(w, name))?))
    });
    let s = session.clone();
    r.add("push_domain", "push_domain(actor, name, to_account)", "Moves a domain to another account here at once, registrant unchanged, auto-renew off (not while listed or in a trade).", move |actor: &str, name: &str, to: &str| -> R<()> {
        with(&s, |w| done(ownership::push_domain(w, actor, name, to)))
    });

    r.area("trade");
    let s = session.clone();
    r.add("list_for_sale", "list_for_sale(actor, name, #{kind, price, start_price, reserve, duration, min_offer, buyer}) -> int", "Lists a domain: kind fixed (price), auction (start_price, reserve, duration), offer (min_offer) or push (buyer, price); returns the listing id.", move |actor: &str, name: &str, m: Map| -> R<i64> {
        only_keys(&m, &["kind", "price", "start_price", "reserve", "duration", "min_offer", "buyer"], "list_for_sale")?;
        let input = listing::ListingInput {
            kind: opt_str(&m, "kind", "list_for_sale")?.unwrap_or_default(),
            price: opt_int(&m, "price", "list_for_sale")?,
            start_price: opt_int(&m, "start_price", "list_for_sale")?,
            reserve: opt_int(&m, "reserve", "list_for_sale")?,
            duration: opt_str(&m, "duration", "list_for_sale")?,
            min_offer: opt_int(&m, "min_offer", "list_for_sale")?,
            buyer: opt_str(&m, "buyer", "list_for_sale")?,
        };
        with(&s, |w| done(listing::list_for_sale(w, actor, name, &input)).map(i64::from))
    });
    let s = session.clone();
    r.add(
        "delist",
        "delist(actor, listing)",
        "Withdraws an open listing (not an auction with bids).",
        move |actor: &str, id: i64| -> R<()> { with(&s, |w| done(listing::delist(w, actor, id))) },
    );
    let s = session.clone();
    r.add("listing", "listing(id) -> map", "A listing: #{id, domain, seller, kind, state, price, reserve, ends, bids, leader, buyer, created}.", move |id: i64| -> R<Dynamic> {
        with(&s, |w| view(&done(mviews::listing_view(w, id))?))
    });
    let s = session.clone();
    r.add(
        "shop",
        "shop(seller) -> array",
        "The seller's open listings (regsim shop writes them as an HTML page).",
        move |seller: &str| -> R<Array> {
            with(&s, |w| {
                done(mviews::shop(w, seller))?.iter().map(view).collect()
            })
        },
    );
    let s = session.clone();
    r.add(
        "shop_html",
        "shop_html(seller) -> string",
        "The seller's shop as a static HTML page.",
        move |seller: &str| -> R<String> {
            with(&s, |w| done(crate::report::shop::html(w, seller)))
        },
    );
    let s = session.clone();
    r.add(
        "buy",
        "buy(actor, listing) -> int",
        "Buys a fixed-price listing: money to escrow, automatic transfer; returns the order id.",
        move |actor: &str, id: i64| -> R<i64> {
            with(&s, |w| {
                done(listing::buy(w, actor, id, None)).map(i64::from)
            })
        },
    );
    let s = session.clone();
    r.add(
        "buy",
        "buy(actor, listing, #{profile}) -> int",
        "As buy, making `profile` the registrant.",
        move |actor: &str, id: i64, m: Map| -> R<i64> {
            only_keys(&m, &["profile"], "buy")?;
            let profile = opt_str(&m, "profile", "buy")?;
            with(&s, |w| {
                done(listing::buy(w, actor, id, profile.as_deref())).map(i64::from)
            })
        },
    );
    let s = session.clone();
    r.add(
        "order",
        "order(id) -> map",
        "An order: #{id, listing, domain, seller, buyer, price, paid, state, deadline}.",
        move |id: i64| -> R<Dynamic> { with(&s, |w| view(&done(mviews::order_view(w, id))?)) },
    );
    let s = session.clone();
    r.add(
        "deliver",
        "deliver(actor, order)",
        "The seller delivers an order whose automatic transfer failed (refused under the update lock, like any registrant change).",
        move |actor: &str, id: i64| -> R<()> { with(&s, |w| done(order::deliver(w, actor, id))) },
    );
    let s = session.clone();
    r.add(
        "pay",
        "pay(actor, order)",
        "The buyer pays an order awaiting payment (auction won, offer accepted).",
        move |actor: &str, id: i64| -> R<()> { with(&s, |w| done(order::pay(w, actor, id))) },
    );
    let s = session.clone();
    r.add(
        "bid",
        "bid(actor, listing, max) -> int",
        "Places a proxy bid with a maximum; returns the current price (never below a reserve the leader's maximum meets).",
        move |actor: &str, id: i64, max: i64| -> R<i64> {
            with(&s, |w| done(auction::bid(w, actor, id, max)))
        },
    );
    let s = session.clone();
    r.add(
        "make_offer",
        "make_offer(actor, listing, amount) -> int",
        "Offers an amount on an offer listing; returns the offer id.",
        move |actor: &str, id: i64, amount: i64| -> R<i64> {
            with(&s, |w| {
                done(offer::make_offer(w, actor, id, amount)).map(i64::from)
            })
        },
    );
    let s = session.clone();
    r.add(
        "counter_offer",
        "counter_offer(actor, offer, amount)",
        "The seller answers an offer with another amount.",
        move |actor: &str, id: i64, amount: i64| -> R<()> {
            with(&s, |w| done(offer::counter_offer(w, actor, id, amount)))
        },
    );
    let s = session.clone();
    r.add(
        "accept_offer",
        "accept_offer(actor, offer) -> int",
        "Accepts an offer (seller) or a counter (buyer); returns the order awaiting payment.",
        move |actor: &str, id: i64| -> R<i64> {
            with(&s, |w| {
                done(offer::accept_offer(w, actor, id)).map(i64::from)
            })
        },
    );
    let s = session.clone();
    r.add(
        "reject_offer",
        "reject_offer(actor, offer)",
        "Rejects an offer (seller) or a counter (buyer).",
        move |actor: &str, id: i64| -> R<()> {
            with(&s, |w| done(offer::reject_offer(w, actor, id)))
        },
    );
    let s = session.clone();
    r.add(
        "offer",
        "offer(id) -> map",
        "An offer: #{id, listing, buyer, amount, counter, state, expires, order}.",
        move |id: i64| -> R<Dynamic> { with(&s, |w| view(&done(mviews::offer_view(w, id))?)) },
    );
    let s = session.clone();
    r.add(
        "accept_push",
        "accept_push(actor, listing) -> int",
        "The named buyer accepts a push and pays; returns the order id.",
        move |actor: &str, id: i64| -> R<i64> {
            with(&s, |w| {
                done(listing::accept_push(w, actor, id, None)).map(i64::from)
            })
        },
    );
    let s = session.clone();
    r.add(
        "decline_push",
        "decline_push(actor, listing)",
        "The named buyer declines a push.",
        move |actor: &str, id: i64| -> R<()> {
            with(&s, |w| done(listing::decline_push(w, actor, id)))
        },
    );
    let s = session.clone();
    r.add(
        "backorder",
        "backorder(actor, name)",
        "Backorders a name in redemption or pending delete (the backorder price waits in escrow).",
        move |actor: &str, name: &str| -> R<()> {
            with(&s, |w| done(backorder::backorder(w, actor, name)))
        },
    );
    let s = session.clone();
    r.add(
        "cancel_backorder",
        "cancel_backorder(actor, name)",
        "Withdraws one's backorder on a dropping name before it drops; the held price is refunded.",
        move |actor: &str, name: &str| -> R<()> {
            with(&s, |w| done(backorder::cancel_backorder(w, actor, name)))
        },
    );
    let s = session.clone();
    r.add(
        "trade_breaches",
        "trade_breaches(account) -> int",
        "How many trade breaches (unpaid orders, undelivered sales) an account has on record.",
        move |id: &str| -> R<i64> { with(&s, |w| done(mviews::breaches(w, id))) },
    );
}
