//! Where a form goes after a save, as Django's "Save and add another" and "Save and continue
//! editing" buttons ask: the submit button that was pressed sends `then`.
use form_urlencoded::byte_serialize;

/// The name of the submit buttons' field.
pub const SAVE_THEN_FIELD: &str = "then";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveThen {
    /// The object's own page (the plain "Save" button, and Enter in a field).
    Show,
    /// A blank form for the next one.
    AddAnother,
    /// The same form again, saved.
    KeepEditing,
}

impl SaveThen {
    /// Read leniently: anything but a known button value means the plain save.
    pub fn parse(value: Option<&str>) -> Self {
        match value.map(str::trim) {
            Some("another") => SaveThen::AddAnother,
            Some("edit") => SaveThen::KeepEditing,
            _ => SaveThen::Show,
        }
    }

    /// The value its button sends.
    pub fn value(self) -> &'static str {
        match self {
            SaveThen::Show => "show",
            SaveThen::AddAnother => "another",
            SaveThen::KeepEditing => "edit",
        }
    }

    /// The page to go to after saving `key` under `collection` (`/sites`), with the flash `done`.
    /// A blank form gets `added=<key>` (to name what was made) and the `keep` pairs (the site of
    /// the next device).
    pub fn target(self, collection: &str, key: &str, done: &str, keep: &[(&str, &str)]) -> String {
        let segment: String = byte_serialize(key.as_bytes()).collect();
        match self {
            SaveThen::Show => format!("{collection}/{segment}?done={done}"),
            SaveThen::KeepEditing => format!("{collection}/{segment}/edit?done={done}"),
            SaveThen::AddAnother => {
                let mut url = form_urlencoded::Serializer::new(String::new());
                url.append_pair("done", done).append_pair("added", key);
                for (name, value) in keep {
                    url.append_pair(name, value);
                }
                format!("{collection}/new?{}", url.finish())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::SaveThen;

    #[test]
    fn each_button_leads_to_its_page() {
        let key = "site 1/a";
        assert_eq!(SaveThen::parse(None).target("/sites", key, "created", &[]), "/sites/site+1%2Fa?done=created");
        assert_eq!(SaveThen::parse(Some("evil")), SaveThen::Show);
        assert_eq!(
            SaveThen::parse(Some("edit")).target("/sites", key, "saved", &[]),
            "/sites/site+1%2Fa/edit?done=saved"
        );
        assert_eq!(
            SaveThen::parse(Some("another")).target("/devices", "pos-1", "created", &[("site", "site-0&1")]),
            "/devices/new?done=created&added=pos-1&site=site-0%261"
        );
    }
}
