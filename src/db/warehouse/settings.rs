//! The warehouse's settings, rows of the typed settings table (`cards_per_turn` since the
//! first schema, `count_tolerance` since 0023).
use crate::db::engine::run::read_all;
use crate::db::engine::{Db, DbResult, Sql, Tx};
use crate::model::platform::time::Timestamp;
use crate::model::warehouse::settings::{WarehouseSettings, CARDS_PER_TURN, COUNT_TOLERANCE};

fn settings_rows() -> Sql {
    Sql::with("select key, value from settings where key in ($1, $2)", [CARDS_PER_TURN.into(), COUNT_TOLERANCE.into()])
}

/// The stored settings; a missing or unreadable value reads as its default.
pub async fn warehouse_settings(db: &Db) -> DbResult<WarehouseSettings> {
    Ok(settings_from(read_all(db, settings_rows()).await?))
}

/// The same inside a write (the values before a change, for its audit row).
pub async fn warehouse_settings_in(tx: &mut Tx) -> DbResult<WarehouseSettings> {
    Ok(settings_from(tx.fetch_all(settings_rows()).await?))
}

fn settings_from(rows: Vec<(String, String)>) -> WarehouseSettings {
    let mut settings = WarehouseSettings::default();
    for (key, value) in rows {
        let Ok(n) = value.parse::<i64>() else { continue };
        match key.as_str() {
            CARDS_PER_TURN => settings.cards_per_turn = n,
            COUNT_TOLERANCE => settings.count_tolerance = n,
            _ => {}
        }
    }
    settings
}

/// Writes both settings.
pub async fn write_settings(tx: &mut Tx, settings: &WarehouseSettings, now: Timestamp) -> DbResult<()> {
    for (key, value) in [(CARDS_PER_TURN, settings.cards_per_turn), (COUNT_TOLERANCE, settings.count_tolerance)] {
        let sql = Sql::with(
            "update settings set value = $1, updated_at = $2 where key = $3",
            [value.to_string().into(), now.into(), key.into()],
        );
        tx.execute(sql).await?;
    }
    Ok(())
}
