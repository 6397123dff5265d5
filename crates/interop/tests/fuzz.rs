//! Property (fuzz) tests of the roll and CTF readers and the CTF writer (R24).
//!
//! `cargo test` runs proptest's default 256 cases each. For a long run, set the count:
//!
//! ```text
//! PROPTEST_CASES=1000000 cargo test -p senplan-interop --release fuzz_
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use proptest::prelude::*;
use senplan_core::need::NeedCode;
use senplan_core::pupil::{Sex, YearGroup};
use senplan_core::status::SenStatus;
use senplan_core::upn::Upn;
use senplan_interop::RankedNeed;
use senplan_interop::ctf::{CtfHeader, CtfPupil, CtfReader, CtfSchool, SenPeriod, write_ctf};
use senplan_interop::roll::RollReader;

const ROLL_FILES: [&[u8]; 5] = [
    include_bytes!("fixtures/roll_sims.csv"),
    include_bytes!("fixtures/roll_arbor.csv"),
    include_bytes!("fixtures/roll_latin1.csv"),
    include_bytes!("fixtures/roll_combining_marks.csv"),
    include_bytes!("fixtures/roll_every_error.csv"),
];

const CTF_FILES: [&[u8]; 4] = [
    include_bytes!("fixtures/ctf_full.xml"),
    include_bytes!("fixtures/ctf_version_25.xml"),
    include_bytes!("fixtures/ctf_billion_laughs.xml"),
    include_bytes!("fixtures/ctf_truncated.xml"),
];

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
}

/// Reads a roll to its end, whatever it holds.
fn drain_roll(bytes: &[u8]) -> usize {
    match RollReader::new(bytes) {
        Ok(reader) => reader.count(),
        Err(e) => e.to_string().len(),
    }
}

/// Reads a CTF to its end, whatever it holds; no more pupils than there are bytes.
fn drain_ctf(bytes: &[u8]) -> usize {
    let Ok(mut reader) = CtfReader::new(bytes, today()) else { return 0 };
    let mut n = 0;
    while let Ok(Some(_)) = reader.next_pupil() {
        n += 1;
        assert!(n <= bytes.len(), "the reader must end");
    }
    assert_eq!(reader.next_pupil(), Ok(None), "an ended reader stays ended");
    n
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
    Truncate(usize),
    Duplicate(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let tricky = prop::sample::select(vec![
        b"\"".to_vec(),
        b",".to_vec(),
        b"\r\n".to_vec(),
        b"<".to_vec(),
        b"&".to_vec(),
        b"]]>".to_vec(),
        b"\xEF\xBB\xBF".to_vec(),
        b"\xFF".to_vec(),
        b"<!ENTITY".to_vec(),
        b"&#0;".to_vec(),
        b"</Pupil>".to_vec(),
        b"<Pupil>".to_vec(),
    ]);
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Flip(i, b)),
        (any::<usize>(), prop_oneof![prop::collection::vec(any::<u8>(), 1..8), tricky]).prop_map(|(i, b)| Mutation::Insert(i, b)),
        (any::<usize>(), 1usize..64).prop_map(|(i, n)| Mutation::Delete(i, n)),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), 1usize..200).prop_map(|(i, n)| Mutation::Duplicate(i, n)),
    ]
}

fn mutate(original: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    let mut bytes = original.to_vec();
    for m in mutations {
        let len = bytes.len().max(1);
        match m {
            Mutation::Flip(i, b) => {
                if !bytes.is_empty() {
                    let i = i % bytes.len();
                    bytes[i] ^= b | 1;
                }
            }
            Mutation::Insert(i, b) => {
                let i = i % (bytes.len() + 1);
                bytes.splice(i..i, b.iter().copied());
            }
            Mutation::Delete(i, n) => {
                let i = i % len;
                let end = (i + n).min(bytes.len());
                if i < end {
                    bytes.drain(i..end);
                }
            }
            Mutation::Truncate(i) => bytes.truncate(i % len),
            Mutation::Duplicate(i, n) => {
                let i = i % len;
                let end = (i + n).min(bytes.len());
                if i < end {
                    let copy = bytes[i..end].to_vec();
                    bytes.splice(end..end, copy);
                }
            }
        }
    }
    bytes
}

