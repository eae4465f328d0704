//! A seller's shop (its open listings) as a static HTML page.

use super::escape as esc;
use crate::World;
use crate::market::views::shop;
use crate::refusal::Outcome;

/// The seller's shop as a static HTML page.
/// Refuses: 2303 `no_such_account`.
pub fn html(world: &World, seller: &str) -> Outcome<String> {
    let rows: String = shop(world, seller)?
        .iter()
        .map(|l| {
            let price = format!("{}.{:02}", l.price / 100, l.price % 100);
            let detail = match (l.kind.as_str(), &l.ends) {
                ("auction", Some(ends)) => format!("auction, {} bids, ends {ends}", l.bids),
                ("offer", _) => "make an offer".to_string(),
                ("push", _) => format!("reserved for {}", l.buyer.clone().unwrap_or_default()),
                _ => "buy now".to_string(),
            };
            format!(
                "    <tr><td>{}</td><td class=\"price\">CNY {price}</td><td>{}</td></tr>\n",
                esc(&crate::model::name::to_unicode(&l.domain)),
                esc(&detail)
            )
        })
        .collect();
    Ok(format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>Domains for sale by {s}</title>\n<style>\n  body {{ font-family: sans-serif; max-width: 760px; margin: 2em auto; }}\n  table {{ width: 100%; border-collapse: collapse; }}\n  td, th {{ padding: .5em; border-bottom: 1px solid #ddd; text-align: left; }}\n  .price {{ text-align: right; font-variant-numeric: tabular-nums; }}\n</style>\n</head>\n<body>\n  <h1>Domains for sale by {s}</h1>\n  <table>\n    <tr><th>Domain</th><th class=\"price\">Price</th><th>Sale</th></tr>\n{rows}  </table>\n</body>\n</html>\n",
        s = esc(seller)
    ))
}
