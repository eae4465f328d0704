//! The Alidns (2015-01-09) actions regsim serves: the domain list and info, adding a
//! domain to DNS hosting and deleting it, and the records (list, add, update, delete,
//! pause), each calling one `ops` function under the
//! caller's actor; reads need the `read` permission, changes `dns`.

use super::gateway::Caller;
use super::wire::{self, Api, ApiError, Params};
use crate::model::{DomainId, Permission, Record, Resolve, World};
use crate::ops;
use serde_json::{Value, json};

const API: Api = Api::Alidns;

/// The actions that may change the world (journaled before they are applied).
pub(crate) const WRITES: [&str; 6] = [
    "AddDomain",
    "DeleteDomain",
    "AddDomainRecord",
    "UpdateDomainRecord",
    "DeleteDomainRecord",
    "SetDomainRecordStatus",
];

/// Runs `action`; `None` when regsim does not serve it.
pub fn call(
    world: &mut World,
    caller: &Caller,
    action: &str,
    p: &Params,
) -> Option<Result<Value, ApiError>> {
    Some(match action {
        "DescribeDomains" => describe_domains(world, caller, p),
        "DescribeDomainInfo" => describe_domain_info(world, caller, p),
        "AddDomain" => add_domain(world, caller, p),
        "DeleteDomain" => delete_domain(world, caller, p),
        "DescribeDomainRecords" => describe_domain_records(world, caller, p),
        "DescribeSubDomainRecords" => describe_sub_domain_records(world, caller, p),
        "AddDomainRecord" => add_domain_record(world, caller, p),
        "UpdateDomainRecord" => update_domain_record(world, caller, p),
        "DeleteDomainRecord" => delete_domain_record(world, caller, p),
        "SetDomainRecordStatus" => set_domain_record_status(world, caller, p),
        _ => return None,
    })
}

fn refused(r: crate::refusal::Refusal) -> ApiError {
    wire::refusal(API, &r)
}

/// A record's id as Alidns gives it: one number for the domain and its record, so
/// that `UpdateDomainRecord` and `DeleteDomainRecord` need no domain name.
pub(crate) fn record_id(domain: DomainId, record: u32) -> String {
    ((u64::from(domain) << 32) | u64::from(record)).to_string()
}

/// The domain slot and zone record of an Alidns record id.
fn parse_record_id(text: &str) -> Result<(DomainId, i64), ApiError> {
    let n: u64 = text
        .trim()
        .parse()
        .map_err(|_| ApiError::invalid(API, format!("RecordId `{text}` is not a record id")))?;
    Ok(((n >> 32) as DomainId, (n & 0xffff_ffff) as i64))
}

/// The domain a record id points to, by name, or `DomainRecordNotBelongToUser`.
fn record_domain(world: &World, id: DomainId, text: &str) -> Result<String, ApiError> {
    world
        .domain(id)
        .map(|d| world.domain_name(d.name).to_string())
        .ok_or_else(|| {
            ApiError::new(
                400,
                "DomainRecordNotBelongToUser",
                format!("no record {text} belongs to a live domain"),
            )
        })
}

fn domain_entry(world: &World, id: DomainId) -> Value {
    let d = world.domain(id).expect("live domain");
    let name = world.domain_name(d.name);
    let created = d.created.get();
    let records = world.data.get(&id).map_or(0, |z| z.records.len());
    let mut v = json!({
        "DomainId": wire::uuid(name.as_bytes(), false),
        "DomainName": name,
        "AliDomain": true,
        "RecordCount": records,
        "DnsServers": { "DnsServer": ops::dns::nameservers(world, id) },
        "CreateTime": created.format("%Y-%m-%dT%H:%MZ"),
        "CreateTimestamp": created.0 * 1000,
        "VersionCode": "mianfei",
        "VersionName": "Alibaba Cloud DNS",
        "InstanceExpired": false,
        "Starmark": false,
        "GroupId": "",
        "GroupName": "",
        "Remark": "",
        "RegistrantEmail": world.registrant(id).map_or("", |p| p.email.as_str()),
        "SlaveDnsStatus": "CLOSE",
        "DomainLoggingSwitchStatus": "CLOSE",
        "Tags": { "Tag": [] },
    });
    if name.split('.').any(|l| l.starts_with("xn--")) {
        v["PunyCode"] = json!(name);
    }
    v
}

