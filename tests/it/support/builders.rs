//! Test data made through the app's own write paths, so audit rows and count generations follow
//! as they do in production. Forms come with plausible defaults; a test changes only the fields
//! it is about. Each new domain adds its builders here.
use backroom::db::engine::Db;
use backroom::db::fleet::{device_write, site_write};
use backroom::db::platform::audit::Actor;
use backroom::model::fleet::fleet_forms::{DeviceForm, SiteForm};
use backroom::model::fleet::liveness::{live_since, DEFAULT_WINDOW_SECS};
use backroom::model::platform::time::Timestamp;

/// The oldest check that counts as live now, under the default window (for `ingest`).
pub fn live_now() -> Timestamp {
    live_since(Timestamp::now(), DEFAULT_WINDOW_SECS)
}

/// The actor test writes are audited under.
pub fn actor() -> Actor {
    Actor { user_id: None, name: "tester".into(), ..Default::default() }
}

/// A valid site form with the key `key`.
pub fn site_form(key: &str) -> SiteForm {
    SiteForm {
        site_id: key.into(),
        name: format!("Site {key}"),
        location: "1 Quay, Ghent".into(),
        ..Default::default()
    }
}

/// A valid device form with the key `key`, at the site `site`.
pub fn device_form(key: &str, site: &str) -> DeviceForm {
    DeviceForm {
        device_id: key.into(),
        name: "Till 1".into(),
        device_type: "kiosk".into(),
        site: site.into(),
        ip_address: "10.9.0.1".into(),
        mac_address: "02:AA:bb:cc:dd:ee".into(),
        firmware_version: "2.1.0".into(),
    }
}

/// Creates the site `key` (audited, as the app does).
pub async fn create_site(db: &Db, key: &str) {
    site_write::create_site(db, &actor(), &site_form(key).validate().expect("a valid site")).await.expect("site");
}

/// Creates the device `key` at `site`, with a MAC address of its own.
pub async fn create_device(db: &Db, key: &str, site: &str) {
    let n = key.bytes().fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
    let mac = format!("02:00:{:02x}:{:02x}:{:02x}:{:02x}", n >> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
    let form = DeviceForm { mac_address: mac, ..device_form(key, site) };
    device_write::create_device(db, &actor(), &form.validate().expect("a valid device")).await.expect("device");
}
