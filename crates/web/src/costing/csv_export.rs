//! CSV exports of the costing reports, for the local authority (the costed
//! provision map that goes with a request for top-up funding), for governors (the
//! budget) and for staff (the meeting recap). Written with the `csv` crate, so
//! quoting is always right; money is plain pounds ("1234.56"), hours to 2 dp.

use senplan_core::costing::{BudgetReport, BudgetRow, ProvisionMap, RecapRow, ThresholdReport, percent_from_basis_points};
use senplan_core::need::BroadArea;

use crate::error::ApiError;

/// A CSV being written. Cells come from people (names, provision typed by staff) and
/// the file goes to spreadsheets: every cell a spreadsheet would run as a formula
/// (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) is written with a
/// leading `'`, so it shows as the text it is. Plain numbers ("-12.50") stay numbers.
pub(crate) struct Sheet(csv::Writer<Vec<u8>>);

impl Sheet {
    pub(crate) fn new() -> Self {
        Self(csv::Writer::from_writer(Vec::new()))
    }

    pub(crate) fn write_record<I, S>(&mut self, cells: I) -> Result<(), csv::Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let cells: Vec<String> = cells.into_iter().map(|c| neutralised(c.as_ref())).collect();
        self.0.write_record(&cells)
    }
}

/// The cell as a spreadsheet will show it, never as a formula it would run.
fn neutralised(cell: &str) -> String {
    let is_number = {
        let digits = cell.strip_prefix('-').unwrap_or(cell);
        let digits = digits.strip_suffix('%').unwrap_or(digits);
        !digits.is_empty()
            && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
            && digits.chars().filter(|c| *c == '.').count() <= 1
            && digits.chars().next().is_some_and(|c| c.is_ascii_digit())
    };
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') if !is_number => format!("'{cell}"),
        _ => cell.to_owned(),
    }
}

pub(crate) fn finish(w: Sheet) -> Result<Vec<u8>, ApiError> {
    w.0.into_inner().map_err(|e| {
        tracing::error!(error = %e, "csv export failed");
        ApiError::Internal
    })
}

pub(crate) fn fail(e: csv::Error) -> ApiError {
    tracing::error!(error = %e, "csv export failed");
    ApiError::Internal
}

fn opt_percent(bp: Option<i64>) -> String {
    bp.map(percent_from_basis_points).unwrap_or_default()
}

fn area(a: Option<BroadArea>) -> String {
    a.map(|a| a.label().to_owned()).unwrap_or_default()
}

/// One row per provision per pupil, `pupil` alone if given.
pub fn provision_map(m: &ProvisionMap, pupil: Option<i64>) -> Result<Vec<u8>, ApiError> {
    let mut w = Sheet::new();
    w.write_record([
        "Pupil",
        "Year group",
        "Area of need",
        "Provision",
        "Provision type",
        "Delivered by",
        "Staff role",
        "How often",
        "Group size",
        "Pupil's share",
        "Start",
        "End",
        "Hours per week (pupil's share)",
        "Cost per year (pounds)",
        "Range from",
        "Range to",
        "School weeks in range",
        "Hours in range",
        "Cost in range (pounds)",
        "Not costed because",
    ])
    .map_err(fail)?;
    for p in m.pupils.iter().filter(|p| pupil.is_none_or(|id| id == p.pupil_id)) {
        for l in &p.lines {
            let period = l.period.as_ref();
            w.write_record([
                p.name.clone(),
                p.year_group.clone(),
                area(p.area),
                l.what.clone(),
                l.provision_type_label.clone().unwrap_or_default(),
                l.delivered_by.clone(),
                l.staff_role.clone().unwrap_or_default(),
                l.how_often.clone(),
                l.group_size.to_string(),
                percent_from_basis_points(l.share_bp),
                l.start.to_string(),
                l.end.map(|d| d.to_string()).unwrap_or_default(),
                l.hours_per_week.clone(),
                l.annual_cost.map(|c| c.plain()).unwrap_or_default(),
                m.from.to_string(),
                m.to.to_string(),
                period.map(|p| p.school_weeks.to_decimal(1)).unwrap_or_default(),
                period.map(|p| p.hours.clone()).unwrap_or_default(),
                period.and_then(|p| p.cost).map(|c| c.plain()).unwrap_or_default(),
                l.not_costed.clone().unwrap_or_default(),
            ])
            .map_err(fail)?;
        }
    }
    finish(w)
}

