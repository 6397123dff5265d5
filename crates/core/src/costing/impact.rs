//! Impact (R29): entry and exit measures for each pupil in each provision, with the
//! review's five-point progress rating, reported by provision type: how many pupils,
//! the share making expected progress or better (rating 0 or above), and the
//! average change on each measure. Measures are whole numbers in a unit the school
//! names; choose a fine enough unit (reading age in months, not years).

use serde::{Deserialize, Serialize};

use super::exact::Fraction;
use super::library::ProvisionType;
use crate::error::{Invalid, clean_text};
use crate::review::Progress;

/// Largest size of a measure accepted, to catch typing slips.
const MAX_MEASURE: i64 = 1_000_000;

/// One pupil's time in one kind of provision, measured on the way in and out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImpactRecord {
    pub pupil: i64,
    /// Key of the provision type.
    pub provision_type: String,
    /// What the numbers count, e.g. "words read correctly".
    pub unit: String,
    pub entry: i64,
    /// Set when the provision ends (or at review).
    #[serde(default)]
    pub exit: Option<i64>,
    /// The review's rating, -2 (much less than expected) to +2 (much more).
    #[serde(default)]
    pub progress: Option<Progress>,
}

impl ImpactRecord {
    /// A known provision type, a named unit, measures of a sensible size.
    pub fn validate(mut self, library: &[ProvisionType]) -> Result<ImpactRecord, Invalid> {
        let mut e = Invalid::default();
        if ProvisionType::find(library, &self.provision_type).is_none() {
            let known: Vec<_> = library.iter().map(|t| t.key.as_str()).collect();
            e.push(
                "provision_type",
                "unknown_provision_type",
                format!("'{}' is not a provision type; expected one of {}", self.provision_type, known.join(", ")),
            );
        }
        self.unit = clean_text("unit", &self.unit, 100, &mut e);
        e.require_text("unit", &self.unit, "what the measure counts");
        for (field, v) in [("entry", Some(self.entry)), ("exit", self.exit)] {
            if v.is_some_and(|v| v.abs() > MAX_MEASURE) {
                e.push(field, "out_of_range", format!("A measure must be between -{MAX_MEASURE} and {MAX_MEASURE}"));
            }
        }
        e.into_result()?;
        Ok(self)
    }

    /// Exit less entry, once there is an exit measure.
    pub fn change(&self) -> Option<i64> {
        self.exit.map(|x| x - self.entry)
    }
}

/// The average change on one unit of measure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitChange {
    pub unit: String,
    /// Records with both an entry and an exit measure.
    pub measured: i64,
    /// Mean of exit − entry, exactly.
    pub average_change: Fraction,
    /// The same to 1 dp, e.g. "7.3".
    pub average_change_1dp: String,
}

