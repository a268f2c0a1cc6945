//! The backup folder as a catalogue: backup files (`*.db.zst`) with their JSON sidecars, and
//! retention (BK-6), which counts backups, never files, and never removes the newest verified one.
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::container::TableStat;
use super::BackupError;

/// How backup files end; sidecars add `.json`.
pub const BACKUP_SUFFIX: &str = ".db.zst";
const SIDECAR_SUFFIX: &str = ".json";

/// Why a backup was taken. Scheduled tiers are kept by count; the others by their own rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Tier {
    Hourly,
    Daily,
    Weekly,
    Monthly,
    Yearly,
    Manual,
    PreRestore,
    Uploaded,
}

impl Tier {
    pub const SCHEDULED: [Tier; 5] = [Tier::Hourly, Tier::Daily, Tier::Weekly, Tier::Monthly, Tier::Yearly];

    pub fn as_str(&self) -> &'static str {
        match self {
            Tier::Hourly => "hourly",
            Tier::Daily => "daily",
            Tier::Weekly => "weekly",
            Tier::Monthly => "monthly",
            Tier::Yearly => "yearly",
            Tier::Manual => "manual",
            Tier::PreRestore => "pre-restore",
            Tier::Uploaded => "uploaded",
        }
    }

    pub fn parse(text: &str) -> Option<Tier> {
        [Tier::Manual, Tier::PreRestore, Tier::Uploaded].into_iter().chain(Tier::SCHEDULED).find(|t| t.as_str() == text)
    }

    /// How many backups of this tier retention keeps (DOMAIN.md); manual, pre-restore and
    /// uploaded backups keep 10 each.
    pub fn keep(&self) -> usize {
        match self {
            Tier::Hourly => 24,
            Tier::Daily => 30,
            Tier::Weekly => 12,
            Tier::Monthly => 24,
            Tier::Yearly => 10,
            Tier::Manual | Tier::PreRestore | Tier::Uploaded => 10,
        }
    }
}

/// The sidecar of a backup: what was checked, and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BackupInfo {
    pub file: String,
    pub tier: Tier,
    pub created_at: String,
    pub source_engine: String,
    pub schema_version: i64,
    pub size: u64,
    pub sha256: String,
    pub tables: BTreeMap<String, TableStat>,
    /// "verified" or "failed: <reason>".
    pub status: String,
    pub checked_at: String,
}

impl BackupInfo {
    pub fn is_verified(&self) -> bool {
        self.status == "verified"
    }
}

/// A backup file in the folder, with its sidecar when it has one.
#[derive(Debug, Clone)]
pub struct Listed {
    pub path: PathBuf,
    pub file: String,
    pub size: u64,
    pub info: Option<BackupInfo>,
}

pub fn sidecar_path(backup: &Path) -> PathBuf {
    let mut name = backup.as_os_str().to_owned();
    name.push(SIDECAR_SUFFIX);
    PathBuf::from(name)
}

/// Backups in `dir`, newest first by file name (names start with the UTC time).
pub fn list(dir: &Path) -> Result<Vec<Listed>, BackupError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(BackupError::Io(format!("read {}: {e}", dir.display()))),
    };
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().to_string();
        if !file.ends_with(BACKUP_SUFFIX) || !file.starts_with("backroom-") {
            continue;
        }
        let path = entry.path();
        let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
        let info = std::fs::read_to_string(sidecar_path(&path)).ok().and_then(|t| serde_json::from_str(&t).ok());
        found.push(Listed { path, file, size, info });
    }
    found.sort_by(|a, b| b.file.cmp(&a.file));
    Ok(found)
}

/// Seconds since the newest verified backup in `dir` was taken; `None` when there is none.
pub fn newest_verified_age_secs(dir: &Path) -> Option<i64> {
    let listed = list(dir).ok()?;
    let newest = listed
        .iter()
        .filter_map(|l| l.info.as_ref())
        .filter(|i| i.is_verified())
        .filter_map(|i| crate::model::platform::time::Timestamp::parse(&i.created_at))
        .map(|t| t.unix())
        .max()?;
    Some((crate::model::platform::time::Timestamp::now().unix() - newest).max(0))
}

/// One backup as retention sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    pub file: String,
    pub tier: Tier,
    pub created_at: String,
    pub verified: bool,
}

/// The files retention deletes: per tier, all but the newest `keep()` backups, except that the
/// newest verified backup overall always stays. Counts backups only; sidecars follow their file.
pub fn to_delete(backups: &[Kept]) -> BTreeSet<String> {
    let newest_verified =
        backups.iter().filter(|b| b.verified).max_by(|a, b| (&a.created_at, &a.file).cmp(&(&b.created_at, &b.file)));
    let protected = newest_verified.map(|b| b.file.clone());
    let mut by_tier: BTreeMap<Tier, Vec<&Kept>> = BTreeMap::new();
    for b in backups {
        by_tier.entry(b.tier).or_default().push(b);
    }
    let mut doomed = BTreeSet::new();
    for (tier, mut list) in by_tier {
        list.sort_by(|a, b| (&b.created_at, &b.file).cmp(&(&a.created_at, &a.file)));
        for old in list.into_iter().skip(tier.keep()) {
            if Some(&old.file) != protected.as_ref() {
                doomed.insert(old.file.clone());
            }
        }
    }
    doomed
}

