//! The pages behind the login, in three wasm modules of their own, one per section (fleet, admin,
//! account), built by `cargo leptos build --split`. A browser fetches the app's shell with the
//! login page first, then a section's module the first time it opens one of its pages; every
//! other page of that section then costs no wasm at all. One wasm for everything was 515 KB in
//! brotli against the 400 KB for a first page. A module per page was tried and dropped:
//! code shared by some pages became 343 small chunks (a device page fetched 207 of them) and
//! the whole front end grew from 515 to 949 KB in brotli. The server renders these routes as any
//! other; in the browser, hydration waits for the section's module (`hydrate_lazy` in lib.rs).
use leptos::prelude::*;
use leptos_router::LazyRoute;

use super::{admin, fleet, platform};

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
    }
}

#[leptos::lazy]
fn account_section(page: AccountPage) -> AnyView {
    match page {
        AccountPage::Account => view! { <platform::account::AccountPage/> }.into_any(),
        AccountPage::Password => view! { <platform::account::PasswordPage/> }.into_any(),
    }
}

/// `$route`: a route (for `Lazy::<$route>`) showing page `$page` of the section `$section`.
/// Its `preload` fetches the section's module: the router awaits it before it hydrates the
/// server's HTML (without it the page was rendered a second time beside the first).
macro_rules! section_route {
    ($route:ident, $section:ident, $preload:ident, $page:expr) => {
        pub struct $route;

        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            async fn view(_this: Self) -> AnyView {
                $section($page).await
            }

            async fn preload() {
                #[cfg(feature = "hydrate")]
                $preload().await;
            }
        }
    };
}

section_route!(HomeRoute, fleet_section, __preload_fleet_section, FleetPage::Home);
section_route!(SitesRoute, fleet_section, __preload_fleet_section, FleetPage::Sites);
section_route!(NewSiteRoute, fleet_section, __preload_fleet_section, FleetPage::NewSite);
section_route!(SiteRoute, fleet_section, __preload_fleet_section, FleetPage::Site);
section_route!(EditSiteRoute, fleet_section, __preload_fleet_section, FleetPage::EditSite);
section_route!(DevicesRoute, fleet_section, __preload_fleet_section, FleetPage::Devices);
section_route!(ImportRoute, fleet_section, __preload_fleet_section, FleetPage::Import);
section_route!(NewDeviceRoute, fleet_section, __preload_fleet_section, FleetPage::NewDevice);
section_route!(DeviceBulkRoute, fleet_section, __preload_fleet_section, FleetPage::DeviceBulk);
section_route!(DeviceRoute, fleet_section, __preload_fleet_section, FleetPage::Device);
section_route!(EditDeviceRoute, fleet_section, __preload_fleet_section, FleetPage::EditDevice);
section_route!(UsersRoute, admin_section, __preload_admin_section, AdminPage::Users);
section_route!(NewUserRoute, admin_section, __preload_admin_section, AdminPage::NewUser);
section_route!(UserBulkRoute, admin_section, __preload_admin_section, AdminPage::UserBulk);
section_route!(UserRoute, admin_section, __preload_admin_section, AdminPage::User);
section_route!(SessionsRoute, admin_section, __preload_admin_section, AdminPage::Sessions);
section_route!(TokensRoute, admin_section, __preload_admin_section, AdminPage::Tokens);
section_route!(AuditRoute, admin_section, __preload_admin_section, AdminPage::Audit);
section_route!(AuditEventRoute, admin_section, __preload_admin_section, AdminPage::AuditEvent);
section_route!(BackupsRoute, admin_section, __preload_admin_section, AdminPage::Backups);
section_route!(HealthRoute, admin_section, __preload_admin_section, AdminPage::Health);
section_route!(AccountRoute, account_section, __preload_account_section, AccountPage::Account);
section_route!(PasswordRoute, account_section, __preload_account_section, AccountPage::Password);
