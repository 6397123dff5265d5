//! The demo setting's published SEN information report (R23): every section the SEND
//! Regulations ask for, in the words a school might use, reviewed at the start of the
//! autumn term. Invented wording for an invented school.

use chrono::{Datelike, NaiveDate};
use senplan_core::ids::SchoolId;
use senplan_core::info_report::{InfoReport, ReportSection, Section};
use senplan_store::{Store, StoreError};

use crate::{ago, at, names};

fn text(section: Section, learner: &str) -> String {
    match section {
        Section::KindsOfSen => "We welcome children and young people with needs in all four broad areas: communication and interaction (including autism and speech, language and communication needs), cognition and learning (including dyslexia and moderate learning difficulties), social, emotional and mental health, and sensory and physical needs.".to_owned(),
        Section::Identification => format!("Staff check every {learner}'s progress each term. When progress is less than expected, we talk with the family and the SENCO, and we assess the need together, with specialists when the family agrees."),
        Section::Consultation => "Parents and carers are invited to at least three meetings a year about their child's support, separate from parents' evenings. Children and young people give their views for every plan and review, in the way that suits them.".to_owned(),
        Section::ReviewingProgress => "Support follows the graduated approach: assess, plan, do, review. Each plan has outcomes with a measure and a target date, and is reviewed with the family at least every term.".to_owned(),
        Section::Transitions => "We share the plan and pupil passport with the next teacher or school, with the family's agreement, and arrange extra visits before a move. From Year 9 reviews include preparing for adulthood.".to_owned(),
        Section::Teaching => "High-quality teaching adapted to each learner comes first. Targeted support includes small-group language sessions, structured reading programmes and emotional literacy support.".to_owned(),
        Section::Adaptations => "We adapt resources, seating, timetables and the environment: visual timetables, quiet spaces, coloured overlays and access arrangements for tests and exams.".to_owned(),
        Section::Expertise => "Our SENCO holds the National Professional Qualification for SENCOs. Teaching assistants are trained in the interventions they deliver, and we draw on the local authority's specialist teachers.".to_owned(),
        Section::Evaluation => "We compare each intervention's entry and exit measures, review what the costed provision map buys, and report to governors every term.".to_owned(),
        Section::Inclusion => "Every club, trip and activity is open to every learner; we plan the adjustments needed with the family beforehand.".to_owned(),
        Section::Wellbeing => "Each class has a named adult for worries. Our anti-bullying approach is reviewed with pupils every year, and pastoral staff run small groups for emotional wellbeing.".to_owned(),
        Section::OtherBodies => "We work with speech and language therapy, the educational psychology service, CAMHS, school nursing, early help and social care, always with the family's consent.".to_owned(),
        Section::Complaints => "Please talk first to the class teacher or SENCO. If you are not satisfied, our complaints policy explains the next steps; the local SEND information, advice and support service can help you at any stage.".to_owned(),
        Section::SencoContact => format!("{}, SENCO. Telephone the office, or e-mail senco@school.example.", names::SENCO),
        Section::LocalOffer => "The local authority publishes its Local Offer of services for children and young people with SEND at the address below.".to_owned(),
    }
}

/// Publishes the setting's report, reviewed on the last 1 September.
pub(crate) async fn publish(store: &Store, school: SchoolId, learner: &str, today: NaiveDate) -> Result<(), StoreError> {
    let year = if today.month() >= 9 { today.year() } else { today.year() - 1 };
    let reviewed_on = NaiveDate::from_ymd_opt(year, 9, 1).unwrap_or(today);
    let report = InfoReport {
        sections: Section::ALL.into_iter().map(|section| ReportSection { section, text: text(section, learner) }).collect(),
        local_offer_url: "https://localoffer.example.gov.uk/send".into(),
        reviewed_on,
    };
    store.save_info_report(school, 0, report, Some(reviewed_on.min(ago(today, 1))), &at(ago(today, 30), names::SENCO)).await?;
    Ok(())
}
