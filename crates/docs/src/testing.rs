//! Reading a PDF back, for tests (feature `testing`): its text as a reader's software
//! extracts it, its structure tree (the tags a screen reader follows), and the
//! accessibility metadata PDF/UA-1 asks for (the language, "marked", the title, the
//! `pdfuaid:part` in the XMP metadata).
//!
//! Text comes from `pdf-extract`, which runs each page's content and decodes the fonts'
//! ToUnicode maps as a PDF reader does. Its own plain-text layout misjudges typst's
//! text (each run is drawn with a flipped text matrix, which its spacing rule reads as
//! a font size of NaN: words run together across lines), so the characters it decodes
//! are laid out here by [`Lines`]: a new line when the baseline moves, a space where a
//! gap is wider than a tenth of the text size. Structure and metadata come from
//! `lopdf` (the version `pdf-extract` uses), walking the catalog's `StructTreeRoot`.

use lopdf::{Dictionary, Document, Object};
use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

/// One element of the structure tree: its standard role (custom roles resolved through
/// the `RoleMap`) and its child elements, in reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StructNode {
    pub role: String,
    pub children: Vec<StructNode>,
}

impl StructNode {
    /// Every element under this one, depth first, this one included.
    pub fn walk(&self) -> Vec<&StructNode> {
        let mut out = vec![self];
        for child in &self.children {
            out.extend(child.walk());
        }
        out
    }

    /// How many elements of `role` are under this one (itself included).
    pub fn count(&self, role: &str) -> usize {
        self.walk().iter().filter(|n| n.role == role).count()
    }
}

/// What a PDF holds, as read back.
#[derive(Debug, Clone)]
pub struct ReadPdf {
    /// The text of every page, as extracted.
    pub pages: Vec<String>,
    /// The catalog's `/Lang`, e.g. "en-GB".
    pub lang: Option<String>,
    /// The catalog's `/MarkInfo << /Marked true >>`.
    pub marked: bool,
    /// The document information dictionary's `/Title`.
    pub info_title: Option<String>,
    /// The XMP metadata packet, as text.
    pub xmp: String,
    /// The structure tree's top-level elements (under `StructTreeRoot`).
    pub structure: Vec<StructNode>,
}

impl ReadPdf {
    /// All the text, pages joined.
    pub fn text(&self) -> String {
        self.pages.join("\n")
    }

    /// The text with every run of white space made one space: what to search for a
    /// phrase in, since a PDF's line breaks fall anywhere.
    pub fn flat_text(&self) -> String {
        self.text().split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// Whether the text holds `phrase`, white space compared loosely.
    pub fn says(&self, phrase: &str) -> bool {
        self.flat_text().contains(&phrase.split_whitespace().collect::<Vec<_>>().join(" "))
    }

    /// Whether the text holds `phrase` character for character once all white space is
    /// taken out of both: for text a table cell may wrap anywhere, even inside a word
    /// or after a "/".
    pub fn says_unwrapped(&self, phrase: &str) -> bool {
        let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        squeeze(&self.text()).contains(&squeeze(phrase))
    }

    /// The PDF/UA part declared in the XMP metadata (`pdfuaid:part`), 1 for PDF/UA-1.
    pub fn pdfua_part(&self) -> Option<u32> {
        xmp_value(&self.xmp, "pdfuaid:part")?.trim().parse().ok()
    }

    /// The title in the XMP metadata (`dc:title`).
    pub fn xmp_title(&self) -> Option<String> {
        let start = self.xmp.find("<dc:title")?;
        let rest = &self.xmp[start..];
        let li = rest.find("<rdf:li")?;
        let rest = &rest[li..];
        let open = rest.find('>')? + 1;
        let close = rest.find("</rdf:li>")?;
        Some(unescape_xml(&rest[open..close]))
    }

    /// Every structure element, depth first.
    pub fn all_elements(&self) -> Vec<&StructNode> {
        self.structure.iter().flat_map(StructNode::walk).collect()
    }

    /// How many structure elements have `role`.
    pub fn count(&self, role: &str) -> usize {
        self.structure.iter().map(|n| n.count(role)).sum()
    }

    /// The roles of the headings (`H1`..`H6`) in reading order.
    pub fn headings(&self) -> Vec<String> {
        self.all_elements().into_iter().map(|n| n.role.clone()).filter(|r| is_heading(r)).collect()
    }

    /// The structure tree as indented lines of roles, for a snapshot; runs of
    /// elements without children are folded ("TD ×3").
    pub fn outline(&self) -> String {
        let mut out = String::new();
        for node in &self.structure {
            outline(node, 0, &mut out);
        }
        out
    }
}

/// Reads `bytes` as a PDF.
pub fn read_pdf(bytes: &[u8]) -> Result<ReadPdf, String> {
    let doc = Document::load_mem(bytes).map_err(|e| format!("structure: {e}"))?;
    let mut lines = Lines::default();
    pdf_extract::output_doc(&doc, &mut lines).map_err(|e| format!("text: {e}"))?;
    let pages = lines.pages;
    let catalog = doc.catalog().map_err(|e| format!("catalog: {e}"))?;
    let lang = catalog.get_deref(b"Lang", &doc).ok().and_then(text_string);
    let marked = catalog
        .get_deref(b"MarkInfo", &doc)
        .and_then(Object::as_dict)
        .and_then(|d| d.get_deref(b"Marked", &doc))
        .and_then(Object::as_bool)
        .unwrap_or(false);
    let info_title =
        doc.trailer.get_deref(b"Info", &doc).and_then(Object::as_dict).and_then(|d| d.get_deref(b"Title", &doc)).ok().and_then(text_string);
    let xmp = catalog
        .get_deref(b"Metadata", &doc)
        .and_then(Object::as_stream)
        .ok()
        .map(|s| s.decompressed_content().unwrap_or_else(|_| s.content.clone()))
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    let structure = match catalog.get_deref(b"StructTreeRoot", &doc).and_then(Object::as_dict) {
        Ok(root) => {
            let roles = root.get_deref(b"RoleMap", &doc).and_then(Object::as_dict).ok();
            let mut seen = Vec::new();
            kids(&doc, root, roles, &mut seen)
        }
        Err(_) => Vec::new(),
    };
    Ok(ReadPdf { pages, lang, marked, info_title, xmp, structure })
}

/// Lays out the characters `pdf-extract` decodes as lines of text, page by page.
#[derive(Debug, Default)]
struct Lines {
    pages: Vec<String>,
    page: String,
    /// Where the last character ended (x), its baseline (y) and its size.
    last: Option<(f64, f64, f64)>,
}

impl OutputDev for Lines {
    fn begin_page(&mut self, _: u32, _: &MediaBox, _: Option<(f64, f64, f64, f64)>) -> Result<(), OutputError> {
        self.page.clear();
        self.last = None;
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        self.pages.push(std::mem::take(&mut self.page));
        Ok(())
    }

