//! An Open Referral UK feed read into Local Offer services (R18).
//!
//! A feed is what a local authority's ORUK API answers to `GET /services`, saved as a
//! file or fetched: version 1 (`{"content": [...], "totalElements": …}`, the shape most
//! directories publish), version 3 / HSDS 3 (`{"contents": [...], "total_items": …}`),
//! a bare array of services, or one service. Each service is mapped on its own, so one
//! bad record never stops the rest:
//!
//! | senplan            | ORUK v1                                    | ORUK v3 / HSDS 3                      |
//! |--------------------|--------------------------------------------|---------------------------------------|
//! | name, description  | `name`, `description`                      | the same                              |
//! | organisation       | `organization.name`                        | the same                              |
//! | ages               | `eligibilitys[].minimum_age`/`maximum_age` | `minimum_age`/`maximum_age`           |
//! | areas of need      | `service_taxonomys[].taxonomy.name`        | `attributes[].taxonomy_term.name`     |
//! | how to refer       | `application_process`, else `attending_access` | `application_process`             |
//! | contact, phone     | `contacts[]` (`name`, `title`, `phones[].number`) | the same, or `phones[]`        |
//! | e-mail, website    | `email`, `url` (else `organization.url`)   | `email`, `url` (else `organization.website`) |
//! | cost               | `fees`, else `cost_options[]`              | `fees_description`, `fees`, `cost_options[]` |
//! | waiting time       | `wait_time`                                | the same                              |
//!
//! A service without an id or a name, for adults only, or with ages the wrong way round
//! is refused with its id and the reason; the same id twice keeps the later entry. An
//! age above 25 means "into adulthood" and is read as no upper limit.

use std::collections::HashMap;

use senplan_core::local_offer::{MAX_AGE, Service, Source, area_from_words};
use serde_json::Value;

/// A feed that could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeedError {
    #[error("The feed is not JSON: {message} (line {line}, column {column})")]
    NotJson { line: usize, column: usize, message: String },
    #[error(
        "The feed is JSON but not an Open Referral UK list of services: expected an object with \"content\" (version 1) or \"contents\" (version 3), an array of services, or one service with an \"id\""
    )]
    NotAFeed,
}

/// Which shape the feed had.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `{"content": [...]}` with `totalElements`: ORUK version 1.
    Version1,
    /// `{"contents": [...]}` with `total_items`: ORUK version 3 (HSDS 3).
    Version3,
    /// A bare array of services.
    List,
    /// One service on its own.
    Single,
}

/// A record the import could not take: its id in the feed (or its position when it
/// has none) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub id: String,
    pub reason: String,
}

/// What a feed holds, mapped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feed {
    pub shape: Shape,
    /// The services taken, each checked by `Service::validate`, with the feed's id in
    /// its `Source::Feed`; in the feed's order, each id once.
    pub services: Vec<Service>,
    pub refused: Vec<Refused>,
    /// Ids that appeared more than once (the later entry was kept).
    pub repeated: Vec<String>,
    /// How many pages the feed says it has (ORUK pages its lists); more than 1 means
    /// only the first page was read.
    pub total_pages: Option<u64>,
}

