//! Common Transfer Files (R24): the files under `fixtures/` are written for these tests
//! and every school and pupil in them is invented.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use chrono::{NaiveDate, NaiveDateTime};
use senplan_core::need::NeedCode::*;
use senplan_core::pupil::{Sex, YearGroup};
use senplan_core::status::SenStatus;
use senplan_core::upn::Upn;
use senplan_interop::ctf::{
    CtfError, CtfHeader, CtfNeed, CtfPupil, CtfReader, CtfSchool, CtfWriter, PupilProblem, SenPeriod, current_version, write_ctf,
};

const FULL: &[u8] = include_bytes!("fixtures/ctf_full.xml");
const V25: &[u8] = include_bytes!("fixtures/ctf_version_25.xml");
const V21: &[u8] = include_bytes!("fixtures/ctf_version_21.xml");
const TRUNCATED: &[u8] = include_bytes!("fixtures/ctf_truncated.xml");
const BILLION_LAUGHS: &[u8] = include_bytes!("fixtures/ctf_billion_laughs.xml");
const EXTERNAL_ENTITY: &[u8] = include_bytes!("fixtures/ctf_external_entity.xml");

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn today() -> NaiveDate {
    d(2026, 11, 27)
}

fn upn(s: &str) -> Upn {
    Upn::parse(s).unwrap()
}

fn period(start: NaiveDate, end: Option<NaiveDate>, status: SenStatus) -> SenPeriod {
    SenPeriod { start, end, status }
}

/// A file read whole: its header, warnings and pupils.
type Read = (CtfHeader, Vec<String>, Vec<Result<CtfPupil, PupilProblem>>);

/// Every pupil in a file, or the error that stopped it.
fn read_all(bytes: &[u8]) -> Result<Read, CtfError> {
    let mut r = CtfReader::new(bytes, today())?;
    let mut pupils = Vec::new();
    while let Some(p) = r.next_pupil()? {
        pupils.push(p);
    }
    Ok((r.header().clone(), r.warnings().to_vec(), pupils))
}

#[test]
fn r24_ctf_sen_history_is_imported_and_everything_else_ignored() {
    let (header, warnings, pupils) = read_all(FULL).unwrap();
    assert_eq!(warnings, Vec::<String>::new(), "26.0 is current on 27 November 2026");
    assert_eq!(
        header,
        CtfHeader {
            document_name: "Common Transfer File".into(),
            version: "26.0".into(),
            date_time: Some(NaiveDateTime::parse_from_str("2026-11-20T14:05:09", "%Y-%m-%dT%H:%M:%S").unwrap()),
            document_qualifier: "full".into(),
            supplier_id: "Example MIS".into(),
            source: CtfSchool {
                lea: "380".into(),
                estab: "2001".into(),
                urn: Some("999001".into()),
                name: Some("Northshire Primary & Nursery".into()),
                academic_year: Some("2026/2027".into()),
            },
            dest: Some(CtfSchool { lea: "801".into(), estab: "2000".into(), urn: Some("999002".into()), name: None, academic_year: None }),
        }
    );
    assert_eq!(pupils.len(), 5, "the Pupil inside an unknown list is not one of the file's pupils");
    let amara = pupils[0].as_ref().unwrap();
    assert_eq!(
        *amara,
        CtfPupil {
            upn: upn("E380200124001"),
            former_upns: vec![upn("W801200025001"), upn("K801200025002")],
            surname: "Okafor".into(),
            forename: "Amara".into(),
            date_of_birth: d(2010, 5, 14),
            sex: Some(Sex::Female),
            year_group: Some(YearGroup::Year(10)),
            sen_history: vec![
                period(d(2015, 9, 1), Some(d(2016, 9, 1)), SenStatus::A),
                period(d(2016, 9, 1), Some(d(2017, 12, 20)), SenStatus::P),
                period(d(2018, 1, 10), Some(d(2021, 3, 1)), SenStatus::K),
                period(d(2021, 3, 1), None, SenStatus::E),
            ],
            needs: vec![CtfNeed { rank: 1, code: Asd }, CtfNeed { rank: 2, code: Semh }],
        },
        "periods sorted by start, each without an end date ending when the next starts; the SEN inside unknown sections ignored"
    );
    let zoe = pupils[1].as_ref().unwrap();
    assert_eq!(
        (zoe.upn.as_str(), zoe.surname.as_str(), zoe.forename.as_str()),
        ("U380200124002", "D'Souza", "Zoë"),
        "prefixed names, entities and character references"
    );
    assert_eq!((zoe.sex, zoe.year_group, zoe.sen_history.len(), zoe.needs.len()), (Some(Sex::Male), Some(YearGroup::Reception), 0, 0));
    assert_eq!(
        pupils[2].as_ref().unwrap_err(),
        &PupilProblem {
            index: 3,
            upn: Some("Z380200124003".into()),
            problems: vec![
                "UPN: Census error 1510: UPN check letter is wrong: expected H, found Z, in 'Z380200124003'".into(),
                "SENtype: 'ADHD' is not a census type-of-need code: expected one of SPLD, MLD, SLD, PMLD, SLCN, ASD, SEMH, HI, VI, MSI, PD, DS, OTH, NSA".into(),
            ],
        }
    );
    let yusuf = pupils[3].as_ref().unwrap();
    assert_eq!(yusuf.sen_history, [period(d(2022, 1, 5), Some(d(2024, 7, 19)), SenStatus::K)]);
    assert_eq!(yusuf.needs, [CtfNeed { rank: 1, code: Nsa }]);
    let empty = pupils[4].as_ref().unwrap_err();
    assert_eq!((empty.index, empty.upn.as_deref(), empty.problems.len()), (5, None, 4));
    assert_eq!(empty.problems[0], "UPN: Census error 1500: UPN is missing: expected 13 characters");
}

