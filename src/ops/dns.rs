//! DNS hosted by the registrar: records (validated, CNAME exclusive at its name),
//! name servers, the change check, and a resolver with real DNS semantics (NOERROR,
//! NXDOMAIN, NODATA, SERVFAIL; CNAME chains across simulated zones with loop
//! detection; wildcards per RFC 4592). A domain on clientHold, serverHold or
//! pendingDelete is not published.

use super::guard::{Guard, Held, held};
use super::registrant::audit;
use super::status::statuses;
use super::validate;
use crate::model::{DataAction, DomainId, Permission, Record, RecordType, Status, World};
use crate::refusal::{Outcome, Reason, Refusal};
use std::net::{Ipv4Addr, Ipv6Addr};

/// The registrar's own name servers, used while a domain has no custom ones.
pub const DEFAULT_NAMESERVERS: [&str; 2] = ["dns1.hichina.com", "dns2.hichina.com"];
/// Shortest TTL accepted, in seconds.
pub(crate) const MIN_TTL: i64 = 60;
/// Longest TTL accepted, in seconds (one day).
pub(crate) const MAX_TTL: i64 = 86_400;
/// TTL when none is given (Alibaba Cloud DNS's default).
pub(crate) const DEFAULT_TTL: i64 = 600;
/// Most records one zone holds.
pub(crate) const MAX_RECORDS: usize = 1_000;
/// Longest CNAME chain followed before giving up.
pub(crate) const MAX_CHAIN: usize = 16;

/// A record as given by a script, before validation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RecordInput {
    /// Host relative to the zone: `@`, `www`, `*.img`, `_dmarc`.
    pub host: String,
    /// Type mnemonic.
    pub rtype: String,
    /// Value.
    pub value: String,
    /// TTL (default 600).
    pub ttl: Option<i64>,
    /// MX preference (MX only; default 10).
    pub priority: Option<i64>,
}

fn bad(reason: Reason, message: String) -> Refusal {
    Refusal::new(reason, message)
}

fn parse_type(t: &str) -> Outcome<RecordType> {
    RecordType::parse(t).ok_or_else(|| {
        bad(
            Reason::InvalidRecordType,
            format!("type `{t}` is not one of A, AAAA, CNAME, MX, TXT, NS, CAA"),
        )
    })
}

fn normalize_host(host: &str) -> Outcome<String> {
    let h = host.trim();
    if h == "@" || h.is_empty() {
        return Ok("@".into());
    }
    validate::dns_name(h, true, Reason::InvalidRecord, "host")
}

fn check_caa(value: &str) -> Outcome<String> {
    let mut parts = value.splitn(3, ' ');
    let (flags, tag, v) = (parts.next(), parts.next(), parts.next());
    let ok = flags.and_then(|f| f.parse::<u8>().ok()).is_some()
        && tag.is_some_and(|t| matches!(t, "issue" | "issuewild" | "iodef"))
        && v.is_some_and(|v| v.len() >= 2 && v.starts_with('"') && v.ends_with('"'));
    if ok {
        Ok(value.to_string())
    } else {
        Err(bad(
            Reason::InvalidRecord,
            format!(
                "CAA value `{value}` must be `FLAGS TAG \"VALUE\"` with tag issue, issuewild or iodef, e.g. 0 issue \"letsencrypt.org\""
            ),
        ))
    }
}