fn describe_domains(world: &mut World, caller: &Caller, p: &Params) -> Result<Value, ApiError> {
    let (page, size) = wire::page(p, API, "PageNumber", 100)?;
    let exact = p
        .get("SearchMode")
        .is_some_and(|m| m.eq_ignore_ascii_case("EXACT"));
    let mut ids =
        super::domain::held_matching(world, caller, p.get("KeyWord"), exact).map_err(refused)?;
    ids.retain(|id| ops::dns::hosted(world, *id));
    let total = ids.len();
    let domains: Vec<Value> = wire::slice(ids, page, size)
        .into_iter()
        .map(|id| domain_entry(world, id))
        .collect();
    Ok(json!({
        "TotalCount": total,
        "PageNumber": page,
        "PageSize": size,
        "Domains": { "Domain": domains },
    }))
}

/// A domain the caller may read, hosted by the registrar's DNS.
fn hosted_zone(world: &World, caller: &Caller, name: &str) -> Result<ops::guard::Held, ApiError> {
    let h = ops::guard::held(world, &caller.actor, name, Permission::Read).map_err(refused)?;
    ops::dns::require_hosted(world, &h).map_err(refused)?;
    Ok(h)
}

fn add_domain(world: &mut World, caller: &Caller, p: &Params) -> Result<Value, ApiError> {
    let name = p.required("DomainName")?;
    ops::dns::host_zone(world, &caller.actor, name).map_err(refused)?;
    let h = ops::guard::held(world, &caller.actor, name, Permission::Read).map_err(refused)?;
    let entry = domain_entry(world, h.id);
    let mut v = json!({
        "DomainId": entry["DomainId"],
        "DomainName": entry["DomainName"],
        "DnsServers": entry["DnsServers"],
        "GroupId": "",
        "GroupName": "",
    });
    if let Some(puny) = entry.get("PunyCode") {
        v["PunyCode"] = puny.clone();
    }
    Ok(v)
}

fn delete_domain(world: &mut World, caller: &Caller, p: &Params) -> Result<Value, ApiError> {
    let name = p.required("DomainName")?;
    let h = ops::guard::held(world, &caller.actor, name, Permission::Read).map_err(refused)?;
    let ascii = h.name(world).to_string();
    ops::dns::unhost_zone(world, &caller.actor, name).map_err(refused)?;
    Ok(json!({ "DomainName": ascii }))
}

fn describe_domain_info(world: &mut World, caller: &Caller, p: &Params) -> Result<Value, ApiError> {
    let name = p.required("DomainName")?;
    let h = hosted_zone(world, caller, name)?;
    let mut v = domain_entry(world, h.id);
    if let Value::Object(m) = &mut v {
        m.remove("RecordCount");
        m.remove("CreateTimestamp");
        m.remove("InstanceExpired");
        m.remove("Starmark");
        m.remove("RegistrantEmail");
        m.remove("Tags");
        m.remove("SlaveDnsStatus");
        m.insert("SlaveDns".into(), json!(false));
        for flag in ["InBlackHole", "InClean", "RegionLines", "SubDomain"] {
            m.insert(flag.into(), json!(false));
        }
        m.insert("MinTtl".into(), json!(ops::dns::MIN_TTL));
        m.insert("LineType".into(), json!("default"));
        m.insert(
            "AvailableTtls".into(),
            json!({ "AvailableTtl": ["60", "600", "1800", "3600", "43200", "86400"] }),
        );
        m.insert(
            "RecordLines".into(),
            json!({ "RecordLine": [{
                "LineCode": "default",
                "LineName": "默认",
                "LineDisplayName": "默认",
                "FatherCode": ""
            }] }),
        );
    }
    Ok(v)
}

