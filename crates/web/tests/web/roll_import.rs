//! Bringing the roll in from the MIS (R24): a file with every kind of error names each
//! line and stores nothing; a good file is previewed without change, then imported in
//! one go; importing it again changes nothing; a later roll updates details, marks the
//! pupils it no longer holds as left (kept, off the register) and never overwrites the
//! SEN status or needs the school recorded; the page does the same by upload; only the
//! SENCO and administrators may.

use reqwest::StatusCode;
use senplan_core::access::Role;
use serde_json::Value;

use crate::api::pupil_on_support;
use crate::on_both;
use crate::support::Client;

const EVERY_ERROR: &[u8] = include_bytes!("../../../interop/tests/fixtures/roll_every_error.csv");

/// A SIMS-style roll: three pupils, one on SEN support with two needs.
const ROLL: &str = "UPN,Legal Surname,Legal Forename,Preferred Forename,DOB,Gender,Year,Reg Group,Admission Date,SEN Status,Primary Need,Secondary Need\r\n\
E380200124001,Okafor,Amara,,04/03/2016,F,4,4B,01/09/2020,K,SLCN,SEMH\r\n\
H380200124003,Brown,Ella,,09/07/2014,F,6,6C,02/09/2019,N,,\r\n\
A380200124417,Testington,Sam,,04/05/2017,M,4,4A,01/09/2021,N,,\r\n";

async fn post_roll(c: &Client, s: &str, query: &str, csv: &[u8]) -> (StatusCode, Value) {
    let res = c
        .http
        .post(format!("{}{s}/roll-import{query}", c.base))
        .header("content-type", "text/csv")
        .header("x-csrf-token", &c.csrf)
        .body(csv.to_vec())
        .send()
        .await
        .unwrap();
    (res.status(), res.json().await.unwrap())
}

/// Every pupil of the school, each as its full record (details, version, status).
async fn pupils(c: &Client, s: &str) -> Vec<Value> {
    let (st, v) = c.get(&format!("{s}/pupils")).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let mut out = Vec::new();
    for row in v.as_array().unwrap() {
        let (st, p) = c.get(&format!("{s}/pupils/{}", row["pupil_id"])).await;
        assert_eq!(st, StatusCode::OK, "{p}");
        out.push(p);
    }
    out
}

on_both!(r24_a_roll_with_every_kind_of_error_names_each_line_and_stores_nothing, |app| {
    let senco = app.client(Role::Senco, &[]).await;
    let s = app.api();
    let (st, plan) = post_roll(&senco, &s, "", EVERY_ERROR).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{plan}");
    assert_eq!(plan["applied"], false);
    let refused = plan["refused"].as_array().unwrap();
    let on = |line: u64| refused.iter().filter(|r| r["line"] == line).map(|r| r["message"].as_str().unwrap().to_owned()).collect::<Vec<_>>().join(" | ");
    assert!(on(3).contains("1500"), "line 3, UPN missing: {}", on(3));
    assert!(on(4).contains("1510"), "line 4, check letter: {}", on(4));
    assert!(on(5).contains("1530"), "line 5, LA code: {}", on(5));
    assert!(on(9).contains("1520") && on(9).contains("line 2"), "line 9, duplicate of line 2: {}", on(9));
    // Every line between the first and the last (both good) is refused, each by line.
    let lines: std::collections::BTreeSet<u64> = refused.iter().map(|r| r["line"].as_u64().unwrap()).collect();
    let total = String::from_utf8_lossy(EVERY_ERROR).lines().count() as u64;
    assert_eq!(lines, (3..total).collect(), "{plan}");
    assert!(pupils(&senco, &s).await.is_empty(), "nothing stored");
});