#[test]
fn r24_ctf_the_previous_version_is_read_quietly_and_others_with_a_warning() {
    let (_, warnings, pupils) = read_all(V25).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(pupils[0].as_ref().unwrap().needs, [CtfNeed { rank: 1, code: Spld }]);
    let (header, warnings, pupils) = read_all(V21).unwrap();
    assert_eq!(header.version, "21.0");
    assert_eq!(
        warnings,
        [
            "The file is CTF version 21.0, but on 27 November 2026 the versions expected are 26.0 (this academic year) or 25.0 (the last). It was read anyway: check the SEN details"
        ]
    );
    assert!(pupils[0].is_ok(), "read anyway");
    assert_eq!(current_version(today()), "26.0");
    // On 31 August 2026, 25.0 is current and 24.0 the previous: 26.0 warns.
    let mut r = CtfReader::new(FULL, d(2026, 8, 31)).unwrap();
    assert_eq!(r.warnings().len(), 1);
    assert!(r.warnings()[0].contains("expected are 25.0 (this academic year) or 24.0"));
    assert!(r.next_pupil().unwrap().unwrap().is_ok());
}

#[test]
fn r24_ctf_an_entity_bomb_is_refused_quickly() {
    let started = Instant::now();
    let err = CtfReader::new(BILLION_LAUGHS, today()).unwrap_err();
    assert!(matches!(err, CtfError::EntityDeclarations { .. }), "{err:?}");
    assert!(started.elapsed().as_secs() < 1);
    assert!(err.to_string().contains("\"billion laughs\""));
    assert!(matches!(CtfReader::new(EXTERNAL_ENTITY, today()).unwrap_err(), CtfError::EntityDeclarations { .. }));
    // A DOCTYPE without declarations is harmless, but an entity it does not define is not read.
    let undefined = b"<!DOCTYPE CTfile><CTfile><Header><DocumentName>&lol;</DocumentName></Header></CTfile>";
    let err = CtfReader::new(&undefined[..], today()).unwrap_err();
    assert!(matches!(&err, CtfError::Xml { message, .. } if message.contains("&lol; is not defined")), "{err:?}");
}