/// Reads a feed named `feed` (its file name or address, kept as each service's origin).
pub fn read(bytes: &[u8], feed: &str) -> Result<Feed, FeedError> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| FeedError::NotJson {
        line: e.line(),
        column: e.column(),
        message: match e.classify() {
            serde_json::error::Category::Eof => "it ends too early".to_owned(),
            serde_json::error::Category::Syntax => "the text is not valid JSON".to_owned(),
            serde_json::error::Category::Data => "a value is of the wrong kind".to_owned(),
            serde_json::error::Category::Io => "it could not be read".to_owned(),
        },
    })?;
    let (shape, items, total_pages) = match &value {
        Value::Object(o) if o.get("content").is_some_and(Value::is_array) => (Shape::Version1, &o["content"], o.get("totalPages").and_then(Value::as_u64)),
        Value::Object(o) if o.get("contents").is_some_and(Value::is_array) => {
            let pages = o.get("total_pages").or_else(|| o.get("totalPages")).and_then(Value::as_u64);
            (if o.contains_key("totalElements") { Shape::Version1 } else { Shape::Version3 }, &o["contents"], pages)
        }
        Value::Array(_) => (Shape::List, &value, None),
        Value::Object(o) if o.contains_key("id") => (Shape::Single, &value, None),
        _ => return Err(FeedError::NotAFeed),
    };
    let items: Vec<&Value> = match items {
        Value::Array(a) => a.iter().collect(),
        single => vec![single],
    };
    let mut services: Vec<Service> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    let mut refused = Vec::new();
    let mut repeated = Vec::new();
    for (n, item) in items.into_iter().enumerate() {
        match service(item, feed) {
            Ok(s) => {
                let Source::Feed { id, .. } = &s.source else { continue };
                match at.get(id) {
                    Some(&i) => {
                        repeated.push(id.clone());
                        services[i] = s;
                    }
                    None => {
                        at.insert(id.clone(), services.len());
                        services.push(s);
                    }
                }
            }
            Err(reason) => refused.push(Refused { id: id_of(item).unwrap_or_else(|| format!("(no id: item {} in the list)", n + 1)), reason }),
        }
    }
    Ok(Feed { shape, services, refused, repeated, total_pages })
}

fn id_of(v: &Value) -> Option<String> {
    match v.get("id")? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A text field, trimmed; empty when missing or not text.
fn text(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).map(str::trim).unwrap_or_default().to_owned()
}

fn array<'a>(v: &'a Value, key: &str) -> impl Iterator<Item = &'a Value> {
    v.get(key).and_then(Value::as_array).into_iter().flatten()
}

