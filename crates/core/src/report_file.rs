//! A specialist's report kept with a referral (R18): a PDF or a picture (a scanned or
//! photographed page), recognised by its content, never by its name, and at most
//! [`MAX_REPORT_BYTES`]. The store keeps the bytes under their SHA-256; the referral
//! keeps a [`ReportFile`] naming them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::Invalid;
use crate::passport::ImageType;

/// The largest report kept: 10 MiB.
pub const MAX_REPORT_BYTES: usize = 10 * 1024 * 1024;
/// Reports one referral may hold.
pub const MAX_REPORTS: usize = 10;

/// A report as the referral names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportFile {
    /// The SHA-256 of the file's bytes, hex: its name in the store, and the checksum
    /// it is checked against when read back.
    pub sha256: String,
    /// `application/pdf`, `image/png`, `image/jpeg`, `image/gif` or `image/webp`.
    pub media_type: String,
    /// The name it was uploaded with, for people (never trusted for its type).
    pub file_name: String,
    /// Its size in bytes.
    pub size: u64,
    pub added_on: NaiveDate,
    pub added_by: String,
}

impl ReportFile {
    /// "PDF, 240 KB" or "Picture (JPEG), 1.2 MB".
    pub fn describe(&self) -> String {
        let kind = match self.media_type.as_str() {
            "application/pdf" => "PDF".to_owned(),
            other => format!("Picture ({})", other.trim_start_matches("image/").to_uppercase()),
        };
        let size = if self.size >= 1_048_576 {
            format!("{:.1} MB", self.size as f64 / 1_048_576.0)
        } else {
            format!("{} KB", self.size.div_ceil(1024))
        };
        format!("{kind}, {size}")
    }
}

/// What an uploaded report is, by its content: a PDF (`%PDF-` within its first
/// kilobyte, as readers accept) or a PNG, JPEG, GIF or WebP picture.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        Some("application/pdf")
    } else {
        ImageType::sniff(bytes).map(ImageType::media_type)
    }
}

/// Checks an uploaded report: not empty, at most [`MAX_REPORT_BYTES`], a PDF or a
/// picture by its content. The name it came with is kept for people, without its
/// folders or invisible characters, at most 200 characters. Returns the media type
/// and the name.
pub fn check_report(bytes: &[u8], file_name: &str) -> Result<(&'static str, String), Invalid> {
    if bytes.is_empty() {
        return Err(Invalid::one("report", "empty", "The report file is empty: choose the file again"));
    }
    if bytes.len() > MAX_REPORT_BYTES {
        return Err(Invalid::one(
            "report",
            "too_large",
            format!(
                "The report is {:.1} MB: the largest kept is {} MB. Save it as a smaller PDF or scan it at a lower resolution",
                bytes.len() as f64 / 1_048_576.0,
                MAX_REPORT_BYTES / 1_048_576
            ),
        ));
    }
    let media_type = sniff(bytes).ok_or_else(|| {
        Invalid::one("report", "not_a_report", "The file is not a PDF or a picture (whatever its name says): choose the report as a PDF, PNG, JPEG, GIF or WebP")
    })?;
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or_default();
    let name: String = base.chars().filter(|c| !c.is_control()).take(200).collect::<String>().trim().to_owned();
    let name = if name.is_empty() { format!("report.{}", if media_type == "application/pdf" { "pdf" } else { "image" }) } else { name };
    Ok((media_type, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(r: Result<(&'static str, String), Invalid>) -> String {
        r.unwrap_err().errors[0].code.clone()
    }

    #[test]
    fn r18_a_report_is_a_pdf_or_picture_by_content_and_size() {
        let pdf = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj".to_vec();
        assert_eq!(check_report(&pdf, "C:\\Users\\x\\EP report.pdf").unwrap(), ("application/pdf", "EP report.pdf".to_owned()));
        assert_eq!(check_report(&pdf, "").unwrap().1, "report.pdf");
        assert_eq!(check_report(&pdf, "../a\u{0}b\n.pdf").unwrap().1, "ab.pdf");
        assert_eq!(check_report(&pdf, &"x".repeat(300)).unwrap().1.len(), 200);
        // A byte-order mark or junk before the header is accepted, as readers do.
        let mut late = vec![b' '; 1000];
        late.extend_from_slice(&pdf);
        assert_eq!(check_report(&late, "x.pdf").unwrap().0, "application/pdf");
        let mut too_late = vec![b' '; 1020];
        too_late.extend_from_slice(&pdf);
        assert_eq!(code(check_report(&too_late, "x.pdf")), "not_a_report");
        assert_eq!(check_report(b"\x89PNG\r\n\x1a\n....", "scan.png").unwrap().0, "image/png");
        assert_eq!(check_report(&[0xFF, 0xD8, 0xFF, 0xE0], "scan.pdf").unwrap().0, "image/jpeg", "the content decides, not the name");
        // An executable named .pdf, a Word file, text: refused.
        assert_eq!(code(check_report(b"MZ\x90\x00\x03\x00\x00\x00", "report.pdf")), "not_a_report");
        assert_eq!(code(check_report(b"\x7fELF\x02\x01\x01", "report.pdf")), "not_a_report");
        assert_eq!(code(check_report(b"PK\x03\x04 word", "report.docx")), "not_a_report");
        assert_eq!(code(check_report(b"", "report.pdf")), "empty");
        let mut big = pdf.clone();
        big.resize(MAX_REPORT_BYTES, b' ');
        assert!(check_report(&big, "big.pdf").is_ok(), "exactly the limit is kept");
        big.push(b' ');
        let e = check_report(&big, "big.pdf").unwrap_err();
        assert_eq!((e.errors[0].field.as_str(), e.errors[0].code.as_str()), ("report", "too_large"));
        assert!(e.errors[0].message.contains("10.0 MB") && e.errors[0].message.contains("largest kept is 10 MB"));
    }

    #[test]
    fn r18_a_report_is_described_by_kind_and_size() {
        let f = |media_type: &str, size| ReportFile {
            sha256: "ab".into(),
            media_type: media_type.into(),
            file_name: "r".into(),
            size,
            added_on: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
            added_by: "x".into(),
        };
        assert_eq!(f("application/pdf", 1).describe(), "PDF, 1 KB");
        assert_eq!(f("application/pdf", 1024).describe(), "PDF, 1 KB");
        assert_eq!(f("application/pdf", 1025).describe(), "PDF, 2 KB");
        assert_eq!(f("image/jpeg", 1_258_291).describe(), "Picture (JPEG), 1.2 MB");
        assert_eq!(f("image/png", 1_048_576).describe(), "Picture (PNG), 1.0 MB");
    }
}
