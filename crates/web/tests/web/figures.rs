//! Small-number suppression where figures are shown (R25): the figures page and its
//! CSV download show counts of 1 to 4 as "fewer than 5", and 0 and 5 as they are.

use reqwest::StatusCode;
use senplan_core::access::Role;
use serde_json::json;

use crate::api::pupil_json;
use crate::on_both;
use crate::support::Client;

async fn pupil(senco: &Client, s: &str, n: usize, status: &str, need: &str) {
    let (st, p) = senco.post(&format!("{s}/pupils"), pupil_json(&crate::access::upn(n))).await;
    assert_eq!(st, StatusCode::CREATED, "{p}");
    let id = p["id"].as_i64().unwrap();
    if status != "N" {
        let (st, body) = senco
            .post(&format!("{s}/pupils/{id}/status"), json!({"status": status, "start": "2026-09-14", "reason": "Needs identified"}))
            .await;
        assert_eq!(st, StatusCode::CREATED, "{body}");
        let (st, body) = senco.put(&format!("{s}/pupils/{id}/needs"), json!({"version": 0, "needs": [{"code": need, "rank": 1}]})).await;
        assert_eq!(st, StatusCode::OK, "{body}");
    }
}

fn row(label: &str, count: &str) -> String {
    format!(
        "<th scope=\"row\" class=\"govuk-table__header\">{label}</th><td class=\"govuk-table__cell govuk-table__cell--numeric\">{count}</td>"
    )
}

on_both!(r25_figures_page_and_csv_suppress_counts_from_one_to_four, |app| {
    let senco = app.client(Role::Senco, &[]).await;
    let s = app.api();
    // 9 on roll: 6 on SEN support (5 SLCN, 1 SEMH), 2 with EHC plans (SEMH), 1 not on the register.
    for n in 1..=5 {
        pupil(&senco, &s, n, "K", "SLCN").await;
    }
    pupil(&senco, &s, 6, "K", "SEMH").await;
    pupil(&senco, &s, 7, "E", "SEMH").await;
    pupil(&senco, &s, 8, "E", "SEMH").await;
    pupil(&senco, &s, 9, "N", "").await;
    for role in [Role::Governor, Role::LaOfficer, Role::Headteacher] {
        let viewer = app.client(role, &[]).await;
        let (st, html) = viewer.page("/figures").await;
        assert_eq!(st, StatusCode::OK, "{role:?}");
        for (label, count) in [
            ("On roll", "9"),
            ("SEN support (K)", "6"),
            ("Education, health and care (EHC) plan (E)", "fewer than 5"),
            // SEMH alone hidden (and E too) could be found by subtraction: SLCN is hidden with it.
            ("Speech, language and communication needs (SLCN)", "not shown"),
            ("Social, emotional and mental health (SEMH)", "fewer than 5"),
            ("Autistic spectrum disorder (ASD)", "0"),
        ] {
            assert!(html.contains(&row(label, count)), "{role:?}: {label} should show {count}:\n{html}");
        }
        assert!(!html.contains("Testington") && !html.contains("Sam"), "no names on the figures page");
        let res = viewer.http.get(format!("{}/figures.csv", app.base)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
        let csv = res.text().await.unwrap();
        for line in [
            "Table,Measure,Pupils",
            "Pupils by SEN status,On roll,9",
            "Pupils by SEN status,SEN support (K),6",
            "Pupils by SEN status,\"Education, health and care (EHC) plan (E)\",fewer than 5",
            "Primary need,\"Speech, language and communication needs (SLCN)\",not shown",
            "Primary need,\"Social, emotional and mental health (SEMH)\",fewer than 5",
            "Primary need,Autistic spectrum disorder (ASD),0",
        ] {
            assert!(csv.lines().any(|l| l == line), "{role:?}: CSV line {line:?} missing:\n{csv}");
        }
        assert!(!csv.contains("Testington"), "no names in the CSV");
    }
});

on_both!(r10_r17_a_governor_sees_the_budget_and_settings_and_no_link_to_a_pupils_costs, |app| {
    let governor = app.client(Role::Governor, &[]).await;
    let s = app.school;
    let (st, home) = governor.page("/figures").await;
    assert_eq!(st, StatusCode::OK);
    assert!(home.contains(&format!("href=\"/schools/{s}/costing\">Costs and budget")), "the header offers the budget");
    assert!(!home.contains(&format!("href=\"/schools/{s}\">")), "no register link for a governor");
    let (st, overview) = governor.page(&format!("/schools/{s}/costing")).await;
    assert_eq!(st, StatusCode::OK);
    for page in ["provision-map", "threshold", "delivery", "impact", "recap"] {
        assert!(!overview.contains(&format!("/costing/{page}\"")), "no link to {page}, which names pupils");
        let (st, _) = governor.page(&format!("/schools/{s}/costing/{page}")).await;
        assert_eq!(st, StatusCode::NOT_FOUND, "{page}");
    }
    for page in ["budget", "settings"] {
        assert!(overview.contains(&format!("/costing/{page}\"")), "a link to {page}");
    }
    // Governors read the settings; only the SENCO and administrators get the forms to change them.
    let (st, settings) = governor.page(&format!("/schools/{s}/costing/settings")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(!settings.contains(&format!("action=\"/schools/{s}/costing/settings/")), "no forms for a governor");
    let (_, settings) = app.client(Role::Senco, &[]).await.page(&format!("/schools/{s}/costing/settings")).await;
    assert!(settings.contains(&format!("action=\"/schools/{s}/costing/settings/calendar\"")), "the SENCO changes the calendar");
    // The SENCO's overview links every report.
    let senco = app.client(Role::Senco, &[]).await;
    let (_, overview) = senco.page(&format!("/schools/{s}/costing")).await;
    for page in ["provision-map", "threshold", "budget", "delivery", "impact", "recap", "settings"] {
        assert!(overview.contains(&format!("/costing/{page}\"")), "the SENCO sees a link to {page}");
    }
});
