//! Concerns and requests are worked, not listed (R04, R20): a family's request is
//! received, taken in hand and done, each step dated with who and a note the family
//! reads in the portal; concerns, answered or not, stay on the pupil's record; staff
//! log a concern on a family's behalf.

use reqwest::StatusCode;
use senplan_core::access::Role;
use senplan_core::ids::PupilId;

use crate::api::{NewPupil, pupil_on_support, pupil_with_plan};
use crate::on_both;

on_both!(r04_r20_a_familys_request_is_worked_step_by_step_and_they_see_where_it_stands, |app| {
    let (senco, _, pupil, _) = pupil_on_support(app).await;
    let school = app.school.0;
    let parent = app.client(Role::ParentCarer, &[PupilId(pupil)]).await;
    let res = parent.form(&format!("/portal/pupils/{pupil}/requests"), &[("csrf_token", &parent.csrf), ("kind", "meeting")]).await;
    assert!(res.status().is_redirection(), "{}", res.status());
    let (_, html) = parent.page(&format!("/portal/pupils/{pupil}")).await;
    assert!(html.contains("A meeting, asked for on") && html.contains("Received by the school: not started yet"), "{html}");

    let request = app.store.requests(&senplan_store::testing::whole(app.school), PupilId(pupil)).await.unwrap().remove(0);
    let (st, html) = senco.page(&format!("/schools/{school}/concerns")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains(&format!("id=\"request-{}\"", request.id)) && html.contains("Save this step"));
    let today = chrono::Utc::now().date_naive().format("%d/%m/%Y").to_string();
    let step = |state: &'static str, note: &'static str, version: i64| {
        let senco = &senco;
        let today = today.clone();
        let path = format!("/schools/{school}/requests/{}", request.id);
        async move {
            let v = version.to_string();
            let res =
                senco.form(&path, &[("csrf_token", &senco.csrf), ("version", &v), ("state", state), ("on", &today), ("note", note)]).await;
            let st = res.status();
            (st, res.text().await.unwrap())
        }
    };
    let (st, _) = step("in_hand", "We will offer you a meeting next week", 1).await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    // Done without saying what was done; done again after it is done; an old version.
    let (st, html) = step("done", "  ", 2).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(html.contains("Enter what was done, for the family to read"), "{html}");
    let (st, _) = step("done", "We met on the day", 1).await;
    assert_eq!(st, StatusCode::CONFLICT, "a stale version is refused");
    let (st, _) = step("done", "Met with Mrs Testington; notes sent home", 2).await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    let (st, html) = step("in_hand", "", 3).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(html.contains("This request is done already"), "{html}");

    let (_, html) = parent.page(&format!("/portal/pupils/{pupil}")).await;
    for want in
        ["Done", "In hand: the school is working on it. We will offer you a meeting next week", "Met with Mrs Testington; notes sent home"]
    {
        assert!(html.contains(want), "the family sees {want}: {html}");
    }
    let stored = app.store.request(&senplan_store::testing::whole(app.school), request.id).await.unwrap();
    assert_eq!((stored.state.as_str(), stored.steps.len(), stored.version), ("done", 2, 3));
    assert_eq!(stored.steps[0].by, "Synthetic SENCO");
    let history =
        app.store.history(&senplan_store::testing::whole(app.school), senplan_store::history::Entity::Request, request.id).await.unwrap();
    assert_eq!(history.len(), 2, "every step is kept in history");
});