on_both!(r24_a_roll_is_previewed_imported_once_and_a_second_import_changes_nothing, |app| {
    let (senco, s, sam, _) = pupil_on_support(app).await;
    // Sam is on SEN support with SLCN in senplan; the roll says N with no needs.
    let (st, plan) = post_roll(&senco, &s, "?dry_run=true", ROLL.as_bytes()).await;
    assert_eq!(st, StatusCode::OK, "{plan}");
    assert_eq!((plan["applied"].as_bool(), plan["added"].as_array().unwrap().len(), plan["changed"].as_array().unwrap().len()), (Some(false), 2, 1), "{plan}");
    assert_eq!(plan["changed"][0]["fields"], serde_json::json!(["sex", "class or form", "date of entry"]), "{plan}");
    let note = plan["notes"].as_array().unwrap().iter().find(|n| n["field"] == "A380200124417").unwrap();
    assert!(note["message"].as_str().unwrap().starts_with("SEN status N in the file, K in senplan"), "{note}");
    assert_eq!(pupils(&senco, &s).await.len(), 1, "a preview changes nothing");

    let (st, plan) = post_roll(&senco, &s, "", ROLL.as_bytes()).await;
    assert_eq!((st, plan["applied"].as_bool()), (StatusCode::OK, Some(true)), "{plan}");
    let all = pupils(&senco, &s).await;
    assert_eq!(all.len(), 3);
    let amara = all.iter().find(|p| p["upn"] == "E380200124001").unwrap();
    assert_eq!(amara["status"], "K", "{amara}");
    assert_eq!(amara["roll"], serde_json::json!({"sex": "F", "form": "4B", "entry_date": "2020-09-01"}), "{amara}");
    let id = amara["id"].as_i64().unwrap();
    let (_, needs) = senco.get(&format!("{s}/pupils/{id}/needs")).await;
    assert_eq!((needs["needs"][0]["code"].as_str(), needs["needs"][1]["code"].as_str()), (Some("SLCN"), Some("SEMH")), "{needs}");
    let (_, cycles) = senco.get(&format!("{s}/pupils/{id}/cycles")).await;
    assert_eq!(cycles.as_array().unwrap().len(), 1, "SEN support from the roll opens a cycle: {cycles}");
    let (_, sam_needs) = senco.get(&format!("{s}/pupils/{sam}/needs")).await;
    assert_eq!(sam_needs["needs"][0]["code"], "SLCN", "the school's record is kept");
    let (_, sam_p) = senco.get(&format!("{s}/pupils/{sam}")).await;
    assert_eq!(sam_p["status"], "K", "{sam_p}");
    // Written many to a statement, every new record is in history and the audit trail,
    // whose chain still verifies.
    let (st, trail) = senco.get(&format!("{s}/history/pupil/{id}")).await;
    assert!(st == StatusCode::OK && trail.to_string().contains("Okafor"), "{trail}");
    let report = app.store.verify_audit().await.unwrap();
    assert!(report.is_intact(), "{report:?}");
    let (_, audit) = senco.get(&format!("{s}/audit?pupil={id}")).await;
    let actions: Vec<&str> = audit["entries"].as_array().map(|a| a.iter().filter_map(|e| e["action"].as_str()).collect()).unwrap_or_default();
    assert!(actions.contains(&"create") && actions.contains(&"change_status"), "{audit}");

    // The same file again: nothing to change, nothing written.
    let before = pupils(&senco, &s).await;
    let (st, again) = post_roll(&senco, &s, "", ROLL.as_bytes()).await;
    assert_eq!(st, StatusCode::OK, "{again}");
    assert_eq!((again["applied"].as_bool(), again["unchanged"].as_u64()), (Some(false), Some(3)), "{again}");
    assert!(again["added"].as_array().unwrap().is_empty() && again["changed"].as_array().unwrap().is_empty() && again["leaving"].as_array().unwrap().is_empty());
    assert_eq!(pupils(&senco, &s).await, before, "every pupil exactly as before, versions included");

    // Next term: Ella moves form; Amara (on SEN support) is no longer on the roll: she
    // has left, and is kept, off the register.
    let next = ROLL.replace("6,6C,02/09/2019", "6,6D,02/09/2019").replace("E380200124001,Okafor,Amara,,04/03/2016,F,4,4B,01/09/2020,K,SLCN,SEMH\r\n", "");
    let (st, plan) = post_roll(&senco, &s, "", next.as_bytes()).await;
    assert_eq!(st, StatusCode::OK, "{plan}");
    assert_eq!(plan["changed"][0]["fields"], serde_json::json!(["class or form"]), "{plan}");
    assert_eq!(plan["leaving"], serde_json::json!(["E380200124001"]), "{plan}");
    let all = pupils(&senco, &s).await;
    assert_eq!(all.len(), 3, "a pupil who left is kept");
    let amara = all.iter().find(|p| p["upn"] == "E380200124001").unwrap();
    assert_eq!(amara["roll"]["left_on"], serde_json::json!(chrono::Utc::now().date_naive()), "{amara}");
    assert_eq!(amara["status"], "K", "her SEN history is kept: {amara}");
    let (_, register) = senco.get(&format!("{s}/register")).await;
    let upns: Vec<&str> = register.as_array().unwrap().iter().filter_map(|x| x["upn"].as_str()).collect();
    assert_eq!(upns, ["A380200124417"], "{register}");
    // The same roll again: she has already left; nothing changes.
    let (_, again) = post_roll(&senco, &s, "", next.as_bytes()).await;
    assert_eq!((again["applied"].as_bool(), again["leaving"].as_array().map(Vec::len)), (Some(false), Some(0)), "{again}");
});