/// One row per pupil against the threshold.
pub fn threshold(r: &ThresholdReport) -> Result<Vec<u8>, ApiError> {
    let mut w = Sheet::new();
    w.write_record([
        "Pupil",
        "Year group",
        "Area of need",
        "Hours per week",
        "Cost per year (pounds)",
        "Threshold (pounds)",
        "Over by (pounds)",
        "Under by (pounds)",
        "Element 3 candidate",
    ])
    .map_err(fail)?;
    for p in &r.pupils {
        let t = p.threshold.as_ref();
        w.write_record([
            p.name.clone(),
            p.year_group.clone(),
            area(p.area),
            p.hours_per_week.clone(),
            p.annual_cost.plain(),
            r.threshold.plain(),
            t.map(|t| t.over_by.plain()).unwrap_or_default(),
            t.map(|t| t.under_by.plain()).unwrap_or_default(),
            if t.is_some_and(|t| t.element3_candidate) { "yes" } else { "no" }.to_owned(),
        ])
        .map_err(fail)?;
    }
    finish(w)
}

/// The budget, its total, then each breakdown.
pub fn budget(b: &BudgetReport) -> Result<Vec<u8>, ApiError> {
    let mut w = Sheet::new();
    w.write_record(["Breakdown", "Key", "Label", "Committed (pounds)", "Share of budget", "Share of committed"]).map_err(fail)?;
    let year = format!("{} to {}", b.year_start, b.year_end);
    w.write_record(["Budget", "budget", &format!("Notional SEN budget {year}"), &b.budget.plain(), "100.00%", ""]).map_err(fail)?;
    w.write_record(["Total", "committed", "Committed provision", &b.committed.plain(), &opt_percent(b.used_bp), "100.00%"])
        .map_err(fail)?;
    w.write_record(["Total", "remaining", "Remaining", &b.remaining.plain(), "", ""]).map_err(fail)?;
    let mut rows = |name: &str, rows: &[BudgetRow]| -> Result<(), ApiError> {
        for r in rows {
            w.write_record([name, &r.key, &r.label, &r.committed.plain(), &opt_percent(r.of_budget_bp), &opt_percent(r.of_committed_bp)])
                .map_err(fail)?;
        }
        Ok(())
    };
    rows("Area of need", &b.by_area)?;
    rows("Provision type", &b.by_provision_type)?;
    rows("Year group", &b.by_year_group)?;
    finish(w)
}

/// Who gives which provision to whom, how often, and what is planned.
pub fn recap(rows: &[RecapRow]) -> Result<Vec<u8>, ApiError> {
    let mut w = Sheet::new();
    w.write_record([
        "Delivered by",
        "Staff role",
        "Pupil",
        "Year group",
        "Provision",
        "Provision type",
        "How often",
        "Start",
        "End",
        "What is planned",
        "Strategies for all staff",
        "Responsible",
        "Review date",
    ])
    .map_err(fail)?;
    for r in rows {
        w.write_record([
            r.delivered_by.clone(),
            r.staff_role.clone().unwrap_or_default(),
            r.name.clone(),
            r.year_group.clone(),
            r.what.clone(),
            r.provision_type_label.clone().unwrap_or_default(),
            r.how_often.clone(),
            r.start.to_string(),
            r.end.map(|d| d.to_string()).unwrap_or_default(),
            r.outcomes.join("; "),
            r.strategies.join("; "),
            r.responsible.clone(),
            r.review_date.to_string(),
        ])
        .map_err(fail)?;
    }
    finish(w)
}