on_both!(r04_concerns_stay_on_the_record_and_staff_log_one_for_a_family, |app| {
    let (senco, _, pupil, _) = pupil_on_support(app).await;
    let school = app.school.0;
    let record = format!("/schools/{school}/pupils/{pupil}");
    let res = senco
        .form(&format!("{record}/concerns"), &[("csrf_token", &senco.csrf), ("raised_by", ""), ("concern", "Worried about spelling")])
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(res.text().await.unwrap().contains("Enter who raised the concern"));
    let res = senco
        .form(
            &format!("{record}/concerns"),
            &[("csrf_token", &senco.csrf), ("raised_by", "Mrs Khan (parent)"), ("concern", "Worried about spelling tests")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = senco.page(&record).await;
    assert!(
        html.contains("by Mrs Khan (parent), logged by Synthetic SENCO") && html.contains("Waiting for the school&#39;s answer"),
        "{html}"
    );
    // Answered, it stays on the record with its answer.
    let concern = app.store.concerns(&senplan_store::testing::whole(app.school), PupilId(pupil)).await.unwrap().remove(0);
    let res = senco
        .form(
            &format!("/schools/{school}/concerns/{}/answer", concern.id),
            &[("csrf_token", &senco.csrf), ("version", "1"), ("response", "Spelling practice is now 10 minutes")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = senco.page(&record).await;
    assert!(
        html.contains("Worried about spelling tests") && html.contains("by Synthetic SENCO: Spelling practice is now 10 minutes"),
        "{html}"
    );
    // A teacher reads the record without the family's correspondence.
    let (_, html) = app.client(Role::Teacher, &[PupilId(pupil)]).await.page(&record).await;
    assert!(!html.contains("Worried about spelling tests") && !html.contains("Concerns and requests from the family"));
});

on_both!(r21_r33_a_young_person_is_spoken_to_and_a_family_told_plainly, |app| {
    let senco = app.client(Role::Senco, &[]).await;
    let s = app.api();
    let young = NewPupil { n: 7, given: "Jo", family: "Older", born: "2009-03-01", year: "12" };
    let (pupil, _) = pupil_with_plan(&senco, &s, young, true).await;
    let page = format!("/portal/pupils/{pupil}");
    let (st, html) = app.client(Role::YoungPerson, &[PupilId(pupil)]).await.page(&page).await;
    assert_eq!(st, StatusCode::OK);
    for want in
        ["You get SEN support at school", "What you find hard", "The help you get", "Where you started", "The help is happening now"]
    {
        assert!(html.contains(want), "the young person reads {want}: {html}");
    }
    assert!(!html.contains("Jo gets") && !html.contains(">Do<"), "{html}");
    let (_, html) = app.client(Role::ParentCarer, &[PupilId(pupil)]).await.page(&page).await;
    for want in ["Jo gets SEN support at school", "What Jo finds hard", "The help Jo gets", "The help is happening now"] {
        assert!(html.contains(want), "the parent reads {want}");
    }
});

on_both!(r21_r33_the_portal_shows_how_to_reach_the_senco_the_local_offer_and_sendiass, |app| {
    let (senco, _, pupil, _) = pupil_on_support(app).await;
    let page = format!("/schools/{}/contacts", app.school.0);
    let parent = app.client(Role::ParentCarer, &[PupilId(pupil)]).await;
    let (_, html) = parent.page(&format!("/portal/pupils/{pupil}")).await;
    assert!(html.contains("Ask the school office how to reach the SENCO"), "nothing set yet: {html}");
    let (st, html) = senco.page(&page).await;
    assert_eq!(st, StatusCode::OK);
    let version = html.split("name=\"version\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let form = |email: &'static str, offer: &'static str| {
        vec![
            ("csrf_token", senco.csrf.clone()),
            ("version", version.clone()),
            ("senco_name", "Ms Rivera".to_owned()),
            ("senco_email", email.to_owned()),
            ("senco_phone", "01632 960 001".to_owned()),
            ("local_offer_url", offer.to_owned()),
            ("iass_name", "Synthetic SENDIASS".to_owned()),
            ("iass_url", "https://sendiass.example.org".to_owned()),
        ]
    };
    let post = |fields: Vec<(&'static str, String)>| {
        let senco = &senco;
        let page = page.clone();
        async move {
            let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let res = senco.form(&page, &pairs).await;
            (res.status(), res.text().await.unwrap())
        }
    };
    let (st, html) = post(form("senco at school", "javascript:alert(1)")).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(
        html.contains("Enter an email address like senco@school.example")
            && html.contains("Enter a full web address starting with https://")
    );
    assert!(html.contains("value=\"senco at school\""), "what was typed is kept");
    let (st, _) = post(form("senco@school.example", "https://www.example.gov.uk/local-offer")).await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    let (_, html) = parent.page(&format!("/portal/pupils/{pupil}")).await;
    for want in [
        "is Ms Rivera",
        "href=\"mailto:senco@school.example\"",
        "href=\"tel:01632 960 001\"",
        "href=\"https://www.example.gov.uk/local-offer\"",
        ">Synthetic SENDIASS</a>",
    ] {
        assert!(html.contains(want), "the family sees {want}: {html}");
    }
    let (st, _) = app.client(Role::Teacher, &[]).await.page(&page).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "a teacher does not keep the school's settings");
});

on_both!(r20_a_request_for_the_records_shows_its_deadline_and_the_senco_produces_the_copy, |app| {
    let (senco, s, pupil, cycle) = pupil_on_support(app).await;
    let school = app.school.0;
    let (st, _) = senco
        .post(&format!("{s}/cycles/{cycle}/contributions"), serde_json::json!({"source": "parent_carer", "contributor": "Mrs Testington", "date": "2026-09-20", "content": "Struggles with instructions"}))
        .await;
    assert_eq!(st, StatusCode::CREATED);
    let parent = app.client(Role::ParentCarer, &[PupilId(pupil)]).await;
    let res = parent.form(&format!("/portal/pupils/{pupil}/requests"), &[("csrf_token", &parent.csrf), ("kind", "records_copy")]).await;
    assert!(res.status().is_redirection(), "{}", res.status());
    let request = app.store.requests(&senplan_store::testing::whole(app.school), PupilId(pupil)).await.unwrap().remove(0);
    let due = senplan_core::request::records_copy_due(request.received_on(), None);
    let due_words = senplan_core::dates::in_words(due);

    // The deadline, 15 school days on (no school calendar: weekdays), for the family,
    // on the record and in the SENCO's list, with the copy to produce.
    let (_, html) = parent.page(&format!("/portal/pupils/{pupil}")).await;
    assert!(html.contains(&format!("Due by {due_words} (15 school days after it was received)")), "{html}");
    let (_, html) = senco.page(&format!("/schools/{school}/pupils/{pupil}")).await;
    assert!(html.contains(&format!("Due by {due_words}")) && html.contains("records-copy.pdf"), "{html}");
    let (_, html) = senco.page(&format!("/schools/{school}/concerns")).await;
    assert!(html.contains(&format!("Due by {due_words}")) && html.contains(&format!("/pupils/{pupil}/records-copy.json")), "{html}");

    // The copy: the PDF for the family (no money), and the same as JSON.
    let res = senco.http.get(format!("{}/schools/{school}/pupils/{pupil}/records-copy.pdf", app.base)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let pdf = senplan_docs::testing::read_pdf(&res.bytes().await.unwrap()).unwrap();
    assert_eq!(pdf.pdfua_part(), Some(1));
    for phrase in ["Copy of the SEN records", "SEN support (K)", "Cycle 1: opened on", "Struggles with instructions", "Copy for parents and carers"] {
        assert!(pdf.says(phrase), "{phrase}: {}", pdf.text());
    }
    assert!(!pdf.text().contains('£'));
    let res = senco.http.get(format!("{}/schools/{school}/pupils/{pupil}/records-copy.json", app.base)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
    let bundle: serde_json::Value = res.json().await.unwrap();
    assert_eq!(bundle["format"], "senplan-records-copy/1");
    assert_eq!(bundle["pupil"]["id"], pupil);
    assert_eq!(bundle["cycles"][0]["contributions"][0]["content"], "Struggles with instructions");
    assert_eq!(bundle["requests"][0]["kind"], "records_copy");
    let (st, api) = senco.get(&format!("{s}/pupils/{pupil}/records-copy")).await;
    assert_eq!((st, &api["pupil"]["id"]), (StatusCode::OK, &bundle["pupil"]["id"]));

    // Only the SENCO produces it; both are audited.
    let teacher = app.client(Role::Teacher, &[PupilId(pupil)]).await;
    let res = teacher.http.get(format!("{}/schools/{school}/pupils/{pupil}/records-copy.pdf", app.base)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let trail = app.store.audit_for_pupil(&senplan_store::testing::whole(app.school), PupilId(pupil)).await.unwrap();
    let produced: Vec<&str> = trail.iter().filter(|e| e.action == "produce").map(|e| e.entity.as_str()).collect();
    assert!(produced.contains(&"copy of the records (PDF)") && produced.contains(&"copy of the records (JSON)"), "{produced:?}");

    // Marked done, it says who sent it and when; the deadline line no longer shows to the family.
    let today = chrono::Utc::now().date_naive().format("%d/%m/%Y").to_string();
    let res = senco
        .form(&format!("/schools/{school}/requests/{}", request.id), &[("csrf_token", &senco.csrf), ("version", "1"), ("state", "done"), ("on", &today), ("note", "Copy of the records given to Mrs Testington")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, html) = parent.page(&format!("/portal/pupils/{pupil}")).await;
    assert!(html.contains("Copy of the records given to Mrs Testington") && !html.contains(&format!("Due by {due_words}")), "{html}");
});

on_both!(r04_the_senco_s_queue_of_requests_is_oldest_asked_first_whatever_order_they_were_entered, |app| {
    let (_, _, pupil, _) = pupil_on_support(app).await;
    let whole = senplan_store::testing::whole(app.school);
    use senplan_store::portal::RequestKind;
    use senplan_store::testing::{ctx_on, d};
    // Entered out of order (an import, or the demo): asked on 20 Nov, then 3 Nov, then 12 Nov.
    let late = app.store.make_request(&whole, PupilId(pupil), RequestKind::Meeting, "", &ctx_on("Parent", d(2026, 11, 20))).await.unwrap();
    let early = app.store.make_request(&whole, PupilId(pupil), RequestKind::RecordsCopy, "", &ctx_on("Parent", d(2026, 11, 3))).await.unwrap();
    let middle = app.store.make_request(&whole, PupilId(pupil), RequestKind::SenPolicy, "", &ctx_on("Parent", d(2026, 11, 12))).await.unwrap();
    let queue: Vec<i64> = app.store.school_requests(&whole).await.unwrap().into_iter().map(|r| r.id).collect();
    assert_eq!(queue, [early, middle, late], "the page says oldest first, and it is");
});
