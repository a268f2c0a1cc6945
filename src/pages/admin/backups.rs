//! Backups (admins): the catalogue with verification status, create now, verify, download,
//! delete, upload, and restore (password and the typed word RESTORE), then its summary.
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use server_fn::ServerFn;

use crate::api::admin::backups::{
    backup_status, list_backups, take_restore_report, CreateBackupNow, DeleteBackup, RestoreBackup, VerifyBackup,
};
use crate::components::error_view::{ErrorView, FormError};
use crate::components::form::use_form_error;
use crate::components::kept::{kept_value, KeepTyped};
use crate::components::refresh::{data_version, refresh_after};
use crate::components::role_gate::refuse_below;
use crate::components::table_box::TableBox;
use crate::components::time::time_text;
use crate::model::admin::backup::{human_bytes, BackupPage, BackupRow, RestoreReport};
use crate::model::platform::user::Role;

#[component]
pub fn BackupsPage() -> impl IntoView {
    let me = crate::components::me::me();
    let backups = Resource::new(data_version, |_| list_backups());
    let report_due = crate::components::url::use_done_is(&["restored"]);
    let report = Resource::new(
        move || (report_due.try_get().unwrap_or_default(), data_version()),
        |(due, _)| async move {
            if due {
                take_restore_report().await
            } else {
                Ok(None)
            }
        },
    );
    view! {
        <Title text="Backups"/>
        <h1>"Backups"</h1>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                if let Some(refused) = refuse_below(Role::Admin, me.await) {
                    return refused;
                }
                let report = report.await.ok().flatten();
                match backups.await {
                    Ok(page) => view! { <BackupsView page report/> }.into_any(),
                    Err(e) => view! { <ErrorView error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The message for `done=` after an action and `upload=` after an upload.
fn flash_text(done: Option<String>, upload: Option<String>) -> Option<(&'static str, &'static str)> {
    let ok = "flash flash-ok";
    let bad = "flash flash-error";
    Some(match (done.as_deref(), upload.as_deref()) {
        (Some("created"), _) => (ok, "Backup created and verified."),
        (Some("verified"), _) => {
            (ok, "Backup verified: it decompresses, passes the integrity check and matches its manifest.")
        }
        (Some("failed"), _) => (bad, "Verification failed; see the backup's status."),
        (Some("deleted"), _) => (ok, "Backup deleted."),
        (Some("restored"), _) => (ok, "Restore finished. Every other session has ended."),
        (_, Some("ok")) => (ok, "Upload verified and added to the list."),
        (_, Some("foreign")) => (bad, "That file is not a Backroom backup. Nothing was added."),
        (_, Some("corrupt")) => (bad, "That file is damaged or incomplete. Nothing was added."),
        (_, Some("future")) => (bad, "That backup comes from a newer Backroom. Nothing was added."),
        (_, Some("mismatch")) => (bad, "That backup does not match its own manifest. Nothing was added."),
        (_, Some("toolarge")) => {
            (bad, "That file, or what it unpacks to, is larger than the limit. Nothing was added.")
        }
        (_, Some("nospace")) => (bad, "There is not enough free disk space to unpack that file. Nothing was added."),
        (_, Some("nofile")) => (bad, "Choose a file to upload."),
        (_, Some(_)) => (bad, "The upload failed. Nothing was added."),
        _ => return None,
    })
}

#[component]
fn Flash() -> impl IntoView {
    let params = use_query_map();
    move || {
        params.try_with(|p| flash_text(p.get("done"), p.get("upload"))).flatten().map(|(class, text)| {
            view! { <p class=class role="status">{text}</p> }
        })
    }
}

/// While `busy`, asks the server every 700 ms what the running job is doing (JavaScript only;
/// without it the form post simply waits for the result).
fn use_job_stage(busy: Signal<bool>) -> Signal<String> {
    let stage = RwSignal::new(String::new());
    Effect::new(move |_| {
        if !busy.try_get().unwrap_or(false) {
            stage.set(String::new());
            return;
        }
        let poll = move || {
            leptos::task::spawn_local(async move {
                if let Ok(now) = backup_status().await {
                    stage.set(now.unwrap_or_default());
                }
            })
        };
        let handle = set_interval_with_handle(poll, std::time::Duration::from_millis(700)).ok();
        on_cleanup(move || {
            if let Some(h) = handle {
                h.clear();
            }
        });
    });
    stage.into()
}

#[component]
fn BackupsView(page: BackupPage, report: Option<RestoreReport>) -> impl IntoView {
    let create = ServerAction::<CreateBackupNow>::new();
    let create_error = use_form_error(create);
    refresh_after(create);
    let stage = use_job_stage(create.pending().into());
    let verified: Vec<String> = page.rows.iter().filter(|r| r.is_verified()).map(|r| r.file.clone()).collect();
    let schedule = if page.schedule_on {
        "Scheduled: hourly (keep 24), daily 02:00 (30), weekly Sunday 03:00 (12), monthly 1st 04:00 (24), yearly 1 Jan 05:00 (10)."
    } else {
        "The schedule is off in this installation's configuration; backups are taken by hand or by the CLI."
    };
    view! {
        <Flash/>
        {report.map(|r| view! { <RestoreSummaryView report=r/> })}
        <p class="muted">{schedule}</p>
        {page.running.map(|stage| view! { <p class="flash flash-warn" role="status">"Running now: " {stage}</p> })}
        <FormError error=create_error/>
        <ActionForm action=create>
            <button type="submit" disabled=move || create.pending().try_get().unwrap_or(false)>
                {move || match (create.pending().try_get().unwrap_or(false), stage.try_get().unwrap_or_default()) {
                    (false, _) => "Create backup now".to_string(),
                    (true, s) if s.is_empty() => "Creating backup…".to_string(),
                    (true, s) => format!("Creating backup… {s}"),
                }}
            </button>
        </ActionForm>
        <BackupTable rows=page.rows/>
        <UploadForm/>
        <RestoreForm files=verified/>
    }
}

#[component]
fn RestoreSummaryView(report: RestoreReport) -> impl IntoView {
    let rows =
        report.tables.into_iter().map(|(t, n)| view! { <tr><td>{t}</td><td class="num">{n}</td></tr> }).collect_view();
    let proof_class = if report.proven { "flash flash-ok" } else { "flash flash-warn" };
    let proof = match (report.proven, report.warning) {
        (true, _) => {
            "Proven: a snapshot taken after the restore matches the backup table for table (row counts and checksums)."
                .to_string()
        }
        (false, Some(warning)) => warning,
        (false, None) => {
            "The backup came from an older schema and was migrated; row checksums were not compared.".to_string()
        }
    };
    view! {
        <section class="card" aria-labelledby="restore-summary">
            <h2 id="restore-summary">"Restored " {report.file}</h2>
            <p>{format!("A {} backup from {}, restored in {:.1} s.", report.source_engine, report.backup_created_at, report.seconds)}</p>
            <p class=proof_class>{proof}</p>
            {report.pre_restore_file.map(|f| view! { <p>"The data from before the restore is kept in " <code>{f}</code> "."</p> })}
            {(report.revocations_kept > 0).then(|| view! {
                <p>{revocations_text(report.revocations_kept)}</p>
            })}
            <TableBox label="Rows per table"><thead><tr><th scope="col">"Table"</th><th scope="col" class="num">"Rows"</th></tr></thead>
                <tbody>{rows}</tbody></TableBox>
        </section>
    }
}

/// "2 API tokens revoked after this backup was taken stay revoked."
fn revocations_text(kept: u64) -> String {
    let tokens = if kept == 1 { "API token" } else { "API tokens" };
    format!("{kept} {tokens} revoked after this backup was taken stay revoked.")
}

fn status_badge(status: &str) -> impl IntoView {
    let class = match status {
        "verified" => "badge badge-ok",
        "unverified" => "badge badge-warn",
        _ => "badge badge-bad",
    };
    view! { <span class=class>{status.to_string()}</span> }
}

#[component]
fn BackupTable(rows: Vec<BackupRow>) -> impl IntoView {
    let verify = ServerAction::<VerifyBackup>::new();
    let delete = ServerAction::<DeleteBackup>::new();
    refresh_after(verify);
    refresh_after(delete);
    let (verify_error, delete_error) = (use_form_error(verify), use_form_error(delete));
    let empty = rows.is_empty();
    let body = rows
        .into_iter()
        .map(|r| {
            let download = format!("/admin/backups/download/{}", r.file);
            let short_sha: String = r.sha256.chars().take(12).collect();
            let (file_v, file_d) = (r.file.clone(), r.file.clone());
            view! {
                <tr>
                    <td>{time_text(&r.created_at)}</td>
                    <td>{r.tier.clone()}</td>
                    <td>{r.engine.clone()}</td>
                    <td class="num">{human_bytes(r.size)}</td>
                    <td><code title=r.sha256.clone()>{short_sha}</code></td>
                    <td class="num">{r.rows()}</td>
                    <td>{status_badge(&r.status)}</td>
                    <td class="row-actions">
                        <a rel="external" download="" href=download>"Download"</a>
                        <ActionForm action=verify><input type="hidden" name="file" value=file_v/>
                            <button type="submit" class="secondary">"Verify"</button></ActionForm>
                        <ActionForm action=delete><input type="hidden" name="file" value=file_d/>
                            <button type="submit" class="secondary">"Delete"</button></ActionForm>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <FormError error=verify_error/>
        <FormError error=delete_error/>
        <TableBox label="Backups">
            <thead><tr>
                <th scope="col">"Taken"</th><th scope="col">"Tier"</th><th scope="col">"Engine"</th>
                <th scope="col" class="num">"Size"</th><th scope="col">"SHA-256"</th><th scope="col" class="num">"Rows"</th>
                <th scope="col">"Status"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th>
            </tr></thead>
            <tbody>{body}</tbody>
        </TableBox>
        <Show when=move || empty><p class="muted">"No backups yet."</p></Show>
    }
}

#[component]
fn UploadForm() -> impl IntoView {
    view! {
        <section aria-labelledby="upload-title">
            <h2 id="upload-title">"Upload a backup"</h2>
            <p class="muted">"The file is checked completely before it is listed; anything else is refused."</p>
            <form method="post" action="/admin/backups/upload" enctype="multipart/form-data" class="stack">
                <label for="backup-file">"Backup file"</label>
                <input id="backup-file" name="file" type="file" accept=".zst" required=true/>
                <button type="submit" class="secondary">"Upload"</button>
            </form>
        </section>
    }
}

#[component]
fn RestoreForm(files: Vec<String>) -> impl IntoView {
    let restore = ServerAction::<RestoreBackup>::new();
    let error = use_form_error(restore);
    refresh_after(restore);
    let stage = use_job_stage(restore.pending().into());
    let field = move |name: &'static str| move || error.try_get().flatten().and_then(|e| e.field(name));
    let files = StoredValue::new(files);
    let options = move || {
        let chosen = kept_value("file", String::new());
        files.with_value(|files| {
            files
                .iter()
                .map(|f| view! { <option value=f.clone() selected=*f == chosen>{f.clone()}</option> })
                .collect_view()
        })
    };
    view! {
        <section class="danger-zone" aria-labelledby="restore-title">
            <h2 id="restore-title">"Restore"</h2>
            <p>"Replaces every row with the backup's. A backup of the current data is taken first; every other session ends."</p>
            <FormError error/>
            <KeepTyped fn_path={<RestoreBackup as ServerFn>::PATH}>
            <ActionForm action=restore attr:class="stack">
                <label for="restore-file">"Backup"</label>
                <select id="restore-file" name="file">{options}</select>
                <label for="restore-password">"Your password"</label>
                <input id="restore-password" name="password" type="password" autocomplete="current-password" required=true/>
                <p class="field-error" role="alert">{field("password")}</p>
                <label for="restore-confirm">"Type RESTORE to confirm"</label>
                <input id="restore-confirm" name="confirm" autocomplete="off" required=true
                    value=kept_value("confirm", String::new())/>
                <p class="field-error" role="alert">{field("confirm")}</p>
                <button type="submit" class="danger" disabled=move || restore.pending().try_get().unwrap_or(false)>
                    {move || match (restore.pending().try_get().unwrap_or(false), stage.try_get().unwrap_or_default()) {
                        (false, _) => "Restore this backup".to_string(),
                        (true, s) => format!("Restoring… {s}"),
                    }}
                </button>
            </ActionForm>
            </KeepTyped>
        </section>
    }
}
