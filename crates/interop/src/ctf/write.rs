//! Writing a Common Transfer File: the header, then each pupil's basic details and SEN
//! history, in the CTF's element order, text escaped (a character XML cannot carry is
//! an error, never dropped).

use std::io::{self, Write};

use senplan_core::pupil::{Sex, YearGroup};

use super::{CtfHeader, CtfPupil, DATE, DATE_TIME};

/// Writes a CTF one pupil at a time: [`CtfWriter::start`], [`CtfWriter::pupil`] for
/// each, then [`CtfWriter::finish`].
#[derive(Debug)]
pub struct CtfWriter<W: Write> {
    w: W,
}

impl<W: Write> CtfWriter<W> {
    /// Writes the XML declaration, the `Header` and opens `CTFpupilData`.
    pub fn start(mut w: W, header: &CtfHeader) -> io::Result<Self> {
        writeln!(w, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(w, "<CTfile>")?;
        writeln!(w, "  <Header>")?;
        element(&mut w, 4, "DocumentName", &header.document_name)?;
        element(&mut w, 4, "CTFversion", &header.version)?;
        if let Some(dt) = header.date_time {
            element(&mut w, 4, "DateTime", &dt.format(DATE_TIME).to_string())?;
        }
        element(&mut w, 4, "DocumentQualifier", &header.document_qualifier)?;
        element(&mut w, 4, "SupplierID", &header.supplier_id)?;
        writeln!(w, "    <SourceSchool>")?;
        let s = &header.source;
        element(&mut w, 6, "LEA", &s.lea)?;
        element(&mut w, 6, "Estab", &s.estab)?;
        optional(&mut w, 6, "URN", s.urn.as_deref())?;
        optional(&mut w, 6, "SchoolName", s.name.as_deref())?;
        optional(&mut w, 6, "AcademicYear", s.academic_year.as_deref())?;
        writeln!(w, "    </SourceSchool>")?;
        if let Some(d) = &header.dest {
            writeln!(w, "    <DestSchool>")?;
            element(&mut w, 6, "LEA", &d.lea)?;
            element(&mut w, 6, "Estab", &d.estab)?;
            optional(&mut w, 6, "URN", d.urn.as_deref())?;
            writeln!(w, "    </DestSchool>")?;
        }
        writeln!(w, "  </Header>")?;
        writeln!(w, "  <CTFpupilData>")?;
        Ok(Self { w })
    }

    pub fn pupil(&mut self, p: &CtfPupil) -> io::Result<()> {
        let w = &mut self.w;
        writeln!(w, "    <Pupil>")?;
        element(w, 6, "UPN", p.upn.as_str())?;
        element(w, 6, "Surname", &p.surname)?;
        element(w, 6, "Forename", &p.forename)?;
        element(w, 6, "DOB", &p.date_of_birth.format(DATE).to_string())?;
        optional(w, 6, "Sex", p.sex.map(Sex::code))?;
        if !p.former_upns.is_empty() || p.year_group.is_some() {
            writeln!(w, "      <BasicDetails>")?;
            for f in &p.former_upns {
                element(w, 8, "FormerUPN", f.as_str())?;
            }
            optional(w, 8, "NCyearActual", p.year_group.map(YearGroup::code).as_deref())?;
            writeln!(w, "      </BasicDetails>")?;
        }
        if !p.sen_history.is_empty() || !p.needs.is_empty() {
            writeln!(w, "      <SENhistory>")?;
            for period in &p.sen_history {
                writeln!(w, "        <SEN>")?;
                element(w, 10, "StartDate", &period.start.format(DATE).to_string())?;
                optional(w, 10, "EndDate", period.end.map(|e| e.format(DATE).to_string()).as_deref())?;
                element(w, 10, "SENprovision", period.status.code())?;
                writeln!(w, "        </SEN>")?;
            }
            if !p.needs.is_empty() {
                writeln!(w, "        <SENneeds>")?;
                for n in &p.needs {
                    writeln!(w, "          <SENneed>")?;
                    element(w, 12, "SENtypeRank", &n.rank.to_string())?;
                    element(w, 12, "SENtype", n.code.code())?;
                    writeln!(w, "          </SENneed>")?;
                }
                writeln!(w, "        </SENneeds>")?;
            }
            writeln!(w, "      </SENhistory>")?;
        }
        writeln!(w, "    </Pupil>")
    }

    /// Closes the file and hands back the writer.
    pub fn finish(mut self) -> io::Result<W> {
        writeln!(self.w, "  </CTFpupilData>")?;
        writeln!(self.w, "</CTfile>")?;
        self.w.flush()?;
        Ok(self.w)
    }
}

/// Writes a whole CTF: the header and each pupil's details and SEN history.
pub fn write_ctf(w: impl Write, header: &CtfHeader, pupils: &[CtfPupil]) -> io::Result<()> {
    let mut writer = CtfWriter::start(w, header)?;
    for p in pupils {
        writer.pupil(p)?;
    }
    writer.finish().map(drop)
}

fn optional(w: &mut impl Write, indent: usize, name: &str, value: Option<&str>) -> io::Result<()> {
    match value {
        Some(v) => element(w, indent, name, v),
        None => Ok(()),
    }
}

fn element(w: &mut impl Write, indent: usize, name: &str, value: &str) -> io::Result<()> {
    writeln!(w, "{:indent$}<{name}>{}</{name}>", "", escape(name, value)?)
}

/// Text escaped for XML; a character XML 1.0 cannot hold at all is an error.
pub(crate) fn escape(element: &str, value: &str) -> io::Result<String> {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c < ' ' || matches!(c, '\u{FFFE}' | '\u{FFFF}') => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("{element} holds the control character U+{:04X}, which XML cannot carry", u32::from(c)),
                ));
            }
            c => out.push(c),
        }
    }
    Ok(out)
}
