//! Limits on failed sign-ins, per account and per address, counted in memory.
//!
//! Two budgets, each a fixed window of [`WINDOW`] that starts with the first attempt
//! it counts:
//! - **per account**, [`PER_ACCOUNT`] failed attempts for one email address typed,
//!   from any address. Tight, because one person mistypes a few times at most. It counts the
//!   email as typed, whether or not an account has it, so an address with no account
//!   is limited exactly like a real one and the limit tells nobody which exist.
//! - **per address**, [`PER_ADDRESS`] failed attempts from one network address (an IPv6
//!   address counts by its /64, which one household or school is given). Generous,
//!   because a school's staff share one address behind its router: a school of 60
//!   staff signing in at 8.30 with one sign-in in ten mistyped fails perhaps 10 times
//!   in a quarter of an hour, a school of 200 staff and a sixth form perhaps 40, and a
//!   mobile network's shared address carries many families. 100 leaves room for all
//!   of them, while password spraying from one address gets 400 guesses an hour,
//!   spread across accounts that each still allow only 5.
//!
//! An attempt is counted when it starts, before the password is checked (so attempts
//! sent at the same moment cannot slip past the count), and given back when it
//! succeeds: a school whose staff type their passwords right never uses its budget.
//! A success gives back only its own attempt and clears no earlier failures: if it
//! did, an attacker could see a real account's owner sign in between two of their
//! attempts, and so tell a real account from an email with no account.
//! Failures of one account do not use up another's budget, so someone behind a
//! school's router who fails for many accounts locks out only those accounts, until the
//! address's own budget is spent.
//!
//! The store's lockout ([`senplan_store::accounts::MAX_FAILED_SIGN_INS`] failures in a
//! row lock an account for 15 minutes) is the durable per-account limit: it survives
//! a restart and is shared by every server on the database. These limits are the exact
//! ones in front of it.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failed attempts for one email address in a window, from anywhere.
pub const PER_ACCOUNT: u32 = 5;
/// Failed attempts from one network address in a window, for any accounts.
pub const PER_ADDRESS: u32 = 100;
/// Longest email an account can have.
const MAX_EMAIL: usize = 254;
/// How long a window lasts.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);

/// Which limit refused an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TooMany {
    /// This email address has been tried too often.
    Account,
    /// This network address has failed too often.
    Address,
}

/// An attempt counted against both budgets, until [`SignInLimiter::succeeded`] gives it back.
#[derive(Debug)]
#[must_use = "an attempt that succeeds is given back with SignInLimiter::succeeded"]
pub struct Attempt {
    account: String,
    address: IpAddr,
}

#[derive(Default)]
struct Budgets {
    accounts: HashMap<String, Window>,
    addresses: HashMap<IpAddr, Window>,
}

#[derive(Clone, Copy)]
struct Window {
    start: Instant,
    count: u32,
}

fn room<K: Eq + Hash + std::borrow::Borrow<Q>, Q: Eq + Hash + ?Sized>(map: &HashMap<K, Window>, key: &Q, max: u32) -> bool {
    map.get(key).is_none_or(|w| w.count < max)
}

fn count<K: Eq + Hash>(map: &mut HashMap<K, Window>, key: K, now: Instant) {
    map.entry(key).or_insert(Window { start: now, count: 0 }).count += 1;
}

fn give_back<K: Eq + Hash + std::borrow::Borrow<Q>, Q: Eq + Hash + ?Sized>(map: &mut HashMap<K, Window>, key: &Q) {
    if let Some(w) = map.get_mut(key) {
        w.count = w.count.saturating_sub(1);
    }
}

/// The address an attempt is counted under: IPv4 as it is (also when written as an
/// IPv4-mapped IPv6 address), IPv6 by its /64 network.
fn address_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

/// The sign-in budgets of this server process.
#[derive(Default)]
pub struct SignInLimiter {
    budgets: Mutex<Budgets>,
}

impl SignInLimiter {
    /// Counts an attempt to sign in as `account` (an email, normalised as the store
    /// compares them) from `address`, or refuses it, counting nothing, when either
    /// budget is spent.
    pub fn begin(&self, account: &str, address: IpAddr) -> Result<Attempt, TooMany> {
        self.begin_at(account, address, Instant::now())
    }

    fn begin_at(&self, account: &str, address: IpAddr, now: Instant) -> Result<Attempt, TooMany> {
        // No account's email is longer (the store refuses them), and a kilobyte-long
        // email must not cost a kilobyte of memory per attempt.
        let account: String = account.chars().take(MAX_EMAIL).collect();
        let account = account.as_str();
        let address = address_key(address);
        // A poisoned lock means a panic while counting: refuse rather than not count.
        let Ok(mut b) = self.budgets.lock() else { return Err(TooMany::Address) };
        b.accounts.retain(|_, w| now.duration_since(w.start) < WINDOW);
        b.addresses.retain(|_, w| now.duration_since(w.start) < WINDOW);
        if !room(&b.addresses, &address, PER_ADDRESS) {
            return Err(TooMany::Address);
        }
        if !room(&b.accounts, account, PER_ACCOUNT) {
            return Err(TooMany::Account);
        }
        count(&mut b.accounts, account.to_owned(), now);
        count(&mut b.addresses, address, now);
        Ok(Attempt { account: account.to_owned(), address })
    }

