//! The columns of the three fleet CSV files (docs/FLEET_CSV.md), in file order: exports write
//! them, imports require them, and the import page lists them for whoever prepares a file.
/// `sites.csv`.
pub const SITES_HEADER: [&str; 6] = ["id", "site_id", "name", "description", "location", "created_at"];
/// `devices.csv`: `site` is the site's `site_id`; `config` is a JSON object.
pub const DEVICES_HEADER: [&str; 11] = [
    "id",
    "device_id",
    "name",
    "device_type",
    "site",
    "status",
    "ip_address",
    "mac_address",
    "firmware_version",
    "last_seen",
    "config",
];
/// `health_checks.csv`: `device` is the device's `device_id`.
pub const CHECKS_HEADER: [&str; 7] =
    ["id", "device", "is_healthy", "response_time_ms", "status_code", "endpoint", "timestamp"];

/// A small file of each kind as a person would write it (no ids, optional columns left empty),
/// offered for download by the import page; `None` for any other name.
pub fn example(file_name: &str) -> Option<&'static str> {
    match file_name {
        "sites.csv" => Some(
            "id,site_id,name,description,location,created_at\n\
             ,site-00900,Lyon Part-Dieu,\"Second floor, by the escalators\",5 Place Charles Béraudier,\n\
             ,site-00901,Lille Flandres,,Place des Buisses,\n",
        ),
        "devices.csv" => Some(
            "id,device_id,name,device_type,site,status,ip_address,mac_address,firmware_version,last_seen,config\n\
             ,till-lyon-01,Till 1,pos_terminal,site-00900,,10.20.0.11,02:00:5e:10:00:01,2.1.0,,\n\
             ,printer-lyon-01,Receipt printer,printer,site-00900,,,,1.4.2,,\"{\"\"paper\"\":\"\"80mm\"\"}\"\n",
        ),
        "health_checks.csv" => Some(
            "id,device,is_healthy,response_time_ms,status_code,endpoint,timestamp\n\
             ,till-lyon-01,true,42,200,/health,2026-12-01T09:30:00Z\n",
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn each_example_starts_with_its_header() {
        for (file, header) in [
            ("sites.csv", &super::SITES_HEADER[..]),
            ("devices.csv", &super::DEVICES_HEADER[..]),
            ("health_checks.csv", &super::CHECKS_HEADER[..]),
        ] {
            let text = super::example(file).unwrap();
            assert_eq!(text.lines().next().unwrap(), header.join(","), "{file}");
            assert!(text.lines().skip(1).all(|row| row.starts_with(',')), "{file}: rows carry no id");
        }
        assert_eq!(super::example("../etc/passwd"), None);
    }
}
