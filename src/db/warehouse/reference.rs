//! Reference rows of the four kinds, read as one row shape (the fields a kind lacks read as
//! empty text) and written one kind at a time. Rows name each other by name in forms and CSV
//! files; here those names become row ids.
use crate::db::engine::run::{read_all, read_optional};
use crate::db::engine::sql::contains_pattern;
use crate::db::engine::{Db, DbResult, Sql, Tx};
use crate::model::platform::time::Timestamp;
use crate::model::warehouse::checks::name_key;
use crate::model::warehouse::reference::{RefForm, RefInput, RefKind, RefList, RefRow, LIST_LIMIT};

crate::db::engine::inline::row! {
    struct RefDbRow {
        id: i64,
        name: String,
        position: String,
        inventory_item: String,
        category: String,
        tablet_type: String,
        ppd: String,
        tpp: String,
        cards_per_turn: String,
        archived: bool,
        updated_at: Timestamp,
    }
}

impl From<RefDbRow> for RefRow {
    fn from(r: RefDbRow) -> Self {
        let values = RefForm {
            name: r.name,
            position: r.position,
            inventory_item: r.inventory_item,
            category: r.category,
            tablet_type: r.tablet_type,
            ppd: r.ppd,
            tpp: r.tpp,
            cards_per_turn: r.cards_per_turn,
        };
        RefRow { id: r.id, values, archived: r.archived, updated_at: r.updated_at }
    }
}

/// The kind's table.
fn table(kind: RefKind) -> &'static str {
    match kind {
        RefKind::Categories => "warehouse_categories",
        RefKind::TabletTypes => "tablet_types",
        RefKind::Products => "products",
        RefKind::Machines => "machines",
    }
}

/// `select … from …` of a kind's rows in the one shape, and the order its list shows them in.
fn select(kind: RefKind) -> (&'static str, &'static str) {
    match kind {
        RefKind::Categories => (
            "select x.id, x.name, cast(x.position as text) as position, '' as inventory_item, '' as category, \
             '' as tablet_type, '' as ppd, '' as tpp, '' as cards_per_turn, x.archived, x.updated_at \
             from warehouse_categories x",
            " order by x.position, x.name_key, x.id",
        ),
        RefKind::TabletTypes => (
            "select x.id, x.name, '' as position, x.inventory_item, coalesce(c.name, '') as category, \
             '' as tablet_type, '' as ppd, '' as tpp, '' as cards_per_turn, x.archived, x.updated_at \
             from tablet_types x left join warehouse_categories c on c.id = x.category_id",
            " order by x.name_key, x.id",
        ),
        RefKind::Products => (
            "select x.id, x.name, '' as position, '' as inventory_item, '' as category, t.name as tablet_type, \
             cast(x.ppd as text) as ppd, cast(x.tpp as text) as tpp, '' as cards_per_turn, x.archived, x.updated_at \
             from products x join tablet_types t on t.id = x.tablet_type_id",
            " order by x.name_key, x.id",
        ),
        RefKind::Machines => (
            "select x.id, x.name, '' as position, '' as inventory_item, '' as category, '' as tablet_type, \
             '' as ppd, '' as tpp, coalesce(cast(x.cards_per_turn as text), '') as cards_per_turn, x.archived, x.updated_at \
             from machines x",
            " order by x.name_key, x.id",
        ),
    }
}

/// A kind's rows, archived or not, whose name (or a product's tablet type, a tablet type's
/// inventory item) contains `search`; at most `limit`, in the kind's order.
#[tracing::instrument(level = "debug", skip_all, fields(kind = kind.slug()))]
pub async fn list_reference(db: &Db, kind: RefKind, search: &str, archived: bool, limit: i64) -> DbResult<RefList> {
    let (from, order) = select(kind);
    let mut sql = Sql::new(from);
    sql.push(" where x.archived = ").bind(archived);
    if !search.is_empty() {
        let pattern = contains_pattern(search);
        sql.push(" and (x.name_key like ").bind(pattern.clone()).push(" escape '\\'");
        match kind {
            RefKind::Products => sql.push(" or t.name_key like ").bind(pattern).push(" escape '\\'"),
            RefKind::TabletTypes => sql.push(" or lower(x.inventory_item) like ").bind(pattern).push(" escape '\\'"),
            _ => &mut sql,
        };
        sql.push(")");
    }
    sql.push(order).push(" limit ").push_int(limit + 1);
    let mut rows: Vec<RefDbRow> = read_all(db, sql).await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    Ok(RefList { rows: rows.into_iter().map(RefRow::from).collect(), more })
}

/// One row of a kind by id.
pub async fn get_reference(db: &Db, kind: RefKind, id: i64) -> DbResult<Option<RefRow>> {
    let mut sql = Sql::new(select(kind).0);
    sql.push(" where x.id = ").bind(id);
    Ok(read_optional::<RefDbRow>(db, sql).await?.map(RefRow::from))
}

/// The same, inside a write (the row before its change, for the audit log).
pub async fn get_reference_in(tx: &mut Tx, kind: RefKind, id: i64) -> DbResult<Option<RefRow>> {
    let mut sql = Sql::new(select(kind).0);
    sql.push(" where x.id = ").bind(id);
    Ok(tx.fetch_optional::<RefDbRow>(sql).await?.map(RefRow::from))
}