#[test]
fn r24_ctf_broken_files_are_refused_with_where() {
    let (header, _, pupils) = {
        let mut r = CtfReader::new(TRUNCATED, today()).unwrap();
        let mut pupils = Vec::new();
        let err = loop {
            match r.next_pupil() {
                Ok(Some(p)) => pupils.push(p),
                Ok(None) => panic!("a cut file has no end"),
                Err(e) => break e,
            }
        };
        assert!(matches!(&err, CtfError::Truncated { open, .. } if open == "SENneeds"), "{err:?}");
        assert_eq!(r.next_pupil(), Ok(None), "the reader stops after an error");
        (r.header().clone(), (), pupils)
    };
    assert_eq!(header.version, "26.0");
    assert!(pupils.is_empty(), "the first pupil was cut");
    let err = CtfReader::new(&b"<CTfile><Header><CTFversion>26.0</CTFversion></Hedaer></CTfile>"[..], today()).unwrap_err();
    assert!(matches!(&err, CtfError::Xml { position, .. } if *position > 30), "{err:?}");
    assert!(err.to_string().starts_with("The file is not well-formed XML at byte"), "{err}");
    assert_eq!(CtfReader::new(&b""[..], today()).unwrap_err(), CtfError::Empty);
    assert_eq!(CtfReader::new(&b"<html><body/></html>"[..], today()).unwrap_err(), CtfError::NotCtf { found: "html".into() });
    assert_eq!(CtfReader::new(&b"<CTfile><CTFpupilData/></CTfile>"[..], today()).unwrap_err(), CtfError::NoHeader);
    let no_source = CtfReader::new(&b"<CTfile><Header><CTFversion>26.0</CTFversion></Header></CTfile>"[..], today()).unwrap_err();
    assert_eq!(no_source.to_string(), "The file's <Header> cannot be used: it has no SourceSchool, so who sent the file is unknown");
    let latin1 =
        b"<CTfile><Header><SourceSchool><LEA>380</LEA><Estab>2001</Estab><SchoolName>Caf\xE9</SchoolName></SourceSchool></Header></CTfile>";
    let err = CtfReader::new(&latin1[..], today()).unwrap_err();
    assert!(matches!(&err, CtfError::Xml { message, .. } if message.contains("not UTF-8")), "{err:?}");
}

fn header() -> CtfHeader {
    CtfHeader {
        document_name: "Common Transfer File".into(),
        version: "26.0".into(),
        date_time: Some(NaiveDateTime::parse_from_str("2026-11-27T09:30:00", "%Y-%m-%dT%H:%M:%S").unwrap()),
        document_qualifier: "partial".into(),
        supplier_id: "senplan".into(),
        source: CtfSchool {
            lea: "380".into(),
            estab: "2001".into(),
            urn: Some("999001".into()),
            name: Some("Northshire <Primary> & Nursery".into()),
            academic_year: Some("2026/2027".into()),
        },
        dest: Some(CtfSchool { lea: "801".into(), estab: "2000".into(), urn: None, name: None, academic_year: None }),
    }
}

fn amara() -> CtfPupil {
    CtfPupil {
        upn: upn("E380200124001"),
        former_upns: vec![upn("W801200025001")],
        surname: "O'Kafor & Sons".into(),
        forename: "Amara".into(),
        date_of_birth: d(2010, 5, 14),
        sex: Some(Sex::Female),
        year_group: Some(YearGroup::Year(10)),
        sen_history: vec![period(d(2013, 9, 1), Some(d(2018, 1, 10)), SenStatus::S), period(d(2018, 1, 10), None, SenStatus::K)],
        needs: vec![CtfNeed { rank: 1, code: Slcn }, CtfNeed { rank: 2, code: Semh }],
    }
}

#[test]
fn r24_ctf_written_in_the_ctf_element_order() {
    let mut out = Vec::new();
    let plain = CtfPupil {
        upn: upn("U380200124002"),
        former_upns: vec![],
        surname: "Lee".into(),
        forename: "Sam".into(),
        date_of_birth: d(2016, 1, 15),
        sex: None,
        year_group: None,
        sen_history: vec![],
        needs: vec![],
    };
    write_ctf(&mut out, &header(), &[amara(), plain]).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(
        text,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<CTfile>
  <Header>
    <DocumentName>Common Transfer File</DocumentName>
    <CTFversion>26.0</CTFversion>
    <DateTime>2026-11-27T09:30:00</DateTime>
    <DocumentQualifier>partial</DocumentQualifier>
    <SupplierID>senplan</SupplierID>
    <SourceSchool>
      <LEA>380</LEA>
      <Estab>2001</Estab>
      <URN>999001</URN>
      <SchoolName>Northshire &lt;Primary&gt; &amp; Nursery</SchoolName>
      <AcademicYear>2026/2027</AcademicYear>
    </SourceSchool>
    <DestSchool>
      <LEA>801</LEA>
      <Estab>2000</Estab>
    </DestSchool>
  </Header>
  <CTFpupilData>
    <Pupil>
      <UPN>E380200124001</UPN>
      <Surname>O&apos;Kafor &amp; Sons</Surname>
      <Forename>Amara</Forename>
      <DOB>2010-05-14</DOB>
      <Sex>F</Sex>
      <BasicDetails>
        <FormerUPN>W801200025001</FormerUPN>
        <NCyearActual>10</NCyearActual>
      </BasicDetails>
      <SENhistory>
        <SEN>
          <StartDate>2013-09-01</StartDate>
          <EndDate>2018-01-10</EndDate>
          <SENprovision>S</SENprovision>
        </SEN>
        <SEN>
          <StartDate>2018-01-10</StartDate>
          <SENprovision>K</SENprovision>
        </SEN>
        <SENneeds>
          <SENneed>
            <SENtypeRank>1</SENtypeRank>
            <SENtype>SLCN</SENtype>
          </SENneed>
          <SENneed>
            <SENtypeRank>2</SENtypeRank>
            <SENtype>SEMH</SENtype>
          </SENneed>
        </SENneeds>
      </SENhistory>
    </Pupil>
    <Pupil>
      <UPN>U380200124002</UPN>
      <Surname>Lee</Surname>
      <Forename>Sam</Forename>
      <DOB>2016-01-15</DOB>
    </Pupil>
  </CTFpupilData>
</CTfile>
"#
    );
}

