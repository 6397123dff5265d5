//! Nobody is shown a button they may not press (R10, R21): read-only leadership and
//! outside professionals see the plan, never "Change the plan", "Start the support" or
//! a form; those who may act see them.

use reqwest::StatusCode;
use senplan_core::access::Role;
use senplan_core::ids::PupilId;

use crate::api::{NewPupil, plan_json, pupil_on_support, pupil_with_plan};
use crate::on_both;

on_both!(r10_r21_only_what_the_role_may_do_is_offered, |app| {
    let (senco, s, pupil, cycle) = pupil_on_support(app).await;
    let (st, plan) = senco.post(&format!("{s}/cycles/{cycle}/plan"), plan_json()).await;
    assert_eq!(st, StatusCode::CREATED, "{plan}");
    let page = format!("/schools/{}/cycles/{cycle}", app.school.0);
    let acts = ["Change the plan", "Start the support", &format!("href=\"{page}/plan\"")];
    let (_, html) = senco.page(&page).await;
    for a in acts {
        assert!(html.contains(a), "the SENCO is offered {a}");
    }
    let head = app.client(Role::Headteacher, &[]).await;
    let ep = app.client(Role::ExternalProfessional, &[PupilId(pupil)]).await;
    let teacher = app.client(Role::Teacher, &[PupilId(pupil)]).await;
    for (who, c) in [("headteacher", &head), ("outside professional", &ep), ("teacher", &teacher)] {
        let (st, html) = c.page(&page).await;
        assert_eq!(st, StatusCode::OK, "{who}");
        assert!(html.contains("Language group"), "the {who} reads the plan");
        for a in acts {
            assert!(!html.contains(a), "the {who} is not offered {a}");
        }
        // Opening the plan form's address shows the plan on the cycle's page instead.
        let res = c.http.get(format!("{}{page}/plan", c.base)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{who}");
        assert_eq!(res.headers()["location"], page.as_str());
    }
    // Contributions: a teacher of the pupil may add one; the headteacher and an outside professional only read them.
    let (_, html) = teacher.page(&format!("{page}/assess")).await;
    assert!(html.contains("Add a contribution"), "{html}");
    for c in [&head, &ep] {
        let (st, html) = c.page(&format!("{page}/assess")).await;
        assert!(st == StatusCode::OK && !html.contains("Add a contribution"));
    }
});

on_both!(r10_a_teacher_sees_their_pupils_strategies_on_one_printable_page, |app| {
    let senco = app.client(Role::Senco, &[]).await;
    let s = app.api();
    let mut pupils = Vec::new();
    for (n, family, year) in [(1, "Adams", "4"), (2, "Brown", "5")] {
        let p = NewPupil { n, given: "Sam", family, born: "2016-05-04", year };
        pupils.push(pupil_with_plan(&senco, &s, p, false).await.0);
    }
    let page = format!("/schools/{}/strategies", app.school.0);
    let teacher = app.client(Role::Teacher, &[PupilId(pupils[0])]).await;
    let (st, html) = teacher.page(&page).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("Sam Adams") && !html.contains("Sam Brown"), "only the pupils they teach");
    for want in [
        "Speech, language and communication needs (SLCN)",
        "Short instructions",
        "Language group: 2 sessions a week of 30 minutes, in a group of 4 (Mrs Green (TA))",
        "Mr Ahmed (class teacher)",
        "12 February 2027",
        &format!("href=\"{page}\""),
    ] {
        assert!(html.contains(want), "{want}: {html}");
    }
    assert!(!html.contains('£'), "no costs");
    let (_, html) = senco.page(&page).await;
    assert!(html.contains("Sam Adams") && html.contains("Sam Brown"));
    let (_, html) = senco.page(&format!("{page}?year=5")).await;
    assert!(!html.contains("Sam Adams") && html.contains("Sam Brown") && html.contains("Strategies for Year 5"));
    let (st, _) = app.client(Role::ParentCarer, &[PupilId(pupils[0])]).await.page(&page).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
});