/// How one kind of provision worked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImpactRow {
    pub provision_type: String,
    pub label: String,
    /// Different pupils with a record.
    pub pupils: i64,
    /// Records with a progress rating.
    pub ratings: i64,
    /// Of those, rated 0 (expected progress) or above.
    pub at_or_above_expected: i64,
    /// That share in basis points; `None` when nothing is rated yet.
    pub at_or_above_expected_bp: Option<i64>,
    /// Average change per unit of measure (different units are never averaged together).
    pub changes: Vec<UnitChange>,
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Impact by provision type, in library order (unknown keys last, by key).
pub fn impact_by_provision_type(records: &[ImpactRecord], library: &[ProvisionType]) -> Vec<ImpactRow> {
    let position = |key: &str| library.iter().position(|t| t.key == key).unwrap_or(usize::MAX);
    let mut keys: Vec<(usize, &str)> = records.iter().map(|r| (position(&r.provision_type), r.provision_type.as_str())).collect();
    keys.sort_unstable();
    keys.dedup();
    keys.into_iter()
        .map(|(_, key)| {
            let of_type: Vec<&ImpactRecord> = records.iter().filter(|r| r.provision_type == key).collect();
            let mut pupils: Vec<i64> = of_type.iter().map(|r| r.pupil).collect();
            pupils.sort_unstable();
            pupils.dedup();
            let rated: Vec<Progress> = of_type.iter().filter_map(|r| r.progress).collect();
            let good = rated.iter().filter(|p| p.value() >= 0).count();
            let mut units: Vec<&str> = Vec::new();
            for r in &of_type {
                if !units.contains(&r.unit.as_str()) {
                    units.push(&r.unit);
                }
            }
            let changes = units
                .into_iter()
                .filter_map(|unit| {
                    let diffs: Vec<i64> = of_type.iter().filter(|r| r.unit == unit).filter_map(|r| r.change()).collect();
                    let total: i128 = diffs.iter().map(|d| i128::from(*d)).sum();
                    let average = Fraction::new(total, i128::from(count(diffs.len())))?;
                    Some(UnitChange {
                        unit: unit.to_owned(),
                        measured: count(diffs.len()),
                        average_change: average,
                        average_change_1dp: average.to_decimal(1),
                    })
                })
                .collect();
            ImpactRow {
                provision_type: key.to_owned(),
                label: ProvisionType::label_of(library, key),
                pupils: count(pupils.len()),
                ratings: count(rated.len()),
                at_or_above_expected: count(good),
                at_or_above_expected_bp: Fraction::basis_points(i128::from(count(good)), i128::from(count(rated.len()))),
                changes,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::costing::library::seed_provision_types;

    fn rec(pupil: i64, kind: &str, unit: &str, entry: i64, exit: Option<i64>, progress: Option<i8>) -> ImpactRecord {
        ImpactRecord { pupil, provision_type: kind.into(), unit: unit.into(), entry, exit, progress: progress.and_then(Progress::new) }
    }

    #[test]
    fn r29_impact_by_provision_type() {
        let records = vec![
            rec(1, "small_group_work", "words read", 12, Some(30), Some(1)),
            rec(2, "small_group_work", "words read", 20, Some(25), Some(0)),
            rec(3, "small_group_work", "words read", 15, Some(14), Some(-1)),
            rec(3, "small_group_work", "standardised score", 82, Some(85), None),
            rec(4, "special_learning_programme", "reading age (months)", 84, Some(90), Some(2)),
            rec(5, "special_learning_programme", "reading age (months)", 80, None, None),
            rec(6, "help_to_join_in", "minutes on task", 10, Some(8), Some(-2)),
        ];
        let rows = impact_by_provision_type(&records, &seed_provision_types());
        let order: Vec<_> = rows.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(order, vec!["Special learning programme", "Small-group work", "Help to join in"]);
        // Special learning programme: 2 pupils, 1 rated (+2): 100%; one measured: +6.
        let slp = &rows[0];
        assert_eq!((slp.pupils, slp.ratings, slp.at_or_above_expected_bp), (2, 1, Some(10_000)));
        assert_eq!((slp.changes[0].measured, slp.changes[0].average_change_1dp.as_str()), (1, "6.0"));
        // Small-group work: pupils 1, 2, 3; ratings +1, 0, -1: 2 of 3 = 66.67% -> 6667 bp.
        // Words read: (18 + 5 - 1) / 3 = 22/3 = 7.33 -> "7.3". Standardised score: +3.
        let sgw = &rows[1];
        assert_eq!((sgw.pupils, sgw.ratings, sgw.at_or_above_expected), (3, 3, 2));
        assert_eq!(sgw.at_or_above_expected_bp, Some(6667));
        assert_eq!(sgw.changes[0].unit, "words read");
        assert_eq!(sgw.changes[0].average_change, Fraction::new(22, 3).unwrap());
        assert_eq!(sgw.changes[0].average_change_1dp, "7.3");
        assert_eq!((sgw.changes[1].unit.as_str(), sgw.changes[1].average_change_1dp.as_str()), ("standardised score", "3.0"));
        // Help to join in: one pupil, rated -2: 0%; change 8 - 10 = -2.
        let join = &rows[2];
        assert_eq!((join.at_or_above_expected_bp, join.changes[0].average_change_1dp.as_str()), (Some(0), "-2.0"));
        // Nothing rated, nothing measured.
        let none = impact_by_provision_type(&[rec(7, "peer_support", "x", 1, None, None)], &seed_provision_types());
        assert_eq!((none[0].at_or_above_expected_bp, none[0].changes.len()), (None, 0));
    }

    #[test]
    fn r29_impact_record_is_checked() {
        let lib = seed_provision_types();
        let err = rec(1, "nurture", " ", 1, Some(2_000_000), None).validate(&lib).unwrap_err();
        let got: Vec<_> = err.errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(got, vec![("provision_type", "unknown_provision_type"), ("unit", "required"), ("exit", "out_of_range")]);
        assert_eq!(rec(1, "peer_support", " friends ", 1, Some(4), Some(1)).validate(&lib).unwrap().unit, "friends");
        // The limits themselves are measures; one beyond is not.
        assert!(rec(1, "peer_support", "x", -1_000_000, Some(1_000_000), None).validate(&lib).is_ok());
        let err = rec(1, "peer_support", "x", -1_000_001, None, None).validate(&lib).unwrap_err();
        assert_eq!((err.errors[0].field.as_str(), err.errors[0].code.as_str()), ("entry", "out_of_range"));
        let json = r#"{"pupil":1,"provision_type":"peer_support","unit":"friends","entry":1,"progress":3}"#;
        assert!(serde_json::from_str::<ImpactRecord>(json).is_err(), "progress is -2..=2");
    }
}
