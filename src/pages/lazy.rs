//! The pages behind the login, in five wasm modules of their own, one per section (fleet, jobs,
//! warehouse, admin, account), built by `cargo leptos build --split`. A browser fetches the app's shell with the
//! login page first, then a section's module the first time it opens one of its pages; every
//! other page of that section then costs no wasm at all. One wasm for everything was 515 KB in
//! brotli against the 400 KB for a first page. A module per page was tried and dropped:
//! code shared by some pages became 343 small chunks (a device page fetched 207 of them) and
//! the whole front end grew from 515 to 949 KB in brotli. The server renders these routes as any
//! other; in the browser, hydration waits for the section's module (`hydrate_lazy` in lib.rs).
//! A new page: a variant in its section's enum, an arm in its `#[lazy]` function, a route type
//! below, and `Lazy::<ThatRoute>` in app.rs. A page given to the router directly lands in the
//! main wasm that the login page loads (as the login and setup pages do on purpose).
use leptos::prelude::*;
use leptos_router::LazyRoute;

use super::{admin, fleet, jobs, platform, warehouse};

/// A page of the fleet section (its home page included: a fleet summary).
#[derive(Clone, Copy)]
pub enum FleetPage {
    Home,
    Sites,
    NewSite,
    Site,
    EditSite,
    Devices,
    Import,
    NewDevice,
    DeviceBulk,
    Device,
    EditDevice,
}

/// A page of the jobs section.
#[derive(Clone, Copy)]
pub enum JobsPage {
    Jobs,
    NewJob,
    Job,
}

/// A page of the warehouse section.
#[derive(Clone, Copy)]
pub enum WarehousePage {
    ReferenceList,
    NewReference,
    Reference,
    PoList,
    NewPo,
    Po,
    EditPo,
    ReceiveList,
    NewReceive,
    Receive,
    Labels,
    Floor,
    SubmissionList,
    Review,
    Home,
    BagBoard,
    SubmissionEdit,
}

/// A page of the admin section.
#[derive(Clone, Copy)]
pub enum AdminPage {
    Users,
    NewUser,
    UserBulk,
    User,
    Sessions,
    Tokens,
    Audit,
    AuditEvent,
    Backups,
    Health,
    Settings,
    Recalculate,
}

/// A page of the user's own account.
#[derive(Clone, Copy)]
pub enum AccountPage {
    Account,
    Password,
}

#[leptos::lazy]
fn fleet_section(page: FleetPage) -> AnyView {
    use fleet::*;
    match page {
        FleetPage::Home => view! { <platform::home::HomePage/> }.into_any(),
        FleetPage::Sites => view! { <sites::SitesPage/> }.into_any(),
        FleetPage::NewSite => view! { <site_form::NewSitePage/> }.into_any(),
        FleetPage::Site => view! { <site::SitePage/> }.into_any(),
        FleetPage::EditSite => view! { <site_form::EditSitePage/> }.into_any(),
        FleetPage::Devices => view! { <devices::DevicesPage/> }.into_any(),
        FleetPage::Import => view! { <import::ImportPage/> }.into_any(),
        FleetPage::NewDevice => view! { <device_form::NewDevicePage/> }.into_any(),
        FleetPage::DeviceBulk => view! { <device_bulk::DeviceBulkPage/> }.into_any(),
        FleetPage::Device => view! { <device::DevicePage/> }.into_any(),
        FleetPage::EditDevice => view! { <device_form::EditDevicePage/> }.into_any(),
    }
}

#[leptos::lazy]
fn jobs_section(page: JobsPage) -> AnyView {
    match page {
        JobsPage::Jobs => view! { <jobs::job_list::JobsPage/> }.into_any(),
        JobsPage::NewJob => view! { <jobs::job_form::NewJobPage/> }.into_any(),
        JobsPage::Job => view! { <jobs::job::JobPage/> }.into_any(),
    }
}

#[leptos::lazy]
fn warehouse_section(page: WarehousePage) -> AnyView {
    use warehouse::*;
    match page {
        WarehousePage::ReferenceList => view! { <reference_list::ReferenceListPage/> }.into_any(),
        WarehousePage::NewReference => view! { <reference_row::NewReferencePage/> }.into_any(),
        WarehousePage::Reference => view! { <reference_row::ReferencePage/> }.into_any(),
        WarehousePage::PoList => view! { <po_list::PoListPage/> }.into_any(),
        WarehousePage::NewPo => view! { <po_form::NewPoPage/> }.into_any(),
        WarehousePage::Po => view! { <po_page::PoPage/> }.into_any(),
        WarehousePage::EditPo => view! { <po_form::EditPoPage/> }.into_any(),
        WarehousePage::ReceiveList => view! { <receive_list::ReceiveListPage/> }.into_any(),
        WarehousePage::NewReceive => view! { <receive_form::NewReceivePage/> }.into_any(),
        WarehousePage::Receive => view! { <receive_page::ReceivePage/> }.into_any(),
        WarehousePage::Labels => view! { <labels_page::LabelsPage/> }.into_any(),
        WarehousePage::Floor => view! { <floor_page::FloorPage/> }.into_any(),
        WarehousePage::SubmissionList => view! { <submission_list::SubmissionListPage/> }.into_any(),
        WarehousePage::Review => view! { <review_page::ReviewPage/> }.into_any(),
        WarehousePage::Home => view! { <dashboard_page::WarehouseHomePage/> }.into_any(),
        WarehousePage::BagBoard => view! { <bag_board::BagBoardPage/> }.into_any(),
        WarehousePage::SubmissionEdit => view! { <submission_edit::SubmissionEditPage/> }.into_any(),
    }
}

