//! The Domain API's registrant profiles and real-name verification, over
//! `ops::profiles`. The API numbers profiles (`RegistrantProfileId`, an integer): here
//! a profile's number is its place in the world plus one; a regsim profile id (`p1`)
//! is accepted too. Profiles made through the API get the id `api-N`.

use super::gateway::Caller;
use super::wire::{self, Api, ApiError, Params};
use crate::model::{Document, Permission, RealName, World};
use crate::ops;
use crate::ops::profiles::ProfileInput;
use serde_json::{Value, json};

const API: Api = Api::Domain;

fn refused(r: crate::refusal::Refusal) -> ApiError {
    wire::refusal(API, &r)
}

/// The profile a `RegistrantProfileId` names: its regsim id.
pub(crate) fn profile_of(world: &World, given: &str) -> Result<String, ApiError> {
    let given = given.trim();
    if let Ok(n) = given.parse::<usize>()
        && (1..=world.profiles.len()).contains(&n)
        && !world.profiles[n - 1].deleted
    {
        return Ok(world.profiles[n - 1].id.clone());
    }
    world
        .profile_id(given)
        .map(|p| world.profiles[p as usize].id.clone())
        .ok_or_else(|| {
            ApiError::new(
                400,
                "RegistrantProfileNotExist",
                format!("no registrant profile `{given}`"),
            )
        })
}

/// A profile's API number.
fn number(world: &World, id: &str) -> i64 {
    world.profile_id(id).map_or(0, |p| i64::from(p) + 1)
}

/// The API's real-name status.
pub(crate) fn real_name_status(state: RealName) -> &'static str {
    match state {
        RealName::Verified => "SUCCEED",
        RealName::Pending => "AUDITING",
        RealName::Rejected => "FAILED",
        RealName::Unverified => "NONAUDIT",
    }
}

/// The API's credential types and regsim's document kinds.
const CREDENTIALS: [(&str, &str); 3] = [
    ("SFZ", "id_card"),
    ("HZ", "passport"),
    ("YYZZ", "business_license"),
];

/// The profile fields of a save: `RegistrantName`, `RegistrantOrganization`, `Email`,
/// `Country`, and the phone as `+TelArea Telephone`.
fn input(p: &Params) -> ProfileInput {
    let text = |k: &str| p.get(k).filter(|v| !v.is_empty()).map(str::to_string);
    let phone = text("Telephone").map(|t| match text("TelArea") {
        Some(area) => format!("+{}{t}", area.trim_start_matches('+')),
        None => t,
    });
    ProfileInput {
        id: None,
        name: text("RegistrantName"),
        organization: text("RegistrantOrganization"),
        email: text("Email"),
        phone,
        country: text("Country"),
        document: None,
    }
}

/// Creates a profile with `input` (id `api-N`), or changes the one `RegistrantProfileId`
/// names; returns its regsim id.
fn save(
    world: &mut World,
    caller: &Caller,
    p: &Params,
    mut input: ProfileInput,
) -> Result<String, ApiError> {
    match p.get("RegistrantProfileId").filter(|v| !v.is_empty()) {
        Some(given) => {
            let id = profile_of(world, given)?;
            ops::profiles::update_profile(world, &caller.actor, &id, &input).map_err(refused)?;
            Ok(id)
        }
        None => {
            let mut n = world.profiles.len() + 1;
            while world.profile_id(&format!("api-{n}")).is_some() {
                n += 1;
            }
            input.id = Some(format!("api-{n}"));
            ops::profiles::create_profile(world, &caller.actor, &input).map_err(refused)?;
            Ok(format!("api-{n}"))
        }
    }
}

/// `SaveRegistrantProfile`.
pub(crate) fn save_profile(
    world: &mut World,
    caller: &Caller,
    p: &Params,
) -> Result<Value, ApiError> {
    let id = save(world, caller, p, input(p))?;
    Ok(json!({ "RegistrantProfileId": number(world, &id) }))
}

/// `SaveRegistrantProfileRealNameVerification`: the profile (made or changed) with its
/// identity document, submitted for review.
pub fn submit_verification(
    world: &mut World,
    caller: &Caller,
    p: &Params,
) -> Result<Value, ApiError> {
    let kind = p.required("IdentityCredentialType")?;
    let kind = CREDENTIALS
        .iter()
        .find(|(api, _)| api.eq_ignore_ascii_case(kind))
        .map(|(_, k)| k.to_string())
        .ok_or_else(|| {
            ApiError::invalid(
                API,
                format!("IdentityCredentialType `{kind}`: regsim knows SFZ, HZ and YYZZ"),
            )
        })?;
    p.required("IdentityCredential")?;
    let mut fields = input(p);
    fields.document = Some(Document {
        kind,
        number: p.required("IdentityCredentialNo")?.to_string(),
        valid: true,
        expires: None,
    });
    let id = save(world, caller, p, fields)?;
    ops::profiles::submit_verification(world, &caller.actor, &id).map_err(refused)?;
    Ok(json!({ "RegistrantProfileId": number(world, &id) }))
}

