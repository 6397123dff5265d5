//! Assess (R06): the contributions recorded in a cycle, and the form to add one from
//! the parent or carer, the child or young person, staff or a specialist. Before a
//! specialist's contribution, the agreement of the parent (or of a young person aged
//! 16+) is recorded as its own step; core refuses a specialist without it.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use senplan_app::AppError;
use senplan_app::cycles::{self, CycleView};
use senplan_core::Invalid;
use senplan_core::assessment::{ContributionInput, Source};
use senplan_core::ids::CycleId;
use senplan_core::pupil::{ConsentGiver, consent_giver};
use senplan_core::record::{Cycle, Pupil};

use super::fields::{Choice, Choices, DateInput, ErrorLink, Errors, Text};
use super::form::{DateParts, Posted, in_page_order};
use super::pupil::{Done, display_name};
use super::text::{long_date, when};
use super::{PageResult, render_with};
use crate::AppState;
use crate::pages::nav::Nav;
use crate::routes::Routes;
use crate::session::Viewer;
use senplan_core::access::Permission;

pub(crate) fn routes() -> Routes {
    Routes::new().get("/schools/{school}/cycles/{cycle}/assess", show).post("/schools/{school}/cycles/{cycle}/assess", save)
}

const SOURCES: [Source; 5] =
    [Source::ParentCarer, Source::ChildOrYoungPerson, Source::Staff, Source::SpecialistAgreement, Source::Specialist];

struct Line {
    source: &'static str,
    contributor: String,
    date: String,
    content: String,
    extra: String,
    recorded: String,
}

#[derive(Template)]
#[template(path = "assess.html")]
struct AssessPage {
    nav: Nav,
    school: i64,
    pupil: i64,
    cycle_number: u32,
    name: String,
    banner: bool,
    who_agrees: &'static str,
    agreement_recorded: bool,
    can_add: bool,
    lines: Vec<Line>,
    errors: Vec<ErrorLink>,
    source: Choices,
    contributor: Text,
    date: DateInput,
    content: Text,
    specialist_service: Text,
    agreed_by: Choices,
}

#[derive(Default)]
struct Typed {
    source: String,
    contributor: String,
    date: DateParts,
    content: String,
    specialist_service: String,
    agreed_by: String,
}

struct Loaded {
    cycle: Cycle,
    pupil: Pupil,
    lines: Vec<Line>,
    agreement_recorded: bool,
}

/// The cycle's assessment: opened to read it (audited), or to add to it (a form shown again).
async fn load(s: &AppState, viewer: &Viewer, school: i64, cycle: i64, view: bool) -> Result<Loaded, AppError> {
    let v = if view {
        cycles::open_cycle(&s.store, &viewer.actor, school, CycleId(cycle), "assessment").await?
    } else {
        cycles::cycle_to_change(&s.store, &viewer.actor, school, CycleId(cycle), Permission::Contribute).await?
    };
    let CycleView { cycle: c, pupil: p, contributions: records, .. } = v;
    let agreement_recorded = records.iter().any(|r| r.contribution.source == Source::SpecialistAgreement);
    let lines = records
        .iter()
        .map(|r| {
            let x = &r.contribution;
            let extra = match (x.source, &x.specialist_service, x.agreed_by) {
                (Source::Specialist, Some(svc), _) => format!("Service: {svc}"),
                (Source::SpecialistAgreement, _, Some(ConsentGiver::Parent)) => "Agreed by the parent or carer".into(),
                (Source::SpecialistAgreement, _, Some(ConsentGiver::YoungPerson)) => "Agreed by the young person".into(),
                _ => String::new(),
            };
            Line {
                source: x.source.label(),
                contributor: x.contributor.clone(),
                date: long_date(x.date),
                content: x.content.clone(),
                extra,
                recorded: format!("{} on {}", r.recorded_by, when(&r.recorded_at)),
            }
        })
        .collect();
    Ok(Loaded { cycle: c, pupil: p, lines, agreement_recorded })
}

