//! The Element 2 threshold (R16): a pupil's annual additional cost against the
//! £6,000 a school meets from its notional SEN budget. Pupils above it are candidates
//! for Element 3 top-up or exceptional needs funding. Also the hours of help a week
//! that the threshold buys at a given hourly cost (Buckinghamshire: about 13.5).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::exact::Fraction;
use super::money::Pence;
use super::settings::{Dated, in_force};

/// Where a pupil's annual cost sits against the threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ThresholdBand {
    Below,
    At,
    /// Above: a candidate for Element 3 top-up / exceptional needs funding.
    Above,
}

impl ThresholdBand {
    pub fn label(self) -> &'static str {
        match self {
            Self::Below => "Below the threshold",
            Self::At => "At the threshold",
            Self::Above => "Above the threshold: candidate for top-up funding",
        }
    }
}

/// One pupil's annual cost against the threshold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ThresholdCheck {
    pub annual_cost: Pence,
    pub threshold: Pence,
    pub band: ThresholdBand,
    /// How far above the threshold; zero when not above.
    pub over_by: Pence,
    /// How far below the threshold; zero when not below.
    pub under_by: Pence,
    /// The annual cost as a share of the threshold, in basis points (10000 = 100%).
    pub share_of_threshold_bp: Option<i64>,
    /// Above the threshold: flag for Element 3 top-up / exceptional needs funding.
    pub element3_candidate: bool,
}

/// Classifies an annual cost against a threshold.
pub fn check_threshold(annual_cost: Pence, threshold: Pence) -> ThresholdCheck {
    let band = match annual_cost.cmp(&threshold) {
        std::cmp::Ordering::Less => ThresholdBand::Below,
        std::cmp::Ordering::Equal => ThresholdBand::At,
        std::cmp::Ordering::Greater => ThresholdBand::Above,
    };
    ThresholdCheck {
        annual_cost,
        threshold,
        band,
        over_by: (annual_cost - threshold).max(Pence::ZERO),
        under_by: (threshold - annual_cost).max(Pence::ZERO),
        share_of_threshold_bp: Fraction::basis_points(i128::from(annual_cost.0), i128::from(threshold.0)),
        element3_candidate: band == ThresholdBand::Above,
    }
}

/// Classifies against the threshold in force on `on`; `None` if none was in force.
pub fn check_threshold_on(annual_cost: Pence, thresholds: &[Dated<Pence>], on: NaiveDate) -> Option<ThresholdCheck> {
    in_force(thresholds, on).map(|t| check_threshold(annual_cost, *t))
}

/// Hours of help a week that `amount` a year buys at `hourly_cost` over
/// `weeks_per_year`, exactly: amount / (hourly cost × weeks). `None` when either is 0.
/// £6,000 at £11.40 an hour over 39 weeks is 13.495…, "about 13.5 hours a week".
pub fn hours_per_week_for(amount: Pence, hourly_cost: Pence, weeks_per_year: u32) -> Option<Fraction> {
    let per_week = i128::from(hourly_cost.0) * i128::from(weeks_per_year);
    Fraction::new(i128::from(amount.0), per_week)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::costing::settings::{ELEMENT2_THRESHOLD, default_element2_thresholds};
    use crate::costing::share::pupil_annual_total;
    use crate::costing::test_support::{calendar, d, resolved};

    #[test]
    fn r16_bands_read_in_plain_language() {
        assert_eq!(ThresholdBand::Below.label(), "Below the threshold");
        assert_eq!(ThresholdBand::At.label(), "At the threshold");
        assert_eq!(ThresholdBand::Above.label(), "Above the threshold: candidate for top-up funding");
    }

    #[test]
    fn r16_pupil_just_below_and_just_above_6000() {
        // Pupil A, all of 2026–27 from the first day of term: TA (£15/h) one-to-one
        // 5 × 120 min = 10 h a week: 1500 × 10 × 39 = 585000p; plus 1 h a week in a group of 4: 14625p. Total 599625p = £5,996.25,
        // £3.75 below.
        let start = d(2026, 9, 2);
        let one_to_one = resolved("teaching_assistant", 120, 5, 1, start);
        let a = pupil_annual_total(&[one_to_one.clone(), resolved("teaching_assistant", 60, 1, 4, start)], &calendar(), d(2026, 10, 1));
        let below = check_threshold_on(a.annual_cost, &default_element2_thresholds(), d(2026, 10, 1)).unwrap();
        assert_eq!(below.annual_cost, Pence(599_625));
        assert_eq!(below.band, ThresholdBand::Below);
        assert_eq!(below.under_by.to_string(), "£3.75");
        assert_eq!(below.over_by, Pence::ZERO);
        assert_eq!(below.share_of_threshold_bp, Some(9994)); // 599625 / 600000 = 99.9375%
        assert!(!below.element3_candidate);
        // Pupil B: the same 10 h plus 1 h a week in a group of 2: 1500 × 39 / 2 = 29250p.
        // Total 614250p = £6,142.50, £142.50 above: an Element 3 candidate.
        let b = pupil_annual_total(&[one_to_one, resolved("teaching_assistant", 60, 1, 2, start)], &calendar(), d(2026, 10, 1));
        let above = check_threshold(b.annual_cost, ELEMENT2_THRESHOLD);
        assert_eq!(above.annual_cost, Pence(614_250));
        assert_eq!(above.band, ThresholdBand::Above);
        assert_eq!(above.over_by.to_string(), "£142.50");
        assert!(above.element3_candidate);
        // A penny either side, and exactly at.
        assert_eq!(check_threshold(Pence(599_999), ELEMENT2_THRESHOLD).band, ThresholdBand::Below);
        let at = check_threshold(Pence(600_000), ELEMENT2_THRESHOLD);
        assert_eq!((at.band, at.element3_candidate, at.over_by, at.under_by), (ThresholdBand::At, false, Pence::ZERO, Pence::ZERO));
        let penny = check_threshold(Pence(600_001), ELEMENT2_THRESHOLD);
        assert_eq!((penny.band, penny.over_by), (ThresholdBand::Above, Pence(1)));
    }

    #[test]
    fn r16_no_threshold_before_the_first_in_force() {
        assert_eq!(check_threshold_on(Pence(1), &default_element2_thresholds(), d(2015, 3, 31)), None);
    }

    #[test]
    fn r16_6000_is_about_13_and_a_half_hours_a_week() {
        // 600000 / (1140 × 39) = 600000 / 44460 = 13.4953… -> "13.5" (1 dp), "13.50" (2 dp).
        let h = hours_per_week_for(ELEMENT2_THRESHOLD, Pence(1140), 39).unwrap();
        assert_eq!(h, Fraction::new(600_000, 44_460).unwrap());
        assert_eq!(h.to_decimal(1), "13.5");
        assert_eq!(h.to_decimal(2), "13.50");
        // At £15.00 an hour: 600000 / 58500 = 10.2564… -> "10.26".
        assert_eq!(hours_per_week_for(ELEMENT2_THRESHOLD, Pence(1500), 39).unwrap().to_decimal(2), "10.26");
        assert_eq!(hours_per_week_for(ELEMENT2_THRESHOLD, Pence(0), 39), None);
    }
}