#[leptos::lazy]
fn admin_section(page: AdminPage) -> AnyView {
    use admin::*;
    match page {
        AdminPage::Users => view! { <users::UsersPage/> }.into_any(),
        AdminPage::NewUser => view! { <user_form::NewUserPage/> }.into_any(),
        AdminPage::UserBulk => view! { <user_bulk::UserBulkPage/> }.into_any(),
        AdminPage::User => view! { <user_page::UserPage/> }.into_any(),
        AdminPage::Sessions => view! { <sessions::SessionsPage/> }.into_any(),
        AdminPage::Tokens => view! { <tokens::TokensPage/> }.into_any(),
        AdminPage::Audit => view! { <audit::AuditPage/> }.into_any(),
        AdminPage::AuditEvent => view! { <audit::AuditEventPage/> }.into_any(),
        AdminPage::Backups => view! { <backups::BackupsPage/> }.into_any(),
        AdminPage::Health => view! { <health::HealthPage/> }.into_any(),
        AdminPage::Settings => view! { <settings::SettingsPage/> }.into_any(),
        AdminPage::Recalculate => view! { <recalculate::RecalculatePage/> }.into_any(),
    }
}

#[leptos::lazy]
fn account_section(page: AccountPage) -> AnyView {
    match page {
        AccountPage::Account => view! { <platform::account::AccountPage/> }.into_any(),
        AccountPage::Password => view! { <platform::account::PasswordPage/> }.into_any(),
    }
}

/// A section's pages: how one is shown, and how the section's module is fetched beforehand.
trait Section: Copy {
    async fn show(self) -> AnyView;
    async fn preload();
}

/// `$section`: the page enum of the `#[lazy]` function `$show`, whose loader is `$preload`.
macro_rules! section {
    ($section:ident, $show:ident, $preload:ident) => {
        impl Section for $section {
            async fn show(self) -> AnyView {
                $show(self).await
            }

            async fn preload() {
                #[cfg(feature = "hydrate")]
                $preload().await;
            }
        }
    };
}

section!(FleetPage, fleet_section, __preload_fleet_section);
section!(JobsPage, jobs_section, __preload_jobs_section);
section!(WarehousePage, warehouse_section, __preload_warehouse_section);
section!(AdminPage, admin_section, __preload_admin_section);
section!(AccountPage, account_section, __preload_account_section);

/// `$route`: a route (for `Lazy::<$route>`) showing `$section::$page`. Its `preload` fetches the
/// section's module: the router awaits it before it hydrates the server's HTML (without it the
/// page was rendered a second time beside the first).
macro_rules! section_route {
    ($route:ident, $section:ident::$page:ident) => {
        pub struct $route;

        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            async fn view(_this: Self) -> AnyView {
                $section::$page.show().await
            }

            async fn preload() {
                <$section as Section>::preload().await
            }
        }
    };
}

section_route!(HomeRoute, FleetPage::Home);
section_route!(SitesRoute, FleetPage::Sites);
section_route!(NewSiteRoute, FleetPage::NewSite);
section_route!(SiteRoute, FleetPage::Site);
section_route!(EditSiteRoute, FleetPage::EditSite);
section_route!(DevicesRoute, FleetPage::Devices);
section_route!(ImportRoute, FleetPage::Import);
section_route!(NewDeviceRoute, FleetPage::NewDevice);
section_route!(DeviceBulkRoute, FleetPage::DeviceBulk);
section_route!(DeviceRoute, FleetPage::Device);
section_route!(EditDeviceRoute, FleetPage::EditDevice);
section_route!(JobsRoute, JobsPage::Jobs);
section_route!(NewJobRoute, JobsPage::NewJob);
section_route!(JobRoute, JobsPage::Job);
section_route!(ReferenceListRoute, WarehousePage::ReferenceList);
section_route!(NewReferenceRoute, WarehousePage::NewReference);
section_route!(ReferenceRoute, WarehousePage::Reference);
section_route!(PoListRoute, WarehousePage::PoList);
section_route!(NewPoRoute, WarehousePage::NewPo);
section_route!(PoRoute, WarehousePage::Po);
section_route!(EditPoRoute, WarehousePage::EditPo);
section_route!(ReceiveListRoute, WarehousePage::ReceiveList);
section_route!(NewReceiveRoute, WarehousePage::NewReceive);
section_route!(ReceiveRoute, WarehousePage::Receive);
section_route!(LabelsRoute, WarehousePage::Labels);
section_route!(FloorRoute, WarehousePage::Floor);
section_route!(SubmissionListRoute, WarehousePage::SubmissionList);
section_route!(ReviewRoute, WarehousePage::Review);
section_route!(WarehouseHomeRoute, WarehousePage::Home);
section_route!(BagBoardRoute, WarehousePage::BagBoard);
section_route!(SubmissionEditRoute, WarehousePage::SubmissionEdit);
section_route!(UsersRoute, AdminPage::Users);
section_route!(NewUserRoute, AdminPage::NewUser);
section_route!(UserBulkRoute, AdminPage::UserBulk);
section_route!(UserRoute, AdminPage::User);
section_route!(SessionsRoute, AdminPage::Sessions);
section_route!(TokensRoute, AdminPage::Tokens);
section_route!(AuditRoute, AdminPage::Audit);
section_route!(AuditEventRoute, AdminPage::AuditEvent);
section_route!(BackupsRoute, AdminPage::Backups);
section_route!(HealthRoute, AdminPage::Health);
section_route!(SettingsRoute, AdminPage::Settings);
section_route!(RecalculateRoute, AdminPage::Recalculate);
section_route!(AccountRoute, AccountPage::Account);
section_route!(PasswordRoute, AccountPage::Password);
