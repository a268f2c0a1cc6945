//! Reference rows through the service, as the pages and the seed call it.
use backroom::db::engine::Db;
use backroom::db::platform::audit::count_events;
use backroom::db::warehouse::reference::{get_reference, list_reference, reference_names};
use backroom::db::warehouse::settings::warehouse_settings;
use backroom::model::platform::time::Timestamp;
use backroom::model::warehouse::reference::{RefForm, RefInput, RefKind, RefList, LIST_LIMIT};
use backroom::model::warehouse::settings::{SettingsForm, WarehouseSettings};
use backroom::warehouse::demo::seed_demo_catalogue;
use backroom::warehouse::reference::{create_reference, set_reference_archived, update_reference_row};
use backroom::warehouse::settings::save_settings;
use backroom::warehouse::WarehouseError;

use crate::support::builders::actor;

fn now() -> Timestamp {
    Timestamp::parse("2026-12-01T09:00:00Z").expect("a time")
}

async fn create(db: &Db, input: RefInput) -> i64 {
    try_create(db, input).await.expect("created")
}

async fn try_create(db: &Db, input: RefInput) -> Result<i64, WarehouseError> {
    create_reference(db, &actor(), &input, now()).await
}

/// The message on `field` of a refused change.
fn message(result: Result<impl std::fmt::Debug, WarehouseError>, field: &str) -> String {
    match result {
        Err(WarehouseError::Invalid(fields)) => fields.get(field).cloned().unwrap_or_else(|| format!("{fields:?}")),
        other => panic!("expected a message on {field}, got {other:?}"),
    }
}

async fn list(db: &Db, kind: RefKind, search: &str, archived: bool) -> RefList {
    list_reference(db, kind, search, archived, LIST_LIMIT).await.unwrap()
}

fn tablet_type(name: &str, item: &str, category: Option<&str>) -> RefInput {
    RefInput::TabletType { name: name.into(), inventory_item: item.into(), category: category.map(Into::into) }
}

fn product(name: &str, tablet_type: &str, ppd: i64, tpp: i64) -> RefInput {
    RefInput::Product { name: name.into(), tablet_type: tablet_type.into(), ppd, tpp }
}

#[tokio::test]
async fn rows_name_other_rows_by_name_and_names_are_unique_whatever_their_case() {
    crate::support::each_engine(|db: Db| async move {
        create(&db, RefInput::Category { name: "7OH".into(), position: 1 }).await;
        let missing = try_create(&db, tablet_type("18mg 7OH", "INV-7OH-18", Some("Kratom"))).await;
        assert_eq!(message(missing, "category"), "No category has this name.");
        let kind = create(&db, tablet_type("18mg 7OH", "INV-7OH-18", Some("7oh"))).await;
        let id = create(&db, product("7OH 4ct", "18MG 7oh", 20, 4)).await;

        let row = get_reference(&db, RefKind::Products, id).await.unwrap().expect("the product");
        assert_eq!(
            (row.values.tablet_type.as_str(), row.values.ppd.as_str(), row.values.tpp.as_str()),
            ("18mg 7OH", "20", "4")
        );
        let typed = get_reference(&db, RefKind::TabletTypes, kind).await.unwrap().expect("the type");
        assert_eq!((typed.values.inventory_item.as_str(), typed.values.category.as_str()), ("INV-7OH-18", "7OH"));

        let twin = try_create(&db, product("7oh 4CT", "18mg 7OH", 10, 5)).await;
        assert_eq!(message(twin, "name"), "Another product has this name.");
        let item = try_create(&db, tablet_type("25mg 7OH", "INV-7OH-18", None)).await;
        assert_eq!(message(item, "inventory_item"), "Another tablet type has this inventory item.");
        let nowhere = try_create(&db, product("Ghost 4ct", "No such type", 20, 4)).await;
        assert_eq!(message(nowhere, "tablet_type"), "No tablet type has this name.");

        // A rename keeps its own name free for itself, and a search finds a product by its type.
        update_reference_row(&db, &actor(), id, &product("7OH 4CT", "18mg 7OH", 20, 4), now()).await.unwrap();
        let found = list(&db, RefKind::Products, "18MG", false).await;
        assert_eq!(found.rows.iter().map(|r| r.values.name.as_str()).collect::<Vec<_>>(), ["7OH 4CT"]);
        assert!(list(&db, RefKind::Products, "%", false).await.rows.is_empty(), "a % is a character, not a wildcard");
        assert_eq!(count_events(&db, "product.created").await.unwrap(), 1);
        assert_eq!(count_events(&db, "product.updated").await.unwrap(), 1);
        // Saving what is stored changes nothing and is not audited.
        update_reference_row(&db, &actor(), id, &product("7OH 4CT", "18mg 7oh", 20, 4), now()).await.unwrap();
        assert_eq!(count_events(&db, "product.updated").await.unwrap(), 1);
        // Names are the same name whatever their case, beyond ASCII too, on both engines.
        create(&db, RefInput::Category { name: "Äpfel".into(), position: 2 }).await;
        let umlaut = try_create(&db, RefInput::Category { name: "äPFEL".into(), position: 3 }).await;
        assert_eq!(message(umlaut, "name"), "Another category has this name.");
        assert_eq!(list(&db, RefKind::Categories, "äp", false).await.rows.len(), 1, "a search folds the same way");
        assert_eq!(count_events(&db, "tablet_type.created").await.unwrap(), 1, "refused changes leave no audit row");
    })
    .await;
}

