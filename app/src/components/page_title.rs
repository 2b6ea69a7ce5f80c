use leptos::prelude::*;
use leptos_meta::{Meta, Title};

/// The browser tab title ("Page – Raia") and the page description for search results.
#[component]
pub fn PageTitle(#[prop(into)] title: String, #[prop(optional)] description: Option<&'static str>) -> impl IntoView {
    view! {
        <Title text=format!("{title} – Raia") />
        {description.map(|content| view! { <Meta name="description" content=content /> })}
    }
}
