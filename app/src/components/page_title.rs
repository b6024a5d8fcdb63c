//! The browser tab names the page, from its heading, and a link's new page takes the focus to
//! its heading, so that someone using a screen reader hears where the link led.
//!
//! The app changes pages without loading a new document, so the browser neither renames the tab
//! nor tells assistive technology that anything happened; both are done here, in one place,
//! for every page. The title follows the NHS pattern: "Heading – context – SPIP Innovators",
//! with "Error: " first while the page shows an error summary.

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::*;
use leptos_router::hooks::use_location;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

const SERVICE: &str = "SPIP Innovators";

/// Whether the page shows a problem with what was typed or pressed on it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Errors {
    Shown,
    NotShown,
}

/// How long after a change of page its heading may still take the focus: a page reads its data
/// from the device in well under this; past it, the person may be using the page already.
const ARRIVING_MS: f64 = 2000.0;

/// The tab's title for a page whose heading is `heading`, under the caption `caption` (the
/// cohort, project or section a heading such as "Overview" belongs to). No heading yet (a page
/// still reading the device's data) gives the service's name.
fn title_for(heading: Option<&str>, caption: Option<&str>, errors: Errors) -> String {
    let parts: Vec<&str> = [heading, caption, Some(SERVICE)]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect();
    let title = parts.join(" – ");
    match errors {
        Errors::Shown => format!("Error: {title}"),
        Errors::NotShown => title,
    }
}

/// Milliseconds since the page was opened.
fn now_ms() -> f64 {
    web_sys::window().and_then(|window| window.performance()).map_or(0.0, |p| p.now())
}

/// Keeps the tab's title on the page's heading, and moves the focus to the heading when the
/// address changes to another page. Renders nothing.
#[component]
pub fn PageTitle() -> impl IntoView {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    // When another page was drawn, until its heading has taken the focus (or the moment passed).
    let arrived = Rc::new(Cell::new(None::<f64>));
    let follow = {
        let (document, arrived) = (document.clone(), arrived.clone());
        move || follow_page(&document, &arrived)
    };
    // Headings are drawn when a page has read its data, often after the address has changed,
    // and some change with what is typed (a PDSA cycle's title); an error summary comes and
    // goes: so the page is watched. The whole body, as the main part of the page is not yet
    // drawn when this runs.
    let on_change = Closure::<dyn FnMut()>::new(follow.clone());
    if let (Ok(observer), Some(body)) =
        (web_sys::MutationObserver::new(on_change.as_ref().unchecked_ref()), document.body())
    {
        let options = web_sys::MutationObserverInit::new();
        options.set_child_list(true);
        options.set_subtree(true);
        options.set_character_data(true);
        let _ = observer.observe_with_options(&body, &options);
    }
    // The observer lives as long as the page does, as the app does.
    on_change.forget();

    let pathname = use_location().pathname;
    Effect::new(move |before: Option<()>| {
        pathname.track();
        let (arrived, follow) = (arrived.clone(), follow.clone());
        // The router puts the new page in place in a task of its own, after the address has
        // changed: by the next frame it is there, and the old page's heading is gone. (The page
        // the app opens on is announced by the browser itself.)
        let opened = before.is_none();
        request_animation_frame(move || {
            if !opened {
                arrived.set(Some(now_ms()));
            }
            follow();
        });
    });
}

/// Names the tab after the page's heading and, just after a change of page, gives the heading
/// the focus, unless the page has put the focus somewhere itself (a field, an error summary).
fn follow_page(document: &web_sys::Document, arrived: &Cell<Option<f64>>) {
    let heading = document.query_selector("#maincontent h1").ok().flatten();
    let caption = heading
        .as_ref()
        .and_then(web_sys::Element::previous_element_sibling)
        .filter(|before| before.class_list().contains("nhsuk-caption-l"));
    // Changes the server refused, listed on every page until dealt with, are not this page's.
    let errors =
        match document.query_selector("#maincontent .nhsuk-error-summary:not(.spip-refused)") {
            Ok(Some(_)) => Errors::Shown,
            _ => Errors::NotShown,
        };
    let title = title_for(
        heading.as_ref().and_then(|h| h.text_content()).as_deref(),
        caption.as_ref().and_then(|c| c.text_content()).as_deref(),
        errors,
    );
    if document.title() != title {
        document.set_title(&title);
    }
    let Some(at) = arrived.get() else { return };
    if now_ms() - at > ARRIVING_MS {
        arrived.set(None);
        return;
    }
    let Some(heading) = heading.and_then(|h| h.dyn_into::<web_sys::HtmlElement>().ok()) else {
        return;
    };
    arrived.set(None);
    // The link that was followed has gone with its page (the focus is on the body), or it
    // stays in the header: either way nothing on the new page holds the focus yet.
    let unclaimed = document.active_element().is_none_or(|active| {
        active.tag_name() == "BODY" || active.dyn_ref::<web_sys::HtmlAnchorElement>().is_some()
    });
    if unclaimed {
        let _ = heading.set_attribute("tabindex", "-1");
        // Where the page is scrolled to is the router's and the browser's to say (back to a
        // long list, it is where the person left it): the focus moves without scrolling.
        let options = web_sys::FocusOptions::new();
        options.set_prevent_scroll(true);
        let _ = heading.focus_with_options(&options);
    }
}
