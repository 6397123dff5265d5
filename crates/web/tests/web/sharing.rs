//! A college student decides what their parents see (R26): at a further education
//! college the parent's portal shows only the parts the student shares, and the copies,
//! passport, calendar files and referrals behind the rest are refused; the student
//! changes their choice in their own portal. At a school the family sees it all.

use reqwest::StatusCode;
use senplan_core::access::Role;
use senplan_core::ids::PupilId;
use senplan_core::school::{SchoolDetails, SettingType};
use serde_json::json;

use crate::api::{NewPupil, pupil_with_plan};
use crate::on_both;

on_both!(r26_a_parent_sees_only_what_the_college_student_shares, |app| {
    // The test school becomes a further education college.
    let s0 = app.store.school(app.school).await.unwrap();
    let college = SchoolDetails { setting: SettingType::FurtherEducation, ..s0.details.clone() };
    app.store.update_school(app.school, s0.version, &college, &senplan_store::Ctx::new("test", chrono::Utc::now())).await.unwrap();
    let senco = app.client(Role::Senco, &[]).await;
    let s = app.api();
    // A college's words: students.
    let (_, html) = senco.page(&format!("/schools/{}/pupils", app.school.0)).await;
    assert!(html.contains("<h1 class=\"govuk-heading-l\">Students</h1>") && html.contains("Every student in the college"), "{html}");
    let (pupil, _) = pupil_with_plan(&senco, &s, NewPupil { n: 31, given: "Tam", family: "Example", born: "2008-01-05", year: "13" }, true).await;
    let (_, service) = senco.post(&format!("{s}/local-offer"), json!({"name": "Careers and SEND adviser", "source": {"kind": "manual"}})).await;
    let (_, referral) = senco.post(&format!("{s}/pupils/{pupil}/referrals"), json!({"kind": "specialist", "service": service["id"], "reason": "Planning the next step"})).await;
    // A contribution's example names a tutor, not a class teacher.
    let (_, cycles) = senco.get(&format!("{s}/pupils/{pupil}/cycles")).await;
    let (_, html) = senco.page(&format!("/schools/{}/cycles/{}/assess", app.school.0, cycles[0]["id"])).await;
    assert!(html.contains("For example, Ms Patel, tutor"), "{html}");
    let parent = app.client(Role::ParentCarer, &[PupilId(pupil)]).await;
    let student = app.client(Role::YoungPerson, &[PupilId(pupil)]).await;
    let page = format!("/portal/pupils/{pupil}");
    let referral = format!("{page}/referrals/{}", referral["id"]);

    // Nothing shared yet: the parent is told so and sees no plan, referral or copy.
    let (st, html) = parent.page(&page).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("decides what you see here") && html.contains("have not shared any part"), "{html}");
    assert!(!html.contains("Careers and SEND adviser") && !html.contains("Download a copy of the plan"), "{html}");
    assert!(!html.contains("Share with my parents"), "the parent does not choose");
    assert_eq!(parent.page(&referral).await.0, StatusCode::NOT_FOUND);
    assert_eq!(parent.page(&format!("{page}/plan.pdf")).await.0, StatusCode::NOT_FOUND);
    assert_eq!(parent.page(&format!("{page}/passport")).await.0, StatusCode::NOT_FOUND);
    // The parent cannot choose for the student.
    let res = parent.form(&format!("{page}/sharing"), &[("csrf_token", &parent.csrf), ("version", "0"), ("share", "plan")]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    // The student shares the plan and referrals, not meetings or reviews.
    let (_, html) = student.page(&page).await;
    assert!(html.contains("What your parents see") && html.contains("Careers and SEND adviser"), "the student sees everything: {html}");
    let res = student.form(&format!("{page}/sharing"), &[("csrf_token", &student.csrf), ("version", "0"), ("share", "plan"), ("share", "referrals")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = parent.page(&page).await;
    assert!(html.contains("They share with you") && html.contains("Careers and SEND adviser") && html.contains("Download a copy of the plan"), "{html}");
    assert_eq!(parent.page(&referral).await.0, StatusCode::OK);
    assert_eq!(parent.http.get(format!("{}{page}/plan.pdf", app.base)).send().await.unwrap().status(), StatusCode::OK);
    // A stale choice is refused; withdrawing takes effect at once.
    let stale = student.form(&format!("{page}/sharing"), &[("csrf_token", &student.csrf), ("version", "0")]).await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    assert_eq!(student.form(&format!("{page}/sharing"), &[("csrf_token", &student.csrf), ("version", "1")]).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(parent.page(&referral).await.0, StatusCode::NOT_FOUND);
    let history = app.store.history(&senplan_store::testing::whole(app.school), senplan_store::history::Entity::Sharing, pupil).await.unwrap();
    assert_eq!(history.len(), 2, "every choice kept");
});

on_both!(r26_at_a_school_the_family_sees_everything_and_nobody_chooses, |app| {
    let senco = app.client(Role::Senco, &[]).await;
    let s = app.api();
    let (pupil, _) = pupil_with_plan(&senco, &s, NewPupil { n: 32, given: "Uma", family: "Example", born: "2008-01-05", year: "13" }, true).await;
    let (_, html) = senco.page(&format!("/schools/{}/pupils", app.school.0)).await;
    assert!(html.contains("<h1 class=\"govuk-heading-l\">Pupils</h1>"), "{html}");
    let parent = app.client(Role::ParentCarer, &[PupilId(pupil)]).await;
    let (_, html) = parent.page(&format!("/portal/pupils/{pupil}")).await;
    assert!(!html.contains("decides what you see here") && html.contains("Download a copy of the plan"), "{html}");
    let student = app.client(Role::YoungPerson, &[PupilId(pupil)]).await;
    let (_, html) = student.page(&format!("/portal/pupils/{pupil}")).await;
    assert!(!html.contains("What your parents see"), "{html}");
    let res = student.form(&format!("/portal/pupils/{pupil}/sharing"), &[("csrf_token", &student.csrf), ("version", "0"), ("share", "plan")]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
});
