//! The rules of the access matrix: which rule each route follows, and what each rule
//! means for every role and target. Read with `matrix.rs`.

use reqwest::StatusCode;
use senplan_core::access::Role;

use crate::matrix::Target;

#[derive(Clone, Copy, Debug)]
pub enum Rule {
    /// Anyone, signed in or not, gets this status.
    Anyone(u16),
    /// Anyone signed in gets this status; signed out is asked to sign in.
    SignedIn(u16),
    /// Where each role starts: everyone signed in is sent on (303).
    Home,
    /// A pupil's record, read (R10): staff who see the pupil.
    ReadRecord,
    /// A pupil's record, changed: the SENCO.
    EditRecord,
    /// An assessment contribution: the SENCO, or a teacher of the pupil.
    Contribute,
    /// Sessions delivered and entry/exit measures: the SENCO, or the pupil's own
    /// teacher or TA (R11, R29).
    LogDelivery,
    /// The week's sessions a person delivers to their own pupils ("My sessions"): the
    /// SENCO, teachers and TAs (R11); the list holds only their pupils.
    MySessions,
    /// The family portal for one pupil: their parent, or the young person (R21).
    Portal,
    /// The family's own start page.
    PortalHome,
    /// School-wide figures, suppressed (R25).
    Aggregates,
    /// Costs without pupils (rates, budget): SENCO, headteacher, governors, administrators.
    Costs,
    /// Costs that name pupils: also needs sight of records.
    PupilCosts,
    /// Changing costing settings: SENCO and administrators.
    EditCosts,
    /// Accounts: administrators.
    Administer,
    /// The register and the pupil list: staff who see records (lists hold only the
    /// pupils they are connected to).
    SchoolRecords,
    /// Concerns raised by families, answered by the SENCO.
    Concerns,
    /// The school's audit trail (`Permission::ReadAuditTrail`): the SENCO and administrators.
    Audit,
    /// Recording a class's progress results (R03): the SENCO and teachers.
    RecordResults,
    /// The Local Offer directory, read (R18): staff who see records, and those who keep it.
    Directory,
    /// The Local Offer directory, kept: the SENCO and administrators.
    EditDirectory,
    /// The roll and transfer files (R24): the SENCO and administrators.
    ExchangeData,
}

use Rule::*;