/// Validates a record's fields; returns the normalised record (id 0).
/// Refuses: 2005 `invalid_record_type`, 2005 `invalid_record` (host or value syntax,
/// naming the field), 2004 `ttl_out_of_range`, 2004 `priority_out_of_range`.
pub(crate) fn check_record(input: &RecordInput) -> Outcome<Record> {
    let rtype = parse_type(&input.rtype)?;
    let host = normalize_host(&input.host)?;
    let v = input.value.trim();
    let value = match rtype {
        RecordType::A => v.parse::<Ipv4Addr>().map(|a| a.to_string()).map_err(|_| {
            bad(
                Reason::InvalidRecord,
                format!("A value `{v}` is not an IPv4 address"),
            )
        })?,
        RecordType::Aaaa => v.parse::<Ipv6Addr>().map(|a| a.to_string()).map_err(|_| {
            bad(
                Reason::InvalidRecord,
                format!("AAAA value `{v}` is not an IPv6 address"),
            )
        })?,
        RecordType::Cname | RecordType::Mx | RecordType::Ns => validate::dns_name(
            v,
            false,
            Reason::InvalidRecord,
            &format!("{} value", rtype.as_str()),
        )?,
        RecordType::Txt => {
            if v.is_empty() || v.len() > 4_000 || v.chars().any(|c| c.is_control()) {
                return Err(bad(
                    Reason::InvalidRecord,
                    "TXT value must be 1 to 4000 characters without control characters".into(),
                ));
            }
            v.to_string()
        }
        RecordType::Caa => check_caa(v)?,
    };
    let ttl = input.ttl.unwrap_or(DEFAULT_TTL);
    if !(MIN_TTL..=MAX_TTL).contains(&ttl) {
        return Err(Refusal::new(
            Reason::TtlOutOfRange,
            format!("ttl {ttl} is outside {MIN_TTL}..={MAX_TTL} seconds"),
        ));
    }
    let priority = match (rtype, input.priority) {
        (RecordType::Mx, None) => Some(10),
        (RecordType::Mx, Some(p)) if (0..=65_535).contains(&p) => Some(p as u16),
        (RecordType::Mx, Some(p)) => {
            return Err(Refusal::new(
                Reason::PriorityOutOfRange,
                format!("MX priority {p} is outside 0..=65535"),
            ));
        }
        (_, None) => None,
        (t, Some(_)) => {
            return Err(bad(
                Reason::InvalidRecord,
                format!("priority is only for MX records, not {}", t.as_str()),
            ));
        }
    };
    Ok(Record {
        id: 0,
        host,
        rtype,
        value,
        ttl: ttl as u32,
        priority,
        disabled: false,
        created: crate::sim::time::MIN_TIME,
        updated: crate::sim::time::MIN_TIME,
    })
}

fn describe(r: &Record) -> String {
    match r.priority {
        Some(p) => format!(
            "{} {} {} {} ttl={}",
            r.host,
            r.rtype.as_str(),
            p,
            r.value,
            r.ttl
        ),
        None => format!("{} {} {} ttl={}", r.host, r.rtype.as_str(), r.value, r.ttl),
    }
}

fn dns_domain(world: &World, actor: &str, name: &str) -> Outcome<Held> {
    let h = held(world, actor, name, Permission::Dns)?;
    h.require(world, &[Guard::Live], "changing DNS records")?;
    require_hosted(world, &h)?;
    Ok(h)
}

/// Refuses 2303 `zone_not_hosted` when the registrar's DNS does not host the zone.
pub(crate) fn require_hosted(world: &World, h: &Held) -> Outcome<()> {
    if hosted(world, h.id) {
        return Ok(());
    }
    Err(Refusal::new(
        Reason::ZoneNotHosted,
        format!(
            "{} is not in its holder's DNS hosting; add it back (host_zone) first",
            h.name(world)
        ),
    ))
}

/// Whether the registrar's DNS hosts the domain's zone (true unless
/// [`unhost_zone`] took it out).
pub(crate) fn hosted(world: &World, id: DomainId) -> bool {
    world.data.get(&id).is_none_or(|z| !z.unhosted)
}

/// Adds a domain back to its holder's DNS hosting (Alidns `AddDomain`), with an
/// empty zone. A domain registered here is hosted from the start, so this undoes
/// [`unhost_zone`].
/// Refuses: 2303/2201 actor and domain, 2201 `not_sponsoring_registrar`, 2304
/// `pending_transfer`, 2304 `pending_delete`, 2302 `zone_hosted`.
pub(crate) fn host_zone(world: &mut World, actor: &str, name: &str) -> Outcome<()> {
    let h = held(world, actor, name, Permission::Dns)?;
    h.require(world, &[Guard::Live], "adding a domain to DNS hosting")?;
    if hosted(world, h.id) {
        return Err(Refusal::new(
            Reason::ZoneHosted,
            format!("{} is already in its holder's DNS hosting", h.name(world)),
        ));
    }
    world.data.entry(h.id).or_default().unhosted = false;
    audit(
        world,
        actor,
        h.id,
        DataAction::HostZone,
        String::new(),
        "hosted".into(),
    );
    Ok(())
}