fn record_entry(domain: &str, id: DomainId, r: &Record) -> Value {
    let mut v = json!({
        "DomainName": domain,
        "RecordId": record_id(id, r.id),
        "RR": r.host,
        "Type": r.rtype.as_str(),
        "Value": r.value,
        "TTL": r.ttl,
        "Line": "default",
        "Status": if r.disabled { "DISABLE" } else { "ENABLE" },
        "Locked": false,
        "Weight": 1,
        "Remark": "",
        "LbaStatus": false,
        "CreateTimestamp": r.created.0 * 1000,
        "UpdateTimestamp": r.updated.0 * 1000,
    });
    if let Some(pr) = r.priority {
        v["Priority"] = json!(pr);
    }
    v
}

/// The zone of a domain the caller may read: its slot, its name and its records.
fn readable_zone(
    world: &World,
    caller: &Caller,
    name: &str,
) -> Result<(DomainId, String, Vec<Record>), ApiError> {
    let h = hosted_zone(world, caller, name)?;
    let ascii = h.name(world).to_string();
    let records = ops::dns::records(world, &ascii).map_err(refused)?;
    Ok((h.id, ascii, records))
}

fn record_page(
    p: &Params,
    domain: &str,
    id: DomainId,
    records: Vec<Record>,
) -> Result<Value, ApiError> {
    let (page, size) = wire::page(p, API, "PageNumber", 500)?;
    let total = records.len();
    let list: Vec<Value> = wire::slice(records, page, size)
        .iter()
        .map(|r| record_entry(domain, id, r))
        .collect();
    Ok(json!({
        "TotalCount": total,
        "PageNumber": page,
        "PageSize": size,
        "DomainRecords": { "Record": list },
    }))
}

fn contains(haystack: &str, needle: &str) -> bool {
    haystack
        .to_ascii_lowercase()
        .contains(&needle.to_ascii_lowercase())
}

fn describe_domain_records(
    world: &mut World,
    caller: &Caller,
    p: &Params,
) -> Result<Value, ApiError> {
    let (id, domain, records) = readable_zone(world, caller, p.required("DomainName")?)?;
    let text = |k: &str| p.get(k).filter(|v| !v.is_empty());
    let exact = p
        .get("SearchMode")
        .is_some_and(|m| m.eq_ignore_ascii_case("EXACT"));
    if let Some(status) = text("Status")
        && !status.eq_ignore_ascii_case("ENABLE")
        && !status.eq_ignore_ascii_case("DISABLE")
    {
        return Err(ApiError::invalid(
            API,
            format!("Status must be ENABLE or DISABLE, not `{status}`"),
        ));
    }
    let records: Vec<Record> = records
        .into_iter()
        .filter(|r| {
            text("KeyWord").is_none_or(|k| {
                if exact {
                    r.host.eq_ignore_ascii_case(k) || r.value.eq_ignore_ascii_case(k)
                } else {
                    contains(&r.host, k) || contains(&r.value, k)
                }
            }) && text("RRKeyWord").is_none_or(|k| contains(&r.host, k))
                && text("ValueKeyWord").is_none_or(|k| contains(&r.value, k))
                && text("TypeKeyWord").is_none_or(|t| r.rtype.as_str().eq_ignore_ascii_case(t))
                && text("Type").is_none_or(|t| r.rtype.as_str().eq_ignore_ascii_case(t))
                && text("Status").is_none_or(|s| s.eq_ignore_ascii_case("ENABLE") != r.disabled)
        })
        .collect();
    record_page(p, &domain, id, records)
}

