//! Site and device forms: the raw text a person typed, checked field by field into clean values.
use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use crate::error::FieldErrors;
use crate::model::fleet::sites::DEVICE_TYPES;

pub const MAX_KEY_CHARS: usize = 64;
pub const MAX_NAME_CHARS: usize = 200;
pub const MAX_DESCRIPTION_CHARS: usize = 2000;
pub const MAX_FIRMWARE_CHARS: usize = 32;

/// A site as typed into its form.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SiteForm {
    pub site_id: String,
    pub name: String,
    pub description: String,
    pub location: String,
    pub latitude: String,
    pub longitude: String,
}

impl From<&crate::model::fleet::sites::SiteDetail> for SiteForm {
    fn from(s: &crate::model::fleet::sites::SiteDetail) -> Self {
        let coord = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
        Self {
            site_id: s.site_id.clone(),
            name: s.name.clone(),
            description: s.description.clone(),
            location: s.location.clone(),
            latitude: coord(s.latitude),
            longitude: coord(s.longitude),
        }
    }
}

/// A site's checked values.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteInput {
    pub site_id: String,
    pub name: String,
    pub description: String,
    pub location: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

/// A device as typed into its form; `site` is the site's key (`site-00042`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DeviceForm {
    pub device_id: String,
    pub name: String,
    pub device_type: String,
    pub site: String,
    pub ip_address: String,
    pub mac_address: String,
    pub firmware_version: String,
}

impl From<&crate::model::fleet::device::DeviceDetail> for DeviceForm {
    fn from(d: &crate::model::fleet::device::DeviceDetail) -> Self {
        Self {
            device_id: d.device_id.clone(),
            name: d.name.clone(),
            device_type: d.device_type.clone(),
            site: d.site.clone(),
            ip_address: d.ip_address.clone(),
            mac_address: d.mac_address.clone(),
            firmware_version: d.firmware_version.clone(),
        }
    }
}

/// A device's checked values (IP and MAC in canonical lower-case form).
#[derive(Debug, Clone, PartialEq)]
pub struct DeviceInput {
    pub device_id: String,
    pub name: String,
    pub device_type: String,
    pub site: String,
    pub ip_address: Option<String>,
    pub mac_address: Option<String>,
    pub firmware_version: String,
}

/// A human key (`site-00042`, `pos-terminal-000042`): letters, digits, `.`, `_`, `-`.
pub(crate) fn check_key(errors: &mut FieldErrors, field: &str, what: &str, raw: &str) -> String {
    let key = raw.trim();
    if key.is_empty() {
        errors.insert(field.into(), format!("Enter a {what}."));
    } else if key.chars().count() > MAX_KEY_CHARS {
        errors.insert(field.into(), format!("A {what} has at most {MAX_KEY_CHARS} characters."));
    } else if !key.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')) {
        errors.insert(field.into(), format!("A {what} may use only letters, digits, '.', '_' and '-'."));
    }
    key.to_string()
}

/// Free text of at most `max` characters, required when `required`.
pub(crate) fn check_text(errors: &mut FieldErrors, field: &str, raw: &str, max: usize, required: bool) -> String {
    let text = raw.trim();
    if required && text.is_empty() {
        errors.insert(field.into(), "This field is required.".into());
    } else if text.chars().count() > max {
        errors.insert(field.into(), format!("At most {max} characters."));
    } else if text.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        errors.insert(field.into(), "Remove the control characters.".into());
    }
    text.to_string()
}

/// An optional number within `min..=max`.
fn check_coordinate(errors: &mut FieldErrors, field: &str, raw: &str, min: f64, max: f64) -> Option<f64> {
    let text = raw.trim();
    if text.is_empty() {
        return None;
    }
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() && (min..=max).contains(&v) => Some(v),
        _ => {
            errors.insert(field.into(), format!("Enter a number from {min} to {max}."));
            None
        }
    }
}

impl SiteForm {
    pub fn validate(&self) -> Result<SiteInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let site_id = check_key(&mut errors, "site_id", "site id", &self.site_id);
        let name = check_text(&mut errors, "name", &self.name, MAX_NAME_CHARS, true);
        let description = check_text(&mut errors, "description", &self.description, MAX_DESCRIPTION_CHARS, false);
        let location = check_text(&mut errors, "location", &self.location, MAX_NAME_CHARS, false);
        let latitude = check_coordinate(&mut errors, "latitude", &self.latitude, -90.0, 90.0);
        let longitude = check_coordinate(&mut errors, "longitude", &self.longitude, -180.0, 180.0);
        if latitude.is_some() != longitude.is_some() && !errors.contains_key("latitude") {
            errors.insert("latitude".into(), "Give both latitude and longitude, or neither.".into());
        }
        if errors.is_empty() {
            Ok(SiteInput { site_id, name, description, location, latitude, longitude })
        } else {
            Err(errors)
        }
    }
}

