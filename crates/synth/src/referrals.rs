//! Synthetic referrals for the demo school (R18): pupils on SEN support referred to
//! services of the demo's Local Offer directory at every stage — a draft waiting for
//! the family's agreement, one agreed and not yet sent, one sent long ago and still
//! waiting (the dashboard lists it), accepted, declined with the service's reason,
//! seen with advice and recommendations, and closed — plus an early help referral.
//! Each is built through `senplan_core::referral`'s own rules with past dates.

use chrono::NaiveDate;
use senplan_app::AppError;
use senplan_core::ids::{PupilId, SchoolId};
use senplan_core::pupil::consent_giver;
use senplan_core::referral::{Consent, Referral, ReferralKind, Stage};
use senplan_store::Store;
use senplan_store::local_offer::ServiceRecord;

use crate::{ago, at, names, system_scope};

/// The stages the demo shows, in turn.
const STAGES: usize = 8;

/// (service name, why) for each turn.
const REASONS: [(&str, &str); STAGES] = [
    ("Children's Speech and Language Therapy", "Peers and adults often do not understand what they say; a language screen in class placed them well below age."),
    ("Educational Psychology Service", "Reading has not moved in three cycles of precision teaching; the school wants to understand how they learn best."),
    ("Children's Occupational Therapy", "Handwriting is slow and painful; they avoid written work and tire quickly."),
    ("CAMHS (Child and Adolescent Mental Health Service)", "Anxiety before school most mornings and panic in busy corridors, worse since the summer."),
    ("Autism Outreach Team", "Transitions between lessons cause distress; the class team would like advice on structure and the classroom."),
    ("Specialist Teacher Service for Literacy", "Spelling and decoding well below the class despite two terms of small-group support."),
    ("Educational Psychology Service", "Working memory seems to limit learning across subjects; the school asked for a consultation."),
    ("Sensory Support Service (hearing and vision)", "A mild hearing loss found at the audiology clinic; advice on seating and a radio aid."),
];

/// Gives pupil `pupil` (born `born`) the `turn`th demo referral (turns go round the
/// stages), and every fifth turn an early help referral too.
pub(crate) async fn for_pupil(store: &Store, school: SchoolId, services: &[ServiceRecord], pupil: PupilId, born: NaiveDate, turn: usize, today: NaiveDate) -> Result<(), AppError> {
    let (name, reason) = REASONS[turn % STAGES];
    let Some(service) = services.iter().find(|s| s.service.name == name) else { return Ok(()) };
    let r = at_stage(ReferralKind::Specialist, service, reason, born, turn % STAGES, today)?;
    store.add_referral(&system_scope(school), pupil, r, &at(today, names::SENCO)).await?;
    if turn % 5 == 2
        && let Some(help) = services.iter().find(|s| s.service.name == "Families First Early Help")
    {
        let r = at_stage(ReferralKind::EarlyHelp, help, "The family asked for help with routines and sleep at home.", born, 4, today)?;
        store.add_referral(&system_scope(school), pupil, r, &at(today, names::SENCO)).await?;
    }
    Ok(())
}

/// A referral built to `stage` (0 a draft … 7 closed) with dates before `today`.
fn at_stage(kind: ReferralKind, service: &ServiceRecord, reason: &str, born: NaiveDate, stage: usize, today: NaiveDate) -> Result<Referral, AppError> {
    // The oldest referrals opened about twenty weeks ago; drafts this week.
    let opened = ago(today, [3, 10, 120, 60, 70, 90, 140, 150][stage]);
    let mut r = Referral::draft(kind, service.id, &service.service.name, reason, opened)?;
    if stage == 0 {
        return Ok(r);
    }
    let agreed = ago(today, [0, 7, 115, 55, 65, 85, 135, 145][stage]);
    let consent = Consent {
        given_by: consent_giver(born, agreed),
        name: "Alex Example (synthetic)".into(),
        on: agreed,
        discussion: "Why the school would refer, what the service does, and what the school would share with it.".into(),
    };
    r = r.record_consent(consent, born, today)?;
    if stage == 1 {
        return Ok(r);
    }
    let sent = ago(today, [0, 0, 112, 52, 63, 82, 130, 140][stage]);
    r = r.move_to(Stage::Sent, sent, names::SENCO, "", today)?;
    match stage {
        2 => return Ok(r),
        3 => return Ok(r.move_to(Stage::Accepted, ago(today, 40), names::SENCO, "First appointment offered for next month", today)?),
        4 => return Ok(r.move_to(Stage::Declined, ago(today, 50), names::SENCO, "The service asked the school to try its online training and strategies first.", today)?),
        _ => {}
    }
    r = r.move_to(Stage::Accepted, ago(today, stage as u64 * 10 + 30), names::SENCO, "", today)?;
    r = r.move_to(Stage::Seen, ago(today, stage as u64 * 10), names::SENCO, "", today)?;
    let advice_on = ago(today, stage as u64 * 10 - 5);
    r = r.record_advice(
        "Assessment found needs consistent with the school's concerns. The report sets out strengths and what helps in class.",
        advice_on,
        &[
            "Give instructions one step at a time and check understanding".to_owned(),
            "Pre-teach key vocabulary before each new topic".to_owned(),
            "Twice-weekly small-group session of 20 minutes with a teaching assistant".to_owned(),
        ],
        today,
    )?;
    if stage == 7 {
        r = r.move_to(Stage::Closed, advice_on, names::SENCO, "Advice received and shared with the family", today)?;
    }
    Ok(r)
}