    fn output_character(&mut self, trm: &Transform, width: f64, _spacing: f64, font_size: f64, char: &str) -> Result<(), OutputError> {
        // The text matrix may be flipped (typst's is): the size is the square root of
        // the determinant's magnitude, whatever its sign.
        let size = font_size * (trm.m11 * trm.m22 - trm.m12 * trm.m21).abs().sqrt();
        let (x, y) = (trm.m31, trm.m32);
        if let Some((end, last_y, last_size)) = self.last {
            if (y - last_y).abs() > 0.5 * size.max(last_size) {
                self.page.push('\n');
            } else if x > end + 0.1 * size && !self.page.ends_with(' ') && char != " " {
                self.page.push(' ');
            }
        }
        self.page.push_str(char);
        self.last = Some((x + width * size, y, size));
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

/// The structure elements among a node's `/K` (a single kid or an array of them);
/// marked-content ids and object references are content, not elements, and skipped.
fn kids(doc: &Document, node: &Dictionary, roles: Option<&Dictionary>, seen: &mut Vec<lopdf::ObjectId>) -> Vec<StructNode> {
    let Ok(k) = node.get(b"K") else { return Vec::new() };
    let items: Vec<&Object> = match k {
        Object::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    let mut out = Vec::new();
    for item in items {
        if let Object::Reference(id) = item {
            // A malformed tree could loop; each element is read once.
            if seen.contains(id) {
                continue;
            }
            seen.push(*id);
        }
        let Ok((_, object)) = doc.dereference(item) else { continue };
        let Ok(dict) = object.as_dict() else { continue };
        let Ok(role) = dict.get(b"S").and_then(Object::as_name) else { continue };
        out.push(StructNode { role: resolve_role(role, roles, doc), children: kids(doc, dict, roles, seen) });
    }
    out
}

/// A role through the `RoleMap` to a standard one (at most a few steps).
fn resolve_role(role: &[u8], roles: Option<&Dictionary>, doc: &Document) -> String {
    let mut role = role.to_vec();
    for _ in 0..8 {
        match roles.and_then(|m| m.get_deref(&role, doc).ok()).and_then(|o| o.as_name().ok()) {
            Some(next) if next != role.as_slice() => role = next.to_vec(),
            _ => break,
        }
    }
    String::from_utf8_lossy(&role).into_owned()
}

fn text_string(object: &Object) -> Option<String> {
    lopdf::decode_text_string(object).ok()
}

fn is_heading(role: &str) -> bool {
    role.len() == 2 && role.starts_with('H') && role[1..].chars().all(|c| c.is_ascii_digit())
}

fn outline(node: &StructNode, depth: usize, out: &mut String) {
    out.push_str(&"  ".repeat(depth));
    out.push_str(&node.role);
    out.push('\n');
    let mut i = 0;
    while i < node.children.len() {
        let child = &node.children[i];
        if child.children.is_empty() {
            let run = node.children[i..].iter().take_while(|c| c.children.is_empty() && c.role == child.role).count();
            out.push_str(&"  ".repeat(depth + 1));
            out.push_str(&child.role);
            if run > 1 {
                out.push_str(&format!(" ×{run}"));
            }
            out.push('\n');
            i += run;
        } else {
            outline(child, depth + 1, out);
            i += 1;
        }
    }
}

/// The value of an XMP property written either as an element or as an attribute.
fn xmp_value<'a>(xmp: &'a str, name: &str) -> Option<&'a str> {
    if let Some(start) = xmp.find(&format!("<{name}>")) {
        let rest = &xmp[start + name.len() + 2..];
        return rest.find("</").map(|end| &rest[..end]);
    }
    let start = xmp.find(&format!("{name}=\""))?;
    let rest = &xmp[start + name.len() + 2..];
    rest.find('"').map(|end| &rest[..end])
}

fn unescape_xml(text: &str) -> String {
    text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}
