//! Money and time as whole numbers: [`Pence`] (shown as "£1,234.56") and
//! [`Minutes`]. Turning an exact [`Fraction`] of a penny into pence is where the
//! rounding rule of [`crate::costing`] is applied.

use std::ops::{Add, AddAssign, Sub};

use serde::{Deserialize, Serialize};

use super::exact::Fraction;

/// An amount of money in whole pence. Displays as "£1,234.56" (negative: "-£3.00").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Pence(pub i64);

impl Pence {
    pub const ZERO: Pence = Pence(0);

    pub fn from_pounds(pounds: i64) -> Pence {
        Pence(pounds * 100)
    }

    /// An exact amount of pence, rounded once by the rule (half away from zero).
    /// Saturates at the limits of `i64`, far beyond any school's budget.
    pub fn round(exact: Fraction) -> Pence {
        let r = exact.round();
        Pence(i64::try_from(r).unwrap_or(if r < 0 { i64::MIN } else { i64::MAX }))
    }

    pub fn as_fraction(self) -> Fraction {
        Fraction::int(i128::from(self.0))
    }

    /// Reads pounds as people type them: "14.50", "£14.50", "1,234.5", "14", "-3".
    /// `None` for anything else, including more than two decimal places.
    pub fn parse_pounds(text: &str) -> Option<Pence> {
        let t = text.trim().replace(',', "");
        let (negative, t) = match t.strip_prefix('-') {
            Some(rest) => (true, rest.to_owned()),
            None => (false, t),
        };
        let t = t.strip_prefix('£').unwrap_or(&t);
        let (pounds, pence) = t.split_once('.').unwrap_or((t, ""));
        let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
        if !digits(pounds) || (!pence.is_empty() && !digits(pence)) || pence.len() > 2 || pounds.len() > 12 {
            return None;
        }
        let pence = match pence.len() {
            0 => 0,
            1 => pence.parse::<i64>().ok()? * 10,
            _ => pence.parse::<i64>().ok()?,
        };
        let total = pounds.parse::<i64>().ok()? * 100 + pence;
        Some(Pence(if negative { -total } else { total }))
    }

    /// Pounds and pence without the symbol or separators, for CSV: "1234.56".
    pub fn plain(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl std::fmt::Display for Pence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let digits = (abs / 100).to_string();
        let mut pounds = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                pounds.push(',');
            }
            pounds.push(c);
        }
        write!(f, "{sign}£{pounds}.{:02}", abs % 100)
    }
}

impl Add for Pence {
    type Output = Pence;
    fn add(self, o: Pence) -> Pence {
        Pence(self.0.saturating_add(o.0))
    }
}

impl AddAssign for Pence {
    fn add_assign(&mut self, o: Pence) {
        *self = *self + o;
    }
}

impl Sub for Pence {
    type Output = Pence;
    fn sub(self, o: Pence) -> Pence {
        Pence(self.0.saturating_sub(o.0))
    }
}

impl std::iter::Sum for Pence {
    fn sum<I: Iterator<Item = Pence>>(iter: I) -> Pence {
        iter.fold(Pence::ZERO, |a, b| a + b)
    }
}

/// A length of time in whole minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Minutes(pub i64);

impl Minutes {
    pub const ZERO: Minutes = Minutes(0);

    pub fn as_fraction(self) -> Fraction {
        Fraction::int(i128::from(self.0))
    }

    /// Hours to 2 decimal places: 90 minutes is "1.50".
    pub fn hours(self) -> String {
        hours_2dp(self.as_fraction())
    }
}

/// An exact number of minutes as hours to 2 decimal places (rounded by the rule):
/// 15 minutes is "0.25", 20 minutes is "0.33".
pub fn hours_2dp(minutes: Fraction) -> String {
    minutes.div_int(60).unwrap_or(Fraction::ZERO).to_decimal(2)
}

impl std::fmt::Display for Minutes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} min", self.0)
    }
}

impl Add for Minutes {
    type Output = Minutes;
    fn add(self, o: Minutes) -> Minutes {
        Minutes(self.0.saturating_add(o.0))
    }
}

impl std::iter::Sum for Minutes {
    fn sum<I: Iterator<Item = Minutes>>(iter: I) -> Minutes {
        iter.fold(Minutes::ZERO, |a, b| a + b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_has_no_sign_and_twelve_digits_of_pounds_is_the_most() {
        assert_eq!((Pence::ZERO.plain(), Pence::ZERO.to_string()), ("0.00".to_owned(), "£0.00".to_owned()));
        assert_eq!((Pence(-5).plain(), Pence(-5).to_string()), ("-0.05".to_owned(), "-£0.05".to_owned()));
        assert_eq!(Pence::parse_pounds("999999999999"), Some(Pence(99_999_999_999_900)));
        assert_eq!(Pence::parse_pounds("1000000000000"), None);
    }

    #[test]
    fn rounding_saturates_far_beyond_any_budget() {
        let huge = Fraction::int(i128::from(i64::MAX) * 4);
        assert_eq!(Pence::round(huge), Pence(i64::MAX));
        assert_eq!(Pence::round(Fraction::int(-i128::from(i64::MAX) * 4)), Pence(i64::MIN));
        assert_eq!(Pence::round(Fraction::new(-5, 2).unwrap()), Pence(-3), "half away from zero");
    }

    #[test]
    fn pence_display_in_pounds_with_separators() {
        assert_eq!(Pence(123_456).to_string(), "£1,234.56");
        assert_eq!(Pence(600_000).to_string(), "£6,000.00");
        assert_eq!(Pence(5).to_string(), "£0.05");
        assert_eq!(Pence(-300).to_string(), "-£3.00");
        assert_eq!(Pence(123_456_789).to_string(), "£1,234,567.89");
        assert_eq!(Pence(99_999).to_string(), "£999.99");
        assert_eq!(Pence(123_456).plain(), "1234.56");
        assert_eq!(Pence::from_pounds(6000), Pence(600_000));
    }

    #[test]
    fn pence_round_once_half_away_from_zero() {
        assert_eq!(Pence::round(Fraction::new(1001, 2).unwrap()), Pence(501));
        assert_eq!(Pence::round(Fraction::new(1000, 3).unwrap()), Pence(333));
        assert_eq!(Pence::round(Fraction::new(2000, 3).unwrap()), Pence(667));
    }

    #[test]
    fn pounds_are_read_as_typed() {
        assert_eq!(Pence::parse_pounds("14.50"), Some(Pence(1450)));
        assert_eq!(Pence::parse_pounds(" £6,000 "), Some(Pence(600_000)));
        assert_eq!(Pence::parse_pounds("14.5"), Some(Pence(1450)));
        assert_eq!(Pence::parse_pounds("-3"), Some(Pence(-300)));
        assert_eq!(Pence::parse_pounds("-£3.05"), Some(Pence(-305)));
        for bad in ["", "abc", "14.505", "£", "1.2.3", "£-3"] {
            assert_eq!(Pence::parse_pounds(bad), None, "{bad}");
        }
    }

    #[test]
    fn minutes_as_hours() {
        assert_eq!(Minutes(90).hours(), "1.50");
        assert_eq!(hours_2dp(Fraction::int(20)), "0.33");
        assert_eq!(Minutes(45).to_string(), "45 min");
    }
}
