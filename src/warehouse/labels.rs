//! A receive's label sheet: one label per bag with its name, tablet type, label count and a
//! QR code of its name (drawn by the `qrcode` crate as SVG, inlined by the page). A receive
//! without a PO has no labels yet: a bag's name starts with its PO's number.
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

use super::receiving::receive_detail;
use super::{WarehouseError, WarehouseResult};
use crate::db::engine::Db;
use crate::model::warehouse::receive_views::{Label, LabelSheet};

/// The SVG of a QR code of `text`, without the XML prologue (it sits inside the page). Level
/// M survives a scuffed label and keeps a 30-character name at 29 × 29 modules.
pub fn qr_svg(text: &str) -> WarehouseResult<String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).map_err(|e| {
        tracing::warn!(error = %e, "a label's name did not fit a QR code");
        WarehouseError::Conflict("A bag's name is too long for its QR code.".into())
    })?;
    let image = code.render::<svg::Color<'_>>().quiet_zone(true).module_dimensions(4, 4).build();
    Ok(image.find("<svg").map(|start| image[start..].to_string()).unwrap_or(image))
}

/// Receive `id`'s labels, in box and bag order.
pub async fn label_sheet(db: &Db, id: i64) -> WarehouseResult<LabelSheet> {
    let receive = receive_detail(db, id).await?;
    let (Some(name), Some(po)) = (receive.name.clone(), receive.po.clone()) else {
        return Err(WarehouseError::Conflict(
            "This receive has no PO yet: a manager assigns one, then its labels can be printed.".into(),
        ));
    };
    let labels = receive
        .bags
        .into_iter()
        .map(|bag| {
            let name = bag.name.unwrap_or_default();
            Ok(Label { qr_svg: qr_svg(&name)?, name, tablet_type: bag.tablet_type, label_count: bag.label_count })
        })
        .collect::<WarehouseResult<Vec<_>>>()?;
    Ok(LabelSheet { receive_id: id, receive_name: name, po, received_on: receive.received_on, labels })
}
