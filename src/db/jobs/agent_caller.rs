//! Who calls the agent API, in one statement: the token, the device the path names, and (for a
//! fetch) whether that device has anything in flight. On PostgreSQL each statement is a round
//! trip, and a fleet mostly polls with nothing to do: an idle fetch is this one read.
use crate::db::engine::run::read_optional;
use crate::db::engine::{Db, DbResult, Sql, Value};
use crate::db::fleet::api_tokens::{token_hash, TokenScope};
use crate::db::jobs::target_ref::IN_FLIGHT;

/// A live token, the device the path names (`None` when no device has that id), and whether
/// that device had targets in flight when it was read (always `false` unless asked).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgentCaller {
    pub scope: TokenScope,
    pub device: Option<i64>,
    pub in_flight: bool,
}

/// The live token with this text and the device `device_key` names; with `ask_in_flight`, also
/// whether the device has work in flight (inline on SQLite: every agent call asks).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn agent_caller(
    db: &Db,
    token: &str,
    device_key: Option<&str>,
    ask_in_flight: bool,
) -> DbResult<Option<AgentCaller>> {
    let in_flight = if ask_in_flight {
        format!("exists (select 1 from job_targets jt where jt.device_id = d.id and jt.state in {IN_FLIGHT})")
    } else {
        "false".to_string()
    };
    let mut sql = Sql::new(&format!(
        "select t.id, t.device_id, d.id, {in_flight} from api_tokens t left join devices d on d.device_id = "
    ));
    sql.bind(Value::OptText(device_key.map(str::to_string)));
    sql.push(" where t.revoked_at is null and t.token_hash = ").bind(token_hash(token));
    let row: Option<(i64, Option<i64>, Option<i64>, bool)> = read_optional(db, sql).await?;
    Ok(row.map(|(token_id, own, device, in_flight)| AgentCaller {
        scope: TokenScope { token_id, device: own },
        device,
        in_flight,
    }))
}
