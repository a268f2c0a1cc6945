//! `backroom job create …`: the job form on the command line. It builds the same `JobForm` the
//! web page posts, so the CLI refuses what the page refuses, with the same words, and calls the
//! same service. `backroom job cancel|abort|pause|resume|release-wave JOB` are the job page's
//! actions. Each prints how long the service call took (the benchmark reads it).
use std::time::Instant;

use clap::{Args, Subcommand};

use super::serve::open_db;
use crate::config::Config;
use crate::db::platform::audit::Actor;
use crate::jobs::control::{command_job, JobCommand};
use crate::jobs::JobError;
use crate::model::jobs::job_form::JobForm;

#[derive(Args, Debug)]
pub struct JobArgs {
    #[command(subcommand)]
    command: JobCommandLine,
}

#[derive(Subcommand, Debug)]
enum JobCommandLine {
    /// Create a job and fan it out. The target is one --device, one --site, or a segment
    /// (--type and/or --status, at --site or every site).
    Create(Box<CreateArgs>),
    /// Cancel a job: queued work is canceled (by a running server, in chunks), work under way ends.
    Cancel { job: String },
    /// Abort a job: as cancel, and devices are told to stop the work under way.
    Abort { job: String },
    /// Pause a running job: devices get no new work from it.
    Pause { job: String },
    /// Resume a paused job.
    Resume { job: String },
    /// Release the next wave of a job in waves.
    ReleaseWave { job: String },
}

#[derive(Args, Debug, Default)]
struct CreateArgs {
    /// update_config, deploy_software, restart, reboot, collect_logs or rotate_keys.
    #[arg(long)]
    action: String,
    #[arg(long, default_value = "")]
    description: String,
    /// 1 (critical) to 5 (lowest).
    #[arg(long, default_value = "3")]
    priority: String,
    /// A JSON object of at most 32 KB.
    #[arg(long, default_value = "{}")]
    payload: String,
    #[arg(long)]
    device: Option<String>,
    #[arg(long)]
    site: Option<String>,
    /// Segment: a device type.
    #[arg(long = "type")]
    device_type: Option<String>,
    /// Segment: a device status.
    #[arg(long)]
    status: Option<String>,
    #[arg(long, default_value = "300")]
    ttl: String,
    #[arg(long, default_value = "900")]
    timeout: String,
    #[arg(long, default_value = "1")]
    attempts: String,
    #[arg(long)]
    retry_failed: bool,
    #[arg(long)]
    retry_timed_out: bool,
    #[arg(long, default_value = "30")]
    backoff: String,
    /// Cumulative percentages, like 1,10,100.
    #[arg(long, default_value = "")]
    waves: String,
    /// Pause when a wave's failures pass this percentage.
    #[arg(long, default_value = "")]
    threshold: String,
    #[arg(long, default_value = "0")]
    min_done: String,
    /// Release the next wave when this percentage of a wave succeeded.
    #[arg(long, default_value = "")]
    auto_release: String,
    /// Create the job even when its target reaches no device.
    #[arg(long)]
    allow_empty: bool,
}

impl CreateArgs {
    fn form(self) -> JobForm {
        let kind = match (&self.device, &self.device_type, &self.status) {
            (Some(_), _, _) => "device",
            (None, None, None) => "site",
            _ => "segment",
        };
        let on = |b: bool| b.then(|| "on".to_string());
        JobForm {
            action: self.action,
            description: self.description,
            priority: self.priority,
            payload: self.payload,
            target_kind: kind.to_string(),
            device: self.device.unwrap_or_default(),
            site: self.site.unwrap_or_default(),
            device_type: self.device_type.unwrap_or_default(),
            status: self.status.unwrap_or_default(),
            ttl_s: self.ttl,
            timeout_s: self.timeout,
            max_attempts: self.attempts,
            retry_failed: on(self.retry_failed),
            retry_timed_out: on(self.retry_timed_out),
            backoff_s: self.backoff,
            waves: self.waves,
            threshold_pct: self.threshold,
            min_done: self.min_done,
            auto_release_pct: self.auto_release,
            confirm_empty: on(self.allow_empty),
            ..JobForm::default()
        }
    }
}

/// The flag that sets a form field.
fn flag(field: &str) -> &str {
    match field {
        "ttl_s" => "ttl",
        "timeout_s" => "timeout",
        "max_attempts" => "attempts",
        "backoff_s" => "backoff",
        "threshold_pct" => "threshold",
        "auto_release_pct" => "auto-release",
        "min_done" => "min-done",
        "device_type" | "target_kind" => "type",
        "confirm_empty" => "allow-empty",
        other => other,
    }
}

fn refusal(fields: crate::error::FieldErrors) -> String {
    fields.iter().map(|(field, message)| format!("--{}: {message}", flag(field))).collect::<Vec<_>>().join("\n")
}

fn cli_actor() -> Actor {
    Actor { name: "cli".to_string(), ..Default::default() }
}

fn millis(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

pub async fn run(config: &Config, args: JobArgs) -> Result<(), String> {
    let (command, job) = match args.command {
        JobCommandLine::Create(create) => return create_one(config, *create).await,
        JobCommandLine::Cancel { job } => (JobCommand::Cancel, job),
        JobCommandLine::Abort { job } => (JobCommand::Abort, job),
        JobCommandLine::Pause { job } => (JobCommand::Pause, job),
        JobCommandLine::Resume { job } => (JobCommand::Resume, job),
        JobCommandLine::ReleaseWave { job } => (JobCommand::ReleaseNextWave, job),
    };
    let db = open_db(config).await?;
    let started = Instant::now();
    let outcome = command_job(&db, &cli_actor(), &job, command, crate::model::platform::time::Timestamp::now()).await;
    let ms = millis(started);
    db.close().await;
    match outcome {
        Ok(()) => {
            println!("{job}: {} done in {ms:.1} ms.", command.as_str());
            Ok(())
        }
        Err(JobError::NotFound) => Err(format!("no job {job:?}")),
        Err(e) => Err(e.to_string()),
    }
}

async fn create_one(config: &Config, create: CreateArgs) -> Result<(), String> {
    let input = create.form().validate().map_err(refusal)?;
    let db = open_db(config).await?;
    let started = Instant::now();
    let outcome =
        crate::jobs::create::create_job(&db, &cli_actor(), &input, crate::model::platform::time::Timestamp::now())
            .await;
    let ms = millis(started);
    db.close().await;
    match outcome {
        Ok(key) => {
            println!("Created {key} for {} in {ms:.1} ms.", input.target.label());
            Ok(())
        }
        Err(JobError::Invalid(fields)) => Err(refusal(fields)),
        Err(e) => Err(e.to_string()),
    }
}
