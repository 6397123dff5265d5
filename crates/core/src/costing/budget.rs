//! The notional SEN budget (R17): committed provision cost against the school's
//! budget for the year, in total and by area of need, provision type and year
//! group, with what remains and percentages in basis points. Takes plain lines so
//! any source (plans, a provision map, an import) can be reported the same way.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::exact::Fraction;
use super::library::ProvisionType;
use super::money::Pence;
use super::settings::SenBudget;
use crate::need::BroadArea;
use crate::pupil::YearGroup;

/// One committed cost: a pupil's provision for the budget year (e.g. from
/// [`super::ResolvedProvision::cost_between`] over the year, or its annual cost).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommittedCost {
    /// The pupil's year group as the census spells it: N1, N2, R, 1..14, X.
    pub year_group: String,
    pub area: BroadArea,
    /// Key of the provision type.
    pub provision_type: String,
    pub cost: Pence,
}

/// One row of a breakdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BudgetRow {
    pub key: String,
    pub label: String,
    pub committed: Pence,
    /// Share of the budget, basis points (10000 = 100%); `None` for a zero budget.
    pub of_budget_bp: Option<i64>,
    /// Share of all committed cost, basis points; `None` when nothing is committed.
    pub of_committed_bp: Option<i64>,
}

/// Committed cost against the budget for one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BudgetReport {
    pub year_start: NaiveDate,
    pub year_end: NaiveDate,
    pub budget: Pence,
    /// Sum of the committed lines.
    pub committed: Pence,
    /// Budget less committed; negative when over budget.
    pub remaining: Pence,
    /// Committed as a share of the budget, basis points; `None` for a zero budget.
    pub used_bp: Option<i64>,
    pub over_budget: bool,
    /// All four broad areas, in the Code of Practice's order, zeros included.
    pub by_area: Vec<BudgetRow>,
    /// Types with committed cost, in library order; unknown keys last, by key.
    pub by_provision_type: Vec<BudgetRow>,
    /// Year groups with committed cost, youngest first; unrecognised ones last.
    pub by_year_group: Vec<BudgetRow>,
}

fn bp(part: Pence, whole: Pence) -> Option<i64> {
    Fraction::basis_points(i128::from(part.0), i128::from(whole.0))
}

