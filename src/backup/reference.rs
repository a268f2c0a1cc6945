//! This build's own schema at a given version, the yardstick a container is measured against:
//! every table, index and trigger with its SQL text, read from a scratch SQLite file that this
//! build's migrations made (with the manifest table a backup adds). A container's schema must be
//! exactly this before any of its tables is read, and a manifest may list only these indexes; a
//! restore builds its schema from here, never from anything the file says (BK-8). References
//! are kept per version for the life of the process: migrations do not change while it runs.
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use super::container::{self, Manifest, Table, MANIFEST_DDL};
use super::files::temp_path;
use super::untrusted::SchemaEntry;
use super::verify::TempFile;
use super::{blocking, untrusted, BackupError};

/// The tables, indexes and the rest of the schema this build's migrations make at one version.
#[derive(Debug)]
pub struct Reference {
    pub tables: Vec<Table>,
    pub indexes: Vec<(String, String)>,
    pub schema: Vec<SchemaEntry>,
}

/// Tables SQLite itself may have added to a live database (AUTOINCREMENT, ANALYZE), with the
/// text SQLite writes for them; a backup made with `VACUUM INTO` carries them along.
const SQLITE_TABLES: [(&str, &str); 3] = [
    ("sqlite_sequence", "CREATE TABLE sqlite_sequence(name,seq)"),
    ("sqlite_stat1", "CREATE TABLE sqlite_stat1(tbl,idx,stat)"),
    ("sqlite_stat4", "CREATE TABLE sqlite_stat4(tbl,idx,neq,nlt,ndistinct,sample)"),
];

/// The reference for `version`, built once per process in a scratch file under `dir`.
pub async fn at(version: i64, dir: &Path) -> Result<Arc<Reference>, BackupError> {
    static BUILT: Mutex<Option<HashMap<i64, Arc<Reference>>>> = Mutex::new(None);
    let cached =
        |map: &mut Option<HashMap<i64, Arc<Reference>>>| map.get_or_insert_with(HashMap::new).get(&version).cloned();
    if let Some(found) = cached(&mut BUILT.lock().unwrap_or_else(|p| p.into_inner())) {
        return Ok(found);
    }
    let name = format!("reference-{version}-{:016x}", rand::random::<u64>());
    let scratch = TempFile(temp_path(&dir.join(name), ".schema"));
    container::migrate(&scratch.0, version).await?;
    let path = scratch.0.clone();
    let built = Arc::new(blocking(move || read(&path)).await?);
    BUILT.lock().unwrap_or_else(|p| p.into_inner()).get_or_insert_with(HashMap::new).insert(version, built.clone());
    Ok(built)
}

fn read(path: &Path) -> Result<Reference, BackupError> {
    let conn = rusqlite::Connection::open(path)?;
    conn.execute_batch(MANIFEST_DDL)?;
    let tables = untrusted::data_tables(&conn)?;
    let mut statement =
        conn.prepare("select name, sql from sqlite_schema where type = 'index' and sql is not null order by name")?;
    let indexes = statement.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
    Ok(Reference { tables, indexes, schema: untrusted::schema_entries(&conn)? })
}

/// A name from the file, fit for a message: no control characters, at most 64 of them.
pub fn printable(name: &str) -> String {
    name.chars().filter(|c| !c.is_control()).take(64).collect()
}

impl Reference {
    /// The entry this schema has for `name`, if any.
    pub fn entry(&self, name: &str) -> Option<&SchemaEntry> {
        self.schema.iter().find(|e| e.1 == name)
    }

    /// Refuses a container schema that differs from this one in any way: a table, trigger or
    /// view that is missing, added or written otherwise (columns, constraints, generated
    /// columns are all in the text), or an index this schema does not define. A container may
    /// lack indexes (a backup leaves them out), and may hold SQLite's own tables.
    pub fn check_schema(&self, theirs: &[SchemaEntry]) -> Result<(), BackupError> {
        let known = |e: &SchemaEntry| match e.0.as_str() {
            "table" if SQLITE_TABLES.iter().any(|(n, sql)| e.1 == *n && e.2.as_deref() == Some(*sql)) => true,
            "index" if e.2.is_none() && e.1.starts_with("sqlite_autoindex_") => true,
            _ => self.schema.contains(e),
        };
        if let Some(odd) = theirs.iter().find(|e| !known(e)) {
            return Err(BackupError::Mismatch(format!(
                "its {} {} differs from this version's schema",
                printable(&odd.0),
                printable(&odd.1)
            )));
        }
        if let Some(missing) = self.schema.iter().find(|e| e.0 != "index" && !theirs.contains(e)) {
            return Err(BackupError::Mismatch(format!("its {} {} is missing", missing.0, missing.1)));
        }
        Ok(())
    }

    /// Refuses a manifest that lists an index this schema does not define (text and name alike).
    pub fn check_manifest(&self, manifest: &Manifest) -> Result<(), BackupError> {
        if let Some((name, _)) = manifest.indexes.iter().find(|i| !self.indexes.contains(i)) {
            return Err(BackupError::Mismatch(format!(
                "its manifest lists an index ({}) that this version of Backroom does not define",
                printable(name)
            )));
        }
        Ok(())
    }
}