/// Every route, its rule, and the status a permitted person gets (0 where the rule
/// gives it). The test fails if the router serves a route not listed here, or if a
/// route listed here is no longer served. Reads of a closed cycle's plan and review
/// forms send the person on to the cycle's page (303); a withdrawal succeeds (303).
pub const RULES: &[(&str, &str, Rule, u16)] = &[
    // Signing in and out, assets, the API document.
    ("GET", "/healthz", Anyone(200), 0),
    ("GET", "/api/openapi.json", Anyone(200), 0),
    ("GET", "/assets/{*path}", Anyone(200), 0),
    ("GET", "/sign-in", Anyone(200), 0),
    ("POST", "/sign-in", Anyone(400), 0),
    ("POST", "/sign-out", SignedIn(303), 0),
    ("GET", "/reset/{token}", Anyone(404), 0),
    ("POST", "/reset/{token}", SignedIn(404), 0),
    ("GET", "/api/session", SignedIn(200), 0),
    ("POST", "/api/session", Anyone(400), 0),
    ("DELETE", "/api/session", SignedIn(204), 0),
    ("GET", "/", Home, 0),
    // Schools: adding one is done on the command line, never through the web.
    ("GET", "/api/schools", SignedIn(200), 0),
    ("GET", "/api/schools/{school}", SignedIn(200), 0),
    // The register and pupils.
    ("GET", "/schools/{school}", SchoolRecords, 200),
    ("GET", "/schools/{school}/pupils", SchoolRecords, 200),
    ("GET", "/schools/{school}/strategies", SchoolRecords, 200),
    // An empty form: "Enter who raised the concern" (400).
    ("POST", "/schools/{school}/pupils/{pupil}/concerns", EditRecord, 400),
    ("POST", "/schools/{school}/requests/{id}", Concerns, 400),
    ("GET", "/schools/{school}/contacts", EditCosts, 200),
    // An email that is not one: refused (400).
    ("POST", "/schools/{school}/contacts", EditCosts, 400),
    // Around the cycle: meetings, telling parents, the SENCO, the dashboard (issue 11).
    ("GET", "/schools/{school}/pupils/{pupil}/meetings", ReadRecord, 200),
    ("POST", "/schools/{school}/pupils/{pupil}/meetings", EditRecord, 400),
    ("POST", "/schools/{school}/pupils/{pupil}/parents-told", EditRecord, 400),
    ("GET", "/schools/{school}/meetings/{meeting}", ReadRecord, 200),
    // No action named: "There is no such action on this meeting" (400).
    ("POST", "/schools/{school}/meetings/{meeting}", EditRecord, 400),
    ("GET", "/portal/pupils/{pupil}/meetings/{meeting}/calendar.ics", Portal, 200),
    // Documents (R09): staff copies for those who see the record; the family's own
    // through the portal.
    ("GET", "/schools/{school}/plans/{plan}/copy.pdf", ReadRecord, 200),
    ("GET", "/schools/{school}/reviews/{review}/copy.pdf", ReadRecord, 200),
    ("GET", "/api/schools/{school}/plans/{plan}/copy", ReadRecord, 200),
    ("GET", "/api/schools/{school}/reviews/{review}/copy", ReadRecord, 200),
    ("GET", "/schools/{school}/pupils/{pupil}/letters/sen-support.pdf", EditRecord, 200),
    ("GET", "/portal/pupils/{pupil}/plan.pdf", Portal, 200),
    ("GET", "/portal/pupils/{pupil}/reviews/{review}/copy.pdf", Portal, 200),
    // The pupil passport (R30): read by staff who see the record, written by those who
    // contribute and by the family; an upload sent as a plain form is refused (400).
    ("GET", "/schools/{school}/pupils/{pupil}/passport", ReadRecord, 200),
    ("POST", "/schools/{school}/pupils/{pupil}/passport", Contribute, 400),
    ("POST", "/schools/{school}/pupils/{pupil}/passport/photo", Contribute, 400),
    ("GET", "/schools/{school}/pupils/{pupil}/passport/photos/{sha}", ReadRecord, 200),
    ("GET", "/schools/{school}/pupils/{pupil}/passport.pdf", ReadRecord, 200),
    ("GET", "/api/schools/{school}/pupils/{pupil}/passport", ReadRecord, 200),
    ("PUT", "/api/schools/{school}/pupils/{pupil}/passport", Contribute, 400),
    // Adjustments and medical conditions (R35): read by every adult who sees the
    // record, written by the SENCO.
    ("GET", "/schools/{school}/pupils/{pupil}/adjustments", ReadRecord, 200),
    ("POST", "/schools/{school}/pupils/{pupil}/adjustments", EditRecord, 400),
    ("GET", "/api/schools/{school}/pupils/{pupil}/adjustments", ReadRecord, 200),
    ("PUT", "/api/schools/{school}/pupils/{pupil}/adjustments", EditRecord, 400),
    ("GET", "/portal/pupils/{pupil}/passport", Portal, 200),
    ("POST", "/portal/pupils/{pupil}/passport", Portal, 400),
    ("POST", "/portal/pupils/{pupil}/passport/photo", Portal, 400),
    ("GET", "/portal/pupils/{pupil}/referrals/{id}", Portal, 404),
    // What a college student shares with their parents (R26): only the student, and
    // only at a college; the matrix's school is a school, so even they are refused.
    ("POST", "/portal/pupils/{pupil}/sharing", Portal, 403),
    ("POST", "/portal/pupils/{pupil}/referrals/{id}", Portal, 404),
    ("GET", "/portal/pupils/{pupil}/passport/photos/{sha}", Portal, 200),
    ("GET", "/portal/pupils/{pupil}/passport.pdf", Portal, 200),
    // The family's letter (R04): the form, sending it (refused without a concern), and
    // a letter sent (the matrix's pupil has none with that id).
    ("GET", "/portal/pupils/{pupil}/letter", Portal, 200),
    ("POST", "/portal/pupils/{pupil}/letter", Portal, 400),
    ("GET", "/portal/pupils/{pupil}/letters/{concern}/letter.pdf", Portal, 404),
    // EHC needs assessment requests and the evidence pack (R19): the SENCO. The pack
    // shows costs, so it also needs sight of pupils' costs.
    ("GET", "/schools/{school}/pupils/{pupil}/ehc-request", EditRecord, 200),
    ("POST", "/schools/{school}/pupils/{pupil}/ehc-request", EditRecord, 400),
    ("GET", "/schools/{school}/pupils/{pupil}/evidence-pack.pdf", EditRecord, 200),
    ("GET", "/api/schools/{school}/pupils/{pupil}/ehc-requests", EditRecord, 200),
    ("POST", "/api/schools/{school}/pupils/{pupil}/ehc-requests", EditRecord, 400),
    ("GET", "/api/schools/{school}/pupils/{pupil}/evidence-pack", EditRecord, 200),
    // The copy of the records (R20): the SENCO produces it for the family.
    ("GET", "/schools/{school}/pupils/{pupil}/records-copy.pdf", EditRecord, 200),
    ("GET", "/schools/{school}/pupils/{pupil}/records-copy.json", EditRecord, 200),
    ("GET", "/api/schools/{school}/pupils/{pupil}/records-copy", EditRecord, 200),
    // The application for top-up funding (R16): the SENCO, who sees costs; the
    // matrix's pupil costs less than the threshold, so it is refused with a reason.
    ("GET", "/schools/{school}/pupils/{pupil}/top-up-application.pdf", EditRecord, 400),
    ("GET", "/schools/{school}/pupils/{pupil}/top-up-application.csv", EditRecord, 400),
    ("GET", "/api/schools/{school}/pupils/{pupil}/top-up-application", EditRecord, 400),
    // The school's letters (R04, R08, R14): the SENCO rewords them and sends the
    // meeting letters; a misspelt placeholder is refused (400).
    // The matrix's pupil has no current plan: "No pupil has a current plan" (400).
    ("GET", "/schools/{school}/plan-copies.zip", SchoolRecords, 400),
    ("GET", "/schools/{school}/letters", EditRecord, 200),
    ("GET", "/schools/{school}/letters/{kind}", EditRecord, 200),
    ("POST", "/schools/{school}/letters/{kind}", EditRecord, 400),
    ("GET", "/api/schools/{school}/letters", EditRecord, 200),
    ("PUT", "/api/schools/{school}/letters/{kind}", EditRecord, 400),
    // The SEN information report (R23): the SENCO writes it (publishing with every
    // section empty is refused, 400); anyone reads a published one (none here, 404).
    ("GET", "/schools/{school}/information-report", EditRecord, 200),
    ("POST", "/schools/{school}/information-report", EditRecord, 400),
    ("GET", "/api/schools/{school}/information-report", EditRecord, 200),
    ("PUT", "/api/schools/{school}/information-report", EditRecord, 400),
    ("GET", "/information-report/{urn}", Anyone(404), 0),
    // The roll from the MIS (R24): the SENCO and administrators; an empty body is not a
    // roll (400).
    ("GET", "/schools/{school}/roll-import", ExchangeData, 200),
    ("POST", "/schools/{school}/roll-import", ExchangeData, 400),
    ("POST", "/api/schools/{school}/roll-import", ExchangeData, 400),
    // Transfers and the census (R24): no pupils chosen, or not a CTF (400).
    ("GET", "/schools/{school}/transfers", ExchangeData, 200),
    ("GET", "/schools/{school}/census.csv", ExchangeData, 200),
    ("GET", "/schools/{school}/census.xml", ExchangeData, 200),
    ("POST", "/schools/{school}/transfers/ctf", ExchangeData, 400),
    ("POST", "/schools/{school}/transfers/ctf-import", ExchangeData, 400),
    ("GET", "/api/schools/{school}/census", ExchangeData, 200),
    ("POST", "/api/schools/{school}/ctf", ExchangeData, 400),
    ("POST", "/api/schools/{school}/ctf-import", ExchangeData, 400),
    ("POST", "/api/schools/{school}/transfer-bundle", ExchangeData, 400),
    ("POST", "/api/schools/{school}/transfer-bundle/import", ExchangeData, 400),
    ("GET", "/api/information-report/{urn}", Anyone(404), 0),
    ("GET", "/schools/{school}/meetings/{meeting}/invitation.pdf", EditRecord, 200),
    ("GET", "/schools/{school}/meetings/{meeting}/notes.pdf", EditRecord, 200),
    ("GET", "/schools/{school}/dashboard", Aggregates, 200),
    ("GET", "/schools/{school}/dashboard.csv", Aggregates, 200),
    ("GET", "/schools/{school}/dashboard/{check}", Concerns, 200),
    ("GET", "/schools/{school}/senco", EditCosts, 200),
    ("POST", "/schools/{school}/senco", EditCosts, 400),
    ("GET", "/api/schools/{school}/pupils/{pupil}/meetings", ReadRecord, 200),
    ("POST", "/api/schools/{school}/pupils/{pupil}/meetings", EditRecord, 400),
    ("GET", "/api/schools/{school}/meetings/{meeting}", ReadRecord, 200),
    ("POST", "/api/schools/{school}/meetings/{meeting}/outcome", EditRecord, 400),
    ("POST", "/api/schools/{school}/meetings/{meeting}/actions/{action}/done", EditRecord, 400),
    ("PUT", "/api/schools/{school}/pupils/{pupil}/parents-told", EditRecord, 400),
    ("PUT", "/api/schools/{school}/senco", EditCosts, 400),
    ("GET", "/api/schools/{school}/compliance", Aggregates, 200),
    // Spotting need early (R03).
    ("GET", "/schools/{school}/progress", Concerns, 200),
    // No decision chosen (400); an empty file (400).
    ("POST", "/schools/{school}/progress/decisions", Concerns, 400),
    ("POST", "/schools/{school}/progress/import", Concerns, 400),
    ("GET", "/schools/{school}/progress/record", RecordResults, 200),
    ("POST", "/schools/{school}/progress/record", RecordResults, 400),
    ("GET", "/api/schools/{school}/progress/flags", Concerns, 200),
    ("POST", "/api/schools/{school}/progress/decisions", Concerns, 400),
    ("POST", "/api/schools/{school}/progress/assessments", RecordResults, 400),
    // The matrix sends JSON: the file must be CSV (415).
    ("POST", "/api/schools/{school}/progress/import", Concerns, 415),
    ("PUT", "/api/schools/{school}/progress/settings", EditCosts, 400),
    ("POST", "/api/schools/{school}/pupils/{pupil}/two-year-check", Contribute, 400),
    ("GET", "/schools/{school}/progress/settings", EditCosts, 200),
    ("POST", "/schools/{school}/progress/settings", EditCosts, 400),
    ("GET", "/schools/{school}/pupils/{pupil}/two-year-check", Contribute, 200),
    ("POST", "/schools/{school}/pupils/{pupil}/two-year-check", Contribute, 400),
    // A teacher's concern lands in the SENCO's progress flags (R03).
    ("GET", "/schools/{school}/pupils/{pupil}/raise-concern", Contribute, 200),
    ("POST", "/schools/{school}/pupils/{pupil}/raise-concern", Contribute, 400),
    ("POST", "/api/schools/{school}/pupils/{pupil}/staff-concerns", Contribute, 400),
    // Reminders (R32): everyone's own list and choice; e-mail failures for administrators.
    ("GET", "/due", SignedIn(200), 0),
    ("POST", "/due", SignedIn(303), 0),
    ("GET", "/schools/{school}/email-problems", Administer, 200),
    ("GET", "/schools/{school}/my-sessions", MySessions, 200),
    // Nothing marked: "Mark at least one session" (400) for those who may log.
    ("POST", "/schools/{school}/my-sessions", MySessions, 400),
    ("GET", "/api/schools/{school}/register", SchoolRecords, 200),
    ("GET", "/api/schools/{school}/pupils", SchoolRecords, 200),
    ("POST", "/api/schools/{school}/pupils", EditRecord, 400),
    ("GET", "/schools/{school}/pupils/{pupil}", ReadRecord, 200),
    ("GET", "/api/schools/{school}/pupils/{pupil}", ReadRecord, 200),
    ("PUT", "/api/schools/{school}/pupils/{pupil}", EditRecord, 400),
    ("GET", "/schools/{school}/pupils/{pupil}/details", ReadRecord, 200),
    ("POST", "/schools/{school}/pupils/{pupil}/details", EditRecord, 400),
    ("GET", "/schools/{school}/pupils/{pupil}/status", ReadRecord, 200),
    ("POST", "/schools/{school}/pupils/{pupil}/status", EditRecord, 400),
    ("GET", "/api/schools/{school}/pupils/{pupil}/status", ReadRecord, 200),
    ("POST", "/api/schools/{school}/pupils/{pupil}/status", EditRecord, 400),
    ("GET", "/schools/{school}/pupils/{pupil}/needs", ReadRecord, 200),
    ("POST", "/schools/{school}/pupils/{pupil}/needs", EditRecord, 400),
    ("GET", "/api/schools/{school}/pupils/{pupil}/needs", ReadRecord, 200),
    ("PUT", "/api/schools/{school}/pupils/{pupil}/needs", EditRecord, 400),
    ("GET", "/api/schools/{school}/pupils/{pupil}/cycles", ReadRecord, 200),
    // The cycle.
    ("GET", "/schools/{school}/cycles/{cycle}", ReadRecord, 200),
    ("GET", "/api/schools/{school}/cycles/{cycle}", ReadRecord, 200),
    ("POST", "/schools/{school}/cycles/{cycle}/transition", EditRecord, 400),
    ("POST", "/api/schools/{school}/cycles/{cycle}/transitions", EditRecord, 400),
    ("GET", "/schools/{school}/cycles/{cycle}/assess", ReadRecord, 200),
    ("POST", "/schools/{school}/cycles/{cycle}/assess", Contribute, 400),
    ("GET", "/api/schools/{school}/cycles/{cycle}/contributions", ReadRecord, 200),
    ("POST", "/api/schools/{school}/cycles/{cycle}/contributions", Contribute, 400),
    ("GET", "/schools/{school}/cycles/{cycle}/plan", ReadRecord, 303),
    ("POST", "/schools/{school}/cycles/{cycle}/plan", EditRecord, 400),
    ("GET", "/api/schools/{school}/cycles/{cycle}/plan", ReadRecord, 200),
    ("POST", "/api/schools/{school}/cycles/{cycle}/plan", EditRecord, 400),
    ("GET", "/api/schools/{school}/plans/{plan}", ReadRecord, 200),
    ("PUT", "/api/schools/{school}/plans/{plan}", EditRecord, 400),
    ("POST", "/api/schools/{school}/plans/{plan}/outcomes", EditRecord, 400),
    ("POST", "/api/schools/{school}/plans/{plan}/provision", EditRecord, 400),
    ("GET", "/schools/{school}/cycles/{cycle}/review", ReadRecord, 303),
    ("POST", "/schools/{school}/cycles/{cycle}/review", EditRecord, 303),
    ("GET", "/api/schools/{school}/cycles/{cycle}/review", ReadRecord, 200),
    ("POST", "/api/schools/{school}/cycles/{cycle}/review", EditRecord, 400),
    ("GET", "/api/schools/{school}/reviews/{review}", ReadRecord, 200),
    ("PUT", "/api/schools/{school}/reviews/{review}", EditRecord, 400),
    ("GET", "/schools/{school}/history/{entity}/{id}", ReadRecord, 200),
    ("GET", "/api/schools/{school}/history/{entity}/{id}", ReadRecord, 200),
    // Delivery and impact.
    // Session logs are read by those who log them (the headteacher sees the delivery report).
    ("GET", "/api/schools/{school}/plans/{plan}/provision/{number}/sessions", LogDelivery, 200),
    ("POST", "/api/schools/{school}/plans/{plan}/provision/{number}/sessions", LogDelivery, 400),
    ("POST", "/api/schools/{school}/plans/{plan}/provision/{number}/impact", LogDelivery, 400),
    ("GET", "/api/schools/{school}/impact/{id}", ReadRecord, 200),
    ("PUT", "/api/schools/{school}/impact/{id}", LogDelivery, 400),
    ("GET", "/api/schools/{school}/impact", PupilCosts, 200),
    // Oversight.
    ("GET", "/schools/{school}/concerns", Concerns, 200),
    ("GET", "/api/schools/{school}/audit", Audit, 200),
    ("POST", "/schools/{school}/concerns/{id}/answer", EditRecord, 400),
    // The Local Offer directory (R18): searched, a service added (no name: 400), one
    // that does not exist (404), a feed import with no feed (400).
    ("GET", "/schools/{school}/local-offer", Directory, 200),
    ("GET", "/schools/{school}/local-offer/new", EditDirectory, 200),
    ("POST", "/schools/{school}/local-offer/new", EditDirectory, 400),
    ("GET", "/schools/{school}/local-offer/{id}", Directory, 404),
    ("POST", "/schools/{school}/local-offer/{id}", EditDirectory, 404),
    ("POST", "/schools/{school}/local-offer/import", EditDirectory, 400),
    ("GET", "/api/schools/{school}/local-offer", Directory, 200),
    ("POST", "/api/schools/{school}/local-offer", EditDirectory, 400),
    ("GET", "/api/schools/{school}/local-offer/{id}", Directory, 404),
    ("PUT", "/api/schools/{school}/local-offer/{id}", EditDirectory, 404),
    ("POST", "/api/schools/{school}/local-offer/import", EditDirectory, 400),
    // Referrals from a pupil's record (R18, R35): a service not in the directory (400);
    // a referral that does not exist (404).
    ("GET", "/schools/{school}/pupils/{pupil}/referrals", ReadRecord, 200),
    ("POST", "/schools/{school}/pupils/{pupil}/referrals", EditRecord, 400),
    ("GET", "/schools/{school}/referrals/{id}", ReadRecord, 404),
    ("POST", "/schools/{school}/referrals/{id}", EditRecord, 404),
    ("GET", "/schools/{school}/referrals/{id}/recommendations/{index}", EditRecord, 404),
    ("POST", "/schools/{school}/referrals/{id}/recommendations/{index}", EditRecord, 404),
    ("POST", "/schools/{school}/referrals/{id}/reports", EditRecord, 404),
    ("GET", "/schools/{school}/referral-settings", EditCosts, 200),
    ("POST", "/schools/{school}/referral-settings", EditCosts, 400),
    ("GET", "/api/schools/{school}/referral-settings", EditCosts, 200),
    ("PUT", "/api/schools/{school}/referral-settings", EditCosts, 409),
    ("GET", "/schools/{school}/referrals/{id}/reports/{sha}", ReadRecord, 404),
    ("POST", "/api/schools/{school}/referrals/{id}/reports", EditRecord, 404),
    ("GET", "/api/schools/{school}/referrals/{id}/reports/{sha}", ReadRecord, 404),
    ("GET", "/api/schools/{school}/pupils/{pupil}/referrals", ReadRecord, 200),
    ("POST", "/api/schools/{school}/pupils/{pupil}/referrals", EditRecord, 400),
    ("GET", "/api/schools/{school}/referrals/{id}", ReadRecord, 404),
    ("POST", "/api/schools/{school}/referrals/{id}/consent", EditRecord, 404),
    ("POST", "/api/schools/{school}/referrals/{id}/steps", EditRecord, 404),
    ("PUT", "/api/schools/{school}/referrals/{id}/advice", EditRecord, 404),
    ("POST", "/api/schools/{school}/referrals/{id}/recommendations/{index}", EditRecord, 404),
    // A family's concern printed as their letter (the matrix's pupil has none with that id).
    ("GET", "/schools/{school}/pupils/{pupil}/concerns/{concern}/letter.pdf", ReadRecord, 404),
    ("GET", "/schools/{school}/pupils/{pupil}/access", EditRecord, 200),
    ("POST", "/schools/{school}/pupils/{pupil}/access", EditRecord, 400),
    ("POST", "/schools/{school}/pupils/{pupil}/access/{id}/withdraw", EditRecord, 303),
    ("GET", "/api/schools/{school}/pupils/{pupil}/access", EditRecord, 200),
    ("POST", "/api/schools/{school}/pupils/{pupil}/grants", EditRecord, 400),
    ("DELETE", "/api/schools/{school}/pupils/{pupil}/access/{id}", EditRecord, 204),
    ("GET", "/figures", Aggregates, 200),
    ("GET", "/figures.csv", Aggregates, 200),
    ("GET", "/admin/users", Administer, 200),
    ("POST", "/admin/users", Administer, 400),
    ("POST", "/admin/users/{id}/reset", Administer, 200),
    // The family portal.
    // A family with one child goes straight to that child's page.
    ("GET", "/portal", PortalHome, 303),
    ("GET", "/portal/pupils/{pupil}", Portal, 200),
    ("POST", "/portal/pupils/{pupil}/views", Portal, 400),
    ("POST", "/portal/pupils/{pupil}/concerns", Portal, 400),
    ("POST", "/portal/pupils/{pupil}/requests", Portal, 303),
    // Costing.
    ("GET", "/schools/{school}/costing", Costs, 200),
    ("GET", "/schools/{school}/costing/settings", Costs, 200),
    ("POST", "/schools/{school}/costing/settings/{part}", EditCosts, 400),
    ("GET", "/api/schools/{school}/costing/settings", Costs, 200),
    ("PUT", "/api/schools/{school}/costing/settings", EditCosts, 400),
    ("GET", "/schools/{school}/costing/budget", Costs, 200),
    ("GET", "/api/schools/{school}/costing/budget", Costs, 200),
    ("GET", "/api/schools/{school}/costing/budget.csv", Costs, 200),
    ("GET", "/schools/{school}/costing/provision-map", PupilCosts, 200),
    ("GET", "/api/schools/{school}/costing/provision-map", PupilCosts, 200),
    ("GET", "/api/schools/{school}/costing/provision-map.csv", PupilCosts, 200),
    ("GET", "/schools/{school}/costing/threshold", PupilCosts, 200),
    ("GET", "/api/schools/{school}/costing/threshold", PupilCosts, 200),
    ("GET", "/api/schools/{school}/costing/threshold.csv", PupilCosts, 200),
    ("GET", "/schools/{school}/costing/recap", PupilCosts, 200),
    ("GET", "/api/schools/{school}/costing/recap", PupilCosts, 200),
    ("GET", "/api/schools/{school}/costing/recap.csv", PupilCosts, 200),
    ("GET", "/schools/{school}/costing/impact", PupilCosts, 200),
    ("GET", "/api/schools/{school}/costing/impact", PupilCosts, 200),
    // The costing pages for recording measures and sessions show costs, so today they
    // are the SENCO's; teachers and TAs use the API for their own pupils.
    ("GET", "/schools/{school}/costing/impact/record", EditRecord, 200),
    ("POST", "/schools/{school}/costing/impact/record", EditRecord, 400),
    ("GET", "/schools/{school}/costing/delivery", PupilCosts, 200),
    ("POST", "/schools/{school}/costing/delivery", EditRecord, 400),
    ("GET", "/api/schools/{school}/costing/delivery", PupilCosts, 200),
];

