//! What the floor forms read: the in-use products, tablet types (with their first product's
//! tablets per package) and machines, one saved submission with its PO and bag, and a bag's
//! running total.
use crate::db::engine::run::{read_all, read_optional};
use crate::db::engine::{Db, DbResult, Sql};

crate::db::engine::inline::row! {
    pub struct ProductChoiceRow {
        pub name: String,
        pub tablet_type: String,
        pub ppd: i64,
        pub tpp: i64,
    }
}

crate::db::engine::inline::row! {
    pub struct SavedSubmissionRow {
        pub id: i64,
        pub kind: String,
        pub good: i64,
        pub damaged: i64,
        pub box_no: Option<i64>,
        pub bag_no: Option<i64>,
        pub needs_review: bool,
        pub po_line_id: Option<i64>,
        pub po: Option<String>,
        pub bag_id: Option<i64>,
        pub receive_id: Option<i64>,
    }
}

/// Products in use, by name.
pub async fn product_choices(db: &Db) -> DbResult<Vec<ProductChoiceRow>> {
    let sql = "select p.name, t.name as tablet_type, p.ppd, p.tpp from products p \
         join tablet_types t on t.id = p.tablet_type_id where p.archived = ";
    let mut sql = Sql::new(sql);
    sql.bind(false).push(" order by p.name_key");
    read_all(db, sql).await
}

/// Tablet types in use, by name, each with its first product's tablets per package.
pub async fn tablet_type_choices(db: &Db) -> DbResult<Vec<(String, Option<i64>)>> {
    let mut sql = Sql::new(
        "select t.name, (select p.tpp from products p where p.tablet_type_id = t.id order by p.archived, p.id limit 1) \
         from tablet_types t where t.archived = ",
    );
    sql.bind(false).push(" order by t.name_key");
    read_all(db, sql).await
}

/// Machines in use, by name, with their cards per turn when they set them.
pub async fn machine_choices(db: &Db) -> DbResult<Vec<(String, Option<i64>)>> {
    let mut sql = Sql::new("select name, cards_per_turn from machines where archived = ");
    sql.bind(false).push(" order by name_key");
    read_all(db, sql).await
}

/// Submission `id` with its PO's number and its bag's receive.
pub async fn saved_submission(db: &Db, id: i64) -> DbResult<Option<SavedSubmissionRow>> {
    let sql = Sql::with(
        "select s.id, s.kind, s.good, s.damaged, s.box_no, s.bag_no, s.needs_review, s.po_line_id, p.number as po, \
         s.bag_id, b.receive_id from submissions s left join purchase_orders p on p.id = s.po_id \
         left join receive_bags b on b.id = s.bag_id where s.id = $1",
        [id.into()],
    );
    read_optional(db, sql).await
}

/// Bag `bag`'s running total and its label count. The total is the good tablets of its packaged
/// and bag counts; machine counts stay out, since the tablets a machine presses into cards are
/// counted again when they are packed.
pub async fn bag_running_total(db: &Db, bag: i64) -> DbResult<Option<(i64, i64)>> {
    let mut sql = Sql::new("select ");
    sql.push(&super::submission_list::running_total_of("b.id"));
    sql.push(", b.label_count from receive_bags b where b.id = ").bind(bag);
    read_optional(db, sql).await
}

crate::db::engine::inline::row! {
    /// A stored submission as its form is filled in again, with who made it and whether it is
    /// verified.
    pub struct StoredFormRow {
        pub kind: String,
        pub submitted_on: String,
        pub product: Option<String>,
        pub machine: Option<String>,
        pub tablet_type: String,
        pub box_no: Option<i64>,
        pub bag_no: Option<i64>,
        pub displays: i64,
        pub packs: i64,
        pub loose: i64,
        pub turns: i64,
        pub good: i64,
        pub damaged: i64,
        pub admin_notes: String,
        pub employee: String,
        pub employee_id: Option<i64>,
        pub verified_by: Option<String>,
    }
}

/// Submission `id`'s typed values, by name.
pub async fn stored_form(db: &Db, id: i64) -> DbResult<Option<StoredFormRow>> {
    let sql = Sql::with(
        "select s.kind, s.submitted_on, p.name as product, m.name as machine, t.name as tablet_type, s.box_no, \
         s.bag_no, s.displays, s.packs, s.loose, s.turns, s.good, s.damaged, s.admin_notes, s.employee, \
         s.employee_id, s.verified_by from submissions s join tablet_types t on t.id = s.tablet_type_id \
         left join products p on p.id = s.product_id left join machines m on m.id = s.machine_id where s.id = $1",
        [id.into()],
    );
    read_optional(db, sql).await
}
