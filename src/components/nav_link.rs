//! A link of the top bar that marks itself as the current page.
use leptos::prelude::*;

/// Whether the location `here` is the page at `href` or (unless `exact`) a page under it.
pub fn is_current(here: &str, href: &str, exact: bool) -> bool {
    here == href || (!exact && here.strip_prefix(href).is_some_and(|rest| rest.starts_with('/')))
}

/// `<a href>` with `aria-current="page"` while `path` (the location's path) is at or under `href`.
/// Not the router's `<A>`: that looks the router up while it renders, and when a client went away
/// before its page was done, the page's unfinished parts still rendered without a router and
/// panicked. A disposed `path` only leaves the mark off. Once hydrated, the router still takes the
/// link's clicks.
#[component]
pub fn NavLink(
    href: &'static str,
    path: Signal<String>,
    #[prop(optional)] exact: bool,
    children: Children,
) -> impl IntoView {
    let current = move || path.try_with(|here| is_current(here, href, exact)).unwrap_or(false).then_some("page");
    view! { <a href=href aria-current=current>{children()}</a> }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn a_section_is_current_on_its_own_pages_only() {
        assert!(is_current("/sites", "/sites", false));
        assert!(is_current("/sites/site-00042", "/sites", false));
        assert!(!is_current("/sitesx", "/sites", false));
        assert!(!is_current("/sites", "/", true));
        assert!(is_current("/", "/", true));
    }

    #[test]
    fn it_renders_outside_a_router_and_after_its_path_is_gone() {
        let owner = Owner::new();
        owner.with(|| {
            let path = Signal::from(RwSignal::new("/devices/pos-terminal-000001".to_string()));
            let html = view! { <NavLink href="/devices" path>"Devices"</NavLink> }.to_html();
            assert!(html.contains(r#"href="/devices" aria-current="page""#), "{html}");
            let gone = Owner::new();
            let dropped = gone.with(|| Signal::from(RwSignal::new("/devices".to_string())));
            gone.unset();
            let html = view! { <NavLink href="/devices" path=dropped>"Devices"</NavLink> }.to_html();
            assert!(html.contains(r#"href="/devices""#) && !html.contains("aria-current"), "{html}");
        });
    }
}