proptest! {
    #[test]
    fn fuzz_roll_random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        drain_roll(&bytes);
        let mut with_header = b"UPN,Forename,Surname,DOB,Year,SEN,SEN Needs,Entry Date,Leaving Date,Sex,Former UPN\n".to_vec();
        with_header.extend_from_slice(&bytes);
        drain_roll(&with_header);
    }

    #[test]
    fn fuzz_roll_mutated_files_never_panic(file in 0..ROLL_FILES.len(), mutations in prop::collection::vec(mutation(), 1..6)) {
        drain_roll(&mutate(ROLL_FILES[file], &mutations));
    }

    #[test]
    fn fuzz_ctf_random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        drain_ctf(&bytes);
        let mut with_header = b"<CTfile><Header><SourceSchool><LEA>380</LEA><Estab>2001</Estab></SourceSchool></Header><CTFpupilData><Pupil>".to_vec();
        with_header.extend_from_slice(&bytes);
        drain_ctf(&with_header);
    }

    #[test]
    fn fuzz_ctf_mutated_files_never_panic(file in 0..CTF_FILES.len(), mutations in prop::collection::vec(mutation(), 1..6)) {
        drain_ctf(&mutate(CTF_FILES[file], &mutations));
    }
}

fn upn() -> impl Strategy<Value = Upn> {
    // LAs 380 and 801 are real LA numbers; any establishment, year and serial will do.
    (prop::sample::select(vec![380u16, 801, 873]), 1000u16..10000, 0u8..100, 0u16..1000)
        .prop_map(|(la, estab, year, serial)| Upn::from_parts(la, estab, year, serial).unwrap())
}

fn date() -> impl Strategy<Value = NaiveDate> {
    (0i64..(365 * 30)).prop_map(|n| NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + chrono::Days::new(n as u64))
}

/// A name as a roll or a CTF carries it: letters of several scripts, spaces, hyphens,
/// apostrophes, the characters CSV and XML quote, combining marks; trimmed, no control
/// characters, 1 to 100 characters.
fn name() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "a", "Z", "é", "ß", "Ł", "ø", "Ж", "李", "e\u{301}", "o\u{308}", " ", "-", "'", ",", "\"", "&", "<", ">", ";", "|", ":", "ﬁ", "😀",
    ]);
    prop::collection::vec(piece, 1..40)
        .prop_map(|pieces| pieces.concat().trim().to_owned())
        .prop_filter("a name has a letter and at most 100 characters", |s| s.chars().any(char::is_alphabetic) && s.chars().count() <= 100)
}

fn year_group() -> impl Strategy<Value = YearGroup> {
    prop_oneof![
        (1u8..=2).prop_map(YearGroup::Nursery),
        Just(YearGroup::Reception),
        (1u8..=14).prop_map(YearGroup::Year),
        Just(YearGroup::NotApplicable)
    ]
}

fn sex() -> impl Strategy<Value = Option<Sex>> {
    prop::option::of(prop::sample::select(vec![Sex::Female, Sex::Male]))
}

/// Needs valid for `status`: distinct codes ranked 1, 2, 3 …, NSA only for K, none for N.
fn needs(status: Option<SenStatus>) -> impl Strategy<Value = Vec<RankedNeed>> {
    prop::sample::subsequence(NeedCode::ALL.to_vec(), 0..5).prop_shuffle().prop_map(move |codes| {
        if status == Some(SenStatus::N) {
            return vec![];
        }
        codes
            .into_iter()
            .filter(|c| !(status == Some(SenStatus::E) && *c == NeedCode::Nsa))
            .enumerate()
            .map(|(i, code)| RankedNeed { rank: u8::try_from(i + 1).unwrap(), code })
            .collect()
    })
}

#[derive(Debug, Clone)]
struct Row {
    upn: Upn,
    former: Option<Upn>,
    given: String,
    family: String,
    preferred: Option<String>,
    dob: NaiveDate,
    sex: Option<Sex>,
    year: YearGroup,
    form: Option<String>,
    entry: Option<NaiveDate>,
    leaving_after: Option<u64>,
    status: Option<SenStatus>,
    needs: Vec<RankedNeed>,
    /// Which way each date is written: 0 yyyy-mm-dd, 1 dd/mm/yyyy, 2 d/m/yyyy, 3 dd-mm-yyyy.
    date_style: u8,
}

fn row() -> impl Strategy<Value = Row> {
    let status = prop::option::of(prop::sample::select(vec![SenStatus::N, SenStatus::K, SenStatus::E]));
    let who = (upn(), prop::option::of(upn()), name(), name(), prop::option::of(name()));
    let facts =
        (date(), sex(), year_group(), prop::option::of(name()), prop::option::of(0u64..3000), prop::option::of(0u64..3000), status, 0u8..4);
    (who, facts).prop_flat_map(
        |((upn, former, given, family, preferred), (dob, sex, year, form, entry_after, leaving_after, status, date_style))| {
            needs(status).prop_map(move |needs| Row {
                upn: upn.clone(),
                former: former.clone().filter(|f| *f != upn),
                given: given.clone(),
                family: family.clone(),
                preferred: preferred.clone().filter(|p| *p != given),
                dob,
                sex,
                year,
                form: form.clone(),
                entry: entry_after.map(|n| dob + chrono::Days::new(n)),
                leaving_after: leaving_after.filter(|_| entry_after.is_some()),
                status,
                needs,
                date_style,
            })
        },
    )
}

