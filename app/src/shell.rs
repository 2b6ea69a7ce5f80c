//! The HTML document every page is rendered into, and the routes of the site.

use crate::components::layout::Layout;
use crate::islands::loader::IslandScripts;
use crate::i18n::I18nContextProvider;
use crate::pages::dashboard::DashboardPage;
use crate::pages::forgot_password::{ForgotCodePage, ForgotMethodPage, ForgotPasswordPage, NewPasswordPage};
use crate::pages::login::{LoginCodePage, LoginMethodPage, LoginPage};
use crate::pages::register::{RegisterDetailsPage, RegisterPage};
use crate::pages::admin::AdminPage;
use crate::pages::admin_claims::AdminClaimsPage;
use crate::pages::admin_messages::AdminMessagesPage;
use crate::pages::admin_registers::AdminRegistersPage;
use crate::pages::account::{AccountPage, AccountSessionsPage};
use crate::pages::notifications::NotificationsPage;
use crate::pages::account_contact::{ContactConfirmPage, EmailChangePage, PhoneChangePage};
use crate::pages::account_security::{AccountActivityPage, AccountSecurityPage, AuthenticatorSetupPage};
use crate::pages::close_account::CloseAccountPage;
use crate::pages::my_data::MyDataPage;
use crate::pages::status::StatusPage;
use crate::pages::admin_status::AdminStatusPage;
use crate::pages::admin_payments::AdminPaymentsPage;
use crate::pages::applications::{ApplicationPage, MyApplicationsPage};
use crate::pages::apply::{ApplyPage, CorrectPage};
use crate::pages::officer::{OfficerApplicationPage, OfficerQueuePage};
use crate::pages::services::{CataloguePage, ServicePage};
use crate::pages::pay::PayPageView;
use crate::pages::performance::PerformancePage;
use crate::pages::documents::{MyDocumentsPage, VerifyDocumentPage};
use crate::pages::vehicles::{MyVehiclesPage, TransferPage, VehiclePage};
use crate::pages::receipts::{PaymentsPage, ReceiptPage, VerifyPage};
use crate::pages::too_many::TooManyAttemptsPage;
use crate::pages::help::HelpPage;
use crate::pages::support::{SupportDeskPage, SupportDeskTicketPage, SupportPage, SupportTicketPage};
use crate::pages::{home::HomePage, not_found::NotFoundPage, offline::OfflinePage};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

/// Brand green, also the browser's address-bar colour on Android.
pub const THEME_COLOR: &str = "#00683a";

/// Links and forms without full page loads once the first page is in (see the file).
const NAVIGATION_SCRIPT: &str = include_str!("navigation.js");
/// Draft steps typed without a connection, kept on the phone and sent later (see the file).
const OFFLINE_DRAFTS_SCRIPT: &str = include_str!("offline_drafts.js");

/// The document around the app. `lang` and `dir` on `<html>` are set by the i18n provider.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    // Every inline script below, and those Leptos writes, carry the nonce the
    // Content-Security-Policy header names (see crate::content_security).
    #[cfg(feature = "ssr")]
    crate::content_security::adopt_request_nonce();
    let nonce = leptos::nonce::use_nonce;
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content=THEME_COLOR />
                <link rel="manifest" href="/manifest.webmanifest" />
                <link rel="icon" href="/icons/favicon.svg" type="image/svg+xml" />
                <link rel="apple-touch-icon" href="/icons/apple-touch-icon.png" />
                // Marks the page as script-capable before the first paint, so the phone menu
                // starts collapsed without a layout jump (progressive enhancement, as GOV.UK does).
                <script nonce=nonce()>"document.documentElement.classList.add('js')"</script>
                <AutoReload options=options.clone() />
                // Islands: the page is rendered whole here; only `#[island]` components
                // (crate::islands) load WASM, and only on a page that has one. Page-to-page
                // moves swap the HTML in place.
                <IslandScripts />
                <script nonce=nonce() inner_html=NAVIGATION_SCRIPT></script>
                <script nonce=nonce() inner_html=OFFLINE_DRAFTS_SCRIPT></script>
                <HashedStylesheet options=options.clone() id="leptos" />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Every route renders with `SsrMode::Async`: the server waits for the page's data and sends
