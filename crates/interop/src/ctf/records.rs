//! A Common Transfer File's header and pupils read from their element trees into
//! checked values: every problem of a pupil listed (up to a limit), never guessed at.

use super::*;

fn school_from(node: &Node) -> (Option<CtfSchool>, Vec<String>) {
    let mut problems = Vec::new();
    let lea = node.text_of("LEA");
    let estab = node.text_of("Estab");
    if lea.is_none() {
        problems.push(format!("{} has no LEA (local authority number)", node.name));
    }
    if estab.is_none() {
        problems.push(format!("{} has no Estab (establishment number)", node.name));
    }
    let school = match (lea, estab) {
        (Some(lea), Some(estab)) => Some(CtfSchool {
            lea,
            estab,
            urn: node.text_of("URN"),
            name: node.text_of("SchoolName"),
            academic_year: node.text_of("AcademicYear"),
        }),
        _ => None,
    };
    (school, problems)
}

pub(super) fn header_from(node: &Node, warnings: &mut Vec<String>) -> Result<CtfHeader, CtfError> {
    let text = |name: &str| node.text_of(name).unwrap_or_default();
    let source = match node.first("SourceSchool") {
        None => return Err(CtfError::BadHeader { problems: vec!["it has no SourceSchool, so who sent the file is unknown".into()] }),
        Some(s) => match school_from(s) {
            (Some(school), _) => school,
            (None, problems) => return Err(CtfError::BadHeader { problems }),
        },
    };
    let dest = match node.first("DestSchool") {
        None => None,
        Some(d) => {
            let (school, problems) = school_from(d);
            for p in problems {
                warnings.push(format!("The header's {p}: the destination school is not known"));
            }
            school
        }
    };
    let date_time = match node.text_of("DateTime") {
        None => None,
        Some(raw) => {
            let parsed =
                NaiveDateTime::parse_from_str(&raw, DATE_TIME).or_else(|_| NaiveDateTime::parse_from_str(&raw, "%Y-%m-%dT%H:%M:%S%.f"));
            if parsed.is_err() {
                warnings.push(format!(
                    "The header's DateTime {} is not in the form yyyy-MM-ddTHH:mm:ss, so when the file was made is unknown",
                    shown(&raw)
                ));
            }
            parsed.ok()
        }
    };
    Ok(CtfHeader {
        document_name: text("DocumentName"),
        version: text("CTFversion"),
        date_time,
        document_qualifier: text("DocumentQualifier"),
        supplier_id: text("SupplierID"),
        source,
        dest,
    })
}

/// The one child `name`, or a problem when it is given more than once.
fn single(node: &Node, name: &str, problems: &mut Vec<String>) -> Option<String> {
    let mut values = node.all(name).map(|n| n.text.trim().to_owned());
    let first = values.next();
    if values.next().is_some() {
        problems.push(format!("{name} is given more than once"));
    }
    first.filter(|t| !t.is_empty())
}

fn name(node: &Node, element: &str, problems: &mut Vec<String>) -> Option<String> {
    let Some(v) = single(node, element, problems) else {
        problems.push(format!("{element} is missing or empty: it is required"));
        return None;
    };
    let chars = v.chars().count();
    if chars > MAX_NAME_CHARS {
        problems.push(format!("{element} {} is {chars} characters long: at most {MAX_NAME_CHARS} are allowed", shown(&v)));
        return None;
    }
    if let Some(c) = v.chars().find(|c| c.is_control()) {
        problems.push(format!(
            "{element} {} holds an invisible control character (U+{:04X}): only letters, spaces and punctuation are allowed",
            shown(&v),
            u32::from(c)
        ));
        return None;
    }
    Some(v)
}

fn date(raw: &str, element: &str, problems: &mut Vec<String>) -> Option<NaiveDate> {
    let d = NaiveDate::parse_from_str(raw, DATE).ok().filter(|_| raw.len() == 10);
    if d.is_none() {
        problems.push(format!("{element} {} is not a date in the form yyyy-MM-dd", shown(raw)));
    }
    d
}

fn upn(raw: &str, element: &str, problems: &mut Vec<String>) -> Option<Upn> {
    match Upn::parse(raw) {
        Ok(u) => Some(u),
        Err(e) => {
            let census = e.census_code().map(|c| format!("Census error {c}: ")).unwrap_or_default();
            problems.push(format!("{element}: {census}{e}, in {}", shown(raw)));
            None
        }
    }
}

