//! A synthetic Local Offer directory for the demo school (R18): the services a SENCO
//! refers to in a fictional authority, "Northshire", half typed in by the school and
//! half as if imported from the authority's Open Referral UK feed. Every name, number
//! and address is invented (01632 960 numbers are reserved for drama; .example domains
//! do not exist).

use chrono::NaiveDate;
use senplan_app::AppError;
use senplan_core::ids::SchoolId;
use senplan_core::local_offer::{Service, Source};
use senplan_core::need::BroadArea::{self, *};
use senplan_store::Store;

use crate::{ago, at, names};

/// (name, organisation, ages, areas, how to refer, waiting time, cost, from the feed)
type Row = (&'static str, &'static str, (Option<u8>, Option<u8>), &'static [BroadArea], &'static str, &'static str, &'static str, bool);

const SERVICES: &[Row] = &[
    ("Educational Psychology Service", "Northshire County Council", (None, None), &[CognitionAndLearning, SocialEmotionalMentalHealth],
        "The SENCO requests a consultation through the service's planning meeting each term, with the parent's written consent.", "Consultation within 6 weeks of the planning meeting", "Free to families; schools buy time beyond the statutory offer", true),
    ("Children's Speech and Language Therapy", "Northshire Community Health NHS Trust", (None, Some(18)), &[CommunicationAndInteraction],
        "Referral form from the SENCO or the GP, with the parent's consent and a language sample.", "About 18 weeks from referral to first appointment", "Free (NHS)", true),
    ("Children's Occupational Therapy", "Northshire Community Health NHS Trust", (None, Some(19)), &[SensoryPhysical],
        "Referral by a health professional or the SENCO, with a completed sensory and motor questionnaire.", "About 26 weeks", "Free (NHS)", true),
    ("CAMHS (Child and Adolescent Mental Health Service)", "Northshire Community Health NHS Trust", (Some(4), Some(18)), &[SocialEmotionalMentalHealth],
        "Referral through the single point of access by the GP, school or family; urgent concerns by phone the same day.", "About 14 weeks for a first appointment; urgent cases within 72 hours", "Free (NHS)", true),
    ("Autism Outreach Team", "Northshire County Council", (Some(2), Some(19)), &[CommunicationAndInteraction],
        "The SENCO requests support with the parent's consent; a diagnosis is not needed.", "Visit within 8 weeks", "Free to schools and families", true),
    ("Families First Early Help", "Northshire County Council", (None, Some(19)), &[],
        "An early help assessment completed with the family's consent and sent to the Families First hub.", "Contact within 10 working days", "Free", true),
    ("Specialist Teacher Service for Literacy", "Northshire County Council", (Some(5), Some(16)), &[CognitionAndLearning],
        "The SENCO sends the request form with two terms of assess, plan, do, review records.", "About 6 weeks", "Traded service: £320 a half-day visit", false),
    ("Sensory Support Service (hearing and vision)", "Northshire County Council", (None, Some(25)), &[SensoryPhysical],
        "Referral by the audiologist, ophthalmologist or SENCO with the clinical report.", "Visit within 4 weeks", "Free", false),
    ("Northshire SENDIASS", "Northshire Information, Advice and Support", (None, None), &[],
        "Families contact the service themselves; schools can give families the number.", "Call back within 3 working days", "Free, confidential and impartial", false),
    ("Social, Emotional and Mental Health Outreach", "Northshire Pupil Referral Service", (Some(5), Some(16)), &[SocialEmotionalMentalHealth],
        "Request through the area inclusion panel with the pupil's plan and the parent's consent.", "Panel meets every 3 weeks", "Free for the first 6 weeks", false),
];

/// Adds the directory (ten services) to the demo school.
pub(crate) async fn directory(store: &Store, school: SchoolId, today: NaiveDate) -> Result<(), AppError> {
    let ctx = at(ago(today, 300), names::SENCO);
    let mut imported = Vec::new();
    for (n, (name, organisation, (min_age, max_age), areas, refer, waiting, cost, from_feed)) in SERVICES.iter().enumerate() {
        let slug: String = name.to_lowercase().chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
        let service = Service {
            name: (*name).into(),
            organisation: (*organisation).into(),
            description: format!("{name} for children and young people in Northshire (a fictional authority: synthetic demo data)."),
            min_age: *min_age,
            max_age: *max_age,
            areas: areas.to_vec(),
            how_to_refer: (*refer).into(),
            contact_name: "Referrals team".into(),
            phone: format!("01632 960 {:03}", 100 + n),
            email: format!("referrals@{}.northshire.example", slug.trim_matches('-').split('-').next().unwrap_or("service")),
            website: format!("https://localoffer.northshire.example/services/{}", slug.trim_matches('-')),
            cost: (*cost).into(),
            waiting_time: (*waiting).into(),
            source: if *from_feed {
                Source::Feed { feed: "https://localoffer.northshire.example/api/services".into(), id: format!("northshire-{:04}", n + 1) }
            } else {
                Source::Manual
            },
        }
        .validate()?;
        if *from_feed {
            imported.push(service);
        } else {
            store.add_service(school, service, &ctx).await?;
        }
    }
    store.import_services(school, imported, &ctx).await?;
    Ok(())
}
