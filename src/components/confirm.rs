//! Asking before a change, without JavaScript: a link adds `confirm=<what>` to the page's URL,
//! and the page then shows the question, what will happen, the form that does it and a way back.
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Whether the URL asks to confirm `what` (`?confirm=archive`).
pub fn use_confirming(what: &'static str) -> Memo<bool> {
    let params = use_query_map();
    Memo::new(move |_| params.try_with(|p| p.get("confirm").as_deref() == Some(what)).unwrap_or(false))
}

/// The link that asks: `page?confirm=<what>`, landing on the question.
pub fn confirm_href(page: &str, what: &str) -> String {
    format!("{page}?confirm={what}#confirm-{what}")
}

/// The question, its consequence, the form that does it (`children`) and "Cancel" back to `page`.
#[component]
pub fn ConfirmStep(
    what: &'static str,
    question: String,
    detail: String,
    page: String,
    children: Children,
) -> impl IntoView {
    let id = format!("confirm-{what}");
    let title = format!("{id}-title");
    view! {
        <section class="confirm" id=id role="alertdialog" aria-labelledby=title.clone()>
            <h2 id=title.clone()>{question}</h2>
            <p>{detail}</p>
            <div class="actions">
                {children()}
                <a class="button-link" href=page>"Cancel"</a>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_question_is_a_link_to_the_same_page() {
        assert_eq!(super::confirm_href("/sites/s-1", "archive"), "/sites/s-1?confirm=archive#confirm-archive");
    }
}