pub(super) fn pupil_from(node: &Node, index: usize) -> Result<CtfPupil, PupilProblem> {
    let mut problems = Vec::new();
    let upn_raw = single(node, "UPN", &mut problems);
    let upn_value = match &upn_raw {
        None => {
            problems.push("UPN: Census error 1500: UPN is missing: expected 13 characters".to_owned());
            None
        }
        Some(raw) => upn(raw, "UPN", &mut problems),
    };
    let surname = name(node, "Surname", &mut problems);
    let forename = name(node, "Forename", &mut problems);
    let date_of_birth = match single(node, "DOB", &mut problems) {
        None => {
            problems.push("DOB is missing or empty: it is required".to_owned());
            None
        }
        Some(raw) => date(&raw, "DOB", &mut problems),
    };
    let sex = single(node, "Sex", &mut problems).and_then(|raw| {
        let s = Sex::parse(&raw);
        if s.is_none() {
            problems.push(format!("Sex {} is not M or F", shown(&raw)));
        }
        s
    });
    let basic = node.first("BasicDetails");
    let year_group = basic.and_then(|b| single(b, "NCyearActual", &mut problems)).and_then(|raw| {
        let y = YearGroup::parse(&raw);
        if y.is_none() {
            problems.push(format!("NCyearActual {} is not a year group: expected N1, N2, R, 1 to 14, or X", shown(&raw)));
        }
        y
    });
    let mut former_upns: Vec<Upn> = Vec::new();
    let mut former_seen: HashSet<Upn> = HashSet::new();
    let former_nodes = basic.into_iter().flat_map(|b| b.all("FormerUPN").chain(b.all("FormerUPNs").flat_map(|f| f.all("FormerUPN"))));
    for f in former_nodes {
        let raw = f.text.trim();
        if raw.is_empty() {
            continue;
        }
        if let Some(u) = upn(raw, "FormerUPN", &mut problems) {
            if Some(&u) == upn_value.as_ref() {
                problems.push(format!("FormerUPN {u} is the same as the pupil's UPN"));
            } else if former_seen.insert(u.clone()) {
                former_upns.push(u);
            }
        }
    }

    let history = node.first("SENhistory");
    let mut sen_history = Vec::new();
    for sen in history.into_iter().flat_map(|h| h.all("SEN")) {
        let mut ok = true;
        let start = match single(sen, "StartDate", &mut problems) {
            Some(raw) => date(&raw, "SEN StartDate", &mut problems),
            None => {
                problems.push("A SEN period has no StartDate".to_owned());
                None
            }
        };
        let end = match single(sen, "EndDate", &mut problems) {
            Some(raw) => {
                let d = date(&raw, "SEN EndDate", &mut problems);
                ok &= d.is_some();
                d
            }
            None => None,
        };
        let status = match single(sen, "SENprovision", &mut problems) {
            Some(raw) => {
                let s = SenStatus::parse(&raw);
                if s.is_none() {
                    problems.push(format!(
                        "SENprovision {} is not a SEN provision code: expected N, K or E (or the historic S, A or P)",
                        shown(&raw)
                    ));
                }
                s
            }
            None => {
                problems.push("A SEN period has no SENprovision".to_owned());
                None
            }
        };
        if let (Some(start), Some(end)) = (start, end)
            && end < start
        {
            problems.push(format!("The SEN period starting {start} ends on {end}, before it starts"));
            ok = false;
        }
        if let (true, Some(start), Some(status)) = (ok, start, status) {
            sen_history.push(SenPeriod { start, end, status });
        }
    }
    sen_history.sort_by_key(|p| p.start);
    let starts: Vec<NaiveDate> = sen_history.iter().map(|p| p.start).collect();
    for (period, next) in sen_history.iter_mut().zip(starts.iter().skip(1)) {
        if period.end.is_none() {
            period.end = Some(*next);
        }
    }

    let mut needs_read: Vec<CtfNeed> = Vec::new();
    let mut codes_ok = true;
    let need_nodes: Vec<&Node> = history.into_iter().flat_map(|h| h.all("SENneeds")).flat_map(|n| n.all("SENneed")).collect();
    if need_nodes.len() > needs::MAX_NEEDS {
        codes_ok = false;
        problems.push(format!(
            "SENneeds has {} SENneed elements: there are {} census types of need, each given once",
            need_nodes.len(),
            NeedCode::ALL.len()
        ));
    }
    for need in need_nodes.into_iter().take(needs::MAX_NEEDS) {
        let rank = match single(need, "SENtypeRank", &mut problems) {
            Some(raw) => {
                let r = raw.parse::<u8>().ok().filter(|r| *r >= 1);
                if r.is_none() {
                    problems.push(format!("SENtypeRank {} is not a rank: expected a whole number from 1", shown(&raw)));
                }
                r
            }
            None => {
                problems.push("A SENneed has no SENtypeRank".to_owned());
                None
            }
        };
        let code = match single(need, "SENtype", &mut problems) {
            Some(raw) => {
                let c = NeedCode::parse(&raw);
                if c.is_none() {
                    problems.push(format!("SENtype: {}", needs::unknown_code(&raw).message));
                }
                c
            }
            None => {
                problems.push("A SENneed has no SENtype".to_owned());
                None
            }
        };
        match (rank, code) {
            (Some(rank), Some(code)) => needs_read.push(RankedNeed { rank, code }),
            _ => codes_ok = false,
        }
    }
    if codes_ok {
        problems.extend(needs::check_ranks(&needs_read).into_iter().map(|i| format!("SENneeds: {}", i.message)));
    }
    let current = sen_history.last().filter(|p| p.end.is_none()).map(|p| p.status);
    if current == Some(SenStatus::E) && needs_read.iter().any(|n| n.code == NeedCode::Nsa) {
        problems.push(format!("SENneeds: {}", needs::nsa_for_ehc_plan().message));
    }
    needs_read.sort_by_key(|n| n.rank);

    match (upn_value, surname, forename, date_of_birth) {
        (Some(upn), Some(surname), Some(forename), Some(date_of_birth)) if problems.is_empty() => {
            Ok(CtfPupil { upn, former_upns, surname, forename, date_of_birth, sex, year_group, sen_history, needs: needs_read })
        }
        _ => {
            if problems.len() > MAX_PROBLEMS {
                let more = problems.len() - MAX_PROBLEMS;
                problems.truncate(MAX_PROBLEMS);
                problems.push(format!("… and {more} more problems"));
            }
            Err(PupilProblem { index, upn: upn_raw, problems })
        }
    }
}
