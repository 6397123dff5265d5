//! What the demo needs to show every document of issue 12: pupil passports in the
//! child's words (R30), families' requests for a copy of the records (R20) and
//! requests for an EHC needs assessment with the signs of seed 000 (R19). Decided per
//! pupil from a generator seeded by the pupil's id, so the rest of the synthetic school
//! is the same with or without them.

use chrono::NaiveDate;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use senplan_app::AppError;
use senplan_app::passports::{PassportInput, Via};
use senplan_core::ehc::{EhcRequest, Indicator, IndicatorFact, ParentsToldOfRequest, Requester};
use senplan_core::ids::{PupilId, SchoolId};
use senplan_core::informing::Method;
use senplan_core::passport::WrittenWith;
use senplan_store::Store;
use senplan_store::portal::RequestKind;

use crate::{ago, as_senco, at, names, system_scope};

const LIKE: &[&str] = &["I am kind to my friends", "I make people laugh", "I am good at building things", "I never give up"];
const MATTERS: &[&str] = &["My dog, Biscuit", "Playing football at break", "Drawing comics", "My nan"];
const HELP: &[&str] = &["Tell me one thing at a time", "Let me use my word mat", "Give me a warning before things change", "Let me move about"];
const HARD: &[&str] = &["Copying from the board", "Loud rooms", "Starting my writing", "Remembering my times tables"];

fn pick(rng: &mut StdRng, from: &[&str]) -> Vec<String> {
    let first = rng.random_range(0..from.len());
    vec![from[first].to_owned(), from[(first + 1) % from.len()].to_owned()]
}

/// For a pupil on SEN support: perhaps a passport, a family's request for the records,
/// and (for a few) a request for an EHC needs assessment.
pub(crate) async fn for_pupil(store: &Store, school: SchoolId, pupil: PupilId, today: NaiveDate) -> Result<(), AppError> {
    let mut rng = StdRng::seed_from_u64(0x5e9_d0c5 ^ u64::try_from(pupil.0).unwrap_or(0));
    let roll: u32 = rng.random_range(0..100);
    if roll < 40 {
        let input = PassportInput {
            like_about_me: pick(&mut rng, LIKE),
            matters_to_me: pick(&mut rng, MATTERS),
            how_to_help_me: pick(&mut rng, HELP),
            find_hard: pick(&mut rng, HARD),
            written_with: Some(WrittenWith::Staff),
            written_with_names: names::SENCO.to_owned(),
            photo_alt: String::new(),
            new_photo: None,
            remove_photo: false,
        };
        let written = ago(today, rng.random_range(5..60));
        senplan_app::passports::save_passport(store, &as_senco(school, written), Via::Staff { school: school.0 }, pupil, 0, input).await?;
    }
    if roll % 10 == 3 {
        let asked = ago(today, rng.random_range(1..20));
        store.make_request(&system_scope(school), pupil, RequestKind::RecordsCopy, "", &at(asked, "Parent (synthetic)")).await?;
    }
    if roll % 12 == 7 {
        let on = ago(today, rng.random_range(1..30));
        let request = EhcRequest {
            requested_by: Requester::School,
            requested_on: on,
            reasons: "Three cycles of SEN support with specialist advice; progress in reading and language remains well below expected.".into(),
            parents_told: Some(ParentsToldOfRequest { on, method: Method::Meeting, by: names::SENCO.into() }),
            indicators: vec![IndicatorFact {
                indicator: Indicator::LittleProgress,
                evidence: "Outcomes partly met or not met at the last two reviews".into(),
                since: None,
                until: None,
                days: None,
            }],
            from_review: None,
        };
        senplan_app::ehc::record_request(store, &as_senco(school, on), school.0, pupil, request).await?;
    }
    Ok(())
}
