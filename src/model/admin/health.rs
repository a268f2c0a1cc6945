//! The health report: one line per check with its level, tables with rows and sizes, overall.
use serde::{Deserialize, Serialize};

/// Ordered so the worst level is the maximum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Level {
    Healthy,
    Warning,
    Critical,
}

impl Level {
    pub fn as_str(&self) -> &'static str {
        match self {
            Level::Healthy => "HEALTHY",
            Level::Warning => "WARNING",
            Level::Critical => "CRITICAL",
        }
    }

    /// `backroom check`'s exit code.
    pub fn exit_code(&self) -> i32 {
        match self {
            Level::Healthy => 0,
            Level::Warning => 1,
            Level::Critical => 2,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckLine {
    pub name: String,
    pub level: Level,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableLine {
    pub name: String,
    pub rows: i64,
    pub bytes: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HealthReport {
    pub overall: Level,
    pub engine: String,
    pub checks: Vec<CheckLine>,
    pub tables: Vec<TableLine>,
    pub generated_at: String,
}

impl HealthReport {
    pub fn new(engine: &str, checks: Vec<CheckLine>, tables: Vec<TableLine>, generated_at: String) -> Self {
        let overall = checks.iter().map(|c| c.level).max().unwrap_or(Level::Healthy);
        Self { overall, engine: engine.to_string(), checks, tables, generated_at }
    }
}
