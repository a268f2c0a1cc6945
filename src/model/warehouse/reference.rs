//! Warehouse reference data: the four kinds of rows (categories, tablet types, products,
//! machines), the one form they are typed into, and their checked values. A row names another
//! by its name (a product's tablet type, a tablet type's category), as people and CSV files do.
use serde::{Deserialize, Serialize};

use super::checks::{check_name, check_whole};
use super::ref_field::RefField;
use crate::error::FieldErrors;
use crate::model::platform::csv_cell::neutralise;
use crate::model::platform::time::Timestamp;
use crate::model::warehouse::settings::MAX_CARDS_PER_TURN;

pub const MAX_NAME_CHARS: usize = 100;
pub const MAX_ITEM_CHARS: usize = 64;
/// Packages per display, tablets per package: far above any real pack.
pub const MAX_PACK: i64 = 100_000;
pub const MAX_POSITION: i64 = 1_000_000;

/// A kind of reference row; its slug is its path under `/warehouse/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RefKind {
    Categories,
    TabletTypes,
    Products,
    Machines,
}

impl RefKind {
    pub const ALL: [RefKind; 4] = [RefKind::TabletTypes, RefKind::Products, RefKind::Categories, RefKind::Machines];

    pub fn slug(self) -> &'static str {
        match self {
            RefKind::Categories => "categories",
            RefKind::TabletTypes => "tablet-types",
            RefKind::Products => "products",
            RefKind::Machines => "machines",
        }
    }

    pub fn parse(slug: &str) -> Option<RefKind> {
        RefKind::ALL.into_iter().find(|k| k.slug() == slug)
    }

    /// Its list's path: `/warehouse/tablet-types`.
    pub fn path(self) -> &'static str {
        match self {
            RefKind::Categories => "/warehouse/categories",
            RefKind::TabletTypes => "/warehouse/tablet-types",
            RefKind::Products => "/warehouse/products",
            RefKind::Machines => "/warehouse/machines",
        }
    }

    /// The list's title: "Tablet types".
    pub fn title(self) -> &'static str {
        match self {
            RefKind::Categories => "Categories",
            RefKind::TabletTypes => "Tablet types",
            RefKind::Products => "Products",
            RefKind::Machines => "Machines",
        }
    }

    /// One row, as a sentence starts: "Tablet type".
    pub fn noun(self) -> &'static str {
        match self {
            RefKind::Categories => "Category",
            RefKind::TabletTypes => "Tablet type",
            RefKind::Products => "Product",
            RefKind::Machines => "Machine",
        }
    }

    /// Several rows, lower case: "tablet types".
    pub fn plural(self) -> &'static str {
        match self {
            RefKind::Categories => "categories",
            RefKind::TabletTypes => "tablet types",
            RefKind::Products => "products",
            RefKind::Machines => "machines",
        }
    }

    /// One row: "tablet type".
    pub fn singular(self) -> &'static str {
        match self {
            RefKind::Categories => "category",
            RefKind::TabletTypes => "tablet type",
            RefKind::Products => "product",
            RefKind::Machines => "machine",
        }
    }

    /// The fields of this kind besides its name, in form, table and CSV order.
    pub fn fields(self) -> &'static [RefField] {
        match self {
            RefKind::Categories => &[RefField::Position],
            RefKind::TabletTypes => &[RefField::InventoryItem, RefField::Category],
            RefKind::Products => &[RefField::TabletType, RefField::Ppd, RefField::Tpp],
            RefKind::Machines => &[RefField::CardsPerTurn],
        }
    }

    /// The kind whose row `field` names, if it names one (its form field is a picker).
    pub fn named_by(field: RefField) -> Option<RefKind> {
        match field {
            RefField::Category => Some(RefKind::Categories),
            RefField::TabletType => Some(RefKind::TabletTypes),
            _ => None,
        }
    }

    /// What an archived row is called: a machine that is not used is inactive.
    pub fn archived_word(self) -> &'static str {
        if self == RefKind::Machines {
            "inactive"
        } else {
            "archived"
        }
    }

    /// The words of the archive button and of its undo.
    pub fn archive_verbs(self) -> (&'static str, &'static str) {
        if self == RefKind::Machines {
            ("Deactivate", "Reactivate")
        } else {
            ("Archive", "Restore")
        }
    }

    /// The audit log's entity type.
    pub fn entity(self) -> &'static str {
        match self {
            RefKind::Categories => "category",
            RefKind::TabletTypes => "tablet_type",
            RefKind::Products => "product",
            RefKind::Machines => "machine",
        }
    }

    /// The CSV file's columns: `name`, then the fields' names.
    pub fn csv_header(self) -> &'static [&'static str] {
        match self {
            RefKind::Categories => &["name", "position"],
            RefKind::TabletTypes => &["name", "inventory_item", "category"],
            RefKind::Products => &["name", "tablet_type", "ppd", "tpp"],
            RefKind::Machines => &["name", "cards_per_turn"],
        }
    }

    /// The CSV file's name.
    pub fn csv_file(self) -> &'static str {
        match self {
            RefKind::Categories => "categories.csv",
            RefKind::TabletTypes => "tablet_types.csv",
            RefKind::Products => "products.csv",
            RefKind::Machines => "machines.csv",
        }
    }

    /// A row's CSV fields, in `csv_header` order, formulas defused.
    pub fn csv_fields(self, form: &RefForm) -> Vec<String> {
        std::iter::once(form.name.as_str()).chain(self.fields().iter().map(|f| form.get(*f))).map(neutralise).collect()
    }
}