/// Counts already suppressed (R25), one per row: table, measure, pupils.
pub fn counts<'a>(rows: impl Iterator<Item = (&'a str, &'a (String, String))>) -> Result<Vec<u8>, ApiError> {
    let mut w = Sheet::new();
    w.write_record(["Table", "Measure", "Pupils"]).map_err(fail)?;
    for (table, (measure, pupils)) in rows {
        w.write_record([table, measure.as_str(), pupils.as_str()]).map_err(fail)?;
    }
    finish(w)
}

/// The top-up application (R16): one row per line of the costed provision map with
/// its working (hourly cost, the pupil's hours a week, weeks a year, the full-year
/// cost, the school days it runs of the year's), then the total, the threshold and the
/// amount above it.
pub fn topup(doc: &senplan_docs::TopUpApplication) -> Result<Vec<u8>, ApiError> {
    let mut w = Sheet::new();
    w.write_record([
        "Row",
        "Provision",
        "Delivered by",
        "Staff role",
        "How often",
        "Group size",
        "Start",
        "End",
        "Hours per week (pupil's share)",
        "Hourly cost (pounds)",
        "Weeks per year",
        "Full-year cost (pounds)",
        "School days running",
        "School days in the year",
        "Cost this year (pounds)",
        "Not costed because",
    ])
    .map_err(fail)?;
    for l in &doc.lines {
        let wk = l.working.as_ref();
        w.write_record([
            "Provision".to_owned(),
            l.what.clone(),
            l.delivered_by.clone(),
            l.staff_role.clone().unwrap_or_default(),
            l.how_often.clone(),
            l.group_size.to_string(),
            l.start.to_string(),
            l.end.map(|d| d.to_string()).unwrap_or_default(),
            l.hours_per_week.clone(),
            wk.map(|w| w.hourly_cost.plain()).unwrap_or_default(),
            wk.map(|w| w.weeks_per_year.to_string()).unwrap_or_default(),
            wk.map(|w| w.full_year.plain()).unwrap_or_default(),
            wk.map(|w| w.days_running.to_string()).unwrap_or_default(),
            wk.map(|w| w.days_in_year.to_string()).unwrap_or_default(),
            l.annual_cost.map(|c| c.plain()).unwrap_or_default(),
            l.not_costed.clone().unwrap_or_default(),
        ])
        .map_err(fail)?;
    }
    let year = format!("{} to {}", doc.year_start, doc.year_end);
    for (row, label, amount) in [
        ("Total", format!("Cost of the support in {year}"), doc.annual_cost),
        ("Threshold", "Met by the school (Element 2 threshold)".to_owned(), doc.threshold),
        ("Above threshold", "Asked for: the amount above the threshold".to_owned(), doc.above_threshold()),
    ] {
        let mut cells = vec![String::new(); 16];
        cells[0] = row.to_owned();
        cells[1] = label;
        cells[14] = amount.plain();
        w.write_record(cells).map_err(fail)?;
    }
    finish(w)
}

/// A CSV download response.
pub fn download(filename: &str, bytes: Vec<u8>) -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
        ],
        bytes,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_shown_as_text_and_numbers_stay_numbers() {
        for (given, written) in [
            ("=HYPERLINK(\"http://x.example\",\"click\")", "'=HYPERLINK(\"http://x.example\",\"click\")"),
            ("+44 1234", "'+44 1234"),
            ("-1+2", "'-1+2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tTab", "'\tTab"),
            ("\rReturn", "'\rReturn"),
            ("-12.50", "-12.50"),
            ("-", "'-"),
            ("12.5%", "12.5%"),
            ("Speech and language group", "Speech and language group"),
            ("Anne-Marie", "Anne-Marie"),
            ("", ""),
        ] {
            assert_eq!(neutralised(given), written, "{given:?}");
        }
    }

    #[test]
    fn the_file_written_carries_the_neutralised_cell() {
        let mut w = Sheet::new();
        w.write_record(["=1+1", "3.00"]).unwrap();
        assert_eq!(String::from_utf8(finish(w).unwrap()).unwrap(), "'=1+1,3.00\n");
    }
}
