//! Logging delivered sessions from the delivery page (R05, R11): every attendee of a
//! group session, and only once support has started.

use super::*;

/// The delivery form's fields for a held session of 30 minutes of `target`
/// ("plan-provision") on `date`; `attended`: the plan's own pupil was there.
fn session(target: String, date: &str, attended: bool) -> Vec<(String, String)> {
    let mut f = vec![
        ("session-provision".to_owned(), target),
        ("session-date".to_owned(), date.to_owned()),
        ("session-held".to_owned(), "yes".to_owned()),
        ("session-minutes".to_owned(), "30".to_owned()),
    ];
    if attended {
        f.push(("session-attended".to_owned(), "yes".to_owned()));
    }
    f
}

fn refs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

on_both!(r11_group_session_logs_every_attendee, |srv| {
    let s = school(srv).await;
    let id: i64 = s.rsplit('/').next().unwrap().parse().unwrap();
    let group = provision(1, "teaching_assistant", "small_group_work", 30, 2, 3, "2026-11-02");
    let (cara, plan) = pupil_with_plan(
        srv,
        &s,
        "A380200124417",
        "Cara",
        vec![group.clone(), provision(2, "teaching_assistant", "extra_adult_help", 30, 1, 1, "2026-11-02")],
    )
    .await;
    let (dev, _) = pupil_with_plan(srv, &s, "B801200005001", "Dev", vec![group.clone()]).await;
    let (eve, _) = pupil_with_plan(srv, &s, "H801200001001", "Eve", vec![group]).await;
    let (finn, _) =
        pupil_with_plan(srv, &s, "G80120000101A", "Finn", vec![provision(1, "teaching_assistant", "peer_support", 30, 1, 2, "2026-11-02")])
            .await;
    let page = format!("/schools/{id}/costing/delivery");
    // Choosing the group's provision lists the others with the same kind of group provision.
    let (_, _, html) = srv.text(&format!("{page}?provision={plan}-1")).await;
    for other in [dev, eve] {
        assert!(html.contains(&format!("id=\"attendee-{other}\"")), "{html}");
    }
    assert!(!html.contains(&format!("id=\"attendee-{cara}\"")) && !html.contains(&format!("id=\"attendee-{finn}\"")), "{html}");
    let (_, _, html) = srv.text(&format!("{page}?provision={plan}-2")).await;
    assert!(!html.contains("Other pupils at the group session"), "one-to-one provision has no others");
    // One-to-one with others ticked is refused and nothing is logged.
    let (d, e) = (format!("attendee-{dev}"), format!("attendee-{eve}"));
    let mut one = session(format!("{plan}-2"), "2026-11-03", true);
    one.push((d.clone(), "yes".into()));
    let (_, html) = srv.form(&page, &refs(&one), false).await;
    assert!(html.contains("<a href=\"#session-provision\">This provision is one-to-one"), "{html}");
    assert!(
        srv.store
            .provision_sessions(&senplan_store::testing::whole(senplan_core::ids::SchoolId(id)), senplan_core::ids::PlanId(plan), 2)
            .await
            .unwrap()
            .is_empty()
    );
    // The group session: Cara (the plan's pupil), Dev and Eve ticked.
    let mut group = session(format!("{plan}-1"), "2026-11-03", true);
    group.extend([(d.clone(), "yes".into()), (e.clone(), "yes".into())]);
    let (url, html) = srv.form(&page, &refs(&group), true).await;
    assert!(url.ends_with("/costing/delivery?logged=1"), "{url}\n{html}");
    let logged = srv
        .store
        .provision_sessions(&senplan_store::testing::whole(senplan_core::ids::SchoolId(id)), senplan_core::ids::PlanId(plan), 1)
        .await
        .unwrap();
    assert_eq!(logged.len(), 1);
    let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 3).unwrap();
    assert_eq!(
        logged[0].log,
        senplan_core::costing::SessionLog {
            date,
            held: true,
            minutes_delivered: 30,
            attendees: vec![cara, dev, eve],
            reason_missed: None,
            note: None
        }
    );
    // Others attending without the plan's own pupil.
    let mut without = session(format!("{plan}-1"), "2026-11-05", false);
    without.push((e.clone(), "yes".into()));
    srv.form(&page, &refs(&without), true).await;
    let logged = srv
        .store
        .provision_sessions(&senplan_store::testing::whole(senplan_core::ids::SchoolId(id)), senplan_core::ids::PlanId(plan), 1)
        .await
        .unwrap();
    assert_eq!(logged.iter().map(|r| r.log.attendees.clone()).collect::<Vec<_>>(), vec![vec![cara, dev, eve], vec![eve]]);
});

on_both!(r05_r11_a_session_is_logged_only_once_support_has_started, |srv| {
    let s = school(srv).await;
    let id: i64 = s.rsplit('/').next().unwrap().parse().unwrap();
    let (_, plan) = cara_in_a_small_group(srv, &s).await;
    // A second pupil whose plan is still being agreed: support has not started.
    let provision = vec![provision(1, "teaching_assistant", "small_group_work", 30, 2, 3, "2026-11-02")];
    let (p, _, waiting) = pupil_with_drafted_plan(srv, &s, "B801200005001", "Dev", provision).await;
    let log = json!({"date": "2026-11-03", "held": true, "minutes_delivered": 30, "attendees": [p]});
    let (st, err) = srv.post(&format!("{s}/plans/{waiting}/provision/1/sessions"), log).await;
    assert_eq!((st, err["code"].as_str(), err["field"].as_str()), (StatusCode::BAD_REQUEST, Some("illegal_transition"), Some("stage")));
    // The page says so on the form, keeping what was typed.
    let page = format!("/schools/{id}/costing/delivery");
    let (_, html) = srv.form(&page, &refs(&session(format!("{waiting}-1"), "2026-11-03", true)), false).await;
    assert!(html.contains("<a href=\"#session-provision\">This pupil&#39;s support has not started yet"), "{html}");
    assert!(
        srv.store
            .provision_sessions(&senplan_store::testing::whole(senplan_core::ids::SchoolId(id)), senplan_core::ids::PlanId(waiting), 1)
            .await
            .unwrap()
            .is_empty()
    );
    // Cara's support has started: her session is logged.
    let (url, _) = srv.form(&page, &refs(&session(format!("{plan}-1"), "2026-11-03", true)), true).await;
    assert!(url.ends_with("/costing/delivery?logged=1"), "{url}");
});
