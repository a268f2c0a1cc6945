//! The 404 page (answers HTTP 404 when rendered on the server).
use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::error_view::ErrorView;
use crate::error::AppError;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <Title text="Not found"/>
        <ErrorView error=AppError::NotFound/>
    }
}
