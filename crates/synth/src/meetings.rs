//! The demo school's meetings with parents (R14), the record that parents were told
//! (R08) and its SENCO (R22), made through the same use cases as the service, each
//! on the day it happened. Chosen so the dashboard looks like a real school's: most
//! pupils met three times a year, some fewer; most parents told, a few not yet; an
//! action or two overdue; meetings booked for the coming weeks.

use chrono::{NaiveDate, NaiveTime};
use rand::Rng;
use rand::SeedableRng;
use rand::rngs::StdRng;
use senplan_app::AppError;
use senplan_core::duties::{Award, Senco};
use senplan_core::ids::{PupilId, SchoolId};
use senplan_core::informing::{Method, ParentsTold};
use senplan_core::meeting::{AgreedAction, Held, Kind, Person, Purpose, Role, Schedule};
use senplan_store::Store;

use crate::{after, ago, as_senco, at, names};

fn schedule(on: NaiveDate, purpose: Purpose, parent: &str, teacher: &str) -> Schedule {
    Schedule {
        on,
        at: NaiveTime::from_hms_opt(15, 30, 0).unwrap_or_default(),
        minutes: 45,
        kind: Kind::SenSupport,
        purpose,
        online: false,
        place: "The SENCO's office".into(),
        invited: vec![
            Person { name: parent.into(), role: Role::Parent, detail: String::new() },
            Person { name: teacher.into(), role: Role::Staff, detail: "class teacher".into() },
        ],
    }
}

/// Telling the parents and the meetings of a pupil on SEN support since `since`,
/// in 91-day cycles, up to `today`.
pub(crate) async fn for_pupil(
    store: &Store,
    seed: u64,
    school: SchoolId,
    pupil: PupilId,
    since: NaiveDate,
    today: NaiveDate,
) -> Result<(), AppError> {
    // A generator of its own, so the rest of the demo school is the same with or
    // without the meetings.
    let rng = &mut StdRng::seed_from_u64(seed ^ pupil.0.unsigned_abs());
    let parent = "Parent (synthetic)";
    let teacher = names::TEACHERS[rng.random_range(0..names::TEACHERS.len())];
    // Most parents were told within days; about one in ten not yet recorded.
    if rng.random_range(0..10) > 0 {
        let on = after(since, rng.random_range(0..5)).min(today);
        let method = [Method::Meeting, Method::Letter, Method::Phone, Method::Email][rng.random_range(0..4)];
        let told = ParentsTold { on, method, by: names::SENCO.into(), note: String::new() };
        senplan_app::meetings::record_parents_told(store, &as_senco(school, on), school.0, pupil, 0, told).await?;
    }
    // A meeting at each review (most held with the parent) and some planning meetings.
    let mut day = after(since, 88);
    while day <= today {
        if rng.random_range(0..10) < 8 {
            let purpose = if rng.random_range(0..3) == 0 { Purpose::Planning } else { Purpose::Review };
            let mut actions = Vec::new();
            if rng.random_range(0..4) == 0 {
                let due = after(day, rng.random_range(7..40));
                let done_on = (due < today && rng.random_range(0..3) > 0).then(|| due.min(today));
                actions.push(AgreedAction { what: "Share the strategies that work at home".into(), owner: teacher.into(), due, done_on: None });
                let held = Held {
                    held_on: day,
                    attended: schedule(day, purpose, parent, teacher).invited,
                    notes: "Talked through progress towards each outcome and agreed the next steps.".into(),
                    parent_views: "Reading at home is getting easier.".into(),
                    child_views: String::new(),
                    actions,
                };
                let m = senplan_app::meetings::record_held(store, &as_senco(school, day), school.0, pupil, schedule(day, purpose, parent, teacher), held).await?;
                if let Some(done) = done_on {
                    senplan_app::meetings::complete(store, &as_senco(school, done), school.0, m.id, m.version, 0, done).await?;
                }
            } else {
                let held = Held {
                    held_on: day,
                    attended: schedule(day, purpose, parent, teacher).invited,
                    notes: "Reviewed the plan together.".into(),
                    parent_views: String::new(),
                    child_views: String::new(),
                    actions,
                };
                senplan_app::meetings::record_held(store, &as_senco(school, day), school.0, pupil, schedule(day, purpose, parent, teacher), held).await?;
            }
        }
        day = after(day, 91);
    }
    // About a third have a meeting booked in the coming weeks.
    if rng.random_range(0..3) == 0 {
        let on = after(today, rng.random_range(1..21));
        senplan_app::meetings::schedule(store, &as_senco(school, today), school.0, pupil, schedule(on, Purpose::Review, parent, teacher), None)
            .await?;
    }
    Ok(())
}

/// Three termly reading assessments of a pupil not on the register: expected, then
/// below expected twice (levels of the default scale: 0 working towards, 1 expected).
pub(crate) async fn falling_behind(store: &Store, school: SchoolId, pupil: PupilId, today: NaiveDate) -> Result<(), AppError> {
    let rows: Vec<(PupilId, senplan_core::progress::Assessment)> = [(300, 1), (180, 0), (60, 0)]
        .into_iter()
        .map(|(back, level)| {
            let on = ago(today, back);
            (pupil, senplan_core::progress::Assessment { subject: "Reading".into(), on, value: senplan_core::progress::Value::Level(level) })
        })
        .collect();
    let mut work = store.work(at(ago(today, 60), names::SENCO)).await?;
    work.add_assessments(&crate::system_scope(school), &rows).await?;
    work.commit().await?;
    Ok(())
}

/// The school's SENCO: a qualified teacher appointed a little over two years ago,
/// with the NPQ for SENCOs still to gain.
pub(crate) async fn senco(store: &Store, school: SchoolId, today: NaiveDate) -> Result<(), AppError> {
    let appointed_on = ago(today, 800);
    let s = Senco { name: names::SENCO.into(), qualified_teacher: true, appointed_on, award: Award::None, gained_on: None, exempt: false };
    let current = store.school(school).await?;
    store.save_senco(school, current.version, s, &at(appointed_on, names::SENCO)).await?;
    Ok(())
}
