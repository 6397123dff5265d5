//! School rolls as MIS exports write them (R24): the files under `fixtures/` are written
//! for these tests and every pupil in them is invented.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use senplan_core::need::NeedCode::*;
use senplan_core::pupil::{Sex, YearGroup};
use senplan_core::status::SenStatus;
use senplan_core::upn::Upn;
use senplan_interop::roll::{RollFileError, RollReader, RollRow, RolledNeed, RowProblem};

const SIMS: &[u8] = include_bytes!("fixtures/roll_sims.csv");
const ARBOR: &[u8] = include_bytes!("fixtures/roll_arbor.csv");
const LATIN1: &[u8] = include_bytes!("fixtures/roll_latin1.csv");
const COMBINING: &[u8] = include_bytes!("fixtures/roll_combining_marks.csv");
const EVERY_ERROR: &[u8] = include_bytes!("fixtures/roll_every_error.csv");

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn upn(s: &str) -> Upn {
    Upn::parse(s).unwrap()
}

fn need(rank: u8, code: senplan_core::need::NeedCode) -> RolledNeed {
    RolledNeed { rank, code }
}

fn read_all(bytes: &[u8]) -> Vec<Result<RollRow, Vec<RowProblem>>> {
    RollReader::new(bytes).unwrap().collect()
}

fn rows(bytes: &[u8]) -> Vec<RollRow> {
    read_all(bytes).into_iter().map(|r| r.unwrap()).collect()
}

#[test]
fn r24_the_test_upns_are_valid() {
    assert_eq!(Upn::from_parts(380, 2001, 24, 1).unwrap().as_str(), "E380200124001");
    assert_eq!(Upn::from_parts(801, 2000, 25, 1).unwrap().as_str(), "W801200025001");
}

#[test]
fn r24_roll_a_sims_style_export_with_bom_and_crlf_is_read() {
    let reader = RollReader::new(SIMS).unwrap();
    assert_eq!(reader.header()[0], "UPN", "the byte order mark is not part of the heading");
    assert_eq!(reader.ignored_columns(), ["Ethnicity"]);
    assert!(reader.has_status() && reader.has_needs());
    let rows: Vec<RollRow> = reader.map(Result::unwrap).collect();
    assert_eq!(rows.len(), 4);
    let amara = &rows[0];
    assert_eq!(
        *amara,
        RollRow {
            line: 2,
            upn: upn("E380200124001"),
            former_upn: None,
            given_name: "Amara".into(),
            family_name: "Okafor".into(),
            preferred_name: None,
            date_of_birth: d(2016, 3, 4),
            sex: Some(Sex::Female),
            year_group: YearGroup::Year(4),
            form: Some("4B".into()),
            entry_date: Some(d(2020, 9, 1)),
            leaving_date: None,
            status: Some(SenStatus::K),
            needs: vec![need(1, Slcn), need(2, Semh)],
        }
    );
    let tom = &rows[1];
    assert_eq!((tom.line, tom.preferred_name.as_deref()), (3, Some("Tom")));
    assert_eq!((tom.year_group, tom.status), (YearGroup::Year(5), Some(SenStatus::E)));
    assert_eq!(tom.needs, [need(1, Asd)], "a need written out in full is read as its code");
    let ella = &rows[2];
    assert_eq!(ella.preferred_name, None, "a preferred name equal to the legal one is no preferred name");
    assert_eq!((ella.date_of_birth, ella.entry_date), (d(2014, 7, 9), Some(d(2019, 9, 2))));
    assert_eq!((ella.status, ella.needs.len()), (Some(SenStatus::N), 0));
    let yusuf = &rows[3];
    assert_eq!(
        (yusuf.line, yusuf.year_group, yusuf.status, yusuf.needs.len()),
        (5, YearGroup::Reception, Some(SenStatus::K), 0),
        "K without a need is allowed"
    );
}