/// Sums the lines by key: the `keys` given first, in order, then any others as met.
fn rows<K: PartialEq>(
    lines: &[CommittedCost],
    key_of: impl Fn(&CommittedCost) -> K,
    mut keys: Vec<K>,
    label: impl Fn(&K) -> (String, String),
    budget: Pence,
    committed: Pence,
) -> Vec<BudgetRow> {
    for l in lines {
        let k = key_of(l);
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    keys.into_iter()
        .map(|k| {
            let sum: Pence = lines.iter().filter(|l| key_of(l) == k).map(|l| l.cost).sum();
            let (key, label) = label(&k);
            BudgetRow { key, label, committed: sum, of_budget_bp: bp(sum, budget), of_committed_bp: bp(sum, committed) }
        })
        .collect()
}

/// Committed cost against `budget`, in total and broken down three ways. The
/// lines should already be the costs for the budget's year.
pub fn budget_report(budget: &SenBudget, lines: &[CommittedCost], library: &[ProvisionType]) -> BudgetReport {
    let committed: Pence = lines.iter().map(|l| l.cost).sum();
    let amount = budget.amount;
    let by_area = rows(lines, |l| l.area, BroadArea::ALL.to_vec(), |a| (a.as_str().to_owned(), a.label().to_owned()), amount, committed);

    // Library order first, then any other keys alphabetically.
    let position = |key: &str| library.iter().position(|t| t.key == key).unwrap_or(usize::MAX);
    let mut type_keys: Vec<(usize, String)> = lines.iter().map(|l| (position(&l.provision_type), l.provision_type.clone())).collect();
    type_keys.sort();
    type_keys.dedup();
    let by_provision_type = rows(
        lines,
        |l| (position(&l.provision_type), l.provision_type.clone()),
        type_keys,
        |(_, k)| (k.clone(), ProvisionType::label_of(library, k)),
        amount,
        committed,
    );

    // Year groups in school order; text that is not a year group sorts after, as typed.
    let year_key = |l: &CommittedCost| match YearGroup::parse(&l.year_group) {
        Some(y) => (0, Some(y), String::new()),
        None => (1, None, l.year_group.trim().to_owned()),
    };
    let mut year_keys: Vec<_> = lines.iter().map(year_key).collect();
    year_keys.sort();
    year_keys.dedup();
    let by_year_group = rows(
        lines,
        year_key,
        year_keys,
        |(_, y, raw)| y.map_or_else(|| (raw.clone(), raw.clone()), |y| (y.code(), y.label())),
        amount,
        committed,
    );

    BudgetReport {
        year_start: budget.year_start,
        year_end: budget.year_end,
        budget: amount,
        committed,
        remaining: amount - committed,
        used_bp: bp(committed, amount),
        over_budget: committed > amount,
        by_area,
        by_provision_type,
        by_year_group,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::costing::library::seed_provision_types;
    use crate::costing::test_support::d;
    use BroadArea::*;

    fn line(year: &str, area: BroadArea, kind: &str, cost: i64) -> CommittedCost {
        CommittedCost { year_group: year.into(), area, provision_type: kind.into(), cost: Pence(cost) }
    }

    fn lines() -> Vec<CommittedCost> {
        vec![
            line("3", CognitionAndLearning, "small_group_work", 14_625),
            line("3", CommunicationAndInteraction, "help_to_join_in", 58_500),
            line("5", CognitionAndLearning, "special_learning_programme", 599_625),
            line("R", SocialEmotionalMentalHealth, "extra_adult_help", 614_250),
            line(" 5", CognitionAndLearning, "small_group_work", 29_250),
        ]
    }

    fn summary(rows: &[BudgetRow]) -> Vec<(&str, i64, Option<i64>, Option<i64>)> {
        rows.iter().map(|r| (r.key.as_str(), r.committed.0, r.of_budget_bp, r.of_committed_bp)).collect()
    }

    #[test]
    fn r17_budget_by_area_type_and_year_group() {
        // Budget £20,000. Committed 14625 + 58500 + 599625 + 614250 + 29250 = 1316250p
        // = £13,162.50; remaining £6,837.50; used 1316250 / 2000000 = 65.8125% -> 6581 bp.
        let budget = SenBudget { year_start: d(2026, 4, 1), year_end: d(2027, 3, 31), amount: Pence::from_pounds(20_000) };
        let r = budget_report(&budget, &lines(), &seed_provision_types());
        assert_eq!(r.committed.to_string(), "£13,162.50");
        assert_eq!(r.remaining.to_string(), "£6,837.50");
        assert_eq!(r.used_bp, Some(6581));
        assert!(!r.over_budget);
        // By area, of budget: C&I 58500 -> 292.5 -> 293; C&L 643500 -> 3217.5 -> 3218;
        // SEMH 614250 -> 3071.25 -> 3071. Of committed: 444.4 -> 444, 4888.9 -> 4889,
        // 4666.7 -> 4667 (adds up to 10000).
        assert_eq!(
            summary(&r.by_area),
            vec![
                ("communication_and_interaction", 58_500, Some(293), Some(444)),
                ("cognition_and_learning", 643_500, Some(3218), Some(4889)),
                ("social_emotional_mental_health", 614_250, Some(3071), Some(4667)),
                ("sensory_physical", 0, Some(0), Some(0)),
            ]
        );
        // By type, in library order: small-group work is 14625 + 29250 = 43875.
        let types: Vec<_> = r.by_provision_type.iter().map(|r| (r.label.as_str(), r.committed.0)).collect();
        assert_eq!(
            types,
            vec![
                ("Special learning programme", 599_625),
                ("Extra adult help", 614_250),
                ("Small-group work", 43_875),
                ("Help to join in", 58_500),
            ]
        );
        // By year group, youngest first: R 614250; Year 3 14625 + 58500 = 73125;
        // Year 5 599625 + 29250 = 628875 (" 5" and "5" are one year group).
        let years: Vec<_> = r.by_year_group.iter().map(|r| (r.key.as_str(), r.label.as_str(), r.committed.0)).collect();
        assert_eq!(years, vec![("R", "Reception", 614_250), ("3", "Year 3", 73_125), ("5", "Year 5", 628_875)]);
        let total: Pence = r.by_year_group.iter().map(|r| r.committed).sum();
        assert_eq!(total, r.committed, "breakdowns add up to the total");
    }

    #[test]
    fn r17_over_budget_and_unknown_keys() {
        // Budget £10,000: remaining 1000000 - 1316250 = -316250p; used 131.625% -> 13163 bp.
        let budget = SenBudget { year_start: d(2026, 4, 1), year_end: d(2027, 3, 31), amount: Pence::from_pounds(10_000) };
        let mut ls = lines();
        ls.push(line("Y3", SensoryPhysical, "nurture", 0));
        let r = budget_report(&budget, &ls, &seed_provision_types());
        assert_eq!(r.remaining.to_string(), "-£3,162.50");
        assert!(r.over_budget);
        assert_eq!(r.used_bp, Some(13_163));
        assert_eq!(r.by_provision_type.last().map(|r| (r.key.as_str(), r.label.as_str())), Some(("nurture", "nurture")));
        assert_eq!(r.by_year_group.last().map(|r| r.label.as_str()), Some("Y3"));
        let zero = SenBudget { amount: Pence::ZERO, ..budget };
        assert_eq!(budget_report(&zero, &[], &[]).used_bp, None);
    }
}
