//! The demo's jobs (`seed --demo`): two finished in the last hours — one on every device of a
//! site, one that failed on a device — and one running in two waves, its first wave done and
//! the second waiting for a manager. Played through the same service calls devices make.
use super::agent::{acknowledge, fetch_next};
use super::create::create_job;
use super::reports::{report, Report};
use super::{JobError, JobResult};
use crate::db::engine::Db;
use crate::db::fleet::seed::{demo_site_devices, DEMO_SITES};
use crate::db::platform::audit::Actor;
use crate::model::jobs::job_form::JobForm;
use crate::model::jobs::states::TargetState;
use crate::model::platform::time::Timestamp;

/// The demo site named `name`: its key and its active devices' row keys.
async fn demo_site(db: &Db, name: &str) -> JobResult<(String, Vec<i64>)> {
    demo_site_devices(db, name).await?.ok_or(JobError::NotFound)
}

/// Runs each device's work to its end at `at`: success, except the devices in `failing`.
async fn play(db: &Db, devices: &[i64], failing: &[i64], at: Timestamp) -> JobResult<()> {
    for (n, &device) in devices.iter().enumerate() {
        let Some(work) = fetch_next(db, device, 60, at).await? else { continue };
        acknowledge(db, device, work.target_id, work.attempt, at).await?;
        let failed = failing.contains(&device);
        let outcome = Report {
            attempt: work.attempt,
            report_id: format!("demo-{}-{n}", work.target_id),
            state: if failed { TargetState::Failed } else { TargetState::Succeeded },
            progress: None,
            message: if failed { "printer driver did not start".into() } else { String::new() },
            details: None,
        };
        report(db, device, work.target_id, &outcome, at.plus_secs(20)).await?;
    }
    Ok(())
}

fn form(action: &str, site: &str, description: &str, waves: &str) -> JobForm {
    JobForm {
        action: action.into(),
        description: description.into(),
        target_kind: "site".into(),
        site: site.into(),
        waves: waves.into(),
        ..JobForm::default()
    }
}

/// Seeds the demo's three jobs; returns their keys.
pub async fn seed_demo_jobs(db: &Db, now: Timestamp) -> JobResult<Vec<String>> {
    let actor = Actor { name: "manager".to_string(), ..Default::default() };
    let (paris, paris_devices) = demo_site(db, DEMO_SITES[1]).await?;
    let (lyon, lyon_devices) = demo_site(db, DEMO_SITES[0]).await?;
    let mut keys = Vec::new();
    let plan = [
        (form("update_config", &paris, "Heartbeat every 30 s", ""), paris_devices.clone(), Vec::new(), -3 * 3600),
        (form("restart", &lyon, "Nightly restart", ""), lyon_devices.clone(), vec![lyon_devices[0]], -2 * 3600),
    ];
    for (job, devices, failing, ago) in plan {
        let input = job.validate().map_err(JobError::Invalid)?;
        let at = now.plus_secs(ago);
        keys.push(create_job(db, &actor, &input, at).await?);
        play(db, &devices, &failing, at.plus_secs(30)).await?;
    }
    let running = form("deploy_software", &paris, "POS app 4.2 to Paris, in two waves", "50,100");
    let at = now.plus_secs(-600);
    keys.push(create_job(db, &actor, &running.validate().map_err(JobError::Invalid)?, at).await?);
    play(db, &paris_devices, &[], at.plus_secs(30)).await?;
    Ok(keys)
}