/// Takes a domain out of its holder's DNS hosting (Alidns `DeleteDomain`): its
/// records are deleted and the registrar's name servers stop answering for it
/// (`resolve` gives SERVFAIL, a lame delegation) until [`host_zone`]. The
/// registration is untouched. Returns how many records were deleted.
/// Refuses: 2303/2201 actor and domain, 2304 `pending_delete`, 2303
/// `zone_not_hosted`.
pub(crate) fn unhost_zone(world: &mut World, actor: &str, name: &str) -> Outcome<usize> {
    let h = dns_domain(world, actor, name)?;
    let zone = world.data.entry(h.id).or_default();
    let removed = std::mem::take(&mut zone.records);
    zone.unhosted = true;
    let before = format!("hosted, {} records", removed.len());
    audit(
        world,
        actor,
        h.id,
        DataAction::UnhostZone,
        before,
        String::new(),
    );
    Ok(removed.len())
}

/// Adds a record to the domain's zone; returns its id. The update lock does not block
/// records.
/// Refuses: 2303/2201 actor and domain, 2304 `pending_delete`, the record checks of
/// [`check_record`], 2005 `cname_conflict` (CNAME at the apex or beside other data at
/// its name), 2302 `record_exists`, 2306 `too_many_records`.
pub fn add_record(world: &mut World, actor: &str, name: &str, input: &RecordInput) -> Outcome<u32> {
    let h = dns_domain(world, actor, name)?;
    let mut rec = check_record(input)?;
    let records = world
        .data
        .get(&h.id)
        .map_or(&[][..], |z| z.records.as_slice());
    check_fits(world, &h, records, &rec, None)?;
    if records.len() >= MAX_RECORDS {
        return Err(Refusal::new(
            Reason::TooManyRecords,
            format!("{} already has {MAX_RECORDS} records", h.name(world)),
        ));
    }
    (rec.created, rec.updated) = (world.now(), world.now());
    let zone = world.data.entry(h.id).or_default();
    zone.next_record += 1;
    rec.id = zone.next_record;
    let after = describe(&rec);
    zone.records.push(rec);
    let id = zone.next_record;
    audit(
        world,
        actor,
        h.id,
        DataAction::AddRecord,
        String::new(),
        after,
    );
    Ok(id)
}

/// Checks that `rec` can stand in the zone beside `records` (leaving out the record
/// `except`, which it replaces): no CNAME at the apex or beside other data at its name,
/// no record of the same type and value at its name.
fn check_fits(
    world: &World,
    h: &Held,
    records: &[Record],
    rec: &Record,
    except: Option<u32>,
) -> Outcome<()> {
    let at_host: Vec<&Record> = records
        .iter()
        .filter(|r| r.host == rec.host && Some(r.id) != except)
        .collect();
    if rec.rtype == RecordType::Cname && rec.host == "@" {
        return Err(bad(
            Reason::CnameConflict,
            format!(
                "a CNAME cannot stand at the apex of {}: the apex holds SOA and NS data",
                h.name(world)
            ),
        ));
    }
    if rec.rtype == RecordType::Cname && !at_host.is_empty() {
        return Err(bad(
            Reason::CnameConflict,
            format!(
                "`{}` already has records; a CNAME must be the only record at its name",
                rec.host
            ),
        ));
    }
    if rec.rtype != RecordType::Cname && at_host.iter().any(|r| r.rtype == RecordType::Cname) {
        return Err(bad(
            Reason::CnameConflict,
            format!(
                "`{}` has a CNAME; no other record may stand beside it",
                rec.host
            ),
        ));
    }
    if at_host
        .iter()
        .any(|r| r.rtype == rec.rtype && r.value == rec.value)
    {
        return Err(Refusal::new(
            Reason::RecordExists,
            format!("{} already has `{}`", h.name(world), describe(rec)),
        ));
    }
    Ok(())
}