/// Routes that end the session: each is sent with a session of its own.
pub fn signs_out(method: &str, pattern: &str) -> bool {
    matches!((method, pattern), ("POST", "/sign-out") | ("DELETE", "/api/session"))
}

/// How often a route is tried for each person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tries {
    /// Against every target: the route names a school, a pupil or one of their records.
    EveryTarget,
    /// Once: the route names nothing (the person's own school is implied).
    Once,
    /// Once, signed out and as the SENCO only: signing in with a wrong password, whose
    /// failures are limited per account and per address (`sign_in.rs` tests the limits).
    Anonymously,
}

pub fn how_often(method: &str, pattern: &str) -> Tries {
    if matches!((method, pattern), ("POST", "/sign-in") | ("POST", "/api/session")) {
        Tries::Anonymously
    } else if pattern.contains("{school}") || pattern.contains("{pupil}") || pattern.contains("/{id}") {
        Tries::EveryTarget
    } else {
        Tries::Once
    }
}

fn code(n: u16) -> StatusCode {
    StatusCode::from_u16(n).unwrap_or(StatusCode::IM_A_TEAPOT)
}

/// Whether the route is about the school as a whole (no pupil or record in its path).
fn about_the_school(pattern: &str) -> bool {
    pattern.contains("{school}") && !["{pupil}", "{cycle}", "{plan}", "{review}", "{id}", "{meeting}"].iter().any(|p| pattern.contains(p))
}