#[tokio::test]
async fn an_archived_row_leaves_the_pickers_but_the_rows_that_name_it_keep_it() {
    crate::support::each_engine(|db: Db| async move {
        let kind = create(&db, tablet_type("FIX Relax", "INV-FIX-RELAX", None)).await;
        let id = create(&db, product("5ct FIX Relax", "FIX Relax", 10, 5)).await;
        set_reference_archived(&db, &actor(), RefKind::TabletTypes, kind, true, now()).await.unwrap();
        set_reference_archived(&db, &actor(), RefKind::TabletTypes, kind, true, now()).await.unwrap();
        assert_eq!(count_events(&db, "tablet_type.archived").await.unwrap(), 1, "archiving twice is one change");
        assert!(reference_names(&db, RefKind::TabletTypes).await.unwrap().is_empty());
        assert_eq!(list(&db, RefKind::TabletTypes, "", true).await.rows.len(), 1);

        let refused = try_create(&db, product("12ct FIX Relax", "FIX Relax", 12, 12)).await;
        assert_eq!(message(refused, "tablet_type"), "This tablet type is archived: restore it first, or pick another.");
        // The product that already names it may still change its other fields.
        update_reference_row(&db, &actor(), id, &product("5ct FIX Relax", "fix relax", 10, 6), now()).await.unwrap();
        let row = get_reference(&db, RefKind::Products, id).await.unwrap().unwrap();
        assert_eq!((row.values.tablet_type.as_str(), row.values.tpp.as_str()), ("FIX Relax", "6"));

        set_reference_archived(&db, &actor(), RefKind::TabletTypes, kind, false, now()).await.unwrap();
        assert_eq!(reference_names(&db, RefKind::TabletTypes).await.unwrap(), ["FIX Relax"]);
        let machine = create(&db, RefInput::Machine { name: "Blister line 1".into(), cards_per_turn: Some(2) }).await;
        set_reference_archived(&db, &actor(), RefKind::Machines, machine, true, now()).await.unwrap();
        assert_eq!(list(&db, RefKind::Machines, "", true).await.rows[0].values.cards_per_turn, "2");
        let taken = try_create(&db, RefInput::Machine { name: "blister LINE 1".into(), cards_per_turn: None }).await;
        assert_eq!(message(taken, "name"), "An inactive machine has this name: restore it, or pick another name.");
        let own = create(&db, RefInput::Machine { name: "Blister line 2".into(), cards_per_turn: None }).await;
        let row = get_reference(&db, RefKind::Machines, own).await.unwrap().unwrap();
        assert_eq!(row.values.cards_per_turn, "", "no cards per turn of its own: the setting's");
        let gone = set_reference_archived(&db, &actor(), RefKind::Machines, 999_999, true, now()).await;
        assert!(matches!(gone, Err(WarehouseError::NotFound)));
        let gone = update_reference_row(&db, &actor(), 999_999, &product("x", "FIX Relax", 1, 1), now()).await;
        assert!(matches!(gone, Err(WarehouseError::NotFound)));
    })
    .await;
}

#[tokio::test]
async fn the_demo_catalogue_has_15_tablet_types_and_21_products() {
    crate::support::each_engine(|db: Db| async move {
        assert_eq!(seed_demo_catalogue(&db, now()).await.unwrap(), 3 + 15 + 21 + 2);
        assert_eq!(list(&db, RefKind::TabletTypes, "", false).await.rows.len(), 15);
        let products = list(&db, RefKind::Products, "", false).await;
        assert_eq!(products.rows.len(), 21);
        let find = |name: &str| products.rows.iter().find(|r| r.values.name == name).expect(name).values.clone();
        let seven = find("7OH 4ct");
        assert_eq!((seven.tablet_type.as_str(), seven.ppd.as_str(), seven.tpp.as_str()), ("18mg 7OH", "20", "4"));
        let energy = find("5ct FIX Energy");
        assert_eq!((energy.ppd.as_str(), energy.tpp.as_str()), ("10", "5"));
        let relax = find("12ct FIX Relax");
        assert_eq!((relax.ppd.as_str(), relax.tpp.as_str()), ("12", "12"));
        let categories = list(&db, RefKind::Categories, "", false).await;
        let order: Vec<&str> = categories.rows.iter().map(|r| r.values.name.as_str()).collect();
        assert_eq!(order, ["7OH", "FIX", "Classic"], "categories in their order");
        assert_eq!(count_events(&db, "product.created").await.unwrap(), 21);
    })
    .await;
}

#[tokio::test]
async fn settings_start_at_the_domain_defaults_and_each_change_is_audited() {
    crate::support::each_engine(|db: Db| async move {
        assert_eq!(warehouse_settings(&db).await.unwrap(), WarehouseSettings { cards_per_turn: 1, count_tolerance: 5 });
        let new = SettingsForm { cards_per_turn: "2".into(), count_tolerance: "3".into() }.validate().unwrap();
        save_settings(&db, &actor(), &new, now()).await.unwrap();
        save_settings(&db, &actor(), &new, now()).await.unwrap();
        assert_eq!(warehouse_settings(&db).await.unwrap(), new);
        assert_eq!(count_events(&db, "settings.updated").await.unwrap(), 1, "saving the same values changes nothing");
    })
    .await;
}

#[test]
fn a_form_checks_its_kind_fields_before_anything_is_stored() {
    let form =
        RefForm { name: "7OH 4ct".into(), tablet_type: "18mg 7OH".into(), ppd: "0".into(), ..Default::default() };
    let errors = form.validate(RefKind::Products).unwrap_err();
    assert_eq!(errors.keys().collect::<Vec<_>>(), ["ppd", "tpp"]);
}
