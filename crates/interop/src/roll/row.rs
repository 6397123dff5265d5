//! One data row of a roll checked field by field: every problem it has collected and
//! reported together, each with its line, its column and what was expected.

use super::*;

impl<R: Read> RollReader<R> {
    pub(super) fn row(&mut self, line: u64, breaks_inside: u64) -> Result<RollRow, Vec<RowProblem>> {
        let rec = &self.record;
        let width = self.header.len();
        let mut p = Problems { line, list: Vec::new() };
        if breaks_inside > MAX_BREAKS_IN_ROW {
            p.push(
                "row",
                "quote_left_open",
                format!(
                    "This row's values hold {breaks_inside} line breaks: a quote mark is probably left open, taking in the rows below it as part of a value. Close the quote and read the file again"
                ),
            );
            return Err(p.list);
        }
        if rec.len() < width {
            p.push(
                "row",
                "too_few_values",
                format!(
                    "This row has {} values but the header row names {width} columns: a value or a comma is missing, so which value belongs to which column cannot be told",
                    rec.len()
                ),
            );
            return Err(p.list);
        }
        if rec.iter().skip(width).any(|f| !decode(f).trim().is_empty()) {
            p.push(
                "row",
                "too_many_values",
                format!(
                    "This row has {} values but the header row names {width} columns: a value may hold a comma without quotes around it",
                    rec.len()
                ),
            );
            return Err(p.list);
        }
        let cols = &self.columns;
        let cell = |col: Col| -> Option<String> { cols.get(col).map(|i| decode(rec.get(i).unwrap_or_default()).trim().to_owned()) };
        let text = |i: usize| decode(rec.get(i).unwrap_or_default()).trim().to_owned();

        let upn_raw = cell(Col::Upn).unwrap_or_default();
        let upn = match Upn::parse(&upn_raw) {
            Ok(u) => Some(u),
            Err(e) => {
                p.push("upn", e.code(), upn_message(&e, &upn_raw));
                None
            }
        };
        if let Some(u) = &upn
            && let Ok(key) = <[u8; 13]>::try_from(u.as_str().as_bytes())
        {
            match self.seen.entry(key) {
                Entry::Occupied(first) => {
                    p.push("upn", "upn_duplicate", format!("Census error 1520: UPN {u} is also on line {}", first.get()));
                }
                Entry::Vacant(v) => {
                    v.insert(line);
                }
            }
        }
        let former_upn = match cell(Col::FormerUpn).filter(|s| !s.is_empty()) {
            None => None,
            Some(raw) => match Upn::parse(&raw) {
                Ok(f) if upn.as_ref() == Some(&f) => {
                    p.push(
                        "former_upn",
                        "former_upn_same_as_upn",
                        format!("The former UPN {f} is the same as the UPN: leave it empty unless the pupil had a different UPN before"),
                    );
                    None
                }
                Ok(f) => Some(f),
                Err(e) => {
                    p.push("former_upn", e.code(), format!("Former {}", upn_message(&e, &raw)));
                    None
                }
            },
        };
        let given_name = p.text(Col::Given, cell(Col::Given), true);
        let family_name = p.text(Col::Family, cell(Col::Family), true);
        let preferred_name = p.text(Col::Preferred, cell(Col::Preferred), false).filter(|n| Some(n) != given_name.as_ref());
        let date_of_birth = p.date(Col::Dob, cell(Col::Dob), true);
        let sex = match cell(Col::Sex).filter(|s| !s.is_empty()) {
            None => None,
            Some(raw) => Sex::parse(&raw).or_else(|| {
                p.push(
                    "sex",
                    "invalid_sex",
                    format!(
                        "{} is not a sex the census records: expected M or F (or Male, Female), or an empty cell when not known",
                        shown(&raw)
                    ),
                );
                None
            }),
        };
        let year_raw = cell(Col::Year).unwrap_or_default();
        let year_group = year_group(&year_raw);
        if year_group.is_none() {
            let message = if year_raw.is_empty() {
                "The year group is empty: expected N1, N2, R, 1 to 14, or X".to_owned()
            } else {
                format!(
                    "{} is not a year group: expected N1, N2, R, 1 to 14, or X (not following the National Curriculum)",
                    shown(&year_raw)
                )
            };
            p.push("year_group", if year_raw.is_empty() { "required" } else { "invalid_year_group" }, message);
        }
        let form = p.text(Col::Form, cell(Col::Form), false);
        let entry_date = p.date(Col::Entry, cell(Col::Entry), false);
        let leaving_date = p.date(Col::Leaving, cell(Col::Leaving), false);
        if let (Some(dob), Some(entry)) = (date_of_birth, entry_date)
            && entry < dob
        {
            p.push(
                "entry_date",
                "entry_before_birth",
                format!(
                    "The entry date {} is before the date of birth {}",
                    shown(&cell(Col::Entry).unwrap_or_default()),
                    shown(&cell(Col::Dob).unwrap_or_default())
                ),
            );
        }
        if let (Some(entry), Some(leaving)) = (entry_date, leaving_date)
            && leaving < entry
        {
            p.push(
                "leaving_date",
                "leaving_before_entry",
                format!(
                    "The leaving date {} is before the entry date {}",
                    shown(&cell(Col::Leaving).unwrap_or_default()),
                    shown(&cell(Col::Entry).unwrap_or_default())
                ),
            );
        }
        let status = match cell(Col::Status).filter(|s| !s.is_empty()) {
            None => None,
            Some(raw) => match status(&raw) {
                Some(s) if s.is_historic() => {
                    p.push(
                        "status",
                        "historic_status",
                        format!(
                            "{} is the historic code {} ({}): a roll holds current SEN status, N, K or E. Historic codes are taken only from a Common Transfer File",
                            shown(&raw),
                            s.code(),
                            s.meaning()
                        ),
                    );
                    None
                }
                Some(s) => Some(s),
                None => {
                    p.push(
                        "status",
                        "invalid_status",
                        format!("{} is not a SEN status: expected N (no SEN), K (SEN support) or E (EHC plan)", shown(&raw)),
                    );
                    None
                }
            },
        };

        // Needs: ranked columns, or one list.
        let mut needs: Vec<RankedNeed> = Vec::new();
        let mut issues: Vec<Issue> = Vec::new();
        let mut codes_ok = true;
        if let Some(raw) = cell(Col::Needs) {
            let tokens = raw.split([';', ',', '|']).map(str::trim).filter(|t| !t.is_empty());
            if tokens.clone().nth(needs::MAX_NEEDS).is_some() {
                codes_ok = false;
                issues.push(Issue {
                    code: "too_many_needs",
                    message: format!(
                        "The types of need hold more than {} codes: there are {} census codes, each given once",
                        needs::MAX_NEEDS,
                        NeedCode::ALL.len()
                    ),
                });
            }
            for (position, token) in tokens.take(needs::MAX_NEEDS).enumerate() {
                let (code_raw, rank) = match token.split_once(':') {
                    Some((code, rank)) => match rank.trim().parse::<u8>() {
                        Ok(r) if r >= 1 => (code, r),
                        _ => {
                            codes_ok = false;
                            issues.push(Issue {
                                code: "need_rank_invalid",
                                message: format!("{}: the rank after the colon must be a whole number from 1", shown(token)),
                            });
                            continue;
                        }
                    },
                    None => (token, u8::try_from(position + 1).unwrap_or(u8::MAX)),
                };
                match NeedCode::parse(code_raw) {
                    Some(code) => needs.push(RankedNeed { rank, code }),
                    None => {
                        codes_ok = false;
                        issues.push(needs::unknown_code(code_raw));
                    }
                }
            }
        }
        for &(rank, i) in &cols.ranked {
            let raw = text(i);
            if raw.is_empty() {
                continue;
            }
            let code_text = raw.split_once(" - ").map_or(raw.as_str(), |(code, _)| code);
            match needs::parse_code(code_text).or_else(|| needs::parse_code(&raw)) {
                Some(code) => needs.push(RankedNeed { rank, code }),
                None => {
                    codes_ok = false;
                    issues.push(needs::unknown_code(&raw));
                }
            }
        }
        if codes_ok {
            issues.extend(needs::check_ranks(&needs));
        }
        match status {
            Some(SenStatus::N) if !needs.is_empty() => issues.push(needs::need_for_status_n(&needs)),
            Some(SenStatus::E) if needs.iter().any(|n| n.code == NeedCode::Nsa) => issues.push(needs::nsa_for_ehc_plan()),
            _ => {}
        }
        for issue in issues {
            p.push("needs", issue.code, issue.message);
        }
        needs.sort_by_key(|n| n.rank);

        match (upn, given_name, family_name, date_of_birth, year_group) {
            (Some(upn), Some(given_name), Some(family_name), Some(date_of_birth), Some(year_group)) if p.list.is_empty() => Ok(RollRow {
                line,
                upn,
                former_upn,
                given_name,
                family_name,
                preferred_name,
                date_of_birth,
                sex,
                year_group,
                form,
                entry_date,
                leaving_date,
                status,
                needs,
            }),
            _ => Err(p.list),
        }
    }
}