    /// Gives back a successful attempt: only failures use up the budgets.
    pub fn succeeded(&self, attempt: Attempt) {
        if let Ok(mut b) = self.budgets.lock() {
            give_back(&mut b.accounts, attempt.account.as_str());
            give_back(&mut b.addresses, &attempt.address);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHOOL: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(203, 0, 113, 7));
    const HOME: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(198, 51, 100, 20));

    fn email(n: u32) -> String {
        format!("person{n}@synthetic.example")
    }

    #[test]
    fn one_account_gets_five_attempts_a_window_from_any_address() {
        let l = SignInLimiter::default();
        let now = Instant::now();
        for n in 0..PER_ACCOUNT {
            let from = if n % 2 == 0 { SCHOOL } else { HOME };
            let _failed = l.begin_at("a@synthetic.example", from, now).unwrap();
        }
        assert_eq!(l.begin_at("a@synthetic.example", [192, 0, 2, 1].into(), now).unwrap_err(), TooMany::Account);
        let _other = l.begin_at("b@synthetic.example", SCHOOL, now).expect("another account is counted apart");
        let _later = l.begin_at("a@synthetic.example", SCHOOL, now + WINDOW).expect("a new window");
    }

    #[test]
    fn failures_for_many_accounts_spend_the_address_budget_not_other_accounts() {
        let l = SignInLimiter::default();
        let now = Instant::now();
        // Someone at the school fails four times each for 24 accounts: 96 failures.
        for n in 0..24 {
            for _ in 0..4 {
                let _failed = l.begin_at(&email(n), SCHOOL, now).unwrap();
            }
        }
        // A colleague at the same school still signs in, and that gives the attempt back.
        let ok = l.begin_at("colleague@synthetic.example", SCHOOL, now).expect("the address has budget left");
        l.succeeded(ok);
        for n in 96..PER_ADDRESS {
            let _failed = l.begin_at(&email(100 + n), SCHOOL, now).unwrap();
        }
        // The address's budget is spent: everyone at it waits, and nothing more is counted.
        assert_eq!(l.begin_at("colleague@synthetic.example", SCHOOL, now).unwrap_err(), TooMany::Address);
        let at_home = l.begin_at("colleague@synthetic.example", HOME, now).expect("the account itself was never tried");
        l.succeeded(at_home);
        let _next = l.begin_at("colleague@synthetic.example", SCHOOL, now + WINDOW).expect("a new window");
    }

    #[test]
    fn successes_are_given_back_so_staff_who_type_right_never_spend_the_budget() {
        let l = SignInLimiter::default();
        let now = Instant::now();
        for n in 0..10 * PER_ADDRESS {
            let a = l.begin_at(&email(n % 60), SCHOOL, now).unwrap();
            l.succeeded(a);
        }
        for _ in 0..PER_ACCOUNT {
            let a = l.begin_at(&email(1), SCHOOL, now).unwrap();
            l.succeeded(a);
        }
        let _still = l.begin_at(&email(1), SCHOOL, now).unwrap();
    }

    #[test]
    fn refused_attempts_are_not_counted() {
        let l = SignInLimiter::default();
        let now = Instant::now();
        for _ in 0..PER_ACCOUNT {
            let _failed = l.begin_at("a@synthetic.example", SCHOOL, now).unwrap();
        }
        for _ in 0..PER_ADDRESS {
            assert_eq!(l.begin_at("a@synthetic.example", SCHOOL, now).unwrap_err(), TooMany::Account);
        }
        let _other = l.begin_at("b@synthetic.example", SCHOOL, now).expect("refusals did not spend the address's budget");
    }

    #[test]
    fn ipv6_addresses_count_by_their_64_network() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::2".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(address_key(a), address_key(b));
        assert_ne!(address_key(a), address_key(c));
        let mapped: IpAddr = "::ffff:203.0.113.7".parse().unwrap();
        assert_eq!(address_key(mapped), SCHOOL);
        let l = SignInLimiter::default();
        let now = Instant::now();
        for n in 0..PER_ADDRESS {
            let _failed = l.begin_at(&email(n), if n % 2 == 0 { a } else { b }, now).unwrap();
        }
        assert_eq!(l.begin_at(&email(999), b, now).unwrap_err(), TooMany::Address);
        let _other_network = l.begin_at(&email(999), c, now).unwrap();
    }
}