/// The API's credential type of a regsim document kind.
pub(crate) fn credential_type(kind: &str) -> &'static str {
    CREDENTIALS
        .iter()
        .find(|(_, k)| *k == kind)
        .map_or("", |(api, _)| api)
}

/// The API's registrant type: `1` an individual, `2` an organisation.
pub(crate) fn registrant_type(p: &crate::model::Profile) -> &'static str {
    if p.organization.is_empty() { "1" } else { "2" }
}

fn entry(world: &World, p: &crate::model::Profile) -> Value {
    let mut v = json!({
        "RegistrantProfileId": number(world, &p.id),
        "RegistrantName": p.name,
        "RegistrantOrganization": p.organization,
        "RegistrantType": registrant_type(p),
        "Email": p.email,
        "EmailVerificationStatus": i64::from(p.email_verified),
        "Country": p.country,
        "Telephone": p.phone,
        "RealNameStatus": real_name_status(p.real_name),
        "DefaultRegistrantProfile": false,
        "RegistrantProfileType": "common",
        "CreateTime": p.created.format("%Y-%m-%d %H:%M:%S"),
        "Remark": p.id,
    });
    if let Some(d) = &p.document {
        v["CredentialNo"] = json!(d.number);
        v["CredentialType"] = json!(credential_type(&d.kind));
    }
    v
}

/// `DeleteRegistrantProfile`.
pub(crate) fn delete_profile(
    world: &mut World,
    caller: &Caller,
    p: &Params,
) -> Result<Value, ApiError> {
    let id = profile_of(world, p.required("RegistrantProfileId")?)?;
    ops::profiles::delete_profile(world, &caller.actor, &id).map_err(refused)?;
    Ok(json!({}))
}

/// `QueryRegistrantProfiles`: the account's profiles, with the filters
/// `RegistrantProfileId`, `RealNameStatus` and `Email`.
pub(crate) fn query_profiles(
    world: &mut World,
    caller: &Caller,
    p: &Params,
) -> Result<Value, ApiError> {
    let actor = ops::actor::authorize(world, &caller.actor, Permission::Read).map_err(refused)?;
    let only = match p.get("RegistrantProfileId").filter(|v| !v.is_empty()) {
        Some(g) => Some(profile_of(world, g)?),
        None => None,
    };
    let status = p.get("RealNameStatus").filter(|v| !v.is_empty());
    let email = p.get("Email").filter(|v| !v.is_empty());
    let items: Vec<Value> = world
        .profiles
        .iter()
        .filter(|q| q.owner == actor.account && !q.deleted)
        .filter(|q| only.as_ref().is_none_or(|id| *id == q.id))
        .filter(|q| status.is_none_or(|s| s == real_name_status(q.real_name)))
        .filter(|q| email.is_none_or(|e| q.email.eq_ignore_ascii_case(e)))
        .map(|q| entry(world, q))
        .collect();
    super::domain::paged(
        p,
        items,
        1000,
        ("RegistrantProfiles", "RegistrantProfile"),
        |v| v,
    )
}

/// `QueryRegistrantProfileRealNameVerificationInfo`: the document under review.
pub(crate) fn verification_info(
    world: &mut World,
    caller: &Caller,
    p: &Params,
) -> Result<Value, ApiError> {
    let actor = ops::actor::authorize(world, &caller.actor, Permission::Read).map_err(refused)?;
    let id = profile_of(world, p.required("RegistrantProfileId")?)?;
    let prof = world
        .profile_id(&id)
        .map(|i| &world.profiles[i as usize])
        .filter(|q| q.owner == actor.account)
        .ok_or_else(|| {
            ApiError::new(
                400,
                "RegistrantProfileNotExist",
                format!("no registrant profile `{id}` of this account"),
            )
        })?;
    let mut v = json!({ "RegistrantProfileId": number(world, &id) });
    if let Some(d) = &prof.document {
        v["IdentityCredentialNo"] = json!(d.number);
        v["IdentityCredentialType"] = json!(credential_type(&d.kind));
    }
    Ok(v)
}