/// Applies retention to `dir`: deletes the chosen backups with their sidecars, and temp files
/// older than an hour (left by a crash). Returns the deleted backups' sidecars (for the audit).
pub fn prune(dir: &Path) -> Result<Vec<Listed>, BackupError> {
    let listed = list(dir)?;
    let kept: Vec<Kept> = listed
        .iter()
        .filter_map(|l| {
            l.info.as_ref().map(|i| Kept {
                file: l.file.clone(),
                tier: i.tier,
                created_at: i.created_at.clone(),
                verified: i.is_verified(),
            })
        })
        .collect();
    let doomed = to_delete(&kept);
    let mut deleted = Vec::new();
    for l in listed.into_iter().filter(|l| doomed.contains(&l.file)) {
        std::fs::remove_file(&l.path).map_err(|e| BackupError::Io(format!("delete {}: {e}", l.file)))?;
        let _ = std::fs::remove_file(sidecar_path(&l.path));
        deleted.push(l);
    }
    remove_stale_temps(dir, std::time::Duration::from_secs(3600));
    Ok(deleted)
}

/// Deletes `*.tmp` files in `dir` not touched for `age` (a crash's leftovers; a running backup
/// writes its temps continuously).
pub fn remove_stale_temps(dir: &Path, age: std::time::Duration) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let stale = entry.metadata().ok().and_then(|m| m.modified().ok()).and_then(|t| t.elapsed().ok());
        if super::files::is_temp(&entry.file_name().to_string_lossy()) && stale.is_some_and(|s| s > age) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    use super::*;

    fn random_backups(rng: &mut StdRng) -> Vec<Kept> {
        let tiers =
            [Tier::Hourly, Tier::Daily, Tier::Weekly, Tier::Monthly, Tier::Yearly, Tier::Manual, Tier::PreRestore];
        (0..rng.random_range(0..150))
            .map(|i| {
                let secs = rng.random_range(1_700_000_000i64..1_800_000_000);
                let at = crate::model::platform::time::Timestamp::from_unix(secs).unwrap().rfc3339();
                Kept {
                    file: format!("backroom-{i:04}.db.zst"),
                    tier: tiers[rng.random_range(0..tiers.len())],
                    created_at: at,
                    verified: rng.random_bool(0.7),
                }
            })
            .collect()
    }

    #[test]
    fn retention_keeps_the_newest_per_tier_and_the_newest_verified_backup() {
        for seed in 0..500u64 {
            let mut rng = StdRng::seed_from_u64(seed);
            let backups = random_backups(&mut rng);
            let doomed = to_delete(&backups);
            let newest_verified = backups
                .iter()
                .filter(|b| b.verified)
                .max_by(|a, b| (&a.created_at, &a.file).cmp(&(&b.created_at, &b.file)));
            if let Some(v) = newest_verified {
                assert!(!doomed.contains(&v.file), "seed {seed}: the newest verified backup was deleted");
            }
            for tier in [Tier::Hourly, Tier::Daily, Tier::Weekly, Tier::Monthly, Tier::Yearly, Tier::Manual] {
                let of_tier: Vec<&Kept> = backups.iter().filter(|b| b.tier == tier).collect();
                let kept: Vec<&&Kept> = of_tier.iter().filter(|b| !doomed.contains(&b.file)).collect();
                let protected_here = newest_verified.is_some_and(|v| v.tier == tier);
                assert!(kept.len() <= tier.keep() + usize::from(protected_here), "seed {seed} {tier:?}");
                assert!(kept.len() >= of_tier.len().min(tier.keep()), "seed {seed} {tier:?}: too few kept");
                for gone in of_tier.iter().filter(|b| doomed.contains(&b.file)) {
                    let newer =
                        of_tier.iter().filter(|b| (&b.created_at, &b.file) > (&gone.created_at, &gone.file)).count();
                    assert!(newer >= tier.keep(), "seed {seed}: deleted {} with only {newer} newer", gone.file);
                }
            }
        }
    }

    #[test]
    fn retention_counts_backups_not_sidecars() {
        let dir = std::env::temp_dir().join(format!("backroom-retention-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for i in 0..3 {
            let name = format!("backroom-2026010{i}-000000-hourly.db.zst");
            std::fs::write(dir.join(&name), b"x").unwrap();
            std::fs::write(dir.join(format!("{name}.json")), b"{}").unwrap();
        }
        assert_eq!(list(&dir).unwrap().len(), 3);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
