//! The fields of reference rows besides their names: how each is named in forms and CSV files,
//! labelled, hinted, and whether it names another row.
/// A field of a reference row besides its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefField {
    Position,
    InventoryItem,
    Category,
    TabletType,
    Ppd,
    Tpp,
    CardsPerTurn,
}

impl RefField {
    /// Its name in the form and in CSV files.
    pub fn name(self) -> &'static str {
        match self {
            RefField::Position => "position",
            RefField::InventoryItem => "inventory_item",
            RefField::Category => "category",
            RefField::TabletType => "tablet_type",
            RefField::Ppd => "ppd",
            RefField::Tpp => "tpp",
            RefField::CardsPerTurn => "cards_per_turn",
        }
    }

    /// Its input's name in a posted form: `form[ppd]`.
    pub fn form_name(self) -> &'static str {
        match self {
            RefField::Position => "form[position]",
            RefField::InventoryItem => "form[inventory_item]",
            RefField::Category => "form[category]",
            RefField::TabletType => "form[tablet_type]",
            RefField::Ppd => "form[ppd]",
            RefField::Tpp => "form[tpp]",
            RefField::CardsPerTurn => "form[cards_per_turn]",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RefField::Position => "Position",
            RefField::InventoryItem => "Inventory item",
            RefField::Category => "Category",
            RefField::TabletType => "Tablet type",
            RefField::Ppd => "Packages per display",
            RefField::Tpp => "Tablets per package",
            RefField::CardsPerTurn => "Cards per turn",
        }
    }

    /// Whether the form needs it (the others have a default or may be left empty).
    pub fn required(self) -> bool {
        matches!(self, RefField::InventoryItem | RefField::TabletType | RefField::Ppd | RefField::Tpp)
    }

    /// The hint under its input.
    pub fn hint(self) -> &'static str {
        match self {
            RefField::Position => "Lists show categories by position; 0 when left empty",
            RefField::InventoryItem => "The item id purchase orders use, e.g. INV-7OH-18",
            RefField::Category => "",
            RefField::TabletType => "",
            RefField::Ppd => "How many packages one display holds, e.g. 20",
            RefField::Tpp => "How many tablets one package holds, e.g. 4",
            RefField::CardsPerTurn => "Blister cards one turn makes; empty: the warehouse setting's",
        }
    }

    /// Whether it holds a whole number (right-aligned in tables).
    pub fn numeric(self) -> bool {
        matches!(self, RefField::Position | RefField::Ppd | RefField::Tpp | RefField::CardsPerTurn)
    }
}