fn write_date(d: NaiveDate, style: u8) -> String {
    match style {
        0 => d.format("%Y-%m-%d").to_string(),
        1 => d.format("%d/%m/%Y").to_string(),
        2 => d.format("%-d/%-m/%Y").to_string(),
        _ => d.format("%d-%m-%Y").to_string(),
    }
}

fn period() -> impl Strategy<Value = (u64, Option<u64>, SenStatus)> {
    (
        1u64..1000,
        prop::option::of(0u64..1000),
        prop::sample::select(vec![SenStatus::N, SenStatus::K, SenStatus::E, SenStatus::S, SenStatus::A, SenStatus::P]),
    )
}

fn ctf_pupil() -> impl Strategy<Value = CtfPupil> {
    (
        upn(),
        prop::collection::vec(upn(), 0..3),
        name(),
        name(),
        date(),
        sex(),
        prop::option::of(year_group()),
        prop::collection::vec(period(), 0..5),
        any::<bool>(),
    )
        .prop_flat_map(|(upn, former, surname, forename, dob, sex, year_group, periods, last_open)| {
            // Periods follow one another from the date of birth; each but the last has an end.
            let mut start = dob;
            let mut history = Vec::new();
            let count = periods.len();
            for (i, (gap, length, status)) in periods.into_iter().enumerate() {
                start = start + chrono::Days::new(gap);
                let end = match (i + 1 == count && last_open, length) {
                    (true, _) => None,
                    (false, Some(n)) => Some(start + chrono::Days::new(n)),
                    (false, None) => Some(start + chrono::Days::new(gap)),
                };
                history.push(SenPeriod { start, end, status });
                start = end.unwrap_or(start);
            }
            let current = history.last().filter(|p| p.end.is_none()).map(|p| p.status);
            let mut former_upns: Vec<Upn> = Vec::new();
            for f in former {
                if f != upn && !former_upns.contains(&f) {
                    former_upns.push(f);
                }
            }
            needs(current.filter(|s| *s == SenStatus::E)).prop_map(move |needs| CtfPupil {
                upn: upn.clone(),
                former_upns: former_upns.clone(),
                surname: surname.clone(),
                forename: forename.clone(),
                date_of_birth: dob,
                sex,
                year_group,
                sen_history: history.clone(),
                needs,
            })
        })
}