fn page(viewer: &Viewer, l: Loaded, typed: &Typed, errors: &Errors, banner: bool) -> AssessPage {
    let school = viewer.user.school_id.0;
    let today = viewer.actor.today();
    let giver = consent_giver(l.pupil.details.date_of_birth, today);
    let sources = SOURCES
        .into_iter()
        .map(|x| {
            let c = Choice::new(x.as_str(), x.label(), typed.source == x.as_str());
            match x {
                Source::SpecialistAgreement => c.hint("The discussion with the parent (or the young person aged 16 or over) and their agreement to involve a specialist. Record this before the specialist's contribution."),
                Source::Specialist => c.hint("For example an educational psychologist or a speech and language therapist. Needs the agreement first."),
                _ => c,
            }
        })
        .collect();
    let givers = vec![
        Choice::new("parent", "The parent or carer", typed.agreed_by == "parent"),
        Choice::new("young_person", "The young person (aged 16 or over)", typed.agreed_by == "young_person"),
    ];
    AssessPage {
        nav: Nav::for_viewer(viewer),
        school,
        pupil: l.pupil.id.0,
        cycle_number: l.cycle.number,
        name: display_name(&l.pupil),
        banner,
        who_agrees: match giver {
            ConsentGiver::Parent => "the parent or carer",
            ConsentGiver::YoungPerson => "the young person, who is 16 or over",
        },
        agreement_recorded: l.agreement_recorded,
        can_add: senplan_app::access::menu(&viewer.actor).contribute
            && l.cycle.stage.allowed().contains(&senplan_core::cycle::Action::AddContribution),
        lines: l.lines,
        errors: errors.summary(),
        source: Choices::new("source", "Who is this contribution from?", sources, errors),
        contributor: Text::new("contributor", "Name and role", &typed.contributor, errors)
            .hint(format!("For example, Ms Patel, {}", viewer.words.teacher))
            .bold(),
        date: DateInput::new("date", "Date given", typed.date.clone(), errors),
        content: Text::new("content", "What was said or found", &typed.content, errors).area(6).bold(),
        specialist_service: Text::new(
            "specialist_service",
            "Specialist's service (for a specialist only)",
            &typed.specialist_service,
            errors,
        )
        .hint("For example, educational psychology")
        .bold(),
        agreed_by: Choices::new("agreed_by", "Who agreed? (for an agreement only)", givers, errors),
    }
}

async fn show(State(s): State<AppState>, viewer: Viewer, Path((school, cycle)): Path<(i64, i64)>, Query(done): Query<Done>) -> PageResult {
    let l = load(&s, &viewer, school, cycle, true).await?;
    let typed = Typed { date: DateParts::from_date(viewer.actor.today()), ..Typed::default() };
    Ok(render_with(StatusCode::OK, &page(&viewer, l, &typed, &Errors::default(), done.is("contribution"))))
}

async fn save(State(s): State<AppState>, viewer: Viewer, Path((school, cycle)): Path<(i64, i64)>, form: Posted) -> PageResult {
    let g = |n: &str| form.get(n).to_owned();
    let typed = Typed {
        source: g("source"),
        contributor: g("contributor"),
        date: form.date("date"),
        content: g("content"),
        specialist_service: g("specialist_service"),
        agreed_by: g("agreed_by"),
    };
    let mut read = Invalid::default();
    let source = Source::parse(&typed.source).filter(|x| SOURCES.contains(x));
    if source.is_none() {
        read.push("source", "required", "Choose who the contribution is from");
    }
    let date = typed.date.parse("date", "the date it was given", &mut read);
    let agreed_by = match typed.agreed_by.as_str() {
        "parent" => Some(ConsentGiver::Parent),
        "young_person" => Some(ConsentGiver::YoungPerson),
        _ => None,
    };
    let result = match (source, date) {
        (Some(source), Some(date)) if read.is_empty() => {
            let input = ContributionInput {
                source,
                contributor: typed.contributor.clone(),
                date,
                content: typed.content.clone(),
                specialist_service: Some(typed.specialist_service.clone()).filter(|x| !x.trim().is_empty() && source == Source::Specialist),
                agreed_by: agreed_by.filter(|_| source == Source::SpecialistAgreement),
            };
            cycles::contribute(&s.store, &viewer.actor, school, CycleId(cycle), &input).await.map(|_| ())
        }
        _ => {
            for (f, v, what) in
                [("contributor", &typed.contributor, "who gave this contribution"), ("content", &typed.content, "what was said or found")]
            {
                read.require_text(f, v, what);
            }
            Err(AppError::Invalid(read))
        }
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/schools/{school}/cycles/{cycle}/assess?done=contribution")).into_response()),
        Err(AppError::Invalid(inv)) => {
            let inv = in_page_order(inv, &["source", "contributor", "date", "content", "specialist_service", "agreed_by"]);
            Ok(render_with(
                StatusCode::BAD_REQUEST,
                &page(&viewer, load(&s, &viewer, school, cycle, false).await?, &typed, &Errors::new(inv), false),
            ))
        }
        Err(e) => Err(e.into()),
    }
}