#[test]
fn r24_roll_an_arbor_style_export_with_quoted_newlines_keeps_its_line_numbers() {
    let reader = RollReader::new(ARBOR).unwrap();
    assert_eq!(reader.ignored_columns(), ["Address"]);
    let all: Vec<_> = reader.collect();
    assert_eq!(all.len(), 5);
    let priya = all[0].as_ref().unwrap();
    assert_eq!((priya.line, priya.given_name.as_str(), priya.family_name.as_str()), (2, "Priya", "Shah"));
    assert_eq!((priya.sex, priya.status, priya.form.as_deref()), (Some(Sex::Female), Some(SenStatus::K), Some("6 Oak")));
    assert_eq!(priya.needs, [need(1, Spld), need(2, Slcn)]);
    // The address of line 2 runs onto line 3, so the next row starts on line 4; its name
    // holds a line break, which no name may.
    let jo = all[1].as_ref().unwrap_err();
    assert_eq!(jo.len(), 1);
    assert_eq!((jo[0].line, jo[0].field, jo[0].code.as_str()), (4, "given_name", "control_character"));
    assert_eq!(
        jo[0].to_string(),
        "line 4, given_name: The legal given name 'Jo\\nAnne' holds an invisible control character (U+000A), such as a tab or a line break inside the cell: only letters, spaces and punctuation are allowed"
    );
    let sam = all[2].as_ref().unwrap();
    assert_eq!((sam.line, sam.preferred_name.as_deref(), sam.year_group), (6, Some("Sammy"), YearGroup::Reception));
    assert_eq!((sam.entry_date, sam.leaving_date), (Some(d(2025, 9, 3)), Some(d(2026, 7, 17))));
    assert_eq!((sam.status, sam.needs.clone()), (Some(SenStatus::E), vec![need(1, Asd), need(2, Hi)]));
    let noor = all[3].as_ref().unwrap();
    assert_eq!((noor.line, noor.status), (7, None), "an empty status cell is no status");
    let alex = all[4].as_ref().unwrap();
    assert_eq!((alex.line, alex.sex, alex.status), (10, None, Some(SenStatus::N)), "the address of line 7 spans three lines");
}

#[test]
fn r24_roll_latin1_bytes_are_decoded_field_by_field() {
    let rows = rows(LATIN1);
    assert_eq!(rows[0].given_name, "Zoë", "0x5A 0x6F 0xEB is Latin-1");
    assert_eq!(rows[0].family_name, "Müller");
    assert_eq!(rows[1].given_name, "Zoë", "UTF-8 in the same file stays UTF-8");
    assert_eq!(rows[1].family_name, "Müller");
}

#[test]
fn r24_roll_a_name_with_combining_marks_counts_characters() {
    let rows = rows(COMBINING);
    assert_eq!(rows[0].given_name, "Ame\u{301}lie Noe\u{308}l");
    assert_eq!(rows[0].given_name.chars().count(), 13);
    assert!(rows[0].given_name.len() > 13, "more bytes than characters");
    let at_limit = format!("UPN,Forename,Surname,DOB,Year\nE380200124001,{},Lee,2016-05-05,4\n", "e\u{301}".repeat(50));
    assert!(read_all(at_limit.as_bytes())[0].is_ok(), "100 characters, 150 bytes: accepted");
    let over = format!("UPN,Forename,Surname,DOB,Year\nE380200124001,{}x,Lee,2016-05-05,4\n", "e\u{301}".repeat(50));
    assert_eq!(read_all(over.as_bytes())[0].as_ref().unwrap_err()[0].code, "too_long");
}

