//! The HTML shell, the `<App/>` root with its route table, and the navigation bar.
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::{path, Lazy, SsrMode};

use server_fn::ServerFn;

use crate::api::platform::auth::Logout;
use crate::components::nav_link::NavLink;
use crate::model::platform::user::Role;
use crate::pages::lazy::*;
use crate::pages::platform::{login::LoginPage, not_found::NotFound, setup::SetupPage};

/// The document around every page (server side).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    // The split modules a lazy page needs (server::assets::split_manifest, given by the router)
    // are named in the page only when the shell provides them again, where `HydrationScripts`
    // would: provided by the router alone, no preload link appeared (checked with curl). Even
    // so they appear on some runs only (a fresh-clone CI saw none), so no test relies on them.
    #[cfg(feature = "ssr")]
    if let Some(manifest) = use_context::<leptos::WasmSplitManifest>() {
        provide_context(manifest);
    }
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <link rel="stylesheet" id="leptos" href=format!("/{}/{}.css", options.site_pkg_dir, options.output_name)/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    crate::components::refresh::provide_refresh();
    crate::components::me::provide_me();
    view! {
        // An empty title of its own keeps the document titled "Backroom" while a page's title is
        // not there yet: a lazy page (pages::lazy) sets its own only once its module has come.
        <Title text="" formatter=|text: String| if text.is_empty() { "Backroom".to_string() } else { format!("{text} · Backroom") }/>
        <Router>
            <Nav/>
            <main id="main">
                // Pages behind the login are `Lazy` routes of a section (pages/lazy.rs), so their
                // code is fetched when a page of that section is first opened.
                <Routes fallback=NotFound>
                    <Route path=path!("/") view={Lazy::<HomeRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/setup") view=SetupPage ssr=SsrMode::Async/>
                    <Route path=path!("/sites") view={Lazy::<SitesRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/sites/new") view={Lazy::<NewSiteRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/sites/:site_id") view={Lazy::<SiteRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/sites/:site_id/edit") view={Lazy::<EditSiteRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/devices") view={Lazy::<DevicesRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/import") view={Lazy::<ImportRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/devices/new") view={Lazy::<NewDeviceRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/devices/bulk") view={Lazy::<DeviceBulkRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/devices/:device_id") view={Lazy::<DeviceRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/devices/:device_id/edit") view={Lazy::<EditDeviceRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/jobs") view={Lazy::<JobsRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/jobs/new") view={Lazy::<NewJobRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/jobs/:job_id") view={Lazy::<JobRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/warehouse") view={Lazy::<WarehouseHomeRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/warehouse/:kind") view={Lazy::<ReferenceListRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/warehouse/:kind/new") view={Lazy::<NewReferenceRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/warehouse/:kind/:id") view={Lazy::<ReferenceRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/pos") view={Lazy::<PoListRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/pos/new") view={Lazy::<NewPoRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/pos/:number") view={Lazy::<PoRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/pos/:number/edit") view={Lazy::<EditPoRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/receives") view={Lazy::<ReceiveListRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/receives/new") view={Lazy::<NewReceiveRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/receives/:id") view={Lazy::<ReceiveRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/receives/:id/labels") view={Lazy::<LabelsRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/floor") view={Lazy::<FloorRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/submissions") view={Lazy::<SubmissionListRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/submissions/:id/edit") view={Lazy::<SubmissionEditRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/review") view={Lazy::<ReviewRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/bags") view={Lazy::<BagBoardRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/account") view={Lazy::<AccountRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/account/password") view={Lazy::<PasswordRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/users") view={Lazy::<UsersRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/users/new") view={Lazy::<NewUserRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/users/bulk") view={Lazy::<UserBulkRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/users/:id") view={Lazy::<UserRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/sessions") view={Lazy::<SessionsRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/tokens") view={Lazy::<TokensRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/audit") view={Lazy::<AuditRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/audit/:id") view={Lazy::<AuditEventRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/backups") view={Lazy::<BackupsRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/health") view={Lazy::<HealthRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/settings") view={Lazy::<SettingsRoute>::new()} ssr=SsrMode::Async/>
                    <Route path=path!("/admin/recalculate") view={Lazy::<RecalculateRoute>::new()} ssr=SsrMode::Async/>
                </Routes>
            </main>
        </Router>
    }
}

const LOGOUT_PATH: &str = <Logout as ServerFn>::PATH;

/// Top bar: the sections built so far, the current user and a log-out button. On a phone they
/// fold into a `<details>` menu, which opens without JavaScript; with it, the menu closes again
/// when a link in it moves to another page.
#[component]
fn Nav() -> impl IntoView {
    let user = crate::components::me::me();
    let path = Signal::from(use_location().pathname);
    let menu = NodeRef::<leptos::html::Details>::new();
    Effect::new(move |_| {
        path.track();
        if let Some(menu) = menu.get() {
            let _ = menu.remove_attribute("open");
        }
    });
    view! {
        <header class="topbar">
            <a class="skip-link" href="#main">"Skip to content"</a>
            <a class="brand" href="/">"Backroom"</a>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    user.await.ok().flatten().map(|user| view! {
                        <details class="menu" node_ref=menu>
                            <summary>"Menu"</summary>
                            <div class="menu-body">
                                <MainLinks path staff={user.role >= Role::Staff} admin={user.role >= Role::Admin}/>
                                <div class="who">
                                    <a class="who-name" href="/account">{user.display_name().to_string()}</a>
                                    <span class="badge badge-role">{user.role.as_str()}</span>
                                    <form method="post" action=LOGOUT_PATH class="inline">
                                        <button type="submit" class="link-button">"Log out"</button>
                                    </form>
                                </div>
                            </div>
                        </details>
                    })
                })}
            </Suspense>
        </header>
    }
}

/// The sections: everyone's (the floor counts from staff up), then the admin's.
#[component]
fn MainLinks(path: Signal<String>, staff: bool, admin: bool) -> impl IntoView {
    view! {
        <nav aria-label="Main">
            <NavLink href="/" path exact=true>"Home"</NavLink>
            <NavLink href="/sites" path>"Sites"</NavLink>
            <NavLink href="/devices" path>"Devices"</NavLink>
            <NavLink href="/jobs" path>"Jobs"</NavLink>
            <NavLink href="/warehouse" path>"Warehouse"</NavLink>
            <NavLink href="/pos" path>"Purchase orders"</NavLink>
            <NavLink href="/receives" path>"Receives"</NavLink>
            {staff.then(|| view! { <NavLink href="/floor" path>"Floor"</NavLink> })}
            <NavLink href="/submissions" path>"Submissions"</NavLink>
            {admin.then(|| view! {
                <NavLink href="/admin/users" path>"Users"</NavLink>
                <NavLink href="/admin/sessions" path>"Sessions"</NavLink>
                <NavLink href="/admin/tokens" path>"Tokens"</NavLink>
                <NavLink href="/admin/audit" path>"Audit log"</NavLink>
                <NavLink href="/admin/backups" path>"Backups"</NavLink>
                <NavLink href="/admin/health" path>"Health"</NavLink>
                <NavLink href="/admin/settings" path>"Settings"</NavLink>
            })}
        </nav>
    }
}