/// Replaces a record, keeping its id: the new fields are checked as [`add_record`]
/// checks them, against the zone's other records. A change to exactly what the record
/// already holds is refused (Alibaba Cloud DNS answers it `DomainRecordDuplicate`).
/// Refuses: 2303/2201 actor and domain, 2304 `pending_delete`, 2303 `no_such_record`,
/// the record checks of [`check_record`], 2005 `cname_conflict`, 2302 `record_exists`.
pub(crate) fn update_record(
    world: &mut World,
    actor: &str,
    name: &str,
    record: i64,
    input: &RecordInput,
) -> Outcome<()> {
    let h = dns_domain(world, actor, name)?;
    let pos = record_position(world, &h, record)?;
    let records = world
        .data
        .get(&h.id)
        .map_or(&[][..], |z| z.records.as_slice());
    let mut rec = check_record(input)?;
    rec.id = records[pos].id;
    rec.disabled = records[pos].disabled;
    (rec.created, rec.updated) = (records[pos].created, records[pos].updated);
    if rec == records[pos] {
        return Err(Refusal::new(
            Reason::RecordExists,
            format!(
                "record {record} of {} already is `{}`",
                h.name(world),
                describe(&rec)
            ),
        ));
    }
    check_fits(world, &h, records, &rec, Some(rec.id))?;
    rec.updated = world.now();
    let zone = world.data.get_mut(&h.id).expect("zone exists");
    let before = describe(&zone.records[pos]);
    let after = describe(&rec);
    zone.records[pos] = rec;
    audit(world, actor, h.id, DataAction::UpdateRecord, before, after);
    Ok(())
}

/// Where record `record` stands in the domain's zone.
/// Refuses: 2303 `no_such_record`.
fn record_position(world: &World, h: &Held, record: i64) -> Outcome<usize> {
    world
        .data
        .get(&h.id)
        .and_then(|z| z.records.iter().position(|r| i64::from(r.id) == record))
        .ok_or_else(|| {
            Refusal::new(
                Reason::NoSuchRecord,
                format!("{} has no record {record}", h.name(world)),
            )
        })
}

/// Pauses a record (`enabled` false: kept, not published) or publishes it again. Setting
/// the status it already has changes nothing.
/// Refuses: 2303/2201 actor and domain, 2304 `pending_delete`, 2303 `no_such_record`.
pub(crate) fn set_record_status(
    world: &mut World,
    actor: &str,
    name: &str,
    record: i64,
    enabled: bool,
) -> Outcome<()> {
    let h = dns_domain(world, actor, name)?;
    let pos = record_position(world, &h, record)?;
    let now = world.now();
    let zone = world.data.get_mut(&h.id).expect("zone exists");
    if zone.records[pos].disabled != enabled {
        return Ok(());
    }
    zone.records[pos].disabled = !enabled;
    zone.records[pos].updated = now;
    let what = describe(&zone.records[pos]);
    let action = if enabled {
        DataAction::EnableRecord
    } else {
        DataAction::DisableRecord
    };
    audit(world, actor, h.id, action, String::new(), what);
    Ok(())
}

/// Removes a record by id.
/// Refuses: 2303/2201 actor and domain, 2304 `pending_delete`, 2303 `no_such_record`.
pub fn remove_record(world: &mut World, actor: &str, name: &str, record: i64) -> Outcome<()> {
    let h = dns_domain(world, actor, name)?;
    let pos = record_position(world, &h, record)?;
    let zone = world.data.get_mut(&h.id).expect("zone exists");
    let before = describe(&zone.records.remove(pos));
    audit(
        world,
        actor,
        h.id,
        DataAction::RemoveRecord,
        before,
        String::new(),
    );
    Ok(())
}

