//! The double-entry ledger. Every movement of money is a posting from one book to
//! another; deposits come from the outside `Funding` book, so the sum of all books
//! other than `Funding` changes only by deposits, and the sum of all books is zero.

use super::domain::{AccountId, NameId};
use crate::sim::Time;
use serde::{Deserialize, Serialize};

/// A ledger book.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Book {
    /// A customer's wallet.
    Wallet(AccountId),
    /// Money held for trades in progress.
    Escrow,
    /// The registrar's revenue.
    Revenue,
    /// What the registrar owes the registries.
    RegistryPayable,
    /// The outside world deposits come from (its balance is minus all deposits).
    Funding,
}

impl Book {
    /// A short name for reports.
    pub fn label(self) -> String {
        match self {
            Book::Wallet(a) => format!("wallet#{a}"),
            Book::Escrow => "escrow".into(),
            Book::Revenue => "revenue".into(),
            Book::RegistryPayable => "registry_payable".into(),
            Book::Funding => "funding".into(),
        }
    }
}

/// Why money moved.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Memo {
    /// A deposit into a wallet.
    Deposit,
    /// A registration sale of a domain.
    Register(NameId),
    /// A renewal (manual or automatic).
    Renew(NameId),
    /// A restore from redemption.
    Restore(NameId),
    /// Registry cost of a sale.
    Wholesale(NameId),
    /// An add-grace refund, or a refund of money held for a transfer or trade.
    Refund(NameId),
    /// Transfer price held in escrow while a transfer is pending.
    TransferHold(NameId),
    /// A completed transfer's price.
    Transfer(NameId),
    /// Money moved for a trade (purchase, deposit, payout, commission).
    Trade(NameId),
}

/// One posting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Posting {
    /// When.
    pub at: Time,
    /// Book debited (money leaves it).
    pub from: Book,
    /// Book credited (money enters it).
    pub to: Book,
    /// Amount in minor units, always positive.
    pub amount: i64,
    /// Why.
    pub memo: Memo,
}

/// Balances of every book and, unless turned off, the journal of postings.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Ledger {
    wallets: Vec<i64>,
    escrow: i64,
    revenue: i64,
    registry_payable: i64,
    funding: i64,
    journal: crate::sim::Chunked<Posting>,
    keep_journal: bool,
}

impl Ledger {
    /// An empty ledger; `keep_journal` says whether postings are stored.
    pub fn new(keep_journal: bool) -> Ledger {
        Ledger {
            keep_journal,
            ..Ledger::default()
        }
    }

    /// Opens a wallet at zero for a new account.
    pub(crate) fn open_wallet(&mut self, account: AccountId) {
        if self.wallets.len() <= account as usize {
            self.wallets.resize(account as usize + 1, 0);
        }
    }

    /// The balance of a book.
    pub fn balance(&self, book: Book) -> i64 {
        match book {
            Book::Wallet(a) => self.wallets.get(a as usize).copied().unwrap_or(0),
            Book::Escrow => self.escrow,
            Book::Revenue => self.revenue,
            Book::RegistryPayable => self.registry_payable,
            Book::Funding => self.funding,
        }
    }

    fn slot(&mut self, book: Book) -> &mut i64 {
        match book {
            Book::Wallet(a) => {
                self.open_wallet(a);
                &mut self.wallets[a as usize]
            }
            Book::Escrow => &mut self.escrow,
            Book::Revenue => &mut self.revenue,
            Book::RegistryPayable => &mut self.registry_payable,
            Book::Funding => &mut self.funding,
        }
    }

    /// Whether a wallet can pay `amount` without going below zero.
    pub(crate) fn can_pay(&self, account: AccountId, amount: i64) -> bool {
        self.balance(Book::Wallet(account)) >= amount
    }

    /// Whether `amount` can be added to a wallet without overflowing.
    pub(crate) fn can_receive(&self, account: AccountId, amount: i64) -> bool {
        self.balance(Book::Wallet(account))
            .checked_add(amount)
            .is_some()
            && self.funding.checked_sub(amount).is_some()
    }

    /// Moves `amount` from one book to another. Callers validate first (a wallet never
    /// goes negative); amounts of zero are not recorded.
    pub(crate) fn post(&mut self, at: Time, from: Book, to: Book, amount: i64, memo: Memo) {
        if amount == 0 {
            return;
        }
        *self.slot(from) -= amount;
        *self.slot(to) += amount;
        if self.keep_journal {
            let posting = Posting {
                at,
                from,
                to,
                amount,
                memo,
            };
            self.journal.push(at.day_index(), &posting);
        }
    }

    /// The journal, oldest first (empty when not kept), decoded one by one from its
    /// compact store.
    pub fn journal(&self) -> impl Iterator<Item = Posting> + '_ {
        self.journal.iter()
    }

    /// How many postings the journal holds.
    pub fn postings(&self) -> u64 {
        self.journal.len()
    }

    /// Sum of every book; zero in a balanced ledger.
    pub fn sum(&self) -> i128 {
        self.wallets.iter().map(|v| *v as i128).sum::<i128>()
            + self.escrow as i128
            + self.revenue as i128
            + self.registry_payable as i128
            + self.funding as i128
    }

    /// Total deposited from outside.
    pub fn deposits(&self) -> i64 {
        -self.funding
    }

    /// The lowest wallet balance (0 when there is none).
    pub fn min_wallet(&self) -> i64 {
        self.wallets.iter().copied().min().unwrap_or(0).min(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postings_balance() {
        let mut l = Ledger::new(true);
        let t = Time::DEFAULT_START;
        l.open_wallet(0);
        l.post(t, Book::Funding, Book::Wallet(0), 10_000, Memo::Deposit);
        l.post(t, Book::Wallet(0), Book::Revenue, 8_500, Memo::Register(0));
        l.post(
            t,
            Book::Revenue,
            Book::RegistryPayable,
            7_300,
            Memo::Wholesale(0),
        );
        assert_eq!(l.sum(), 0);
        assert_eq!(l.deposits(), 10_000);
        assert_eq!(l.balance(Book::Wallet(0)), 1_500);
        assert_eq!(l.balance(Book::Revenue), 1_200);
        assert_eq!((l.postings(), l.journal().count()), (3, 3));
        assert!(l.can_pay(0, 1_500));
        assert!(!l.can_pay(0, 1_501));
    }
}