on_both!(r24_the_roll_page_checks_then_imports_and_only_the_senco_or_an_administrator_may, |app| {
    let senco = app.client(Role::Senco, &[]).await;
    let school = app.school.0;
    let path = format!("/schools/{school}/roll-import");
    let (st, html) = senco.page(&path).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("Legal Forename") || html.contains("legal"), "the columns are listed: {html}");
    let (st, html) = senco.upload(&path, &[("action", "check")], Some(("roll", "roll.csv", ROLL.as_bytes()))).await;
    assert_eq!(st, StatusCode::OK, "{html}");
    assert!(html.contains("This is a check: nothing has changed yet") && html.contains("Okafor"), "{html}");
    assert!(pupils(&senco, &app.api()).await.is_empty());
    let (st, html) = senco.upload(&path, &[("action", "import")], Some(("roll", "roll.csv", ROLL.as_bytes()))).await;
    assert_eq!(st, StatusCode::OK, "{html}");
    assert!(html.contains("The roll is imported: 3 added, 0 changed, 0 marked as left."), "{html}");
    let (st, html) = senco.upload(&path, &[("action", "import")], Some(("roll", "bad.csv", EVERY_ERROR))).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(html.contains("Nothing was imported") && html.contains("Census error 1510"), "{html}");
    let (st, html) = senco.upload(&path, &[("action", "import")], Some(("roll", "empty.csv", b"Name,Colour\r\n"))).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(html.contains("UPN"), "a file that is not a roll says which columns it needs: {html}");
    assert_eq!(pupils(&senco, &app.api()).await.len(), 3, "nothing changed by the bad files");

    let admin = app.client(Role::Administrator, &[]).await;
    assert_eq!(admin.page(&path).await.0, StatusCode::OK, "an administrator keeps the roll");
    let (st, plan) = post_roll(&admin, &app.api(), "?dry_run=true", ROLL.as_bytes()).await;
    assert_eq!((st, plan["unchanged"].as_u64()), (StatusCode::OK, Some(3)), "{plan}");
    let teacher = app.client(Role::Teacher, &[]).await;
    assert_eq!(teacher.page(&path).await.0, StatusCode::FORBIDDEN);
    let (st, _) = post_roll(&teacher, &app.api(), "", ROLL.as_bytes()).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
});