/// A reference row as typed: every field as text; a kind reads only its own fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RefForm {
    pub name: String,
    pub position: String,
    pub inventory_item: String,
    pub category: String,
    pub tablet_type: String,
    pub ppd: String,
    pub tpp: String,
    pub cards_per_turn: String,
}

impl RefForm {
    pub fn get(&self, field: RefField) -> &str {
        match field {
            RefField::Position => &self.position,
            RefField::InventoryItem => &self.inventory_item,
            RefField::Category => &self.category,
            RefField::TabletType => &self.tablet_type,
            RefField::Ppd => &self.ppd,
            RefField::Tpp => &self.tpp,
            RefField::CardsPerTurn => &self.cards_per_turn,
        }
    }

    pub fn set(&mut self, field: RefField, value: String) {
        match field {
            RefField::Position => self.position = value,
            RefField::InventoryItem => self.inventory_item = value,
            RefField::Category => self.category = value,
            RefField::TabletType => self.tablet_type = value,
            RefField::Ppd => self.ppd = value,
            RefField::Tpp => self.tpp = value,
            RefField::CardsPerTurn => self.cards_per_turn = value,
        }
    }

    /// The kind's values, or a message per bad field.
    pub fn validate(&self, kind: RefKind) -> Result<RefInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = check_name(&mut errors, "name", &self.name, MAX_NAME_CHARS, true);
        let input = match kind {
            RefKind::Categories => RefInput::Category {
                name,
                position: check_whole(&mut errors, "position", &self.position, 0, MAX_POSITION, Some(0)),
            },
            RefKind::TabletTypes => RefInput::TabletType {
                name,
                inventory_item: check_name(&mut errors, "inventory_item", &self.inventory_item, MAX_ITEM_CHARS, true),
                category: Some(check_name(&mut errors, "category", &self.category, MAX_NAME_CHARS, false))
                    .filter(|c| !c.is_empty()),
            },
            RefKind::Products => RefInput::Product {
                name,
                tablet_type: check_name(&mut errors, "tablet_type", &self.tablet_type, MAX_NAME_CHARS, true),
                ppd: check_whole(&mut errors, "ppd", &self.ppd, 1, MAX_PACK, None),
                tpp: check_whole(&mut errors, "tpp", &self.tpp, 1, MAX_PACK, None),
            },
            RefKind::Machines => RefInput::Machine {
                name,
                cards_per_turn: (!self.cards_per_turn.trim().is_empty()).then(|| {
                    check_whole(&mut errors, "cards_per_turn", &self.cards_per_turn, 1, MAX_CARDS_PER_TURN, None)
                }),
            },
        };
        if errors.is_empty() {
            Ok(input)
        } else {
            Err(errors)
        }
    }
}

/// A reference row's checked values; `category` and `tablet_type` are names of other rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefInput {
    Category {
        name: String,
        position: i64,
    },
    TabletType {
        name: String,
        inventory_item: String,
        category: Option<String>,
    },
    Product {
        name: String,
        tablet_type: String,
        ppd: i64,
        tpp: i64,
    },
    /// `cards_per_turn` empty: the warehouse setting's.
    Machine {
        name: String,
        cards_per_turn: Option<i64>,
    },
}

impl RefInput {
    pub fn kind(&self) -> RefKind {
        match self {
            RefInput::Category { .. } => RefKind::Categories,
            RefInput::TabletType { .. } => RefKind::TabletTypes,
            RefInput::Product { .. } => RefKind::Products,
            RefInput::Machine { .. } => RefKind::Machines,
        }
    }

    /// The values as a form shows them.
    pub fn to_form(&self) -> RefForm {
        let mut form = RefForm { name: self.name().to_string(), ..Default::default() };
        match self {
            RefInput::Category { position, .. } => form.position = position.to_string(),
            RefInput::TabletType { inventory_item, category, .. } => {
                form.inventory_item = inventory_item.clone();
                form.category = category.clone().unwrap_or_default();
            }
            RefInput::Product { tablet_type, ppd, tpp, .. } => {
                form.tablet_type = tablet_type.clone();
                form.ppd = ppd.to_string();
                form.tpp = tpp.to_string();
            }
            RefInput::Machine { cards_per_turn, .. } => {
                form.cards_per_turn = cards_per_turn.map(|c| c.to_string()).unwrap_or_default()
            }
        }
        form
    }

    pub fn name(&self) -> &str {
        match self {
            RefInput::Category { name, .. }
            | RefInput::TabletType { name, .. }
            | RefInput::Product { name, .. }
            | RefInput::Machine { name, .. } => name,
        }
    }
}

/// A stored reference row, its values as its form shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefRow {
    pub id: i64,
    pub values: RefForm,
    pub archived: bool,
    pub updated_at: Timestamp,
}

/// A list of reference rows (they are few: the list shows up to `LIST_LIMIT`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefList {
    pub rows: Vec<RefRow>,
    /// More rows matched than the list shows.
    pub more: bool,
}

/// The most rows a reference list shows at once; a search narrows it.
pub const LIST_LIMIT: i64 = 500;

#[cfg(test)]
mod tests;
