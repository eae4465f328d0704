//! The Domain (2018-01-29) actions regsim serves so far: the availability check and
//! the domain list and details, each from one `ops` function. Dates come twice, as
//! `yyyy-MM-dd HH:mm:ss` strings and as `...Long` epoch milliseconds (the simulated
//! clock's, in UTC).

use super::gateway::Caller;
use super::wire::{self, Api, ApiError, Params};
use crate::model::{DomainId, Lock, Permission, Phase, Resolve, World};
use crate::ops;
use crate::sim::Time;
use serde_json::{Value, json};

const API: Api = Api::Domain;

/// The actions that may change the world (journaled before they are applied).
pub const WRITES: [&str; 0] = [];

/// Runs `action`; `None` when regsim does not serve it.
pub fn call(
    world: &mut World,
    caller: &Caller,
    action: &str,
    p: &Params,
) -> Option<Result<Value, ApiError>> {
    Some(match action {
        "CheckDomain" => check_domain(world, caller, p),
        "QueryDomainList" => query_domain_list(world, caller, p),
        "QueryDomainByDomainName" => query_domain_by_domain_name(world, caller, p),
        _ => return None,
    })
}

fn refused(r: crate::refusal::Refusal) -> ApiError {
    wire::refusal(API, &r)
}

fn date(t: Time) -> String {
    t.format("%Y-%m-%d %H:%M:%S")
}

/// A price in fen as the API gives money: CNY.
fn cny(fen: i64) -> f64 {
    fen as f64 / 100.0
}

fn check_domain(world: &mut World, caller: &Caller, p: &Params) -> Result<Value, ApiError> {
    ops::actor::authorize(world, &caller.actor, Permission::Read).map_err(refused)?;
    let name = p.required("DomainName")?;
    let years = p.int(API, "FeePeriod")?.unwrap_or(1);
    if !(1..=10).contains(&years) {
        return Err(ApiError::invalid(
            API,
            format!("FeePeriod must be 1 to 10 years, not {years}"),
        ));
    }
    let a = ops::lifecycle::check(world, name).map_err(refused)?;
    let mut v = json!({
        "DomainName": a.name,
        "Avail": if a.available { "1" } else { "0" },
        "Premium": "false",
        "DynamicCheck": false,
        "Price": (a.price + (years - 1) * renew_price(world, &a.name)) / 100,
        "StaticPriceInfo": { "PriceInfo": [
            { "action": "activate", "money": cny(a.price), "period": 12 },
        ] },
    });
    if !a.available {
        v["Reason"] = json!(a.reason.as_str());
    }
    Ok(v)
}

fn renew_price(world: &World, name: &str) -> i64 {
    ops::lookup::parse_name(world, name)
        .map(|p| world.tlds.get(p.tld).renew)
        .unwrap_or(0)
}

/// Alibaba Cloud's `DomainStatus`: 1 renewal urgently needed (grace), 2 redemption
/// urgently needed, 3 normal.
fn status_code(phase: Phase) -> &'static str {
    match phase {
        Phase::Active => "3",
        Phase::Grace => "1",
        _ => "2",
    }
}

fn summary(world: &World, id: DomainId) -> Value {
    let d = world.domain(id).expect("live domain");
    let tld = world.tlds.get(d.tld);
    let (created, expires) = (d.created.get(), d.expires.get());
    let phase = d.phase(world.now, tld);
    json!({
        "DomainName": world.domain_name(d.name),
        "InstanceId": format!("S{:019}", u64::from(d.name)),
        "RegistrationDate": date(created),
        "RegistrationDateLong": created.0 * 1000,
        "ExpirationDate": date(expires),
        "ExpirationDateLong": expires.0 * 1000,
        "ExpirationCurrDateDiff": (expires.0 - world.now.0).div_euclid(crate::sim::DAY),
        "ExpirationDateStatus": if world.now < expires { "1" } else { "2" },
        "DomainStatus": status_code(phase),
        "DomainType": "gTLD",
        "Premium": false,
        "Registrar": "hichina",
        "Remark": "",
        "DomainGroupId": "",
        "DomainGroupName": "",
        "ResourceGroupId": "",
        "RegistrantType": "1",
        "AutoRenewEnabled": d.auto_renew(),
        "Ccompany": "",
    })
}

fn query_domain_list(world: &mut World, caller: &Caller, p: &Params) -> Result<Value, ApiError> {
    let actor = ops::actor::authorize(world, &caller.actor, Permission::Read).map_err(refused)?;
    let (page, size) = wire::page(p, API, "PageNum", 5000)?;
    let key = p.get("DomainName").unwrap_or("").to_ascii_lowercase();
    let account = world.accounts[actor.account as usize].id.clone();
    let names = ops::views::domains_of(world, &account).map_err(refused)?;
    let ids: Vec<DomainId> = names
        .iter()
        .filter(|n| key.is_empty() || n.contains(&key))
        .filter_map(|n| ops::lookup::find_domain(world, n).ok().map(|(id, _)| id))
        .collect();
    let total = ids.len() as i64;
    let pages = (total + size - 1) / size;
    let list: Vec<Value> = wire::slice(ids, page, size)
        .into_iter()
        .map(|id| {
            let mut v = summary(world, id);
            v["DnsList"] = json!({ "DnsList": ops::dns::nameservers(world, id) });
            v
        })
        .collect();
    Ok(json!({
        "TotalItemNum": total,
        "CurrentPageNum": page,
        "TotalPageNum": pages,
        "PageSize": size,
        "PrePage": page > 1,
        "NextPage": page < pages,
        "Data": { "Domain": list },
    }))
}

fn query_domain_by_domain_name(
    world: &mut World,
    caller: &Caller,
    p: &Params,
) -> Result<Value, ApiError> {
    let name = p.required("DomainName")?;
    let h = ops::guard::held(world, &caller.actor, name, Permission::Read).map_err(refused)?;
    let view = ops::views::domain_view(world, h.name(world)).map_err(refused)?;
    let d = world.domain(h.id).expect("live domain");
    let lock = |l: Lock| if d.locks.has(l) { "OPEN" } else { "CLOSE" };
    let mut v = summary(world, h.id);
    v["DnsList"] = json!({ "Dns": ops::dns::nameservers(world, h.id) });
    v["UpdateProhibitionLock"] = json!(lock(Lock::Update));
    v["TransferProhibitionLock"] = json!(lock(Lock::Transfer));
    v["TransferOutStatus"] = json!(if world.transfers.contains_key(&h.id) {
        "1"
    } else {
        "0"
    });
    v["UserId"] = json!(view.owner);
    if let Some(profile) = view
        .profile
        .and_then(|id| ops::views::profile_view(world, &id).ok())
    {
        v["RegistrantName"] = json!(profile.name);
        v["RegistrantOrganization"] = json!(profile.organization);
        v["Email"] = json!(profile.email);
        v["RealNameStatus"] = json!(match profile.state.as_str() {
            "verified" => "SUCCEED",
            "pending" => "AUDITING",
            "rejected" => "FAILED",
            _ => "NONAUDIT",
        });
    }
    Ok(v)
}
