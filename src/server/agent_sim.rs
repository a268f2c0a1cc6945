//! `backroom agent-sim`: plays N devices against a running server over HTTP, as their agents
//! would — fetch, acknowledge, report progress, report a result (failed with probability
//! `--fail-rate`) — so a demo comes alive and the jobs benchmark has a real client. It takes
//! the first N active devices of the database it is pointed at and one collector token it makes
//! there (audited), and prints devices per second as it goes.
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Args;
use rand::{Rng, SeedableRng};

use super::serve::open_db;
use crate::config::Config;
use crate::db::platform::audit::Actor;

#[derive(Args, Debug)]
pub struct AgentSimArgs {
    /// How many devices to play (the first N active devices, in id order).
    #[arg(long, default_value_t = 12)]
    devices: i64,
    /// The share of work reported failed, 0.0 to 1.0.
    #[arg(long, default_value_t = 0.0)]
    fail_rate: f64,
    /// How long a device waits after a fetch found no work, in milliseconds.
    #[arg(long, default_value_t = 5_000)]
    poll_ms: u64,
    /// The server, as the devices reach it.
    #[arg(long, default_value = "http://127.0.0.1:3000")]
    url: String,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 16)]
    connections: usize,
    /// Stop once a full pass over every device finds no work (for benchmarks); else run until
    /// interrupted.
    #[arg(long)]
    until_idle: bool,
}

/// What the devices did so far.
#[derive(Default)]
struct Tally {
    cycles: AtomicU64,
    failed: AtomicU64,
    refused: AtomicU64,
}

pub async fn run(config: &Config, args: AgentSimArgs) -> Result<(), String> {
    if !(0.0..=1.0).contains(&args.fail_rate) {
        return Err("--fail-rate: give a share from 0.0 to 1.0".to_string());
    }
    let db = open_db(config).await?;
    let devices = crate::db::fleet::devices::active_device_keys(&db, args.devices.clamp(1, 1_000_000))
        .await
        .map_err(|e| e.to_string())?;
    let actor = Actor { name: "agent-sim".to_string(), ..Default::default() };
    let token = crate::db::fleet::api_tokens::create_collector_token(&db, &actor, "agent-sim")
        .await
        .map_err(|e| e.to_string())?;
    db.close().await;
    println!("agent-sim: {} devices against {} ({} connections)", devices.len(), args.url, args.connections);
    let client =
        reqwest::Client::builder().pool_max_idle_per_host(args.connections).build().map_err(|e| e.to_string())?;
    let tally = Arc::new(Tally::default());
    let started = Instant::now();
    let workers = args.connections.max(1).min(devices.len().max(1));
    let mut set = tokio::task::JoinSet::new();
    for w in 0..workers {
        let mine: Vec<String> = devices.iter().skip(w).step_by(workers).cloned().collect();
        let agent =
            Agent { client: client.clone(), url: args.url.trim_end_matches('/').to_string(), token: token.clone() };
        let (tally, poll, until_idle, fail_rate) = (tally.clone(), args.poll_ms, args.until_idle, args.fail_rate);
        set.spawn(async move { agent.play(mine, fail_rate, poll, until_idle, tally, w as u64).await });
    }
    let reporter = tokio::spawn(report_every(tally.clone(), started));
    while let Some(done) = set.join_next().await {
        done.map_err(|e| e.to_string())??;
    }
    reporter.abort();
    let secs = started.elapsed().as_secs_f64();
    let cycles = tally.cycles.load(Ordering::Relaxed);
    println!(
        "agent-sim: {cycles} device cycles in {secs:.1} s = {:.0} devices/s ({} failed, {} refused)",
        cycles as f64 / secs.max(0.001),
        tally.failed.load(Ordering::Relaxed),
        tally.refused.load(Ordering::Relaxed)
    );
    Ok(())
}

async fn report_every(tally: Arc<Tally>, started: Instant) {
    loop {
        tokio::time::sleep(Duration::from_secs(5)).await;
        let cycles = tally.cycles.load(Ordering::Relaxed);
        println!("agent-sim: {cycles} cycles, {:.0} devices/s", cycles as f64 / started.elapsed().as_secs_f64());
    }
}

struct Agent {
    client: reqwest::Client,
    url: String,
    token: String,
}

impl Agent {
    /// Plays `devices` in turn: each fetch that brings work runs it to its end at once.
    async fn play(
        &self,
        devices: Vec<String>,
        fail_rate: f64,
        poll_ms: u64,
        until_idle: bool,
        tally: Arc<Tally>,
        seed: u64,
    ) -> Result<(), String> {
        let mut rng = rand::rngs::StdRng::seed_from_u64(0xA6E7 + seed);
        loop {
            let mut busy = false;
            for device in &devices {
                while let Some(work) = self.fetch(device).await? {
                    busy = true;
                    let failed = rng.random_bool(fail_rate);
                    match self.cycle(device, &work, failed).await? {
                        true => {
                            tally.cycles.fetch_add(1, Ordering::Relaxed);
                            tally.failed.fetch_add(u64::from(failed), Ordering::Relaxed);
                        }
                        false => {
                            tally.refused.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }
            }
            if !busy {
                if until_idle {
                    return Ok(());
                }
                tokio::time::sleep(Duration::from_millis(poll_ms)).await;
            }
        }
    }

    async fn fetch(&self, device: &str) -> Result<Option<serde_json::Value>, String> {
        let res = self
            .client
            .get(format!("{}/api/v1/agent/devices/{device}/next", self.url))
            .bearer_auth(&self.token)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        match res.status().as_u16() {
            200 => res.json().await.map(Some).map_err(|e| e.to_string()),
            204 => Ok(None),
            503 => Ok(None),
            code => Err(format!("fetch for {device}: HTTP {code}: {}", res.text().await.unwrap_or_default())),
        }
    }

    async fn post(&self, device: &str, target: i64, what: &str, body: serde_json::Value) -> Result<u16, String> {
        let url = format!("{}/api/v1/agent/devices/{device}/targets/{target}/{what}", self.url);
        let res = self.client.post(url).bearer_auth(&self.token).json(&body).send().await.map_err(|e| e.to_string())?;
        Ok(res.status().as_u16())
    }

    /// Acknowledge, progress, result; `false` when the server ended the work first (410, 409).
    async fn cycle(&self, device: &str, work: &serde_json::Value, failed: bool) -> Result<bool, String> {
        let target = work["target_id"].as_i64().ok_or("work without a target_id")?;
        let attempt = work["attempt"].as_i64().unwrap_or(1);
        if work["state"] == "dispatched"
            && self.post(device, target, "ack", serde_json::json!({"attempt": attempt})).await? != 200
        {
            return Ok(false);
        }
        let report = |n: u32, state: &str| {
            serde_json::json!({"attempt": attempt, "report_id": format!("sim-{target}-{attempt}-{n}"), "state": state,
                "progress": if state == "in_progress" { Some(50) } else { None }})
        };
        if self.post(device, target, "status", report(1, "in_progress")).await? != 200 {
            return Ok(false);
        }
        let end = if failed { "failed" } else { "succeeded" };
        Ok(self.post(device, target, "status", report(2, end)).await? == 200)
    }
}
