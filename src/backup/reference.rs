//! This build's own schema at a given version, the yardstick a container is measured against:
//! its data tables with their columns, and its indexes, read from a scratch SQLite file that
//! this build's migrations made. A container must have exactly these tables and columns, and a
//! manifest may list only these indexes; a restore builds its schema from here, never from
//! anything the file says (BK-8).
use std::path::Path;

use super::container::{self, Manifest, Table};
use super::files::temp_path;
use super::untrusted::SchemaEntry;
use super::verify::TempFile;
use super::{blocking, untrusted, BackupError};
use crate::model::Timestamp;

/// The tables, indexes and the rest of the schema this build's migrations make at one version.
#[derive(Debug)]
pub struct Reference {
    pub tables: Vec<Table>,
    pub indexes: Vec<(String, String)>,
    pub schema: Vec<SchemaEntry>,
}

/// Builds the reference for `version` in a scratch file under `dir` (removed afterwards).
pub async fn at(version: i64, dir: &Path) -> Result<Reference, BackupError> {
    let scratch = TempFile(temp_path(&dir.join(format!("reference-{}", Timestamp::now().unix())), ".schema"));
    container::migrate(&scratch.0, version).await?;
    let path = scratch.0.clone();
    blocking(move || {
        let conn = rusqlite::Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let tables = untrusted::data_tables(&conn)?;
        let mut statement =
            conn.prepare("select name, sql from sqlite_schema where type = 'index' and sql is not null order by name")?;
        let indexes = statement.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
        Ok(Reference { tables, indexes, schema: untrusted::schema_entries(&conn)? })
    })
    .await
}

/// A name from the file, fit for a message: no control characters, at most 64 of them.
fn printable(name: &str) -> String {
    name.chars().filter(|c| !c.is_control()).take(64).collect()
}

impl Reference {
    /// Refuses a container whose tables, columns, triggers or views differ from this schema's in
    /// any way (their SQL text included), that holds an index this schema lacks, or whose
    /// manifest lists an index this schema does not define (text and name alike).
    pub fn check(&self, found: &[Table], schema: &[SchemaEntry], manifest: &Manifest) -> Result<(), BackupError> {
        for table in &self.tables {
            let Some(theirs) = found.iter().find(|t| t.name == table.name) else {
                return Err(BackupError::Mismatch(format!("table {} is missing", table.name)));
            };
            if theirs.columns != table.columns {
                return Err(BackupError::Mismatch(format!(
                    "table {} has the columns ({}), this version expects ({})",
                    table.name,
                    theirs.columns.join(", "),
                    table.columns.join(", ")
                )));
            }
        }
        if let Some(extra) = found.iter().find(|t| !self.tables.iter().any(|o| o.name == t.name)) {
            return Err(BackupError::Mismatch(format!("table {} is not part of this schema", extra.name)));
        }
        let code = |entries: &[SchemaEntry]| -> Vec<SchemaEntry> {
            entries.iter().filter(|e| e.0 != "index").cloned().collect()
        };
        let (ours, theirs) = (code(&self.schema), code(schema));
        if let Some(odd) =
            theirs.iter().find(|e| !ours.contains(e)).or_else(|| ours.iter().find(|e| !theirs.contains(e)))
        {
            return Err(BackupError::Mismatch(format!(
                "its {} {} differs from this version's schema",
                odd.0,
                printable(&odd.1)
            )));
        }
        let index_ok = |e: &&SchemaEntry| e.0 != "index" || e.2.is_none() || self.schema.contains(e);
        if let Some(odd) = schema.iter().find(|e| !index_ok(e)) {
            return Err(BackupError::Mismatch(format!(
                "it holds an index ({}) this version does not define",
                printable(&odd.1)
            )));
        }
        if let Some((name, _)) = manifest.indexes.iter().find(|i| !self.indexes.contains(i)) {
            return Err(BackupError::Mismatch(format!(
                "its manifest lists an index ({}) that this version of Backroom does not define",
                printable(name)
            )));
        }
        Ok(())
    }
}