/// What `who` must get from a route following `rule`, for `target`; `ok` is what a
/// permitted person gets.
pub fn expected(rule: Rule, ok: u16, who: Option<Role>, target: Target, method: &str, pattern: &str) -> StatusCode {
    use Role::*;
    let api = pattern.starts_with("/api/");
    let writes = method != "GET";
    let Some(role) = who else {
        return match rule {
            Anyone(n) if !writes || pattern == "/api/session" => code(n),
            // No session, so no CSRF token: a change is refused before anything else.
            _ if writes => StatusCode::FORBIDDEN,
            _ if api => StatusCode::UNAUTHORIZED,
            _ => StatusCode::SEE_OTHER,
        };
    };
    // Another school's path, or one that does not exist, is not found, whoever asks.
    if about_the_school(pattern) && matches!(target, Target::Missing | Target::Foreign) {
        return StatusCode::NOT_FOUND;
    }
    let ok = code(ok);
    let views_records = matches!(role, Senco | Headteacher | Teacher | TeachingAssistant | ExternalProfessional);
    let sees = match role {
        Senco | Headteacher => matches!(target, Target::Own | Target::Other),
        Teacher | TeachingAssistant | ExternalProfessional => target == Target::Own,
        _ => false,
    };
    let exists = matches!(target, Target::Own | Target::Other);
    // A role that may see records but not do this gets 403; one that may not see
    // records at all gets 404, as if the page did not exist.
    let refused = if views_records { StatusCode::FORBIDDEN } else { StatusCode::NOT_FOUND };
    let may = |allowed: bool, reaches: bool| match (allowed, reaches) {
        (false, _) => refused,
        (true, true) => ok,
        (true, false) => StatusCode::NOT_FOUND,
    };
    match rule {
        Anyone(n) | SignedIn(n) => code(n),
        Home => StatusCode::SEE_OTHER,
        ReadRecord if sees => ok,
        ReadRecord => StatusCode::NOT_FOUND,
        EditRecord => may(role == Senco, exists),
        Contribute => may(matches!(role, Senco | Teacher), sees),
        LogDelivery => may(matches!(role, Senco | Teacher | TeachingAssistant), sees),
        MySessions => may(matches!(role, Senco | Teacher | TeachingAssistant), true),
        Portal if matches!(role, ParentCarer | YoungPerson) && target == Target::Own => ok,
        Portal => StatusCode::NOT_FOUND,
        PortalHome if matches!(role, ParentCarer | YoungPerson) => ok,
        PortalHome => StatusCode::NOT_FOUND,
        SchoolRecords if views_records => ok,
        SchoolRecords => StatusCode::NOT_FOUND,
        Concerns => may(role == Senco, true),
        Audit => may(matches!(role, Senco | Administrator), true),
        RecordResults => may(matches!(role, Senco | Teacher), true),
        Aggregates => may(matches!(role, Senco | Headteacher | Governor | Administrator | LaOfficer), true),
        Costs => may(matches!(role, Senco | Headteacher | Governor | Administrator), true),
        PupilCosts => may(matches!(role, Senco | Headteacher), true),
        EditCosts | EditDirectory | ExchangeData => may(matches!(role, Senco | Administrator), true),
        Directory if views_records || role == Administrator => ok,
        Directory => StatusCode::NOT_FOUND,
        Administer => may(role == Administrator, exists),
    }
}