/// A number sent as a number or as text ("4", 4, 4.0).
fn number(v: Option<&Value>) -> Option<f64> {
    match v? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn first_nonempty(options: impl IntoIterator<Item = String>) -> String {
    options.into_iter().find(|s| !s.is_empty()).unwrap_or_default()
}

/// Markup some directories put in descriptions (`<p>`, `<br>`), taken out: the text is
/// shown as text.
fn plain(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn service(v: &Value, feed: &str) -> Result<Service, String> {
    if !v.is_object() {
        return Err("it is not a service (not a JSON object)".to_owned());
    }
    let id = id_of(v).ok_or("it has no id")?;
    let name = text(v, "name");
    if name.is_empty() {
        return Err("it has no name".to_owned());
    }
    let (min_age, max_age) = ages(v)?;
    let org = v.get("organization").unwrap_or(&Value::Null);
    let mut areas: Vec<_> = array(v, "service_taxonomys")
        .filter_map(|t| t.get("taxonomy"))
        .chain(array(v, "attributes").filter_map(|a| a.get("taxonomy_term")))
        .filter_map(|t| area_from_words(&text(t, "name")))
        .collect();
    areas.sort();
    areas.dedup();
    let contacts: Vec<&Value> = array(v, "contacts").collect();
    let contact = contacts.first().map(|c| {
        let (name, title) = (text(c, "name"), text(c, "title"));
        match (name.is_empty(), title.is_empty()) {
            (false, false) => format!("{name}, {title}"),
            (false, true) => name,
            _ => title,
        }
    });
    let phone = contacts.iter().flat_map(|c| array(c, "phones")).chain(array(v, "phones")).map(|p| text(p, "number")).find(|n| !n.is_empty());
    let email = first_nonempty([text(v, "email")].into_iter().chain(contacts.iter().map(|c| text(c, "email"))));
    let how_to_refer = first_nonempty([
        text(v, "application_process"),
        match text(v, "attending_access").to_lowercase().as_str() {
            "referral" => "By referral".to_owned(),
            "appointment" => "By appointment".to_owned(),
            "drop-in" => "Drop in, no referral needed".to_owned(),
            "membership" => "By membership".to_owned(),
            _ => String::new(),
        },
    ]);
    let s = Service {
        name,
        organisation: text(org, "name"),
        description: plain(&text(v, "description")),
        min_age,
        max_age,
        areas,
        how_to_refer,
        contact_name: contact.unwrap_or_default(),
        phone: phone.unwrap_or_default(),
        email,
        website: first_nonempty([text(v, "url"), text(org, "url"), text(org, "website")]),
        cost: cost(v),
        waiting_time: text(v, "wait_time"),
        source: Source::Feed { feed: feed.to_owned(), id },
    };
    s.validate().map_err(|e| e.errors.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; "))
}

/// The ages a service takes: on the service (v3), else across its eligibility rows
/// (v1: the youngest minimum and the oldest maximum). Above 25 is no upper limit.
fn ages(v: &Value) -> Result<(Option<u8>, Option<u8>), String> {
    let rows: Vec<&Value> = array(v, "eligibilitys").collect();
    let (min, max) = if v.get("minimum_age").is_some() || v.get("maximum_age").is_some() {
        (number(v.get("minimum_age")), number(v.get("maximum_age")))
    } else {
        let mins: Vec<f64> = rows.iter().filter_map(|r| number(r.get("minimum_age"))).collect();
        let maxes: Vec<f64> = rows.iter().filter_map(|r| number(r.get("maximum_age"))).collect();
        (mins.into_iter().reduce(f64::min), maxes.into_iter().reduce(f64::max))
    };
    if let Some(m) = min.filter(|m| *m < 0.0 || m.is_nan()) {
        return Err(format!("its minimum age ({m}) is below 0"));
    }
    if let (Some(a), Some(b)) = (min, max)
        && a > b
    {
        return Err(format!("its minimum age ({a}) is above its maximum age ({b})"));
    }
    if let Some(a) = min.filter(|a| *a > f64::from(MAX_AGE)) {
        return Err(format!("it is for adults only (from age {a}), outside SEND support's 0 to 25"));
    }
    // Whole years: a service "from 2.5" takes a child of 2 only once they are 3.
    let min = min.map(|a| a.ceil() as u8).filter(|a| *a > 0);
    let max = max.filter(|b| *b < f64::from(MAX_AGE) + 1.0).map(|b| b.floor() as u8);
    Ok((min, max.filter(|b| *b < MAX_AGE)))
}

/// The cost in the publisher's words: the fees text, else each cost option ("£10 per
/// session"; an amount of 0 is "Free").
fn cost(v: &Value) -> String {
    let words = first_nonempty([text(v, "fees_description"), text(v, "fees")]);
    if !words.is_empty() {
        return words;
    }
    array(v, "cost_options")
        .map(|o| {
            let what = first_nonempty([text(o, "amount_description"), text(o, "option")]);
            match number(o.get("amount")) {
                Some(0.0) => if what.is_empty() { "Free".to_owned() } else { format!("Free: {what}") },
                Some(a) => if what.is_empty() { format!("£{a:.2}") } else { format!("£{a:.2}: {what}") },
                None => what,
            }
        })
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use senplan_core::need::BroadArea::*;

    fn one(json: &str) -> Result<Service, String> {
        let f = read(json.as_bytes(), "test").unwrap();
        match (f.services.first(), f.refused.first()) {
            (Some(s), _) => Ok(s.clone()),
            (None, Some(r)) => Err(r.reason.clone()),
            _ => panic!("nothing read"),
        }
    }

    #[test]
    fn r18_ages_come_from_the_service_or_its_eligibility_rows() {
        let s = one(r#"{"id": "a", "name": "S", "eligibilitys": [{"minimum_age": 2.0, "maximum_age": 11}, {"minimum_age": "4", "maximum_age": 18.0}, {}]}"#).unwrap();
        assert_eq!((s.min_age, s.max_age), (Some(2), Some(18)));
        let s = one(r#"{"id": "a", "name": "S", "minimum_age": 0, "maximum_age": 99}"#).unwrap();
        assert_eq!((s.min_age, s.max_age), (None, None), "from birth into adulthood: no limits within 0 to 25");
        let s = one(r#"{"id": "a", "name": "S", "minimum_age": 2.5, "maximum_age": 25}"#).unwrap();
        assert_eq!((s.min_age, s.max_age), (Some(3), None));
        let s = one(r#"{"id": "a", "name": "S", "minimum_age": 16, "maximum_age": 24.9}"#).unwrap();
        assert_eq!((s.min_age, s.max_age), (Some(16), Some(24)));
        assert_eq!(one(r#"{"id": "a", "name": "S", "minimum_age": 18, "maximum_age": 4}"#).unwrap_err(), "its minimum age (18) is above its maximum age (4)");
        assert!(one(r#"{"id": "a", "name": "S", "minimum_age": 26}"#).unwrap_err().contains("adults only"));
        assert!(one(r#"{"id": "a", "name": "S", "minimum_age": -1}"#).unwrap_err().contains("below 0"));
    }

    #[test]
    fn r18_cost_refer_and_contact_are_read_in_the_publisher_s_words() {
        let s = one(
            r#"{"id": 7, "name": " S ", "description": "<p>Help with <b>reading</b></p>", "attending_access": "Drop-in",
                "cost_options": [{"amount": 0, "option": "Assessment"}, {"amount": 10, "amount_description": "per session"}, {"amount": 5.5}],
                "contacts": [{"title": "Duty worker", "phones": []}, {"name": "B", "phones": [{"number": "01632 960 111"}]}],
                "organization": {"name": "Council", "website": "https://council.example"}}"#,
        )
        .unwrap();
        assert_eq!(s.name, "S");
        assert_eq!(s.description, "Help with reading");
        assert_eq!(s.how_to_refer, "Drop in, no referral needed");
        assert_eq!(s.cost, "Free: Assessment; £10.00: per session; £5.50");
        assert_eq!((s.contact_name.as_str(), s.phone.as_str()), ("Duty worker", "01632 960 111"));
        assert_eq!(s.website, "https://council.example");
        assert_eq!(s.source, Source::Feed { feed: "test".into(), id: "7".into() });
        let s = one(r#"{"id": "x", "name": "S", "fees": "Free", "fees_description": "No charge", "application_process": "Ask the SENCO", "attending_access": "referral"}"#)
            .unwrap();
        assert_eq!((s.cost.as_str(), s.how_to_refer.as_str()), ("No charge", "Ask the SENCO"));
    }

    #[test]
    fn r18_bad_records_are_refused_by_id_and_the_rest_kept() {
        let f = read(
            br#"[{"id": "1", "name": "Kept"}, {"id": "2"}, {"name": "No id"}, 5, {"id": "3", "name": "Bad mail", "email": "nobody"},
                 {"id": "1", "name": "Kept, changed"}]"#,
            "f",
        )
        .unwrap();
        assert_eq!(f.shape, Shape::List);
        assert_eq!(f.services.len(), 1);
        assert_eq!(f.services[0].name, "Kept, changed", "the later entry of an id is kept");
        assert_eq!(f.repeated, ["1"]);
        let refused: Vec<(&str, &str)> = f.refused.iter().map(|r| (r.id.as_str(), r.reason.as_str())).collect();
        assert_eq!(
            refused,
            [
                ("2", "it has no name"),
                ("(no id: item 3 in the list)", "it has no id"),
                ("(no id: item 4 in the list)", "it is not a service (not a JSON object)"),
                ("3", "email: Enter an e-mail address like name@example.org"),
            ]
        );
    }

    #[test]
    fn r18_a_feed_that_is_not_one_is_refused_whole() {
        assert_eq!(read(b"{\"content\": [", "f").unwrap_err(), FeedError::NotJson { line: 1, column: 13, message: "it ends too early".into() });
        assert!(matches!(read(b"<html>", "f"), Err(FeedError::NotJson { line: 1, column: 1, .. })));
        assert_eq!(read(br#"{"services": []}"#, "f").unwrap_err(), FeedError::NotAFeed);
        assert_eq!(read(b"42", "f").unwrap_err(), FeedError::NotAFeed);
        let single = read(br#"{"id": "s", "name": "One"}"#, "f").unwrap();
        assert_eq!((single.shape, single.services.len()), (Shape::Single, 1));
    }

    #[test]
    fn r18_taxonomy_names_become_areas_of_need() {
        let s = one(
            r#"{"id": "a", "name": "S", "service_taxonomys": [{"taxonomy": {"name": "Autistic Spectrum Disorder (ASD)"}}, {"taxonomy": {"name": "Hearing impairment"}}],
                "attributes": [{"taxonomy_term": {"name": "Speech, language and communication needs"}}, {"taxonomy_term": {"name": "Breaks and respite"}}]}"#,
        )
        .unwrap();
        assert_eq!(s.areas, [CommunicationAndInteraction, SensoryPhysical]);
    }
}
