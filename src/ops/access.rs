//! Authorization management: RAM sub-users and their permissions, and the separate
//! domain console of agent (reseller) accounts. Only the account itself (not a
//! sub-user) manages these.

use super::actor::authorize;
use crate::model::{
    AccessAction, AccountId, AccountKind, Console, EventKind, Permission, RamUser, World,
};
use crate::refusal::{Outcome, Reason, Refusal};

fn account_itself(world: &World, actor: &str) -> Outcome<AccountId> {
    let a = authorize(world, actor, Permission::All)?;
    if a.user.is_some() {
        return Err(Refusal::new(
            Reason::PermissionDenied,
            format!(
                "`{actor}` is a RAM user; only the account itself manages RAM users and the console"
            ),
        ));
    }
    Ok(a.account)
}

/// A RAM user's name as an account gives it: the bare name (`ops`) or the full form
/// (`alice/ops`) that actors use, whose account part must be the account's own.
/// Refuses: 2201 `not_owner` (another account's user).
pub(crate) fn own_user_name<'a>(
    world: &World,
    account: AccountId,
    name: &'a str,
) -> Outcome<&'a str> {
    let Some((owner, user)) = name.split_once('/') else {
        return Ok(name);
    };
    let own = &world.accounts[account as usize].id;
    if owner != own {
        return Err(Refusal::new(
            Reason::NotOwner,
            format!("RAM user `{name}` belongs to account `{owner}`, not `{own}`"),
        ));
    }
    Ok(user)
}

/// Parses permission names.
/// Refuses: 2005 `unknown_permission`.
pub(crate) fn parse_permissions(names: &[String]) -> Outcome<Vec<Permission>> {
    names
        .iter()
        .map(|n| {
            Permission::parse(n).ok_or_else(|| {
                Refusal::new(
                    Reason::UnknownPermission,
                    format!(
                        "`{n}` is not a permission; use {}",
                        Permission::NAMES.join(", ")
                    ),
                )
            })
        })
        .collect()
}

fn user_index(world: &World, account: AccountId, name: &str) -> Outcome<usize> {
    world.accounts[account as usize]
        .ram_users
        .iter()
        .position(|u| u.name == name)
        .ok_or_else(|| {
            Refusal::new(
                Reason::NoSuchUser,
                format!(
                    "account `{}` has no RAM user `{name}`",
                    world.accounts[account as usize].id
                ),
            )
        })
}

fn record(world: &mut World, account: AccountId, action: AccessAction, subject: String) {
    world.record(EventKind::AccessChanged {
        account,
        action,
        subject,
    });
}

/// Creates a RAM sub-user with permissions; `name` is bare (`ops`) or in the actor form
/// of the account's own users (`alice/ops`).
/// Refuses: 2303 `no_such_account`, 2201 `permission_denied` (a sub-user acting),
/// 2005 `invalid_user_name`, 2302 `user_exists`, 2005 `unknown_permission`.
pub fn create_ram_user(
    world: &mut World,
    actor: &str,
    name: &str,
    permissions: &[String],
) -> Outcome<()> {
    let account = account_itself(world, actor)?;
    let name = match name.split_once('/') {
        Some((owner, user)) if owner == world.accounts[account as usize].id => user,
        _ => name,
    };
    super::accounts::check_account_id(name).map_err(|_| {
        Refusal::new(
            Reason::InvalidUserName,
            format!(
                "`{name}` is not a RAM user name: use 1 to 64 letters, digits, `_`, `-` or `.`"
            ),
        )
    })?;
    if user_index(world, account, name).is_ok() {
        return Err(Refusal::new(
            Reason::UserExists,
            format!("RAM user `{name}` already exists"),
        ));
    }
    let mut permissions = parse_permissions(permissions)?;
    permissions.sort();
    permissions.dedup();
    let summary = permissions
        .iter()
        .map(|p| p.as_str())
        .collect::<Vec<_>>()
        .join(",");
    world.accounts[account as usize].ram_users.push(RamUser {
        name: name.to_string(),
        permissions,
    });
    record(
        world,
        account,
        AccessAction::CreateRamUser,
        format!("{name}:{summary}"),
    );
    Ok(())
}

/// Grants (`on`) or revokes a permission of a sub-user, named bare (`ops`) or as an
/// actor (`alice/ops`).
/// Refuses: 2303, 2201 as above, 2201 `not_owner` (another account's user), 2303
/// `no_such_user`, 2005 `unknown_permission`.
pub(crate) fn set_permission(
    world: &mut World,
    actor: &str,
    name: &str,
    permission: &str,
    on: bool,
) -> Outcome<()> {
    let account = account_itself(world, actor)?;
    let name = own_user_name(world, account, name)?;
    let u = user_index(world, account, name)?;
    let p = parse_permissions(&[permission.to_string()])?[0];
    let perms = &mut world.accounts[account as usize].ram_users[u].permissions;
    perms.retain(|q| *q != p);
    if on {
        perms.push(p);
        perms.sort();
    }
    record(
        world,
        account,
        if on {
            AccessAction::Grant
        } else {
            AccessAction::Revoke
        },
        format!("{name}:{}", p.as_str()),
    );
    Ok(())
}

/// The acting account itself, which must be an agent.
/// Refuses: as [`account_itself`], 2306 `not_an_agent`.
fn agent_itself(world: &World, actor: &str) -> Outcome<AccountId> {
    let account = account_itself(world, actor)?;
    let acc = &world.accounts[account as usize];
    if acc.kind != AccountKind::Agent {
        return Err(Refusal::new(
            Reason::NotAnAgent,
            format!(
                "`{}` is not an agent account; only resellers get a separate domain console",
                acc.id
            ),
        ));
    }
    Ok(account)
}

/// Enables the separate domain console of an agent account.
/// Refuses: 2201 as above, 2306 `not_an_agent`, 2306 `console_disabled_permanently`.
pub fn enable_console(world: &mut World, actor: &str) -> Outcome<()> {
    let account = agent_itself(world, actor)?;
    let acc = &world.accounts[account as usize];
    if acc.console == Console::Disabled {
        return Err(Refusal::new(
            Reason::ConsoleDisabledPermanently,
            format!(
                "the domain console of `{}` was disabled and cannot be enabled again",
                acc.id
            ),
        ));
    }
    world.accounts[account as usize].console = Console::Enabled;
    record(world, account, AccessAction::EnableConsole, String::new());
    Ok(())
}

/// Disables the agent's domain console, irreversibly.
/// Refuses: 2201 as above, 2306 `not_an_agent`, 2304 `console_not_enabled`.
pub fn disable_console(world: &mut World, actor: &str) -> Outcome<()> {
    let account = agent_itself(world, actor)?;
    let acc = &world.accounts[account as usize];
    if acc.console != Console::Enabled {
        return Err(Refusal::new(
            Reason::ConsoleNotEnabled,
            format!("the domain console of `{}` is not enabled", acc.id),
        ));
    }
    world.accounts[account as usize].console = Console::Disabled;
    record(world, account, AccessAction::DisableConsole, String::new());
    Ok(())
}
