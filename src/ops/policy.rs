//! Changing policy during a run (`set_policy`, `--set`): one TLD field at a time, by a
//! dotted key such as `tlds.com.grace_days` or `tlds.com.cn.redemption_days`.

use super::timeline;
use crate::model::{EventKind, TldPatch, World};
use crate::refusal::{Outcome, Reason, Refusal};

/// Parses a key `tlds.<tld>.<field>` into the TLD name and the field.
/// Refuses: 2005 `unknown_policy_key`.
pub(crate) fn parse_key(key: &str) -> Outcome<(&str, &str)> {
    let bad = || {
        Refusal::new(
            Reason::UnknownPolicyKey,
            format!(
                "`{key}` is not a policy key; write tlds.<tld>.<field> (e.g. tlds.com.grace_days) or rules.<field>"
            ),
        )
    };
    let rest = key.strip_prefix("tlds.").ok_or_else(bad)?;
    let (tld, field) = rest.rsplit_once('.').ok_or_else(bad)?;
    if tld.is_empty() || field.is_empty() {
        return Err(bad());
    }
    Ok((tld, field))
}

/// Sets one policy field: `tlds.<tld>.<field>` or `rules.<field>`. Domains of a TLD
/// are rescheduled under its new policy, and anything the change makes due at once (a
/// release, say) happens now; a rule applies to what is scheduled from now on.
/// Refuses: 2005 `unknown_policy_key`, 2303 `unknown_tld`, 2005 `invalid_policy_value`
/// (wrong type), 2004 `policy_value_out_of_range`.
pub fn set_policy(world: &mut World, key: &str, value: serde_json::Value) -> Outcome<()> {
    // Notices owed in closed form are recorded under the policy they were due under.
    world.settle();
    if let Some(field) = key.strip_prefix("rules.") {
        return set_rule(world, key, field, value);
    }
    if let Some(field) = key.strip_prefix("behaviour.") {
        return set_behaviour(world, key, field, value);
    }
    let (tld_name, field) = parse_key(key)?;
    let tld = world.tlds.index_of(tld_name).ok_or_else(|| {
        Refusal::new(
            Reason::NoSuchTld,
            format!("policy key `{key}` names TLD `{tld_name}`, which is not in the catalog"),
        )
    })?;
    let mut patch_json = serde_json::Map::new();
    patch_json.insert(field.to_string(), value.clone());
    let patch: TldPatch =
        serde_json::from_value(serde_json::Value::Object(patch_json)).map_err(|e| {
            let known = crate::model::Tld::FIELDS.contains(&field);
            Refusal::new(
                if known {
                    Reason::InvalidPolicyValue
                } else {
                    Reason::UnknownPolicyKey
                },
                if known {
                    format!("`{key}` cannot be set to {value}: {e}")
                } else {
                    format!(
                        "`{field}` is not a TLD policy field; the fields are {}",
                        crate::model::Tld::FIELDS.join(", ")
                    )
                },
            )
        })?;
    let mut updated = world.tlds.get(tld).clone();
    updated.apply(&patch);
    updated
        .validate()
        .map_err(|e| Refusal::new(Reason::PolicyValueOutOfRange, format!("`{key}`: {e}")))?;
    // Apply.
    world.tlds.update(tld, |t| *t = updated);
    world.record(EventKind::PolicySet {
        key: key.to_string(),
        value: value.to_string(),
    });
    let ids: Vec<u32> = world
        .live_domains()
        .filter(|(_, d)| d.tld == tld)
        .map(|(id, _)| id)
        .collect();
    for id in ids {
        timeline::reschedule(world, id);
    }
    Ok(())
}

/// The current value of `rules.<field>`.
/// Refuses: 2005 `unknown_policy_key`.
pub fn rule(world: &World, field: &str) -> Outcome<serde_json::Value> {
    serde_json::to_value(&world.rules)
        .ok()
        .and_then(|v| v.get(field).cloned())
        .ok_or_else(|| unknown_rule(field))
}

fn unknown_rule(field: &str) -> Refusal {
    let names = serde_json::to_value(crate::model::Rules::default())
        .ok()
        .and_then(|v| {
            v.as_object()
                .map(|m| m.keys().cloned().collect::<Vec<_>>().join(", "))
        })
        .unwrap_or_default();
    Refusal::new(
        Reason::UnknownPolicyKey,
        format!("`{field}` is not a rule; the rules are {names}"),
    )
}

fn set_rule(world: &mut World, key: &str, field: &str, value: serde_json::Value) -> Outcome<()> {
    let mut current = serde_json::to_value(&world.rules).unwrap_or_default();
    let Some(slot) = current.get_mut(field) else {
        return Err(unknown_rule(field));
    };
    *slot = value.clone();
    let rules: crate::model::Rules = serde_json::from_value(current).map_err(|e| {
        Refusal::new(
            Reason::InvalidPolicyValue,
            format!("`{key}` cannot be set to {value}: {e}"),
        )
    })?;
    rules
        .validate()
        .map_err(|e| Refusal::new(Reason::PolicyValueOutOfRange, format!("`{key}`: {e}")))?;
    world.rules = rules;
    world.record(EventKind::PolicySet {
        key: key.to_string(),
        value: value.to_string(),
    });
    Ok(())
}

fn set_behaviour(
    world: &mut World,
    key: &str,
    field: &str,
    value: serde_json::Value,
) -> Outcome<()> {
    let mut current =
        serde_json::to_value(world.behaviour.clone().unwrap_or_default()).unwrap_or_default();
    let Some(slot) = current.get_mut(field) else {
        return Err(Refusal::new(
            Reason::UnknownPolicyKey,
            format!("`{field}` is not a behaviour parameter"),
        ));
    };
    *slot = value.clone();
    let b: crate::model::Behaviour = serde_json::from_value(current).map_err(|e| {
        Refusal::new(
            Reason::InvalidPolicyValue,
            format!("`{key}` cannot be set to {value}: {e}"),
        )
    })?;
    b.validate()
        .map_err(|e| Refusal::new(Reason::PolicyValueOutOfRange, format!("`{key}`: {e}")))?;
    let starting = world.behaviour.is_none();
    world.behaviour = Some(b);
    world.record(EventKind::PolicySet {
        key: key.to_string(),
        value: value.to_string(),
    });
    if starting {
        (world.reactions.behaviour_started)(world);
    } else if field == "listing_propensity" {
        // Listing decision points exist only for holders who will list.
        let ids: Vec<_> = world.live_domains().map(|(id, _)| id).collect();
        for id in ids {
            crate::ops::timeline::reschedule(world, id);
        }
    }
    Ok(())
}

/// The current value of `behaviour.<field>` (defaults when the model is off).
/// Refuses: 2005 `unknown_policy_key`.
pub(crate) fn behaviour_value(world: &World, field: &str) -> Outcome<serde_json::Value> {
    serde_json::to_value(world.behaviour.clone().unwrap_or_default())
        .ok()
        .and_then(|v| v.get(field).cloned())
        .ok_or_else(|| {
            Refusal::new(
                Reason::UnknownPolicyKey,
                format!("`{field}` is not a behaviour parameter"),
            )
        })
}
