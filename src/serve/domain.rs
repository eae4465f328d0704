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
pub(crate) const WRITES: [&str; 14] = [
    "DeleteRegistrantProfile",
    "SaveSingleTaskForCreatingOrderTransfer",
    "SaveSingleTaskForCancelingTransferIn",
    "SaveRegistrantProfile",
    "SaveRegistrantProfileRealNameVerification",
    "SaveBatchTaskForModifyingDomainDns",
    "SaveSingleTaskForCreatingOrderActivate",
    "SaveSingleTaskForCreatingOrderRenew",
    "SaveSingleTaskForCreatingOrderRedeem",
    "SaveSingleTaskForUpdateProhibitionLock",
    "SaveSingleTaskForTransferProhibitionLock",
    "SaveSingleTaskForQueryingTransferAuthorizationCode",
    "SaveTaskForSubmittingDomainDelete",
    "SetupDomainAutoRenew",
];

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
        "SaveSingleTaskForCreatingOrderActivate" => activate(world, caller, p),
        "SaveSingleTaskForCreatingOrderRenew" => renew(world, caller, p),
        "SaveSingleTaskForCreatingOrderRedeem" => redeem(world, caller, p),
        "SaveSingleTaskForUpdateProhibitionLock" => lock(world, caller, p, Lock::Update),
        "SaveSingleTaskForTransferProhibitionLock" => lock(world, caller, p, Lock::Transfer),
        "SaveSingleTaskForQueryingTransferAuthorizationCode" => auth_code(world, caller, p),
        "SaveTaskForSubmittingDomainDelete" => delete(world, caller, p),
        "SetupDomainAutoRenew" => auto_renew(world, caller, p),
        "SaveBatchTaskForModifyingDomainDns" => modify_dns(world, caller, p),
        "QueryTaskList" => query_task_list(world, caller, p),
        "CheckTransferInFeasibility" => check_transfer_in(world, caller, p),
        "QueryTransferInList" => super::details::transfers_in(world, caller, p),
        "QueryTransferOutInfo" => super::details::transfer_out(world, caller, p),
        "QueryContactInfo" => super::details::contact(world, caller, p),
        "QueryDomainRealNameVerificationInfo" => super::details::real_name(world, caller, p),
        "SaveSingleTaskForCreatingOrderTransfer" => transfer_in(world, caller, p),
        "SaveSingleTaskForCancelingTransferIn" => cancel_transfer_in(world, caller, p),
        "SaveRegistrantProfile" => super::profiles::save_profile(world, caller, p),
        "DeleteRegistrantProfile" => super::profiles::delete_profile(world, caller, p),
        "SaveRegistrantProfileRealNameVerification" => {
            super::profiles::submit_verification(world, caller, p)
        }
        "QueryRegistrantProfiles" => super::profiles::query_profiles(world, caller, p),
        "QueryRegistrantProfileRealNameVerificationInfo" => {
            super::profiles::verification_info(world, caller, p)
        }
        "QueryTaskDetailList" => query_task_detail_list(world, caller, p),
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
    v["Reason"] = json!(if a.available { "" } else { a.reason.as_str() });
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
    let phase = d.phase(world.now(), tld);
    json!({
        "DomainName": world.domain_name(d.name),
        "InstanceId": instance_id(d.name),
        "RegistrationDate": date(created),
        "RegistrationDateLong": created.0 * 1000,
        "ExpirationDate": date(expires),
        "ExpirationDateLong": expires.0 * 1000,
        "ExpirationCurrDateDiff": (expires.0 - world.now().0).div_euclid(crate::sim::DAY),
        "ExpirationDateStatus": if world.now() < expires { "1" } else { "2" },
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

/// The caller's domains here (as `domains_of` lists them) whose name holds `key`, or
/// is `key` when `exact`; all of them without a key.
pub(super) fn held_matching(
    world: &World,
    caller: &Caller,
    key: Option<&str>,
    exact: bool,
) -> Result<Vec<DomainId>, crate::refusal::Refusal> {
    let actor = ops::actor::authorize(world, &caller.actor, Permission::Read)?;
    let key = key.unwrap_or("").to_ascii_lowercase();
    Ok(ops::views::domain_ids_of(world, actor.account)
        .into_iter()
        .filter(|id| {
            let name = world.domain(*id).map_or("", |d| &world.names[d.name]);
            key.is_empty()
                || if exact {
                    name == key
                } else {
                    name.contains(&key)
                }
        })
        .collect())
}

fn query_domain_list(world: &mut World, caller: &Caller, p: &Params) -> Result<Value, ApiError> {
    let ids = held_matching(world, caller, p.get("DomainName"), false).map_err(refused)?;
    paged(p, ids, 5000, ("Data", "Domain"), |id| {
        let mut v = summary(world, id);
        v["DnsList"] = json!({ "DnsList": ops::dns::nameservers(world, id) });
        v["Tag"] = json!({ "Tag": [] });
        if let Some(p) = world.registrant(id) {
            v["DomainAuditStatus"] = json!(super::profiles::real_name_status(p.real_name));
        }
        v
    })
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
    // A domain with no profile (transferred in) has no registrant data here yet.
    v["RegistrantName"] = json!("");
    v["RegistrantOrganization"] = json!("");
    v["Email"] = json!("");
    v["EmailVerificationStatus"] = json!(0);
    v["RealNameStatus"] = json!(super::profiles::real_name_status(
        crate::model::RealName::Unverified
    ));
    if let Some(profile) = world.registrant(h.id) {
        v["RegistrantName"] = json!(profile.name);
        v["RegistrantOrganization"] = json!(profile.organization);
        v["RegistrantType"] = json!(super::profiles::registrant_type(profile));
        v["Email"] = json!(profile.email);
        v["EmailVerificationStatus"] = json!(i64::from(profile.email_verified));
        v["RealNameStatus"] = json!(super::profiles::real_name_status(profile.real_name));
    }
    v["EmailVerificationClientHold"] = json!(ops::status::registrant_holds(world, d).1);
    v["PrivacyServiceStatus"] = json!(if ops::registrant::privacy_on(world, h.id) {
        "OPEN"
    } else {
        "CLOSE"
    });
    v["DomainNameProxyService"] = json!(false);
    v["Tag"] = json!({ "Tag": [] });
    Ok(v)
}

/// A domain's `InstanceId`: its interned name's number, as the API's `S` + 19 digits.
pub(super) fn instance_id(name: crate::model::NameId) -> String {
    format!("S{:019}", u64::from(name))
}

/// The domain name an `InstanceId` stands for.
fn instance_domain(world: &World, id: &str) -> Result<String, ApiError> {
    id.trim()
        .strip_prefix('S')
        .and_then(|n| n.parse::<u32>().ok())
        .filter(|n| (*n as usize) < world.names.len())
        .map(|n| world.names[n].to_string())
        .ok_or_else(|| {
            ApiError::new(
                400,
                "DomainNotExist",
                format!("no domain has InstanceId `{id}`"),
            )
        })
}

/// Records a task run at once on the simulated clock: its outcome per domain, from the
/// operation's result. Returns `{TaskNo}`.
fn task(
    world: &mut World,
    caller: &Caller,
    kind: &str,
    outcomes: Vec<(String, Result<String, crate::refusal::Refusal>)>,
) -> Result<Value, ApiError> {
    let actor = ops::actor::authorize(world, &caller.actor, Permission::Read).map_err(refused)?;
    let no =
        wire::uuid(format!("task {}", world.api_tasks.len()).as_bytes(), false).replace('-', "");
    let details = outcomes
        .into_iter()
        .map(|(domain, r)| match r {
            Ok(result) => crate::model::ApiTaskDetail {
                domain,
                ok: true,
                result,
                error: None,
            },
            Err(e) => crate::model::ApiTaskDetail {
                domain,
                ok: false,
                result: String::new(),
                error: Some((e.reason.as_str().to_string(), e.message)),
            },
        })
        .collect();
    world.api_tasks.push(crate::model::ApiTask {
        no: no.clone(),
        account: actor.account,
        kind: kind.to_string(),
        created: world.now(),
        details,
    });
    Ok(json!({ "TaskNo": no }))
}

/// `CurrentExpirationDate` (epoch milliseconds) must be the domain's expiry, as the
/// real service checks it, so that a retried order does not renew twice.
fn check_expiry(world: &World, caller: &Caller, name: &str, p: &Params) -> Result<(), ApiError> {
    let given = p
        .int(API, "CurrentExpirationDate")?
        .ok_or_else(|| ApiError::missing("CurrentExpirationDate"))?;
    let h = ops::guard::held(world, &caller.actor, name, Permission::Read).map_err(refused)?;
    if given != h.expires.0 * 1000 {
        return Err(ApiError::invalid(
            API,
            format!(
                "CurrentExpirationDate {given} is not the expiry of {} ({})",
                h.name(world),
                h.expires.0 * 1000
            ),
        ));
    }
    Ok(())
}

fn years(p: &Params, required: bool) -> Result<i64, ApiError> {
    match p.int(API, "SubscriptionDuration")? {
        Some(y) => Ok(y),
        None if required => Err(ApiError::missing("SubscriptionDuration")),
        None => Ok(1),
    }
}

fn activate(world: &mut World, caller: &Caller, p: &Params) -> Result<Value, ApiError> {
    let name = p.required("DomainName")?.to_string();
    let years = years(p, false)?;
    let options = ops::lifecycle::RegisterOptions {
        profile: p
            .get("RegistrantProfileId")
            .filter(|v| !v.is_empty())
            .map(|given| super::profiles::profile_of(world, given))
            .transpose()?,
        auto_renew: false,
    };
    let r = ops::lifecycle::register(world, &caller.actor, &name, years, &options)
        .map(|id| date(world.domain(id).map_or(world.now(), |d| d.expires.get())));
    task(world, caller, "ORDER_ACTIVATE", vec![(name, r)])
}

fn renew(world: &mut World, caller: &Caller, p: &Params) -> Result<Value, ApiError> {
    let name = p.required("DomainName")?.to_string();
    let years = years(p, true)?;
    check_expiry(world, caller, &name, p)?;
    let r = ops::lifecycle::renew(world, &caller.actor, &name, years).map(date);
    task(world, caller, "ORDER_RENEW", vec![(name, r)])
}

fn redeem(world: &mut World, caller: &Caller, p: &Params) -> Result<Value, ApiError> {
    let name = p.required("DomainName")?.to_string();
    check_expiry(world, caller, &name, p)?;
    let r = ops::lifecycle::restore(world, &caller.actor, &name).map(date);
    task(world, caller, "ORDER_REDEEM", vec![(name, r)])
}

fn lock(world: &mut World, caller: &Caller, p: &Params, lock: Lock) -> Result<Value, ApiError> {
    let name = p.required("DomainName")?.to_string();
    let on = p
        .bool(API, "Status")?
        .ok_or_else(|| ApiError::missing("Status"))?;
    let r = ops::lifecycle::set_lock(world, &caller.actor, &name, lock.as_str(), on)
        .map(|()| if on { "OPEN" } else { "CLOSE" }.to_string());
    let kind = match lock {
        Lock::Update => "SET_UPDATE_PROHIBITION_LOCK",
        _ => "SET_TRANSFER_PROHIBITION_LOCK",
    };
    task(world, caller, kind, vec![(name, r)])
}

fn auth_code(world: &mut World, caller: &Caller, p: &Params) -> Result<Value, ApiError> {
    let name = p.required("DomainName")?.to_string();
    let r = ops::transfer::auth_code(world, &caller.actor, &name);
    task(
        world,
        caller,
        "QUERY_TRANSFER_AUTHORIZATION_CODE",
        vec![(name, r)],
    )
}

fn delete(world: &mut World, caller: &Caller, p: &Params) -> Result<Value, ApiError> {
    let name = instance_domain(world, p.required("InstanceId")?)?;
    let r = ops::lifecycle::delete(world, &caller.actor, &name).map(|refund| refund.to_string());
    task(world, caller, "DOMAIN_DELETE", vec![(name, r)])
}

fn auto_renew(world: &mut World, caller: &Caller, p: &Params) -> Result<Value, ApiError> {
    let on = match p.required("Operation")? {
        o if o.eq_ignore_ascii_case("OPEN") => true,
        o if o.eq_ignore_ascii_case("CLOSE") => false,
        o => {
            return Err(ApiError::invalid(
                API,
                format!("Operation must be OPEN or CLOSE, not `{o}`"),
            ));
        }
    };
    let names: Vec<String> = p
        .required("InstanceId")?
        .split(',')
        .map(|id| instance_domain(world, id))
        .collect::<Result<_, _>>()?;
    for name in &names {
        ops::lifecycle::set_auto_renew(world, &caller.actor, name, on).map_err(refused)?;
    }
    Ok(json!({ "Result": true }))
}

/// A page of `items` as the Domain API lists them: the page fields, and the page's
/// items (only those are rendered) under `OUTER: {INNER: [...]}`.
pub(super) fn paged<T>(
    p: &Params,
    items: Vec<T>,
    max: i64,
    (outer, inner): (&str, &str),
    render: impl Fn(T) -> Value,
) -> Result<Value, ApiError> {
    let (page, size) = wire::page(p, API, "PageNum", max)?;
    let total = items.len() as i64;
    let pages = (total + size - 1) / size;
    let list: Vec<Value> = wire::slice(items, page, size)
        .into_iter()
        .map(render)
        .collect();
    let mut v = json!({
        "TotalItemNum": total,
        "CurrentPageNum": page,
        "TotalPageNum": pages,
        "PageSize": size,
        "PrePage": page > 1,
        "NextPage": page < pages,
    });
    v[outer] = json!({ inner: list });
    Ok(v)
}

/// A task's status: every task runs at once, so it has succeeded or failed.
fn status_of(ok: bool) -> (&'static str, i64) {
    if ok {
        ("EXECUTE_SUCCESS", 2)
    } else {
        ("EXECUTE_FAILURE", 3)
    }
}

fn query_task_list(world: &mut World, caller: &Caller, p: &Params) -> Result<Value, ApiError> {
    let actor = ops::actor::authorize(world, &caller.actor, Permission::Read).map_err(refused)?;
    let from = p.int(API, "BeginCreateTime")?;
    let to = p.int(API, "EndCreateTime")?;
    let items: Vec<Value> = world
        .api_tasks
        .iter()
        .rev()
        .filter(|t| t.account == actor.account)
        .filter(|t| from.is_none_or(|f| t.created.0 * 1000 >= f))
        .filter(|t| to.is_none_or(|e| t.created.0 * 1000 <= e))
        .map(|t| {
            let (status, code) = status_of(t.details.iter().all(|d| d.ok));
            json!({
                "TaskNo": t.no,
                "TaskType": t.kind,
                "TaskTypeDescription": t.kind,
                "TaskNum": t.details.len(),
                "TaskStatus": status,
                "TaskStatusCode": code,
                "TaskCancelStatus": "NONE",
                "TaskCancelStatusCode": 0,
                "CreateTime": date(t.created),
                "Clientip": "",
                "TaskResult": match t.details.as_slice() {
                    [one] => one.result.as_str(),
                    _ => "",
                },
            })
        })
        .collect();
    paged(p, items, 1000, ("Data", "TaskInfo"), |v| v)
}

fn query_task_detail_list(
    world: &mut World,
    caller: &Caller,
    p: &Params,
) -> Result<Value, ApiError> {
    let actor = ops::actor::authorize(world, &caller.actor, Permission::Read).map_err(refused)?;
    let no = p.required("TaskNo")?;
    let domain = p.get("DomainName").filter(|v| !v.is_empty());
    let wanted = p.get("TaskStatus").filter(|v| !v.is_empty());
    let task = world
        .api_tasks
        .iter()
        .find(|t| t.no == no && t.account == actor.account)
        .ok_or_else(|| ApiError::invalid(API, format!("no task `{no}` of this account")))?;
    let items: Vec<Value> = task
        .details
        .iter()
        .enumerate()
        .filter(|(_, d)| domain.is_none_or(|n| d.domain.eq_ignore_ascii_case(n)))
        .filter(|(_, d)| wanted.is_none_or(|s| s == status_of(d.ok).0))
        .map(|(i, d)| {
            let (status, code) = status_of(d.ok);
            let mut v = json!({
                "TaskNo": task.no,
                "TaskDetailNo": format!("{}-{i}", task.no),
                "TaskType": task.kind,
                "TaskTypeDescription": task.kind,
                "DomainName": d.domain,
                "InstanceId": ops::lookup::find_domain(world, &d.domain)
                    .ok()
                    .and_then(|(id, _)| world.domain(id).map(|x| instance_id(x.name)))
                    .unwrap_or_default(),
                "TaskStatus": status,
                "TaskStatusCode": code,
                "TaskResult": d.result,
                "TryCount": 1,
                "CreateTime": date(task.created),
                "UpdateTime": date(task.created),
                "ErrorMsg": "",
                "FailReason": "",
            });
            if let Some((reason, message)) = &d.error {
                v["ErrorMsg"] = json!(message);
                v["FailReason"] = json!(reason);
            }
            v
        })
        .collect();
    paged(p, items, 1000, ("Data", "TaskDetail"), |v| v)
}

/// The values of a flattened list parameter: `Name.1`, `Name.2`, ... in order.
fn list(p: &Params, name: &str) -> Vec<String> {
    (1..=p.pairs.len())
        .map_while(|i| p.get(&format!("{name}.{i}")).map(str::to_string))
        .collect()
}

fn modify_dns(world: &mut World, caller: &Caller, p: &Params) -> Result<Value, ApiError> {
    let names = list(p, "DomainName");
    if names.is_empty() {
        return Err(ApiError::missing("DomainName.1"));
    }
    // AliyunDns=true returns hosting to the registrar's own name servers.
    let servers = if p.bool(API, "AliyunDns")?.unwrap_or(false) {
        ops::dns::DEFAULT_NAMESERVERS.map(str::to_string).to_vec()
    } else {
        list(p, "DomainNameServer")
    };
    let outcomes = names
        .into_iter()
        .map(|n| {
            let r = ops::dns::set_nameservers(world, &caller.actor, &n, &servers)
                .map(|()| servers.join(","));
            (n, r)
        })
        .collect();
    task(world, caller, "CHANGE_DNS", outcomes)
}

fn check_transfer_in(world: &mut World, caller: &Caller, p: &Params) -> Result<Value, ApiError> {
    let name = p.required("DomainName")?;
    let code = p.get("TransferAuthorizationCode").filter(|v| !v.is_empty());
    Ok(
        match ops::transfer::check_transfer_in(world, &caller.actor, name, code) {
            // The real service's success body carries an empty `Code` and `Message`.
            Ok(()) => json!({ "CanTransfer": true, "Code": "", "Message": "", "ProductId": "" }),
            Err(r) => json!({
                "CanTransfer": false,
                "Code": r.reason.as_str(),
                "Message": r.message,
                "ProductId": "",
            }),
        },
    )
}

fn transfer_in(world: &mut World, caller: &Caller, p: &Params) -> Result<Value, ApiError> {
    let name = p.required("DomainName")?.to_string();
    let code = p.required("AuthorizationCode")?.to_string();
    let r = ops::transfer::transfer_in(world, &caller.actor, &name, &code).map(|()| {
        ops::transfer::transfer_view(world, &name)
            .ok()
            .flatten()
            .map_or_else(String::new, |t| t.auto_approve)
    });
    task(world, caller, "ORDER_TRANSFER", vec![(name, r)])
}

fn cancel_transfer_in(world: &mut World, caller: &Caller, p: &Params) -> Result<Value, ApiError> {
    let name = p.required("DomainName")?.to_string();
    let r = ops::transfer::cancel_transfer(world, &caller.actor, &name).map(|()| String::new());
    task(world, caller, "CANCEL_TRANSFER_IN", vec![(name, r)])
}
