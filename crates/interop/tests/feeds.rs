//! Open Referral UK feeds written for these tests (a fictional "Northshire"), in the
//! version 1 shape most directories publish and the version 3 / HSDS 3 shape, read
//! into Local Offer services (R18).

use senplan_core::local_offer::Source;
use senplan_core::need::BroadArea::*;
use senplan_interop::oruk::{Shape, read};

const V1: &[u8] = include_bytes!("fixtures/northshire_oruk_v1.json");
const V3: &[u8] = include_bytes!("fixtures/northshire_oruk_v3.json");

#[test]
fn r18_a_version_1_feed_maps_each_service_and_reports_the_bad_ones_by_id() {
    let f = read(V1, "northshire.json").unwrap();
    assert_eq!(f.shape, Shape::Version1);
    let names: Vec<&str> = f.services.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Northshire Educational Psychology Service",
            "Children's Speech and Language Therapy",
            "Children's Occupational Therapy",
            "Autism Outreach Team",
            "Families First Early Help",
        ]
    );
    let refused: Vec<(&str, &str)> = f.refused.iter().map(|r| (r.id.as_str(), r.reason.as_str())).collect();
    assert_eq!(
        refused,
        [
            ("3f1c2a9e-5b7d-4e21-9c4a-0a1b2c3d4e04", "its minimum age (18) is above its maximum age (4)"),
            ("3f1c2a9e-5b7d-4e21-9c4a-0a1b2c3d4e07", "it has no name"),
        ]
    );
    assert_eq!(f.repeated, ["3f1c2a9e-5b7d-4e21-9c4a-0a1b2c3d4e02"], "the speech and language entry appears twice");

    let ep = &f.services[0];
    assert_eq!(ep.organisation, "Northshire County Council");
    assert_eq!((ep.min_age, ep.max_age), (None, None), "0 to 25: every age SEND support covers");
    assert_eq!(ep.areas, [CognitionAndLearning]);
    assert!(ep.how_to_refer.starts_with("Referral through your child's school SENCo"), "{}", ep.how_to_refer);
    assert_eq!(ep.cost, "Free. There is no charge to families.");
    assert_eq!(ep.email, "eps@northshire.example");
    assert_eq!(ep.website, "https://localoffer.northshire.example/services/educational-psychology");
    assert_eq!(ep.source, Source::Feed { feed: "northshire.json".into(), id: "3f1c2a9e-5b7d-4e21-9c4a-0a1b2c3d4e01".into() });

    let slt = &f.services[1];
    assert_eq!((slt.min_age, slt.max_age, slt.areas.as_slice()), (None, Some(18), [CommunicationAndInteraction].as_slice()));
    assert!(!slt.phone.is_empty(), "the contact's phone number is kept");
    let autism = &f.services[3];
    assert_eq!((autism.min_age, autism.max_age), (Some(2), Some(19)));
    assert_eq!(autism.areas, [CommunicationAndInteraction]);
    assert_eq!(autism.how_to_refer, "By appointment");
}

#[test]
fn r18_a_version_3_feed_reads_ages_and_terms_from_their_new_places() {
    let f = read(V3, "https://directory.northshire.example/services").unwrap();
    assert_eq!(f.shape, Shape::Version3);
    assert_eq!(f.services.len(), 2, "{:?}", f.refused);
    let slt = &f.services[0];
    assert_eq!((slt.min_age, slt.max_age), (None, Some(18)));
    assert_eq!(slt.areas, [CommunicationAndInteraction]);
    let autism = &f.services[1];
    assert_eq!((autism.min_age, autism.max_age), (Some(2), Some(19)));
    assert_eq!(autism.phone, "01632 960040");
    assert!(autism.how_to_refer.starts_with("Ask your child's school SENCo to refer"), "{}", autism.how_to_refer);
    assert!(autism.cost.starts_with("School support is free."), "{}", autism.cost);
}