fn describe_sub_domain_records(
    world: &mut World,
    caller: &Caller,
    p: &Params,
) -> Result<Value, ApiError> {
    let sub = p
        .required("SubDomain")?
        .trim()
        .trim_end_matches('.')
        .to_ascii_lowercase();
    // The zone: DomainName when given, else the registered name the subdomain ends in.
    let zone = match p.get("DomainName").filter(|v| !v.is_empty()) {
        Some(z) => z.to_ascii_lowercase(),
        None => {
            let labels: Vec<&str> = sub.split('.').collect();
            (0..labels.len().saturating_sub(1))
                .map(|i| labels[i..].join("."))
                .find(|n| ops::lookup::find_domain(world, n).is_ok())
                .unwrap_or_else(|| sub.clone())
        }
    };
    let (id, domain, records) = readable_zone(world, caller, &zone)?;
    let host = if sub == domain {
        "@".to_string()
    } else {
        match sub.strip_suffix(&format!(".{domain}")) {
            Some(h) => h.to_string(),
            None => {
                return Err(ApiError::invalid(
                    API,
                    format!("SubDomain `{sub}` is not within {domain}"),
                ));
            }
        }
    };
    let rtype = p.get("Type").filter(|v| !v.is_empty());
    let records = records
        .into_iter()
        .filter(|r| {
            r.host == host && rtype.is_none_or(|t| r.rtype.as_str().eq_ignore_ascii_case(t))
        })
        .collect();
    record_page(p, &domain, id, records)
}

/// The record fields of an add or update.
fn record_input(p: &Params) -> Result<ops::dns::RecordInput, ApiError> {
    if let Some(line) = p.get("Line").filter(|l| !l.is_empty() && *l != "default") {
        return Err(ApiError::invalid(
            API,
            format!("Line `{line}`: regsim serves the default line only"),
        ));
    }
    Ok(ops::dns::RecordInput {
        host: p.required("RR")?.to_string(),
        rtype: p.required("Type")?.to_string(),
        value: p.required("Value")?.to_string(),
        ttl: p.int(API, "TTL")?,
        priority: p.int(API, "Priority")?,
    })
}

fn add_domain_record(world: &mut World, caller: &Caller, p: &Params) -> Result<Value, ApiError> {
    let name = p.required("DomainName")?;
    let input = record_input(p)?;
    let record = ops::dns::add_record(world, &caller.actor, name, &input).map_err(refused)?;
    let (id, _) = ops::lookup::find_domain(world, name).map_err(refused)?;
    Ok(json!({ "RecordId": record_id(id, record) }))
}

fn update_domain_record(world: &mut World, caller: &Caller, p: &Params) -> Result<Value, ApiError> {
    let text = p.required("RecordId")?.to_string();
    let (id, record) = parse_record_id(&text)?;
    let input = record_input(p)?;
    let name = record_domain(world, id, &text)?;
    ops::dns::update_record(world, &caller.actor, &name, record, &input).map_err(refused)?;
    Ok(json!({ "RecordId": text }))
}

fn delete_domain_record(world: &mut World, caller: &Caller, p: &Params) -> Result<Value, ApiError> {
    let text = p.required("RecordId")?.to_string();
    let (id, record) = parse_record_id(&text)?;
    let name = record_domain(world, id, &text)?;
    ops::dns::remove_record(world, &caller.actor, &name, record).map_err(refused)?;
    Ok(json!({ "RecordId": text }))
}

fn set_domain_record_status(
    world: &mut World,
    caller: &Caller,
    p: &Params,
) -> Result<Value, ApiError> {
    let text = p.required("RecordId")?.to_string();
    let status = p.required("Status")?.to_ascii_uppercase();
    let enabled = match status.as_str() {
        "ENABLE" => true,
        "DISABLE" => false,
        _ => {
            return Err(ApiError::invalid(
                API,
                format!("Status must be ENABLE or DISABLE, not `{status}`"),
            ));
        }
    };
    let (id, record) = parse_record_id(&text)?;
    let name = record_domain(world, id, &text)?;
    ops::dns::set_record_status(world, &caller.actor, &name, record, enabled).map_err(refused)?;
    Ok(json!({ "RecordId": text, "Status": status }))
}