#[test]
fn r24_roll_every_kind_of_error_names_its_line_and_field() {
    let all = read_all(EVERY_ERROR);
    let first = all[0].as_ref().unwrap();
    assert_eq!((first.line, first.upn.as_str()), (2, "E380200124001"));
    let last = all.last().unwrap().as_ref().unwrap();
    assert_eq!((last.line, last.former_upn.as_ref().map(Upn::as_str)), (37, Some("W801200025001")));
    assert_eq!((last.preferred_name.as_deref(), last.needs.clone()), (Some("Zee"), vec![need(1, Asd), need(2, Semh)]));
    let problems: Vec<(u64, &str, &str)> =
        all.iter().filter_map(|r| r.as_ref().err()).flatten().map(|p| (p.line, p.field, p.code.as_str())).collect();
    assert_eq!(
        problems,
        [
            (3, "upn", "upn_missing"),
            (4, "upn", "upn_wrong_check_letter"),
            (5, "upn", "upn_unknown_la"),
            (6, "upn", "upn_not_numeric"),
            (7, "upn", "upn_bad_final_character"),
            (8, "upn", "upn_wrong_length"),
            (9, "upn", "upn_duplicate"),
            (10, "former_upn", "upn_wrong_check_letter"),
            (11, "former_upn", "former_upn_same_as_upn"),
            (12, "given_name", "required"),
            (13, "family_name", "too_long"),
            (14, "given_name", "control_character"),
            (15, "date_of_birth", "required"),
            (16, "date_of_birth", "ambiguous_date"),
            (17, "date_of_birth", "invalid_date"),
            (18, "date_of_birth", "invalid_date"),
            (19, "sex", "invalid_sex"),
            (20, "year_group", "invalid_year_group"),
            (21, "entry_date", "entry_before_birth"),
            (22, "leaving_date", "leaving_before_entry"),
            (23, "status", "invalid_status"),
            (24, "status", "historic_status"),
            (25, "needs", "unknown_need_code"),
            (26, "needs", "need_for_status_n"),
            (27, "needs", "nsa_for_ehc_plan"),
            (28, "needs", "need_rank_repeated"),
            (29, "needs", "need_ranks_not_from_1"),
            (30, "needs", "need_repeated"),
            (31, "needs", "need_ranks_gap"),
            (32, "row", "too_few_values"),
            (33, "form", "too_long"),
            (34, "entry_date", "invalid_date"),
            (35, "needs", "need_rank_invalid"),
            (36, "row", "too_many_values"),
        ]
    );
    assert_eq!(all.len(), 36, "one item per data row");
    let message = |line: u64| all.iter().filter_map(|r| r.as_ref().err()).flatten().find(|p| p.line == line).unwrap().to_string();
    assert_eq!(message(3), "line 3, upn: Census error 1500: UPN is missing: expected 13 characters");
    assert_eq!(message(4), "line 4, upn: Census error 1510: UPN check letter is wrong: expected U, found Z, in 'Z380200124002'");
    assert_eq!(
        message(5),
        "line 5, upn: Census error 1530: UPN characters 2-4 must be a recognised local authority number, found 900, in 'R900400001001'"
    );
    assert_eq!(
        message(6),
        "line 6, upn: Census error 1540: UPN character 12 must be a digit (characters 2-12 are all digits), in 'H3802001240X3'"
    );
    assert_eq!(
        message(7),
        "line 7, upn: Census error 1550: UPN character 13 must be a digit or a letter other than I, O and S, found 'I', in 'E87370032552I'"
    );
    assert_eq!(message(8), "line 8, upn: UPN must be 13 characters, found 12, in 'A38020012441'");
    assert_eq!(message(9), "line 9, upn: Census error 1520: UPN E380200124001 is also on line 2");
    assert_eq!(
        message(10),
        "line 10, former_upn: Former Census error 1510: UPN check letter is wrong: expected A, found Z, in 'Z380200124417'"
    );
    assert_eq!(
        message(16),
        "line 16, date_of_birth: The date of birth '04/03/16' has a two-digit year, so its century is unknown: write the year in full, as dd/mm/yyyy or yyyy-mm-dd"
    );
    assert_eq!(message(17), "line 17, date_of_birth: The date of birth '31/02/2015' is not a day of the calendar");
    assert_eq!(message(21), "line 21, entry_date: The entry date '01/09/2010' is before the date of birth '04/03/2016'");
    assert_eq!(
        message(24),
        "line 24, status: 'S' is the historic code S (Statement of SEN (before 2018)): a roll holds current SEN status, N, K or E. Historic codes are taken only from a Common Transfer File"
    );
    assert_eq!(
        message(25),
        "line 25, needs: 'ADHD' is not a census type-of-need code: expected one of SPLD, MLD, SLD, PMLD, SLCN, ASD, SEMH, HI, VI, MSI, PD, DS, OTH, NSA"
    );
    assert_eq!(
        message(26),
        "line 26, needs: SEN status N (no special educational needs) cannot have types of need, but SLCN is given: change the status to K or E, or remove the needs"
    );
    assert_eq!(message(28), "line 28, needs: SLCN and ASD are both at rank 1: each rank holds one need (1 primary, 2 secondary, …)");
    assert_eq!(message(29), "line 29, needs: The needs start at rank 2: the primary need must be rank 1");
    assert_eq!(message(30), "line 30, needs: SLCN is given twice (ranks 1 and 3): each type of need is recorded once");
    assert_eq!(message(31), "line 31, needs: The ranks run 1, 3: they must run 1, 2, 3 … without gaps");
    assert_eq!(
        message(32),
        "line 32, row: This row has 6 values but the header row names 13 columns: a value or a comma is missing, so which value belongs to which column cannot be told"
    );
}

