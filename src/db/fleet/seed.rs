//! Demo and benchmark data. `demo_fleet` is small and fixed; `scale` generates the
//! FLEET_CSV.md value mixes from a fixed random seed, so data sets compare across runs.
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::db::engine::bulk::{
    run_in_one_tx, sync_identities, write_rows, Rows, CHECK_COLUMNS, DEVICE_COLUMNS, SITE_COLUMNS,
};
use crate::db::engine::generations::Domain;
use crate::db::engine::{run::fetch_count, sql::Sql, sql::Value};
use crate::db::engine::{Db, DbError, DbResult};
use crate::model::platform::time::Timestamp;

/// Inserts all rows in one transaction, then moves PostgreSQL's identity past the given ids.
async fn insert_all(db: &Db, tables: &[Rows]) -> DbResult<()> {
    run_in_one_tx(db, tables.iter().flat_map(Rows::statements).collect(), &[Domain::Fleet]).await?;
    sync_identities(db, &tables.iter().map(|t| t.table).collect::<Vec<_>>()).await
}

async fn ensure_no_sites(db: &Db) -> DbResult<()> {
    if fetch_count(db, Sql::new("select count(*) from sites")).await? > 0 {
        return Err(DbError::Startup("the database already has sites: seed into an empty database".into()));
    }
    Ok(())
}

fn site_row(id: i64, name: &str, description: &str, location: &str, created: Timestamp) -> Vec<Value> {
    vec![
        id.into(),
        format!("site-{id:05}").into(),
        name.into(),
        description.into(),
        location.into(),
        false.into(),
        created.into(),
        created.into(),
    ]
}

struct DeviceSpec<'a> {
    id: i64,
    name: String,
    device_type: &'a str,
    site: i64,
    status: &'a str,
    ip: String,
    mac: String,
    firmware: &'a str,
    last_seen: Timestamp,
    config: serde_json::Value,
    created: Timestamp,
}

fn device_row(d: DeviceSpec<'_>) -> Vec<Value> {
    vec![
        d.id.into(),
        format!("pos-terminal-{:06}", d.id).into(),
        d.name.into(),
        d.device_type.into(),
        d.site.into(),
        d.status.into(),
        Value::OptText(Some(d.ip)),
        Value::OptText(Some(d.mac)),
        d.firmware.into(),
        Value::OptTime(Some(d.last_seen)),
        Value::Json(Some(d.config)),
        true.into(),
        d.created.into(),
        d.created.into(),
    ]
}

fn check_row(id: i64, device: i64, healthy: bool, ms: i64, code: i64, endpoint: &str, at: Timestamp) -> Vec<Value> {
    vec![id.into(), device.into(), healthy.into(), ms.into(), code.into(), endpoint.into(), at.into()]
}

async fn max_id(db: &Db, table: &str) -> DbResult<i64> {
    fetch_count(db, Sql::new(&format!("select coalesce(max(id), 0) from {table}"))).await
}

/// The demo fleet's sites, by name (the demo reporter finds their terminals by it).
pub const DEMO_SITES: [&str; 3] = ["Lyon Depot #1", "Paris Flagship", "Berlin Outlet"];

