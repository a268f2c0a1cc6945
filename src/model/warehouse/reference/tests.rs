//! The reference form's checks and the kinds' names, slugs and CSV columns.
use super::*;

fn product(ppd: &str, tpp: &str) -> RefForm {
    RefForm {
        name: "7OH 4ct".into(),
        tablet_type: "18mg 7OH".into(),
        ppd: ppd.into(),
        tpp: tpp.into(),
        ..Default::default()
    }
}

#[test]
fn a_product_needs_packs_greater_than_zero() {
    let ok = product("20", "4").validate(RefKind::Products).unwrap();
    assert_eq!(ok, RefInput::Product { name: "7OH 4ct".into(), tablet_type: "18mg 7OH".into(), ppd: 20, tpp: 4 });
    let errors = product("0", "").validate(RefKind::Products).unwrap_err();
    assert_eq!(errors.get("ppd").map(String::as_str), Some("Must be greater than 0."));
    assert_eq!(errors.get("tpp").map(String::as_str), Some("Enter a whole number from 1 to 100000."));
    let errors = product("4.5", "99999999999999999999").validate(RefKind::Products).unwrap_err();
    assert_eq!(errors.len(), 2);
}

#[test]
fn names_refuse_odd_characters_and_keep_their_case() {
    let mut form = RefForm { name: "  Relax\u{202e}  ".into(), ..Default::default() };
    let errors = form.validate(RefKind::Categories).unwrap_err();
    assert!(errors["name"].contains("formatting"));
    form.name = "x".repeat(MAX_NAME_CHARS + 1);
    assert_eq!(form.validate(RefKind::Categories).unwrap_err()["name"], "At most 100 characters.");
    form.name = " Relax ".into();
    assert_eq!(form.validate(RefKind::Categories).unwrap(), RefInput::Category { name: "Relax".into(), position: 0 });
}

#[test]
fn each_kind_reads_only_its_own_fields() {
    let form = RefForm {
        name: "Line 1".into(),
        ppd: "nonsense".into(),
        category: "\u{0}".into(),
        cards_per_turn: "".into(),
        ..Default::default()
    };
    assert_eq!(
        form.validate(RefKind::Machines).unwrap(),
        RefInput::Machine { name: "Line 1".into(), cards_per_turn: None }
    );
    let typed = RefForm { name: "18mg 7OH".into(), inventory_item: "INV-7OH-18".into(), ..Default::default() };
    assert_eq!(
        typed.validate(RefKind::TabletTypes).unwrap(),
        RefInput::TabletType { name: "18mg 7OH".into(), inventory_item: "INV-7OH-18".into(), category: None }
    );
    assert_eq!(typed.validate(RefKind::TabletTypes).unwrap().kind(), RefKind::TabletTypes);
}

#[test]
fn kinds_round_trip_their_slugs_and_name_their_columns() {
    for kind in RefKind::ALL {
        assert_eq!(RefKind::parse(kind.slug()), Some(kind));
    }
    assert_eq!(RefKind::parse("tablets"), None);
    for kind in RefKind::ALL {
        let names: Vec<&str> = std::iter::once("name").chain(kind.fields().iter().map(|f| f.name())).collect();
        assert_eq!(kind.csv_header(), names, "{kind:?}");
    }
    let mut form = RefForm::default();
    for field in RefKind::TabletTypes.fields() {
        form.set(*field, field.name().to_uppercase());
        assert_eq!(form.get(*field), field.name().to_uppercase());
    }
}