/// it whole in the first HTML. Out-of-order streaming would put the content of a page that
/// loads data (registration's second step, login's code step, ...) in a `<template>` at the
/// end of the stream, which only a script moves into place: blank with JavaScript off, or
/// on a slow phone until the WASM arrives. `server/tests/first_html.rs` holds every route to it.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();

    view! {
        <I18nContextProvider>
            <Router>
                <Layout>
                    <Routes fallback=NotFoundPage>
                        <Route path=path!("") view=HomePage ssr=SsrMode::Async />
                        <Route path=path!("/offline") view=OfflinePage ssr=SsrMode::Async />
                        <Route path=path!("/register") view=RegisterPage ssr=SsrMode::Async />
                        <Route path=path!("/register/details") view=RegisterDetailsPage ssr=SsrMode::Async />
                        <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                        <Route path=path!("/login/method") view=LoginMethodPage ssr=SsrMode::Async />
                        <Route path=path!("/login/code") view=LoginCodePage ssr=SsrMode::Async />
                        <Route path=path!("/forgot-password") view=ForgotPasswordPage ssr=SsrMode::Async />
                        <Route path=path!("/forgot-password/method") view=ForgotMethodPage ssr=SsrMode::Async />
                        <Route path=path!("/forgot-password/code") view=ForgotCodePage ssr=SsrMode::Async />
                        <Route path=path!("/forgot-password/new-password") view=NewPasswordPage ssr=SsrMode::Async />
                        <Route path=path!("/dashboard") view=DashboardPage ssr=SsrMode::Async />
                        <Route path=path!("/too-many-attempts") view=TooManyAttemptsPage ssr=SsrMode::Async />
                        <Route path=path!("/services") view=CataloguePage ssr=SsrMode::Async />
                        <Route path=path!("/services/:slug") view=ServicePage ssr=SsrMode::Async />
                        <Route path=path!("/services/:slug/apply") view=ApplyPage ssr=SsrMode::Async />
                        <Route path=path!("/applications") view=MyApplicationsPage ssr=SsrMode::Async />
                        <Route path=path!("/applications/:reference") view=ApplicationPage ssr=SsrMode::Async />
                        <Route path=path!("/applications/:reference/edit") view=CorrectPage ssr=SsrMode::Async />
                        <Route path=path!("/officer") view=OfficerQueuePage ssr=SsrMode::Async />
                        <Route path=path!("/officer/applications/:reference") view=OfficerApplicationPage ssr=SsrMode::Async />
                        <Route path=path!("/admin") view=AdminPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/claims") view=AdminClaimsPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/messages") view=AdminMessagesPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/registers") view=AdminRegistersPage ssr=SsrMode::Async />
                        <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async />
                        <Route path=path!("/notifications") view=NotificationsPage ssr=SsrMode::Async />
                        <Route path=path!("/status") view=StatusPage ssr=SsrMode::Async />
                        <Route path=path!("/performance") view=PerformancePage ssr=SsrMode::Async />
                        <Route path=path!("/admin/status") view=AdminStatusPage ssr=SsrMode::Async />
                        <Route path=path!("/account/sessions") view=AccountSessionsPage ssr=SsrMode::Async />
                        <Route path=path!("/account/security") view=AccountSecurityPage ssr=SsrMode::Async />
                        <Route path=path!("/account/security/authenticator") view=AuthenticatorSetupPage ssr=SsrMode::Async />
                        <Route path=path!("/account/activity") view=AccountActivityPage ssr=SsrMode::Async />
                        <Route path=path!("/account/data") view=MyDataPage ssr=SsrMode::Async />
                        <Route path=path!("/account/close") view=CloseAccountPage ssr=SsrMode::Async />
                        <Route path=path!("/account/email") view=EmailChangePage ssr=SsrMode::Async />
                        <Route path=path!("/account/phone") view=PhoneChangePage ssr=SsrMode::Async />
                        <Route path=path!("/account/contact/confirm") view=ContactConfirmPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/payments") view=AdminPaymentsPage ssr=SsrMode::Async />
                        <Route path=path!("/applications/:reference/pay") view=PayPageView ssr=SsrMode::Async />
                        <Route path=path!("/payments") view=PaymentsPage ssr=SsrMode::Async />
                        <Route path=path!("/receipts/:number") view=ReceiptPage ssr=SsrMode::Async />
                        <Route path=path!("/verify/document") view=VerifyDocumentPage ssr=SsrMode::Async />
                        <Route path=path!("/verify/:code") view=VerifyPage ssr=SsrMode::Async />
                        <Route path=path!("/my-documents") view=MyDocumentsPage ssr=SsrMode::Async />
                        <Route path=path!("/my-vehicles") view=MyVehiclesPage ssr=SsrMode::Async />
                        <Route path=path!("/my-vehicles/:registration") view=VehiclePage ssr=SsrMode::Async />
                        <Route path=path!("/transfers/:reference") view=TransferPage ssr=SsrMode::Async />
                        <Route path=path!("/help") view=HelpPage ssr=SsrMode::Async />
                        <Route path=path!("/support") view=SupportPage ssr=SsrMode::Async />
                        <Route path=path!("/support/:reference") view=SupportTicketPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/support") view=SupportDeskPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/support/:reference") view=SupportDeskTicketPage ssr=SsrMode::Async />
                        <Route path=path!("/officer/support") view=SupportDeskPage ssr=SsrMode::Async />
                        <Route path=path!("/officer/support/:reference") view=SupportDeskTicketPage ssr=SsrMode::Async />
                    </Routes>
                </Layout>
            </Router>
        </I18nContextProvider>
    }
}
