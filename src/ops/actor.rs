//! Who is acting: an account id (`alice`) or a RAM sub-user (`alice/ops`), and the
//! checks that it exists, holds a permission, and holds the domain.

use crate::model::{AccountId, Domain, Permission, World};
use crate::refusal::{Outcome, Reason, Refusal};

/// A resolved actor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    /// The account acting (a sub-user acts for its parent account, which pays).
    pub account: AccountId,
    /// The sub-user's name, when a RAM sub-user acts.
    pub user: Option<String>,
}

/// Resolves `actor` and checks it may use `permission`.
/// Refuses: 2303 `no_such_account`, 2303 `no_such_user`, 2201 `permission_denied`.
pub(crate) fn authorize(world: &World, actor: &str, permission: Permission) -> Outcome<Actor> {
    let (account_name, user) = match actor.split_once('/') {
        Some((a, u)) => (a, Some(u)),
        None => (actor, None),
    };
    let account = world.account_id(account_name).ok_or_else(|| {
        Refusal::new(
            Reason::NoSuchAccount,
            format!("account `{account_name}` does not exist"),
        )
    })?;
    let Some(user) = user else {
        return Ok(Actor {
            account,
            user: None,
        });
    };
    let ram = world.accounts[account as usize]
        .ram_users
        .iter()
        .find(|u| u.name == user)
        .ok_or_else(|| {
            Refusal::new(
                Reason::NoSuchUser,
                format!("account `{account_name}` has no RAM user `{user}`"),
            )
        })?;
    if !ram.may(permission) {
        return Err(Refusal::new(
            Reason::PermissionDenied,
            format!(
                "RAM user `{actor}` lacks the `{}` permission",
                permission.as_str()
            ),
        ));
    }
    Ok(Actor {
        account,
        user: Some(user.to_string()),
    })
}

/// Checks that the actor's account holds the domain.
/// Refuses: 2201 `not_owner`.
pub(crate) fn require_owner(world: &World, actor: &Actor, domain: &Domain) -> Outcome<()> {
    if domain.owner == actor.account {
        return Ok(());
    }
    Err(Refusal::new(
        Reason::NotOwner,
        format!(
            "`{}` does not hold {}; only the holder may act on it",
            world.accounts[actor.account as usize].id, &world.names[domain.name]
        ),
    ))
}
