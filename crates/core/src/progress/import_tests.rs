use super::*;
use crate::progress::tests::{d, scale};

const AMIRA: &str = "A380200124417";

fn today() -> NaiveDate {
    d(2026, 7, 10)
}

fn lines(text: &str) -> Vec<String> {
    parse_csv(text, &scale(), today()).unwrap_err().iter().map(LineError::to_string).collect()
}

#[test]
fn r03_a_progress_file_is_read_in_any_column_order_with_quotes_and_other_columns_ignored() {
    let ben = Upn::from_parts(380, 2001, 24, 418).unwrap();
    let text = format!(
        "\u{feff}Date,value,Pupil name,upn,SUBJECT\r\n\
         2026-03-03,wts,\"Khan, Amira\",{AMIRA},Reading\r\n\
         \r\n\
         03/03/2026, 84 ,Ben Ray,{} ,\"Reading, comprehension\"\r\n\
         ,,,,\r\n\
         10/07/2026,GDS,Ben Ray,{ben},Maths\r\n",
        ben.as_str().to_lowercase()
    );
    let rows = parse_csv(&text, &scale(), today()).unwrap();
    let amira = Upn::parse(AMIRA).unwrap();
    assert_eq!(
        rows,
        [
            Row { upn: amira.clone(), subject: "Reading".into(), on: d(2026, 3, 3), value: Value::Level(1), line: 2 },
            Row { upn: ben.clone(), subject: "Reading, comprehension".into(), on: d(2026, 3, 3), value: Value::Score(84), line: 4 },
            Row { upn: ben, subject: "Maths".into(), on: d(2026, 7, 10), value: Value::Level(3), line: 6 },
        ]
    );
    let (upn, a) = rows[0].clone().into_assessment();
    assert_eq!((upn, a.subject.as_str(), a.on, a.value), (amira, "Reading", d(2026, 3, 3), Value::Level(1)));
    assert_eq!(parse_csv("UPN,Subject,Date,Value\n", &scale(), today()), Ok(vec![]), "a header alone holds no rows");
}

#[test]
fn r03_every_error_names_its_line_and_column_and_no_row_is_kept() {
    let text = format!(
        "UPN,Subject,Date,Value\n\
         B380200124417,Reading,03/03/2026,EXS\n\
         {AMIRA},Reading,11/07/2026,EXS\n\
         {AMIRA},Reading,30/02/2026,EXS\n\
         {AMIRA},Reading,March,EXS\n\
         {AMIRA},Reading,03/03/2026,XYZ\n\
         {AMIRA},Maths,03/03/2026,39\n\
         {AMIRA},,03/03/2026,EXS\n\
         {AMIRA},Reading,writing,03/03/2026,EXS\n\
         {AMIRA},Maths,10/07/2026,WTS\n"
    );
    assert_eq!(
        lines(&text),
        [
            "line 2, UPN: UPN check letter is wrong: expected A, found B (census error 1510)",
            "line 3, Date: 11 July 2026 is in the future: record an assessment once it has happened",
            "line 4, Date: 30 February 2026 does not exist",
            "line 5, Date: Expected a date such as 03/03/2026 or 2026-03-03, found 'March'",
            "line 6, Value: Expected a level code of the scale 'Teacher assessment' (PKF, WTS, EXS, GDS) or a standardised score from 40 to 160, found 'XYZ'",
            "line 7, Value: A standardised score is from 40 to 160, found 39",
            "line 8, Subject: Enter the subject, such as Reading",
            "line 9: This line has 5 fields but the header has 4 columns: put a value containing a comma in double quotes",
        ],
        "line 10 is good, but nothing is kept from a file with errors"
    );
    let err = parse_csv(&text, &scale(), today()).unwrap_err();
    assert_eq!((err[0].column.as_deref(), err[0].code.as_str()), (Some("UPN"), "upn_wrong_check_letter"));
    assert_eq!((err[7].column.as_deref(), err[7].code.as_str()), (None, "too_many_fields"));
    assert_eq!(
        lines("UPN,Subject,Date,Value\n,Reading,03/03/2026,160000\n"),
        [
            "line 2, UPN: UPN is missing: expected 13 characters (census error 1500)",
            "line 2, Value: A standardised score is from 40 to 160, found 160000",
        ],
        "every fault on a line is told"
    );
}

#[test]
fn r03_a_line_is_counted_where_it_starts_in_the_file() {
    let text = format!("UPN,Subject,Date,Value\n{AMIRA},\"Reading\nwriting\",03/03/2026,EXS\nZ1,Reading,03/03/2026,EXS\n");
    assert_eq!(
        lines(&text),
        ["line 2, Subject: Remove the invisible control character from the subject", "line 4, UPN: UPN must be 13 characters, found 2",]
    );
}

#[test]
fn r03_the_same_result_twice_in_one_file_is_refused_but_a_level_and_a_score_on_one_day_are_not() {
    let text = format!(
        "UPN,Subject,Date,Value\n\
         {AMIRA},Reading,03/03/2026,EXS\n\
         {AMIRA},Reading,03/03/2026,96\n\
         {AMIRA},reading,2026-03-03,WTS\n"
    );
    assert_eq!(
        lines(&text),
        ["line 4: Line 2 already gives a level in reading for A380200124417 on 3 March 2026: keep one of the two lines"]
    );
    let err = parse_csv(&text, &scale(), today()).unwrap_err();
    assert_eq!(err[0].code, "duplicate");
}

#[test]
fn r03_the_header_must_name_each_column_once() {
    assert_eq!(
        lines("UPN,Subject,Date,Score\n"),
        ["line 1, Value: The header has no Value column: the first line must name the columns UPN,Subject,Date,Value (in any order)"]
    );
    assert_eq!(
        lines("UPN,upn,Subject,Date,Value\nA,B,C,D,E\n"),
        ["line 1, UPN: The header has 2 UPN columns: keep one"],
        "a bad header stops the reading there"
    );
    assert_eq!(lines(""), ["line 1: The file is empty: the first line must be the header UPN,Subject,Date,Value"]);
}