#[test]
fn r24_roll_a_row_reports_all_its_problems_together() {
    let csv = "UPN,Forename,Surname,DOB,Year,SEN,Need 1,Need 2\nZ380200124002,,Lee,31/02/2015,Y15,P,,SEMH\n";
    let problems = read_all(csv.as_bytes()).remove(0).unwrap_err();
    let codes: Vec<(&str, &str)> = problems.iter().map(|p| (p.field, p.code.as_str())).collect();
    assert_eq!(
        codes,
        [
            ("upn", "upn_wrong_check_letter"),
            ("given_name", "required"),
            ("date_of_birth", "invalid_date"),
            ("year_group", "invalid_year_group"),
            ("status", "historic_status"),
            ("needs", "need_ranks_not_from_1"),
        ]
    );
    assert!(problems.iter().all(|p| p.line == 2));
}

#[test]
fn r24_roll_ranked_need_columns_beyond_two() {
    let csv = "upn,first_name,last_name,birth_date,curriculum_year,sen_provision,sen_need_1,sen_need_2,sen_need_3\nE380200124001,A,B,2016-01-01,3,K,SLCN,SEMH,HI\n";
    assert_eq!(rows(csv.as_bytes())[0].needs, [need(1, Slcn), need(2, Semh), need(3, Hi)]);
}

#[test]
fn r24_roll_files_that_cannot_be_read_say_what_was_expected_and_found() {
    assert_eq!(RollReader::new(&b""[..]).unwrap_err(), RollFileError::Empty);
    assert_eq!(RollReader::new(&b"\xEF\xBB\xBF\r\n"[..]).unwrap_err(), RollFileError::Empty);
    let missing = RollReader::new(&b"Name,Class,DOB\nA,B,C\n"[..]).unwrap_err();
    assert_eq!(
        missing,
        RollFileError::MissingColumns {
            missing: vec!["UPN", "Legal Forename", "Legal Surname", "Year"],
            found: vec!["Name".into(), "Class".into(), "DOB".into()]
        }
    );
    assert_eq!(
        missing.to_string(),
        "The header row has no column for the UPN (a column headed \"UPN\", \"Unique Pupil Number\"); nor for the legal given name (a column headed \"Legal Forename\", \"Forename\", \"First Name\", \"Legal First Name\", \"Given Name\"); nor for the legal family name (a column headed \"Legal Surname\", \"Surname\", \"Last Name\", \"Family Name\"); nor for the year group (a column headed \"Year\", \"Year Group\", \"NC Year\", \"NC Year Actual\", \"Curriculum Year\"). The header row read was: \"Name\", \"Class\", \"DOB\""
    );
    let semicolons = RollReader::new(&b"UPN;Forename;Surname;DOB;Year\n"[..]).unwrap_err();
    assert!(
        semicolons.to_string().ends_with("It looks separated by semicolons or tabs: export the roll with commas between the columns"),
        "{semicolons}"
    );
    let duplicate = RollReader::new(&b"UPN,Forename,Legal Forename,Surname,DOB,Year\n"[..]).unwrap_err();
    assert_eq!(
        duplicate,
        RollFileError::DuplicateColumn {
            what: "legal given name",
            first: "Forename".into(),
            second: "Legal Forename".into(),
            found: ["UPN", "Forename", "Legal Forename", "Surname", "DOB", "Year"].map(String::from).to_vec(),
        }
    );
    let both_needs = RollReader::new(&b"UPN,Forename,Surname,DOB,Year,Primary Need,SEN Needs\n"[..]).unwrap_err();
    assert!(matches!(both_needs, RollFileError::DuplicateColumn { what: "types of need", .. }));
    let xlsx = RollReader::new(&b"PK\x03\x04\x14\x00\x06\x00"[..]).unwrap_err();
    assert_eq!(
        xlsx.to_string(),
        "The file is not a CSV file: it is an Excel workbook (.xlsx) or another zip file. Export the roll from the MIS as CSV (comma-separated values) and try again"
    );
    assert!(matches!(RollReader::new(&b"UPN\x00,x\n"[..]).unwrap_err(), RollFileError::NotCsv { .. }));
    assert!(RollReader::new(&b"\xFF\xFEU\x00P\x00N\x00"[..]).unwrap_err().to_string().contains("UTF-16"));
    let quoted_after_bom = RollReader::new(&b"\xEF\xBB\xBF\"UPN\",\"Forename\",\"Surname\",\"DOB\",\"Year\"\r\n"[..]).unwrap();
    assert_eq!(quoted_after_bom.header(), ["UPN", "Forename", "Surname", "DOB", "Year"]);
    let open_quote = RollReader::new(&b"UPN,\"Forename,Surname,DOB,Year\nE380200124001,A,B,2016-01-01,3\n"[..]).unwrap_err();
    assert_eq!(
        open_quote.to_string(),
        "The file is not a CSV file: its first line has a heading 56 characters long running over several lines: a quote mark may be left open, so the header row cannot be told apart from the rows. Export the roll from the MIS as CSV (comma-separated values) and try again"
    );
}

