//! Read-only details of one domain through the Domain API: its contact, the identity
//! behind its real-name verification, and its transfers. Each reads the world through
//! `ops` under the caller's `read` permission.

use super::gateway::Caller;
use super::wire::{self, Api, ApiError, Params};
use crate::model::{Permission, World};
use crate::ops;
use serde_json::{Value, json};

const API: Api = Api::Domain;

fn refused(r: crate::refusal::Refusal) -> ApiError {
    wire::refusal(API, &r)
}

/// A domain the caller holds, as its details read it.
struct Holding {
    /// Its name.
    name: String,
    /// Its `InstanceId`.
    instance: String,
    /// Its registrant profile.
    profile: Option<crate::model::Profile>,
    /// Its own contact email, where it has one.
    email: Option<String>,
    /// Its own contact phone, where it has one.
    phone: Option<String>,
}

/// The registrant profile of a domain the caller holds, with the domain's own contact
/// email and phone where it has them.
fn holding(world: &World, caller: &Caller, name: &str) -> Result<Holding, ApiError> {
    let h = ops::guard::held(world, &caller.actor, name, Permission::Read).map_err(refused)?;
    let d = world.domain(h.id).expect("live domain");
    let data = world.data.get(&h.id);
    Ok(Holding {
        name: h.name(world).to_string(),
        instance: super::domain::instance_id(d.name),
        profile: world.registrant(h.id).cloned(),
        email: data.and_then(|x| x.contact_email.clone()),
        phone: data.and_then(|x| x.contact_phone.clone()),
    })
}

/// `QueryContactInfo`: the registrant's contact (every `ContactType` shows the
/// registrant: regsim keeps one contact per domain).
pub(crate) fn contact(world: &mut World, caller: &Caller, p: &Params) -> Result<Value, ApiError> {
    let Holding {
        profile,
        email,
        phone,
        ..
    } = holding(world, caller, p.required("DomainName")?)?;
    if let Some(t) = p.get("ContactType").filter(|v| !v.is_empty())
        && !["registrant", "admin", "billing", "tech"].contains(&t.to_ascii_lowercase().as_str())
    {
        return Err(ApiError::invalid(
            API,
            format!("ContactType must be registrant, admin, billing or tech, not `{t}`"),
        ));
    }
    let Some(prof) = profile else {
        return Err(ApiError::invalid(
            API,
            "the domain has no registrant profile",
        ));
    };
    Ok(json!({
        "RegistrantName": prof.name,
        "RegistrantOrganization": prof.organization,
        "Email": email.unwrap_or(prof.email),
        "Telephone": phone.unwrap_or(prof.phone),
        "Country": prof.country,
        "CreateDate": prof.created.format("%Y-%m-%d %H:%M:%S"),
    }))
}

/// `QueryDomainRealNameVerificationInfo`: the identity document of the domain's
/// registrant profile.
pub fn real_name(world: &mut World, caller: &Caller, p: &Params) -> Result<Value, ApiError> {
    let Holding {
        name,
        instance,
        profile,
        ..
    } = holding(world, caller, p.required("DomainName")?)?;
    let mut v = json!({ "DomainName": name, "InstanceId": instance });
    if let Some(d) = profile.and_then(|q| q.document) {
        v["IdentityCredentialNo"] = json!(d.number);
        v["IdentityCredentialType"] = json!(super::profiles::credential_type(&d.kind));
    }
    Ok(v)
}

/// `QueryTransferOutInfo`: a pending transfer of the domain to another registrar.
/// `Status` is 1 while one is pending (with when it was asked for and when it completes
/// by itself), 0 otherwise.
pub(crate) fn transfer_out(
    world: &mut World,
    caller: &Caller,
    p: &Params,
) -> Result<Value, ApiError> {
    let name = p.required("DomainName")?;
    let h = ops::guard::held(world, &caller.actor, name, Permission::Read).map_err(refused)?;
    let expires = h.expires.format("%Y-%m-%d %H:%M:%S");
    let email = world.registrant(h.id).map_or("", |p| p.email.as_str());
    let pending = ops::transfer::transfer_view(world, h.name(world))
        .map_err(refused)?
        .filter(|t| t.direction == "out");
    Ok(match pending {
        Some(t) => json!({
            "Status": 1,
            "Email": email,
            "ExpirationDate": expires,
            "PendingRequestDate": t.requested,
            "ResultCode": "",
            "ResultMsg": format!("to {}; completes by itself at {}", t.gaining, t.auto_approve),
        }),
        None => json!({
            "Status": 0,
            "Email": email,
            "ExpirationDate": expires,
            "PendingRequestDate": "",
            "ResultCode": "",
            "ResultMsg": "",
        }),
    })
}

/// `QueryTransferInList`: the caller's transfers in that are pending (a completed one
/// is a domain of the list; a cancelled or rejected one is gone).
pub(crate) fn transfers_in(
    world: &mut World,
    caller: &Caller,
    p: &Params,
) -> Result<Value, ApiError> {
    let actor = ops::actor::authorize(world, &caller.actor, Permission::Read).map_err(refused)?;
    let only = p.get("DomainName").filter(|v| !v.is_empty());
    let items: Vec<Value> = world
        .transfers
        .iter()
        .filter(|(_, t)| t.account == actor.account && t.direction == crate::model::Direction::In)
        .filter_map(|(id, t)| {
            let d = world.domain(*id)?;
            let name = world.names[d.name].to_string();
            if only.is_some_and(|o| !o.eq_ignore_ascii_case(&name)) {
                return None;
            }
            let view = ops::transfer::transfer_view(world, &name).ok().flatten()?;
            let requested = t.requested.format("%Y-%m-%d %H:%M:%S");
            let email = world.registrant(*id).map_or("", |p| p.email.as_str());
            // The code comes with the order, and nothing changes while it is pending.
            Some(json!({
                "InstanceId": super::domain::instance_id(d.name),
                "UserId": world.accounts[actor.account as usize].id,
                "Email": email,
                "TransferAuthorizationCodeSubmissionDate": requested,
                "TransferAuthorizationCodeSubmissionDateLong": t.requested.0 * 1000,
                "ModificationDate": requested,
                "ModificationDateLong": t.requested.0 * 1000,
                "WhoisMailStatus": false,
                "DomainName": name,
                "SimpleTransferInStatus": "PENDING",
                "Status": 1,
                "SubmissionDate": t.requested.format("%Y-%m-%d %H:%M:%S"),
                "SubmissionDateLong": t.requested.0 * 1000,
                "ExpirationDate": d.expires.get().format("%Y-%m-%d %H:%M:%S"),
                "ExpirationDateLong": d.expires.get().0 * 1000,
                "ResultMsg": format!("completes by itself at {}", view.auto_approve),
                "NeedMailCheck": false,
            }))
        })
        .collect();
    super::domain::paged(p, items, 1000, ("Data", "TransferInInfo"), |v| v)
}