/// Sets custom name servers (2 to 13 host names); refused under the update lock.
/// Setting exactly the registrar's defaults returns hosting to the registrar.
/// Refuses: 2201 `not_sponsoring_registrar`, 2304 `not_allowed_in_phase`, 2304
/// `pending_delete`, 2304 `pending_transfer`, 2303/2201 actor and domain, 2304 phase,
/// 2304 `update_prohibited`, 2004 `nameserver_count`, 2005 `invalid_nameserver`.
pub fn set_nameservers(
    world: &mut World,
    actor: &str,
    name: &str,
    servers: &[String],
) -> Outcome<()> {
    let h = held(world, actor, name, Permission::Update)?;
    h.require(
        world,
        &[Guard::Active, Guard::NoUpdateLock],
        "changing name servers",
    )?;
    if !(2..=13).contains(&servers.len()) {
        return Err(Refusal::new(
            Reason::NameserverCount,
            format!("give 2 to 13 name servers, not {}", servers.len()),
        ));
    }
    let mut list = Vec::new();
    for s in servers {
        let n = validate::dns_name(s, false, Reason::InvalidNameserver, "name server")?;
        if !n.contains('.') || n.contains('_') {
            return Err(bad(
                Reason::InvalidNameserver,
                format!("name server `{s}` is not a host name"),
            ));
        }
        if list.contains(&n) {
            return Err(bad(
                Reason::InvalidNameserver,
                format!("name server `{s}` is listed twice"),
            ));
        }
        list.push(n);
    }
    let before = nameservers(world, h.id).join(" ");
    let defaults: Vec<String> = DEFAULT_NAMESERVERS.iter().map(|s| s.to_string()).collect();
    world.data.entry(h.id).or_default().nameservers =
        if list == defaults { Vec::new() } else { list };
    let after = nameservers(world, h.id).join(" ");
    audit(
        world,
        actor,
        h.id,
        DataAction::SetNameservers,
        before,
        after,
    );
    Ok(())
}

/// The domain's name servers (the registrar's defaults unless set).
pub fn nameservers(world: &World, id: DomainId) -> Vec<String> {
    match world.data.get(&id) {
        Some(z) if !z.nameservers.is_empty() => z.nameservers.clone(),
        _ => DEFAULT_NAMESERVERS.iter().map(|s| s.to_string()).collect(),
    }
}

/// The records of a domain, in creation order.
/// Refuses: 2005 name syntax, 2303 `no_such_domain`.
pub fn records(world: &World, name: &str) -> Outcome<Vec<Record>> {
    let (id, _) = super::lookup::find_domain(world, name)?;
    Ok(world
        .data
        .get(&id)
        .map(|z| z.records.clone())
        .unwrap_or_default())
}

/// The audit entries of a domain made since this account's last check (all of them
/// the first time); the check moves the account's mark to now.
/// Refuses: 2303/2201 actor and domain.
pub fn dns_check(
    world: &mut World,
    actor: &str,
    name: &str,
) -> Outcome<Vec<crate::model::AuditEntry>> {
    let h = held(world, actor, name, Permission::Read)?;
    let d = world.domain(h.id).expect("live domain");
    let (domain, since) = (d.name, d.created.get());
    let key = (h.id, h.actor.account);
    let from = world.dns_checks.get(&key).copied().unwrap_or(0);
    let changes = world.audit[from.min(world.audit.len())..]
        .iter()
        .filter(|e| e.domain == domain && e.at >= since)
        .cloned()
        .collect();
    world.dns_checks.insert(key, world.audit.len());
    Ok(changes)
}

/// One answer of a resolution.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Answer {
    /// Owner name (fully qualified, no trailing dot).
    pub name: String,
    /// Type mnemonic.
    #[serde(rename = "type")]
    pub rtype: String,
    /// TTL.
    pub ttl: i64,
    /// Value (MX: `PRIORITY HOST`).
    pub value: String,
}

/// The result of `resolve`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Resolution {
    /// `NOERROR`, `NODATA` (NOERROR with no answer of the type), `NXDOMAIN` or
    /// `SERVFAIL`.
    pub rcode: String,
    /// Answers, CNAMEs of a chain first.
    pub answers: Vec<Answer>,
}

fn host_exists(records: &[&Record], host: &str) -> bool {
    host == "@"
        || records
            .iter()
            .any(|r| r.host == host || r.host.ends_with(&format!(".{host}")))
}

