//! Exact arithmetic for costing: a reduced fraction of two integers, and the one
//! rounding rule (half away from zero) used to turn it into pence, hours to 2 dp,
//! basis points or an average to 1 dp. No floating point.

use std::cmp::Ordering;
use std::ops::{Add, Mul, Sub};

use serde::Serialize;

/// An exact rational number `num / den`, always reduced, with `den > 0`.
///
/// Costing values are small (pence, minutes, weeks), so `i128` leaves room to spare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Fraction {
    num: i128,
    den: i128,
}

fn gcd(a: i128, b: i128) -> i128 {
    let (mut a, mut b) = (a.abs(), b.abs());
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

impl Fraction {
    pub const ZERO: Fraction = Fraction { num: 0, den: 1 };
    pub const ONE: Fraction = Fraction { num: 1, den: 1 };

    /// `num / den`, reduced; `None` when `den` is 0.
    pub fn new(num: i128, den: i128) -> Option<Fraction> {
        if den == 0 {
            return None;
        }
        let sign = if den < 0 { -1 } else { 1 };
        let g = gcd(num, den).max(1);
        Some(Fraction { num: sign * num / g, den: sign * den / g })
    }

    /// A whole number.
    pub fn int(n: i128) -> Fraction {
        Fraction { num: n, den: 1 }
    }

    pub fn numer(self) -> i128 {
        self.num
    }

    pub fn denom(self) -> i128 {
        self.den
    }

    /// `self / other`; `None` when `other` is zero.
    pub fn checked_div(self, other: Fraction) -> Option<Fraction> {
        if other.num == 0 {
            return None;
        }
        let a = Fraction::new(self.num, other.num)?;
        let b = Fraction::new(other.den, self.den)?;
        Some(a * b)
    }

    /// Divides by a whole number; `None` when it is 0.
    pub fn div_int(self, n: i128) -> Option<Fraction> {
        self.checked_div(Fraction::int(n))
    }

    /// The rounding rule: to the nearest whole number, halves away from zero.
    pub fn round(self) -> i128 {
        let q = self.num / self.den; // truncates towards zero
        let r = (self.num % self.den).abs();
        if 2 * r >= self.den { q + self.num.signum() } else { q }
    }

    /// The rounding rule at `dp` decimal places, as scaled integer (e.g. 0.255 at
    /// 2 dp is 26).
    pub fn round_scaled(self, dp: u32) -> i128 {
        (self * Fraction::int(10_i128.pow(dp))).round()
    }

    /// Decimal text at exactly `dp` places, rounded by the rule: 1/4 at 2 dp is
    /// "0.25", -5/4 at 1 dp is "-1.3".
    pub fn to_decimal(self, dp: u32) -> String {
        let scaled = self.round_scaled(dp);
        let sign = if scaled < 0 { "-" } else { "" };
        let abs = scaled.unsigned_abs();
        if dp == 0 {
            return format!("{sign}{abs}");
        }
        let unit = 10_u128.pow(dp);
        format!("{sign}{}.{:0width$}", abs / unit, abs % unit, width = dp as usize)
    }

    /// `part / whole` in basis points (1% = 100), rounded by the rule; `None` when
    /// `whole` is zero.
    pub fn basis_points(part: i128, whole: i128) -> Option<i64> {
        let f = Fraction::new(part * 10_000, whole)?;
        i64::try_from(f.round()).ok()
    }
}

impl Default for Fraction {
    fn default() -> Self {
        Fraction::ZERO
    }
}

impl Add for Fraction {
    type Output = Fraction;
    fn add(self, o: Fraction) -> Fraction {
        let g = gcd(self.den, o.den);
        let num = self.num * (o.den / g) + o.num * (self.den / g);
        Fraction::new(num, self.den / g * o.den).unwrap_or(Fraction::ZERO)
    }
}

impl Sub for Fraction {
    type Output = Fraction;
    fn sub(self, o: Fraction) -> Fraction {
        self + Fraction { num: -o.num, den: o.den }
    }
}

impl Mul for Fraction {
    type Output = Fraction;
    fn mul(self, o: Fraction) -> Fraction {
        // Cross-reduce first so intermediate products stay small.
        let g1 = gcd(self.num, o.den).max(1);
        let g2 = gcd(o.num, self.den).max(1);
        let num = (self.num / g1) * (o.num / g2);
        let den = (self.den / g2) * (o.den / g1);
        Fraction::new(num, den).unwrap_or(Fraction::ZERO)
    }
}

impl std::iter::Sum for Fraction {
    fn sum<I: Iterator<Item = Fraction>>(iter: I) -> Fraction {
        iter.fold(Fraction::ZERO, |a, b| a + b)
    }
}

impl PartialOrd for Fraction {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Fraction {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.num * other.den).cmp(&(other.num * self.den))
    }
}