/// An IPv4 or IPv6 address in canonical form, or `None` when left empty.
pub fn parse_ip(raw: &str) -> Result<Option<String>, String> {
    let text = raw.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<IpAddr>()
        .map(|ip| Some(ip.to_string()))
        .map_err(|_| "Enter an IPv4 address like 10.0.2.11 or an IPv6 address like fe80::1.".to_string())
}

/// A MAC address `xx:xx:xx:xx:xx:xx` (hex, any case; stored lower-case), or `None` when empty.
pub fn parse_mac(raw: &str) -> Result<Option<String>, String> {
    let text = raw.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let parts: Vec<&str> = text.split(':').collect();
    let ok = parts.len() == 6 && parts.iter().all(|p| p.len() == 2 && p.chars().all(|c| c.is_ascii_hexdigit()));
    if ok {
        Ok(Some(text.to_ascii_lowercase()))
    } else {
        Err("Enter a MAC address as six pairs of hex digits, like 02:1a:2b:3c:4d:5e.".to_string())
    }
}

impl DeviceForm {
    pub fn validate(&self) -> Result<DeviceInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let device_id = check_key(&mut errors, "device_id", "device id", &self.device_id);
        let name = check_text(&mut errors, "name", &self.name, MAX_NAME_CHARS, true);
        let device_type = self.device_type.trim().to_string();
        if !DEVICE_TYPES.contains(&device_type.as_str()) {
            errors.insert("device_type".into(), "Choose a device type from the list.".into());
        }
        let site = check_key(&mut errors, "site", "site id", &self.site);
        let ip_address = parse_ip(&self.ip_address).unwrap_or_else(|m| {
            errors.insert("ip_address".into(), m);
            None
        });
        let mac_address = parse_mac(&self.mac_address).unwrap_or_else(|m| {
            errors.insert("mac_address".into(), m);
            None
        });
        let firmware_version =
            check_text(&mut errors, "firmware_version", &self.firmware_version, MAX_FIRMWARE_CHARS, false);
        if errors.is_empty() {
            Ok(DeviceInput { device_id, name, device_type, site, ip_address, mac_address, firmware_version })
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_site_form_names_every_bad_field() {
        let form = SiteForm {
            site_id: "site 42".into(),
            name: " ".into(),
            latitude: "91".into(),
            longitude: "2.35".into(),
            ..Default::default()
        };
        let errors = form.validate().unwrap_err();
        assert_eq!(errors.keys().collect::<Vec<_>>(), vec!["latitude", "name", "site_id"]);
        let good = SiteForm { site_id: " site-00200 ".into(), name: "Nice Kiosk".into(), ..Default::default() };
        assert_eq!(good.validate().unwrap().site_id, "site-00200");
    }

    #[test]
    fn addresses_are_checked_and_made_canonical() {
        assert_eq!(parse_ip(" 10.0.2.11 ").unwrap().as_deref(), Some("10.0.2.11"));
        assert_eq!(parse_ip("FE80:0:0::1").unwrap().as_deref(), Some("fe80::1"));
        assert!(parse_ip("10.0.2.256").is_err() && parse_ip("10.0.2").is_err());
        assert_eq!(parse_mac("02:1A:2b:3c:4d:5e").unwrap().as_deref(), Some("02:1a:2b:3c:4d:5e"));
        assert!(parse_mac("02-1a-2b-3c-4d-5e").is_err() && parse_mac("02:1a:2b:3c:4d").is_err());
        assert_eq!(parse_mac("").unwrap(), None);
    }

    #[test]
    fn a_device_form_refuses_unknown_types_and_long_names() {
        let form = DeviceForm {
            device_id: "pos-1".into(),
            name: "x".repeat(201),
            device_type: "toaster".into(),
            site: "site-00001".into(),
            ..Default::default()
        };
        let errors = form.validate().unwrap_err();
        assert_eq!(errors.keys().collect::<Vec<_>>(), vec!["device_type", "name"]);
    }
}