#[test]
fn r24_ctf_write_then_read_gives_back_the_same_pupils() {
    let pupils = vec![
        amara(),
        CtfPupil {
            upn: upn("U380200124002"),
            former_upns: vec![],
            surname: "Zoë".into(),
            forename: "Ame\u{301}lie".into(),
            date_of_birth: d(2016, 1, 15),
            sex: Some(Sex::Male),
            year_group: Some(YearGroup::Nursery(2)),
            sen_history: vec![],
            needs: vec![],
        },
    ];
    let mut writer = CtfWriter::start(Vec::new(), &header()).unwrap();
    for p in &pupils {
        writer.pupil(p).unwrap();
    }
    let bytes = writer.finish().unwrap();
    let (h, warnings, read) = read_all(&bytes).unwrap();
    assert!(warnings.is_empty());
    assert_eq!(h, header());
    let read: Vec<CtfPupil> = read.into_iter().map(Result::unwrap).collect();
    assert_eq!(read, pupils);
}

#[test]
fn r24_ctf_a_control_character_cannot_be_written() {
    let mut p = amara();
    p.forename = "Am\u{1}ara".into();
    let err = write_ctf(Vec::new(), &header(), &[p]).unwrap_err();
    assert_eq!(err.to_string(), "Forename holds the control character U+0001, which XML cannot carry");
}

#[test]
fn r24_ctf_needs_follow_the_roll_s_rules() {
    let file = |needs: &str, provision: &str| {
        format!(
            "<CTfile><Header><CTFversion>26.0</CTFversion><SourceSchool><LEA>380</LEA><Estab>2001</Estab></SourceSchool></Header><CTFpupilData><Pupil><UPN>E380200124001</UPN><Surname>A</Surname><Forename>B</Forename><DOB>2016-01-01</DOB><SENhistory><SEN><StartDate>2020-01-01</StartDate><SENprovision>{provision}</SENprovision></SEN><SENneeds>{needs}</SENneeds></SENhistory></Pupil></CTFpupilData></CTfile>"
        )
    };
    let need = |rank: &str, code: &str| format!("<SENneed><SENtypeRank>{rank}</SENtypeRank><SENtype>{code}</SENtype></SENneed>");
    let problems = |needs: String, provision: &str| -> Vec<String> {
        let (_, _, mut pupils) = read_all(file(&needs, provision).as_bytes()).unwrap();
        match pupils.remove(0) {
            Ok(_) => vec![],
            Err(p) => p.problems,
        }
    };
    assert_eq!(problems(need("1", "NSA"), "K"), Vec::<String>::new());
    assert_eq!(
        problems(need("1", "NSA"), "E"),
        [
            "SENneeds: NSA (SEN support, no specialist assessment of type of need) is only for pupils on SEN support (K), not for a pupil with an EHC plan (E)"
        ]
    );
    assert_eq!(problems(need("2", "SLCN"), "K"), ["SENneeds: The needs start at rank 2: the primary need must be rank 1"]);
    assert_eq!(
        problems(need("1", "SLCN") + &need("2", "SLCN"), "K"),
        ["SENneeds: SLCN is given twice (ranks 1 and 2): each type of need is recorded once"]
    );
    assert_eq!(
        problems(need("1", "SLCN") + &need("1", "HI"), "K"),
        ["SENneeds: SLCN and HI are both at rank 1: each rank holds one need (1 primary, 2 secondary, …)"]
    );
    assert_eq!(problems(need("0", "SLCN"), "K"), ["SENtypeRank '0' is not a rank: expected a whole number from 1"]);
    assert_eq!(
        problems(need("1", "SLCN"), "X"),
        ["SENprovision 'X' is not a SEN provision code: expected N, K or E (or the historic S, A or P)"]
    );
}