#[test]
fn r24_roll_blank_rows_are_skipped_and_lines_still_counted() {
    let csv = "UPN,Forename,Surname,DOB,Year\n,,,,\n\nE380200124001,A,B,2016-01-01,3\n , , , , \n";
    let all = read_all(csv.as_bytes());
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].as_ref().unwrap().line, 4);
}

#[test]
fn r24_roll_old_mac_line_endings_are_read() {
    let csv = "UPN,Forename,Surname,DOB,Year\rE380200124001,A,B,2016-01-01,3\r\rU380200124002,C,D,2016-01-02,3";
    let lines: Vec<u64> = rows(csv.as_bytes()).iter().map(|r| r.line).collect();
    assert_eq!(lines, [2, 4]);
    let long = format!("UPN,{}", "x".repeat(70_000));
    assert!(matches!(RollReader::new(long.as_bytes()).unwrap_err(), RollFileError::NotCsv { .. }));
}

/// A roll made row by row as it is read, never whole: 60,000 pupils (each UPN once,
/// then the first again).
struct Generated {
    next: u32,
    rows: u32,
    pending: Vec<u8>,
}

impl std::io::Read for Generated {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.pending.is_empty() && self.next <= self.rows {
            let i = if self.next == self.rows { 1 } else { self.next };
            let (estab, serial) = (1000 + (i / 1000) as u16, (i % 1000) as u16);
            let upn = Upn::from_parts(380, estab, 24, serial).unwrap();
            self.pending = if self.next == 0 {
                b"UPN,Legal Forename,Legal Surname,DOB,Year,SEN Status,SEN Needs\r\n".to_vec()
            } else {
                format!("{upn},Amara,Okafor,04/03/2016,4,K,SLCN;SEMH\r\n").into_bytes()
            };
            self.next += 1;
        }
        let n = buf.len().min(self.pending.len());
        buf[..n].copy_from_slice(&self.pending[..n]);
        self.pending.drain(..n);
        Ok(n)
    }
}

#[test]
fn r24_roll_a_large_roll_is_streamed_and_duplicates_found() {
    let rows = 60_000;
    let mut ok = 0;
    let mut refused = Vec::new();
    for r in RollReader::new(Generated { next: 0, rows, pending: Vec::new() }).unwrap() {
        match r {
            Ok(_) => ok += 1,
            Err(p) => refused.extend(p),
        }
    }
    assert_eq!(ok, rows - 1);
    assert_eq!(refused.len(), 1);
    assert_eq!((refused[0].line, refused[0].code.as_str()), (u64::from(rows) + 1, "upn_duplicate"));
    assert!(refused[0].message.ends_with("is also on line 2"), "{}", refused[0].message);
}

#[test]
fn r24_roll_a_quote_left_open_is_reported_not_silently_swallowing_rows() {
    let mut csv = String::from("UPN,Forename,Surname,DOB,Year\nE380200124001,\"Amara,Okafor,2016-01-01,3\n");
    for i in 2..40 {
        csv.push_str(&format!("{},A,B,2016-01-01,3\n", Upn::from_parts(380, 2001, 24, i).unwrap()));
    }
    let all = read_all(csv.as_bytes());
    assert_eq!(all.len(), 1, "the open quote took in every row below");
    let problems = all[0].as_ref().unwrap_err();
    assert_eq!((problems[0].line, problems[0].field, problems[0].code.as_str()), (2, "row", "quote_left_open"));
    assert!(problems[0].message.starts_with("This row's values hold 39 line breaks"), "{}", problems[0].message);
}