/// Problems of one row, collected so the row reports them all together.
struct Problems {
    line: u64,
    list: Vec<RowProblem>,
}

impl Problems {
    fn push(&mut self, field: &'static str, code: impl Into<String>, message: impl Into<String>) {
        self.list.push(RowProblem { line: self.line, field, code: code.into(), message: message.into() });
    }

    /// A name or other short text: trimmed, at most [`MAX_TEXT_CHARS`] characters, no
    /// control characters. `None` when empty (a problem if `required`) or refused.
    fn text(&mut self, col: Col, raw: Option<String>, required: bool) -> Option<String> {
        let raw = raw.unwrap_or_default();
        if raw.is_empty() {
            if required {
                self.push(col.field(), "required", format!("The {} is empty: it is required", col.what()));
            }
            return None;
        }
        let mut ok = true;
        let chars = raw.chars().count();
        if chars > MAX_TEXT_CHARS {
            ok = false;
            self.push(
                col.field(),
                "too_long",
                format!("The {} {} is {chars} characters long: at most {MAX_TEXT_CHARS} are allowed", col.what(), shown(&raw)),
            );
        }
        if let Some(c) = raw.chars().find(|c| c.is_control()) {
            ok = false;
            self.push(
                col.field(),
                "control_character",
                format!(
                    "The {} {} holds an invisible control character (U+{:04X}), such as a tab or a line break inside the cell: only letters, spaces and punctuation are allowed",
                    col.what(),
                    shown(&raw),
                    u32::from(c)
                ),
            );
        }
        ok.then_some(raw)
    }

    fn date(&mut self, col: Col, raw: Option<String>, required: bool) -> Option<NaiveDate> {
        let raw = raw.unwrap_or_default();
        if raw.is_empty() {
            if required {
                self.push(col.field(), "required", format!("The {} is empty: it is required", col.what()));
            }
            return None;
        }
        match parse_date(&raw) {
            Ok(d) => Some(d),
            Err(DateError::TwoDigitYear) => {
                self.push(
                    col.field(),
                    "ambiguous_date",
                    format!(
                        "The {} {} has a two-digit year, so its century is unknown: write the year in full, as dd/mm/yyyy or yyyy-mm-dd",
                        col.what(),
                        shown(&raw)
                    ),
                );
                None
            }
            Err(DateError::NoSuchDay) => {
                self.push(col.field(), "invalid_date", format!("The {} {} is not a day of the calendar", col.what(), shown(&raw)));
                None
            }
            Err(DateError::Form) => {
                self.push(
                    col.field(),
                    "invalid_date",
                    format!("The {} {} is not a date: expected dd/mm/yyyy or yyyy-mm-dd", col.what(), shown(&raw)),
                );
                None
            }
        }
    }
}