impl std::fmt::Display for Fraction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.den == 1 { write!(f, "{}", self.num) } else { write!(f, "{}/{}", self.num, self.den) }
    }
}

/// Basis points as a percentage for people: 2500 is "25.00%".
pub fn percent_from_basis_points(bp: i64) -> String {
    let sign = if bp < 0 { "-" } else { "" };
    let abs = bp.unsigned_abs();
    format!("{sign}{}.{:02}%", abs / 100, abs % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(n: i128, d: i128) -> Fraction {
        Fraction::new(n, d).unwrap()
    }

    #[test]
    fn fractions_are_reduced_with_a_positive_denominator() {
        assert_eq!(f(6, -8), f(-3, 4));
        assert_eq!((f(-3, 4).numer(), f(-3, 4).denom()), (-3, 4));
        assert_eq!(Fraction::new(1, 0), None);
        assert_eq!(f(1, 3) + f(1, 6), f(1, 2));
        assert_eq!(f(1, 3) - f(1, 2), f(-1, 6));
        assert_eq!(f(2, 3) * f(9, 4), f(3, 2));
        assert_eq!(f(2, 3).checked_div(f(4, 9)), Some(f(3, 2)));
        assert_eq!(f(2, 3).checked_div(Fraction::ZERO), None);
        assert!(f(1, 3) < f(1, 2));
        assert_eq!(f(3, 4).to_string(), "3/4");
    }

    #[test]
    fn rounding_rule_is_half_away_from_zero_applied_once() {
        // 12.5p -> 13p; 12.49p -> 12p; -12.5 -> -13 (symmetry); 2/3 -> 1.
        assert_eq!(f(25, 2).round(), 13);
        assert_eq!(f(1249, 100).round(), 12);
        assert_eq!(f(-25, 2).round(), -13);
        assert_eq!(f(2, 3).round(), 1);
        assert_eq!(f(1, 3).round(), 0);
        // Once, at the end: 0.4 + 0.4 + 0.4 = 1.2 -> 1, whereas rounding each first
        // would give 0.
        assert_eq!((f(2, 5) + f(2, 5) + f(2, 5)).round(), 1);
    }

    #[test]
    fn decimals_and_percentages_for_display() {
        assert_eq!(f(1, 4).to_decimal(2), "0.25");
        assert_eq!(f(27, 2).to_decimal(2), "13.50");
        assert_eq!(f(-5, 4).to_decimal(1), "-1.3");
        assert_eq!(f(1, 200).to_decimal(2), "0.01");
        assert_eq!(f(7, 1).to_decimal(0), "7");
        assert_eq!(Fraction::basis_points(1, 3), Some(3333));
        assert_eq!(Fraction::basis_points(2, 3), Some(6667));
        assert_eq!(Fraction::basis_points(1, 0), None);
        assert_eq!(percent_from_basis_points(2500), "25.00%");
        assert_eq!(percent_from_basis_points(-5), "-0.05%");
    }

    #[test]
    fn fractions_subtract_and_compare_exactly() {
        assert_eq!(f(3, 4) - f(1, 4), f(1, 2));
        assert_eq!(f(1, 3) - f(1, 2), f(-1, 6));
        assert!(f(1, 3) < f(1, 2) && f(2, 3) > f(1, 2) && f(7, 3) > f(2, 1));
        assert_eq!(f(2, 4).cmp(&f(1, 2)), Ordering::Equal);
    }

    #[test]
    fn zero_is_shown_without_a_sign() {
        assert_eq!(Fraction::ZERO.to_decimal(2), "0.00");
        assert_eq!(f(-1, 1000).to_decimal(2), "0.00", "rounds to zero: no minus sign");
        assert_eq!(percent_from_basis_points(0), "0.00%");
        assert_eq!(percent_from_basis_points(-5), "-0.05%");
    }
}