/// The row of a kind named `name` (whatever its case), inside a write.
pub async fn get_reference_named_in(tx: &mut Tx, kind: RefKind, name: &str) -> DbResult<Option<RefRow>> {
    let mut sql = Sql::new(select(kind).0);
    sql.push(" where x.name_key = ").bind(name_key(name));
    Ok(tx.fetch_optional::<RefDbRow>(sql).await?.map(RefRow::from))
}

/// The names of a kind's rows in use (not archived), in its order: a picker's choices.
pub async fn reference_names(db: &Db, kind: RefKind) -> DbResult<Vec<String>> {
    let list = list_reference(db, kind, "", false, LIST_LIMIT).await?;
    Ok(list.rows.into_iter().map(|r| r.values.name).collect())
}

/// The id of the row of `kind` named `name` (whatever its case), and whether it is archived.
pub async fn find_by_name(tx: &mut Tx, kind: RefKind, name: &str) -> DbResult<Option<(i64, bool)>> {
    let text = format!("select id, archived from {} where name_key = $1", table(kind));
    tx.fetch_optional(Sql::with(&text, [name_key(name).into()])).await
}

/// The tablet type whose inventory item is `item`.
pub async fn find_by_item(tx: &mut Tx, item: &str) -> DbResult<Option<(i64,)>> {
    tx.fetch_optional(Sql::with("select id from tablet_types where inventory_item = $1", [item.into()])).await
}

/// Inserts a row; `refers` is the id of the row it names (a product's tablet type, a tablet
/// type's category). Returns its id.
pub async fn insert_reference(tx: &mut Tx, input: &RefInput, refers: Option<i64>, now: Timestamp) -> DbResult<i64> {
    let sql = match input {
        RefInput::Category { name, position } => Sql::with(
            "insert into warehouse_categories (name, name_key, position, created_at, updated_at) \
             values ($1, $2, $3, $4, $4) returning id",
            [name.as_str().into(), name_key(name).into(), (*position).into(), now.into()],
        ),
        RefInput::TabletType { name, inventory_item, .. } => Sql::with(
            "insert into tablet_types (name, name_key, inventory_item, category_id, created_at, updated_at) \
             values ($1, $2, $3, $4, $5, $5) returning id",
            [name.as_str().into(), name_key(name).into(), inventory_item.as_str().into(), refers.into(), now.into()],
        ),
        RefInput::Product { name, ppd, tpp, .. } => Sql::with(
            "insert into products (name, name_key, tablet_type_id, ppd, tpp, created_at, updated_at) \
             values ($1, $2, $3, $4, $5, $6, $6) returning id",
            [name.as_str().into(), name_key(name).into(), refers.into(), (*ppd).into(), (*tpp).into(), now.into()],
        ),
        RefInput::Machine { name, cards_per_turn } => Sql::with(
            "insert into machines (name, name_key, cards_per_turn, created_at, updated_at) \
             values ($1, $2, $3, $4, $4) returning id",
            [name.as_str().into(), name_key(name).into(), (*cards_per_turn).into(), now.into()],
        ),
    };
    let (id,): (i64,) = tx.fetch_one(sql).await?;
    Ok(id)
}

/// Replaces row `id`'s fields; `false` when there is no such row.
pub async fn update_reference(
    tx: &mut Tx,
    id: i64,
    input: &RefInput,
    refers: Option<i64>,
    now: Timestamp,
) -> DbResult<bool> {
    let sql = match input {
        RefInput::Category { name, position } => Sql::with(
            "update warehouse_categories set name = $1, name_key = $2, position = $3, updated_at = $4 where id = $5",
            [name.as_str().into(), name_key(name).into(), (*position).into(), now.into(), id.into()],
        ),
        RefInput::TabletType { name, inventory_item, .. } => Sql::with(
            "update tablet_types set name = $1, name_key = $2, inventory_item = $3, category_id = $4, updated_at = $5 \
             where id = $6",
            [
                name.as_str().into(),
                name_key(name).into(),
                inventory_item.as_str().into(),
                refers.into(),
                now.into(),
                id.into(),
            ],
        ),
        RefInput::Product { name, ppd, tpp, .. } => Sql::with(
            "update products set name = $1, name_key = $2, tablet_type_id = $3, ppd = $4, tpp = $5, updated_at = $6 \
             where id = $7",
            [
                name.as_str().into(),
                name_key(name).into(),
                refers.into(),
                (*ppd).into(),
                (*tpp).into(),
                now.into(),
                id.into(),
            ],
        ),
        RefInput::Machine { name, cards_per_turn } => Sql::with(
            "update machines set name = $1, name_key = $2, cards_per_turn = $3, updated_at = $4 where id = $5",
            [name.as_str().into(), name_key(name).into(), (*cards_per_turn).into(), now.into(), id.into()],
        ),
    };
    Ok(tx.execute(sql).await? == 1)
}

/// Archives or restores row `id`; `false` when there is no such row.
pub async fn set_archived(tx: &mut Tx, kind: RefKind, id: i64, archived: bool, now: Timestamp) -> DbResult<bool> {
    let text = format!("update {} set archived = $1, updated_at = $2 where id = $3", table(kind));
    Ok(tx.execute(Sql::with(&text, [archived.into(), now.into(), id.into()])).await? == 1)
}