/// The demo fleet: Lyon (mixed), Paris (all reporting), Berlin (silent, one in error).
/// Appended after any rows already there, so it can join a generated data set.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn demo_fleet(db: &Db) -> DbResult<()> {
    let (site_base, device_base) = (max_id(db, "sites").await?, max_id(db, "devices").await?);
    let check_base = max_id(db, "health_checks").await?;
    let now = Timestamp::now();
    let created = now.plus_secs(-90 * 86_400);
    let sites = [
        (DEMO_SITES[0], "Depot in Lyon, 13 lanes, opened 2022", "195 Main Street, Lyon"),
        (DEMO_SITES[1], "Flagship store, 20 lanes, opened 2019", "8 Rue de Rivoli, Paris"),
        (DEMO_SITES[2], "Outlet in Berlin, 6 lanes, opened 2024", "12 Torstrasse, Berlin"),
    ];
    let site_rows =
        sites.iter().enumerate().map(|(i, (n, d, l))| site_row(site_base + i as i64 + 1, n, d, l, created)).collect();
    let mut devices = Vec::new();
    let mut checks = Vec::new();
    for id in 1..=12_i64 {
        let site = (id - 1) / 4 + 1;
        let lane = (id - 1) % 4 + 1;
        let (status, age) = match (site, lane) {
            (1, 4) => ("offline", 7200),
            (3, 2) => ("error", 3600),
            (3, _) => ("offline", 1800),
            _ => ("online", 10 + id * 3),
        };
        devices.push(device_row(DeviceSpec {
            id: device_base + id,
            name: format!("POS Terminal {lane} (site {})", site_base + site),
            device_type: "pos_terminal",
            site: site_base + site,
            status,
            ip: format!("10.0.{site}.{}", 10 + lane),
            mac: format!("02:00:00:00:{site:02x}:{lane:02x}"),
            firmware: if lane == 1 { "2.3.1" } else { "2.2.4" },
            last_seen: now.plus_secs(-age),
            config: serde_json::json!({"currency": "EUR", "heartbeat_s": 30, "locale": "fr_FR"}),
            created,
        }));
        for k in 0..3_i64 {
            let healthy = status != "error";
            let (ms, code) = if healthy { (40 + id * 7 + k * 11, 200) } else { (2500 + k * 100, 503) };
            checks.push(check_row(
                check_base + id * 3 + k - 2,
                device_base + id,
                healthy,
                ms,
                code,
                "/health",
                now.plus_secs(-age - k * 600),
            ));
        }
    }
    insert_all(
        db,
        &[
            Rows { table: "sites", columns: SITE_COLUMNS, values: site_rows },
            Rows { table: "devices", columns: DEVICE_COLUMNS, values: devices },
            Rows { table: "health_checks", columns: CHECK_COLUMNS, values: checks },
        ],
    )
    .await
}

/// The fixed "now" of generated data sets (FLEET_CSV.md: health checks all in May 2025).
pub fn dataset_now() -> Timestamp {
    Timestamp::parse("2025-05-31T00:00:00Z").unwrap_or_else(Timestamp::now)
}

/// Picks from weighted choices (weights in percent).
fn pick<'a>(rng: &mut StdRng, choices: &[(&'a str, u32)]) -> &'a str {
    let mut roll = rng.random_range(0..choices.iter().map(|c| c.1).sum::<u32>());
    for (value, weight) in choices {
        if roll < *weight {
            return value;
        }
        roll -= weight;
    }
    choices[0].0
}

const CITIES: [&str; 10] = ["Lyon", "Paris", "Berlin", "Madrid", "Milan", "Vienna", "Porto", "Ghent", "Lille", "Basel"];
const KINDS: [&str; 4] = ["Depot", "Store", "Outlet", "Kiosk"];
const FIRMWARE: [&str; 6] = ["1.9.7", "2.0.3", "2.1.0", "2.2.4", "2.3.1", "3.0.0-rc2"];
const FEATURES: [&str; 4] = ["loyalty", "giftcards", "contactless", "receipts"];

/// Rows generated and written at a time: scale 100 has 10 million checks, which must not all sit
/// in memory at once.
const SEED_CHUNK: i64 = 50_000;

/// Generates scale `n`: n×100 sites, n×10,000 devices, n×100,000 health checks, in one
/// transaction, a chunk of rows at a time (the random sequence, and so the data, is the same).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn scale(db: &Db, n: u32) -> DbResult<String> {
    ensure_no_sites(db).await?;
    let n = n.max(1) as i64;
    let mut rng = StdRng::seed_from_u64(0x0BAC_4200 + n as u64);
    let now = dataset_now();
    let (site_count, device_count, check_count) = (n * 100, n * 10_000, n * 100_000);
    let sites: Vec<Vec<Value>> = (1..=site_count).map(|id| scale_site(&mut rng, id, now)).collect();
    let mut tx = db.begin_write().await?;
    tx.changes(Domain::Fleet);
    write_rows(&mut tx, "sites", SITE_COLUMNS, sites).await?;
    for first in (1..=device_count).step_by(SEED_CHUNK as usize) {
        let last = (first + SEED_CHUNK - 1).min(device_count);
        let devices = (first..=last).map(|id| scale_device(&mut rng, id, site_count, now)).collect();
        write_rows(&mut tx, "devices", DEVICE_COLUMNS, devices).await?;
    }
    for first in (1..=check_count).step_by(SEED_CHUNK as usize) {
        let last = (first + SEED_CHUNK - 1).min(check_count);
        let checks = (first..=last).map(|id| scale_check(&mut rng, id, device_count, now)).collect();
        write_rows(&mut tx, "health_checks", CHECK_COLUMNS, checks).await?;
    }
    tx.commit().await?;
    sync_identities(db, &["sites", "devices", "health_checks"]).await?;
    crate::db::engine::bulk::vacuum_after_seed(db).await?;
    Ok(format!("{site_count} sites, {device_count} devices, {check_count} health checks"))
}