proptest! {
    #[test]
    fn fuzz_roll_rows_of_valid_values_read_back_the_same(rows in prop::collection::vec(row(), 1..8)) {
        // Distinct UPNs: a UPN twice is refused (census error 1520).
        let mut seen = std::collections::HashSet::new();
        let rows: Vec<Row> = rows.into_iter().filter(|r| seen.insert(r.upn.clone())).collect();
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(["UPN", "Former UPN", "Legal Forename", "Legal Surname", "Preferred Forename", "DOB", "Sex", "NC Year Actual", "Reg Group", "Entry Date", "Leaving Date", "SEN Status", "SEN Needs"]).unwrap();
        for r in &rows {
            let needs = r.needs.iter().map(|n| format!("{}:{}", n.code.code(), n.rank)).collect::<Vec<_>>().join(";");
            let leaving = r.entry.zip(r.leaving_after).map(|(e, n)| e + chrono::Days::new(n));
            w.write_record([
                r.upn.to_string(),
                r.former.as_ref().map(Upn::to_string).unwrap_or_default(),
                r.given.clone(),
                r.family.clone(),
                r.preferred.clone().unwrap_or_default(),
                write_date(r.dob, r.date_style),
                r.sex.map(Sex::code).unwrap_or_default().to_owned(),
                r.year.code(),
                r.form.clone().unwrap_or_default(),
                r.entry.map(|d| write_date(d, r.date_style)).unwrap_or_default(),
                leaving.map(|d| write_date(d, r.date_style)).unwrap_or_default(),
                r.status.map(SenStatus::code).unwrap_or_default().to_owned(),
                needs,
            ]).unwrap();
        }
        let bytes = w.into_inner().unwrap();
        let read: Vec<_> = RollReader::new(&bytes[..]).unwrap().collect();
        prop_assert_eq!(read.len(), rows.len());
        for (r, got) in rows.iter().zip(read) {
            let got = got.map_err(|p| TestCaseError::fail(format!("{p:?}")))?;
            prop_assert_eq!(&got.upn, &r.upn);
            prop_assert_eq!(&got.former_upn, &r.former);
            prop_assert_eq!(&got.given_name, &r.given);
            prop_assert_eq!(&got.family_name, &r.family);
            prop_assert_eq!(&got.preferred_name, &r.preferred);
            prop_assert_eq!(got.date_of_birth, r.dob);
            prop_assert_eq!(got.sex, r.sex);
            prop_assert_eq!(got.year_group, r.year);
            prop_assert_eq!(&got.form, &r.form);
            prop_assert_eq!(got.entry_date, r.entry);
            prop_assert_eq!(got.leaving_date, r.entry.zip(r.leaving_after).map(|(e, n)| e + chrono::Days::new(n)));
            prop_assert_eq!(got.status, r.status);
            prop_assert_eq!(&got.needs, &r.needs);
        }
    }

    #[test]
    fn fuzz_ctf_written_pupils_read_back_the_same(pupils in prop::collection::vec(ctf_pupil(), 0..6)) {
        let header = CtfHeader {
            document_name: "Common Transfer File".into(),
            version: "26.0".into(),
            date_time: None,
            document_qualifier: "partial".into(),
            supplier_id: "senplan".into(),
            source: CtfSchool { lea: "380".into(), estab: "2001".into(), ..CtfSchool::default() },
            dest: None,
        };
        let mut bytes = Vec::new();
        write_ctf(&mut bytes, &header, &pupils).unwrap();
        let mut reader = CtfReader::new(&bytes[..], today()).unwrap();
        prop_assert_eq!(reader.header(), &header);
        let mut read = Vec::new();
        while let Some(p) = reader.next_pupil().unwrap() {
            read.push(p.map_err(|p| TestCaseError::fail(format!("{p:?}")))?);
        }
        prop_assert_eq!(read, pupils);
    }
}

/// How a generated row sits in the file around it.
#[derive(Debug, Clone)]
struct Layout {
    crlf: bool,
    /// Lines before the row: blank, or of empty cells as spreadsheets leave.
    blank_before: Vec<&'static str>,
    /// A note with line breaks in the ignored column.
    note: Option<&'static str>,
    valid: bool,
}

fn layout() -> impl Strategy<Value = Layout> {
    (
        any::<bool>(),
        prop::collection::vec(prop::sample::select(vec!["", ",,,,,", " , ", "\r"]), 0..3),
        prop::option::of(prop::sample::select(vec!["one\nbreak", "two\r\nbreaks\r\n", "\n", "a, \"quoted\"\nnote", "\r"])),
        any::<bool>(),
    )
        .prop_map(|(crlf, blank_before, note, valid)| Layout { crlf, blank_before, note, valid })
}

proptest! {
    #[test]
    fn fuzz_roll_line_numbers_match_the_file(layouts in prop::collection::vec(layout(), 1..10), final_break in any::<bool>(), header_crlf in any::<bool>()) {
        let mut file = String::from("UPN,Forename,Surname,DOB,Year,Notes");
        file.push_str(if header_crlf { "\r\n" } else { "\n" });
        let mut expected = Vec::new();
        for (i, l) in layouts.iter().enumerate() {
            let end = if l.crlf { "\r\n" } else { "\n" };
            for b in &l.blank_before {
                file.push_str(b);
                file.push_str(end);
            }
            expected.push(1 + file.matches('\n').count() as u64);
            let upn = Upn::from_parts(380, 2001, 24, u16::try_from(i).unwrap()).unwrap();
            let dob = if l.valid { "2016-01-01" } else { "01/01/16" };
            let note = l.note.map(|n| format!("\"{}\"", n.replace('"', "\"\""))).unwrap_or_default();
            file.push_str(&format!("{upn},Amara,Okafor,{dob},3,{note}"));
            if i + 1 < layouts.len() || final_break {
                file.push_str(end);
            }
        }
        let lines: Vec<(u64, bool)> = RollReader::new(file.as_bytes())
            .unwrap()
            .map(|r| match r {
                Ok(row) => (row.line, true),
                Err(problems) => (problems[0].line, false),
            })
            .collect();
        let wanted: Vec<(u64, bool)> = expected.into_iter().zip(layouts.iter().map(|l| l.valid)).collect();
        prop_assert_eq!(lines, wanted, "{:?}", file);
    }
}