/// The published zone holding `qname`, with the host relative to it: `Err(rcode)` when
/// the name is under no live published domain or the domain is delegated elsewhere.
fn zone_for<'w>(
    world: &'w World,
    qname: &str,
) -> Result<(DomainId, String, Vec<&'w Record>), &'static str> {
    let mut rest = qname;
    loop {
        if let Some(id) = world.live_domain_named(rest) {
            let d = world.domain(id).expect("live domain");
            let unpublished = statuses(world, d).into_iter().any(|s| {
                matches!(
                    s,
                    Status::ClientHold | Status::ServerHold | Status::PendingDelete
                )
            });
            if unpublished {
                return Err("NXDOMAIN");
            }
            if world
                .data
                .get(&id)
                .is_some_and(|z| !z.nameservers.is_empty() || z.unhosted)
            {
                // Delegated to name servers outside the simulation, which cannot be
                // asked, or to the registrar's, which no longer host the zone.
                return Err("SERVFAIL");
            }
            let host = if rest.len() == qname.len() {
                "@".to_string()
            } else {
                qname[..qname.len() - rest.len() - 1].to_string()
            };
            // Paused records are not published.
            let records = world
                .data
                .get(&id)
                .map_or(&[][..], |z| z.records.as_slice())
                .iter()
                .filter(|r| !r.disabled)
                .collect();
            return Ok((id, host, records));
        }
        match rest.split_once('.') {
            Some((_, parent)) => rest = parent,
            None => return Err("NXDOMAIN"),
        }
    }
}

/// The records answering `host`: its own, or those of the wildcard at its closest
/// encloser when the name does not exist (RFC 4592). `None` is NXDOMAIN.
fn lookup<'r>(records: &[&'r Record], host: &str) -> Option<Vec<&'r Record>> {
    let own: Vec<&Record> = records.iter().copied().filter(|r| r.host == host).collect();
    if !own.is_empty() || host_exists(records, host) {
        return Some(own);
    }
    let mut encloser = host;
    loop {
        encloser = match encloser.split_once('.') {
            Some((_, parent)) => parent,
            None => "@",
        };
        if host_exists(records, encloser) {
            let wild = if encloser == "@" {
                "*".to_string()
            } else {
                format!("*.{encloser}")
            };
            let w: Vec<&Record> = records.iter().copied().filter(|r| r.host == wild).collect();
            return (!w.is_empty()).then_some(w);
        }
    }
}

/// Resolves `fqdn` for a record type over the simulated zones.
/// Refuses: 2005 `invalid_record` (name syntax), 2005 `invalid_record_type`.
pub fn resolve(world: &World, fqdn: &str, rtype: &str) -> Outcome<Resolution> {
    let qtype = parse_type(rtype)?;
    let mut qname = validate::dns_name(fqdn, false, Reason::InvalidRecord, "name")?;
    let mut answers = Vec::new();
    let mut seen = vec![qname.clone()];
    let rcode = loop {
        let (_, host, records) = match zone_for(world, &qname) {
            Ok(z) => z,
            Err(code) => break code,
        };
        let Some(matched) = lookup(&records, &host) else {
            break "NXDOMAIN";
        };
        let cname = matched.iter().find(|r| r.rtype == RecordType::Cname);
        if let (Some(c), false) = (cname, qtype == RecordType::Cname) {
            answers.push(Answer {
                name: qname.clone(),
                rtype: "CNAME".into(),
                ttl: c.ttl.into(),
                value: c.value.clone(),
            });
            if seen.contains(&c.value) || seen.len() > MAX_CHAIN {
                break "SERVFAIL";
            }
            seen.push(c.value.clone());
            qname = c.value.clone();
            continue;
        }
        let hits: Vec<Answer> = matched
            .iter()
            .filter(|r| r.rtype == qtype)
            .map(|r| Answer {
                name: qname.clone(),
                rtype: r.rtype.as_str().into(),
                ttl: r.ttl.into(),
                value: match r.priority {
                    Some(p) => format!("{p} {}", r.value),
                    None => r.value.clone(),
                },
            })
            .collect();
        let code = if hits.is_empty() { "NODATA" } else { "NOERROR" };
        answers.extend(hits);
        break code;
    };
    Ok(Resolution {
        rcode: rcode.to_string(),
        answers,
    })
}