fn scale_site(rng: &mut StdRng, id: i64, now: Timestamp) -> Vec<Value> {
    let city = CITIES[rng.random_range(0..CITIES.len())];
    let kind = KINDS[rng.random_range(0..KINDS.len())];
    let lanes = rng.random_range(2..30);
    let description = format!("{kind} in {city}, {lanes} lanes, opened {}", rng.random_range(2015..2025));
    let location = format!("{} Main Street, {city}", rng.random_range(1..400));
    let created = now.plus_secs(-rng.random_range(60 * 86_400..3 * 365 * 86_400));
    site_row(id, &format!("{city} {kind} #{id}"), &description, &location, created)
}

fn scale_check(rng: &mut StdRng, id: i64, device_count: i64, now: Timestamp) -> Vec<Value> {
    let device = rng.random_range(1..=device_count);
    let healthy = rng.random_range(0..100) < 95;
    let (ms, code) = if healthy {
        (rng.random_range(5..=400), 200)
    } else {
        (rng.random_range(400..=5000), [500, 502, 503, 504][rng.random_range(0..4)])
    };
    let endpoint = pick(rng, &[("/health", 70), ("/api/v1/status", 20), ("/metrics", 10)]);
    check_row(id, device, healthy, ms, code, endpoint, now.plus_secs(-rng.random_range(0..30 * 86_400)))
}

fn scale_device(rng: &mut StdRng, id: i64, site_count: i64, now: Timestamp) -> Vec<Value> {
    let device_type =
        pick(rng, &[("pos_terminal", 60), ("kiosk", 10), ("printer", 12), ("scanner", 10), ("payment_gateway", 8)]);
    let status = pick(rng, &[("online", 85), ("offline", 8), ("maintenance", 4), ("error", 3)]);
    let site = rng.random_range(1..=site_count);
    // Online only inside the freshness window (`liveness`), as a running server would show it.
    let age = if status == "online" { rng.random_range(0..=100) } else { rng.random_range(300..=30 * 86_400) };
    let mac: Vec<String> = (0..5).map(|_| format!("{:02x}", rng.random_range(0..=255u8))).collect();
    let mut features: Vec<&str> = FEATURES.iter().copied().filter(|_| rng.random_range(0..4) == 0).take(3).collect();
    features.sort_unstable();
    let label = device_type.replace('_', " ");
    device_row(DeviceSpec {
        id,
        name: format!("{} {} (site {site})", capitalise(&label), id % 50 + 1),
        device_type,
        site,
        status,
        ip: format!("10.{}.{}.{}", (id >> 16) & 0xff, (id >> 8) & 0xff, id & 0xff),
        mac: format!("02:{}", mac.join(":")),
        firmware: FIRMWARE[rng.random_range(0..FIRMWARE.len())],
        last_seen: now.plus_secs(-age),
        config: serde_json::json!({"currency": "EUR", "features": features, "heartbeat_s": 30, "locale": "de_DE"}),
        created: now.plus_secs(-rng.random_range(30 * 86_400..700 * 86_400)),
    })
}

fn capitalise(text: &str) -> String {
    text.split(' ')
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The demo sites' active terminals that would report now: online or offline ones, not those
/// someone put into maintenance or that are in error (a demo keeps its problem to look at).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn demo_reporters(db: &Db) -> DbResult<Vec<i64>> {
    let sql = Sql::with(
        "select d.id from devices d join sites s on s.id = d.site_id where s.name in ($1, $2, $3) \
         and not s.archived and d.active and d.device_type = 'pos_terminal' and d.status in ('online', 'offline') \
         order by d.id",
        [DEMO_SITES[0].into(), DEMO_SITES[1].into(), DEMO_SITES[2].into()],
    );
    let rows: Vec<(i64,)> = crate::db::engine::run::fetch_all(db, sql).await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// The demo site named `name`: its key and its active devices' row keys (none when no such site).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn demo_site_devices(db: &Db, name: &str) -> DbResult<Option<(String, Vec<i64>)>> {
    let sql = Sql::with(
        "select s.site_id, d.id from sites s join devices d on d.site_id = s.id \
         where s.name = $1 and d.active order by d.id",
        [name.into()],
    );
    let rows: Vec<(String, i64)> = crate::db::engine::run::fetch_all(db, sql).await?;
    let Some(key) = rows.first().map(|(k, _)| k.clone()) else { return Ok(None) };
    Ok(Some((key, rows.into_iter().map(|(_, id)| id).collect())))
}
