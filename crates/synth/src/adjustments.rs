//! Synthetic reasonable adjustments and healthcare plans for the demo school (R35):
//! pupils on SEN support with an exam access arrangement and equipment, one review due
//! soon (the dashboard lists it); the first two with a medical condition and its
//! individual healthcare plan.

use chrono::NaiveDate;
use senplan_app::AppError;
use senplan_core::adjustments::{Adjustment, AdjustmentKind, Adjustments, MedicalCondition};
use senplan_core::ids::{PupilId, SchoolId};
use senplan_store::Store;

use crate::{after, ago, at, names, system_scope};

const CONDITIONS: [(&str, &str, &str, &[&str]); 2] = [
    ("Asthma", "School nurse with the family",
        "Sit them upright and stay calm. Two puffs of the blue reliever inhaler, one puff every 30 to 60 seconds up to ten puffs. If no better, or you are worried, call 999, then the family.",
        &["Salbutamol (blue) inhaler and spacer: class medical bag; a spare in the office"]),
    ("Type 1 diabetes", "Paediatric diabetes nurse with the family",
        "If shaky, pale, sweaty or confused (a hypo): give glucose tablets or juice straight away, then a snack after 15 minutes. Never leave them alone or send them anywhere alone. If unconscious: recovery position and call 999.",
        &["Glucose tablets and juice: class hypo box", "Insulin pen: office fridge, given by trained staff"]),
];

/// Gives the `turn`th pupil chosen for adjustments an exam access arrangement and
/// equipment; the first two a healthcare plan too.
pub(crate) async fn for_pupil(store: &Store, school: SchoolId, pupil: PupilId, turn: usize, today: NaiveDate) -> Result<(), AppError> {
    let started = ago(today, 80);
    let mut a = Adjustments {
        adjustments: vec![
            Adjustment { kind: AdjustmentKind::ExamAccess, what: "25% extra time and a separate, quiet room for tests".into(), starts_on: started, review_on: after(today, if turn == 0 { 14 } else { 120 }) },
            Adjustment { kind: AdjustmentKind::Equipment, what: "Coloured overlay and a writing slope in every lesson".into(), starts_on: started, review_on: after(today, 200) },
        ],
        conditions: Vec::new(),
    };
    if let Some((condition, written_by, emergency, medicines)) = CONDITIONS.get(turn) {
        a.conditions.push(MedicalCondition {
            condition: (*condition).into(),
            written_by: (*written_by).into(),
            review_on: after(today, 150),
            emergency: (*emergency).into(),
            medicines: medicines.iter().map(|m| (*m).to_owned()).collect(),
        });
    }
    store.save_adjustments(&system_scope(school), pupil, 0, a.validate()?, &at(started, names::SENCO)).await?;
    Ok(())
}
