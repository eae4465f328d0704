//! Opening accounts and depositing money.

use crate::model::{Account, AccountKind, Book, EventKind, Memo, World};
use crate::refusal::{Outcome, Reason, Refusal};

/// The largest single deposit or opening balance: 10^13 fen.
pub(crate) const MAX_DEPOSIT: i64 = 10_000_000_000_000;

/// Checks an account id: 1–64 characters of letters, digits, `_`, `-`, `.`.
/// Refuses: 2005 `invalid_account_id`.
pub(crate) fn check_account_id(id: &str) -> Outcome<()> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if ok {
        Ok(())
    } else {
        Err(Refusal::new(
            Reason::InvalidAccountId,
            format!("`{id}` is not an account id: use 1 to 64 letters, digits, `_`, `-` or `.`"),
        ))
    }
}

fn check_amount(amount: i64, what: &str, allow_zero: bool) -> Outcome<()> {
    if amount < 0 || (amount == 0 && !allow_zero) {
        return Err(Refusal::new(
            Reason::AmountNotPositive,
            format!("{what} must be positive, not {amount}"),
        ));
    }
    if amount > MAX_DEPOSIT {
        return Err(Refusal::new(
            Reason::AmountTooLarge,
            format!("{what} {amount} is more than the limit of {MAX_DEPOSIT}"),
        ));
    }
    Ok(())
}

/// Opens an account with an opening balance (a deposit).
/// Refuses: 2005 `invalid_account_id`, 2302 `account_exists`, 2004 `amount_not_positive`
/// (negative balance), 2004 `amount_too_large`.
pub fn open_account(world: &mut World, id: &str, kind: AccountKind, balance: i64) -> Outcome<()> {
    check_account_id(id)?;
    if world.account_id(id).is_some() {
        return Err(Refusal::new(
            Reason::AccountExists,
            format!("account `{id}` already exists"),
        ));
    }
    check_amount(balance, "an opening balance", true)?;
    let account = world.add_account(Account {
        id: id.to_string(),
        kind,
        ram_users: Vec::new(),
        trading_frozen_until: None,
        console: crate::model::Console::Off,
    });
    world.record(EventKind::AccountOpened { account });
    if balance > 0 {
        apply_deposit(world, account, balance);
    }
    Ok(())
}

/// Deposits money into an account's wallet.
/// Refuses: 2303 `no_such_account`, 2004 `amount_not_positive`, 2004 `amount_too_large`.
pub fn deposit(world: &mut World, id: &str, amount: i64) -> Outcome<i64> {
    let account = world.account_id(id).ok_or_else(|| {
        Refusal::new(
            Reason::NoSuchAccount,
            format!("account `{id}` does not exist"),
        )
    })?;
    check_amount(amount, "a deposit", false)?;
    if !world.ledger.can_receive(account, amount) {
        return Err(Refusal::new(
            Reason::AmountTooLarge,
            format!("a deposit of {amount} would overflow the wallet of `{id}`"),
        ));
    }
    apply_deposit(world, account, amount);
    Ok(world.ledger.balance(Book::Wallet(account)))
}

fn apply_deposit(world: &mut World, account: u32, amount: i64) {
    let now = world.now();
    world.ledger.post(
        now,
        Book::Funding,
        Book::Wallet(account),
        amount,
        Memo::Deposit,
    );
    world.record(EventKind::Deposited { account, amount });
}
