//! A receive as its pages show it: the header with its name, its bags box by box, the list's
//! rows, and the label sheet.
use serde::{Deserialize, Serialize};

use super::receiving::ReceiveStatus;
use crate::model::platform::time::Timestamp;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BagView {
    pub id: i64,
    pub box_no: i64,
    pub bag_no: i64,
    /// `None` while the receive has no PO: a bag's name starts with its PO's number.
    pub name: Option<String>,
    pub tablet_type: String,
    pub label_count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiveDetail {
    pub id: i64,
    /// `<PO>-<n>`; `None` while no PO is assigned.
    pub name: Option<String>,
    pub po: Option<String>,
    /// The PO's tablet type, which new bags take unless another is chosen.
    pub po_tablet_type: Option<String>,
    pub shipment_ref: String,
    pub received_on: String,
    pub received_by: String,
    pub notes: String,
    pub status: ReceiveStatus,
    pub bags: Vec<BagView>,
    pub created_by: String,
    pub created_at: Timestamp,
}

impl ReceiveDetail {
    /// What the page calls this receive: its name, or its number while it has no PO.
    pub fn title(&self) -> String {
        self.name.clone().unwrap_or_else(|| format!("Receive {} (no PO yet)", self.id))
    }

    /// The box new bags go into: the last bag's.
    pub fn last_box(&self) -> i64 {
        self.bags.last().map(|b| b.box_no).unwrap_or(1)
    }

    /// The tablet type new bags take: the last bag's, else the PO's.
    pub fn last_tablet_type(&self) -> Option<String> {
        self.bags.last().map(|b| b.tablet_type.clone()).or_else(|| self.po_tablet_type.clone())
    }

    /// Σ label counts over the bags.
    pub fn label_total(&self) -> i64 {
        self.bags.iter().map(|b| b.label_count).sum()
    }

    /// Boxes in order, each with its bags' count and label total.
    pub fn boxes(&self) -> Vec<(i64, usize, i64)> {
        let mut boxes: Vec<(i64, usize, i64)> = Vec::new();
        for bag in &self.bags {
            match boxes.last_mut() {
                Some(last) if last.0 == bag.box_no => {
                    last.1 += 1;
                    last.2 += bag.label_count;
                }
                _ => boxes.push((bag.box_no, 1, bag.label_count)),
            }
        }
        boxes
    }
}

/// A receive in a list (the receives page, a PO's page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiveListRow {
    pub id: i64,
    pub name: Option<String>,
    pub po: Option<String>,
    pub shipment_ref: String,
    pub received_on: String,
    pub received_by: String,
    pub status: ReceiveStatus,
    pub bags: i64,
    pub label_total: i64,
}

/// What the receives list shows: a status, a PO number or shipment containing `q`, and the
/// keyset position to start after (`received_on.id` of the last row of the page before).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReceiveFilter {
    pub status: String,
    pub q: String,
    pub after: String,
}

/// Receives per page of the list.
pub const RECEIVE_PAGE: i64 = 50;

/// One label: the bag's name, its tablet type and label count, and a QR code of the name as
/// an SVG document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    pub name: String,
    pub tablet_type: String,
    pub label_count: i64,
    pub qr_svg: String,
}

/// A receive's labels, one per bag, in box and bag order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelSheet {
    pub receive_id: i64,
    pub receive_name: String,
    pub po: String,
    pub received_on: String,
    pub labels: Vec<Label>,
}
