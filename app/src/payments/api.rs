//! The payment server functions: thin over `Payments`; every rule lives there.

use crate::errors::AppError;
use crate::payments::views::{MoneyNeedingAttention, PayPage, PaymentView, ReceiptView, VerifiedReceipt};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::request::with_status;
#[cfg(feature = "ssr")]
use crate::payments::service::Payments;
#[cfg(feature = "ssr")]
use crate::identity::web::logged_in;

#[cfg(feature = "ssr")]
fn payments() -> Result<Payments, AppError> {
    crate::request::service::<Payments>()
}

#[cfg(feature = "ssr")]
fn pay_href(reference: &str, payment: i64) -> String {
    format!("/applications/{}/pay?payment={payment}", reference.trim())
}

#[server(endpoint = "pay/page")]
pub async fn payment_overview(reference: String, payment: Option<i64>) -> Result<PayPage, AppError> {
    let citizen = logged_in(&format!("/applications/{reference}/pay")).await?;
    payments()?.pay_page(&citizen, &reference, payment).await.map_err(with_status)
}

#[server(endpoint = "pay/mpesa")]
pub async fn pay_with_mpesa(reference: String, phone: String, attempt_key: String) -> Result<(), AppError> {
    let citizen = logged_in(&format!("/applications/{reference}/pay")).await?;
    let id = payments()?.pay_mpesa(&citizen, &reference, &phone, &attempt_key).await.map_err(with_status)?;
    leptos_axum::redirect(&pay_href(&reference, id));
    Ok(())
}

#[server(endpoint = "pay/card")]
pub async fn pay_with_card(reference: String, card_number: String, expiry: String, cvc: String, attempt_key: String) -> Result<(), AppError> {
    let citizen = logged_in(&format!("/applications/{reference}/pay")).await?;
    let id = payments()?.pay_card(&citizen, &reference, &card_number, &expiry, &cvc, &attempt_key).await.map_err(with_status)?;
    leptos_axum::redirect(&pay_href(&reference, id));
    Ok(())
}

/// The state of one attempt ("pending", "succeeded", "failed", ...): what the pay page's
/// live status asks every few seconds, kept this small because a phone pays for each answer.
#[server(endpoint = "pay/status")]
pub async fn payment_status(reference: String, payment: i64) -> Result<String, AppError> {
    let citizen = logged_in(&format!("/applications/{reference}/pay")).await?;
    payments()?.attempt_status(&citizen, &reference, payment).await.map_err(with_status)
}

/// "I have paid: check again".
#[server(endpoint = "pay/check")]
pub async fn check_payment(reference: String, payment: i64) -> Result<(), AppError> {
    let citizen = logged_in(&format!("/applications/{reference}/pay")).await?;
    payments()?.check_now(&citizen, &reference, payment).await.map_err(with_status)?;
    leptos_axum::redirect(&pay_href(&reference, payment));
    Ok(())
}

#[server(endpoint = "payments")]
pub async fn my_payments() -> Result<Vec<PaymentView>, AppError> {
    let citizen = logged_in("/payments").await?;
    payments()?.history(&citizen).await.map_err(with_status)
}

#[server(endpoint = "receipt")]
pub async fn receipt(number: String) -> Result<ReceiptView, AppError> {
    let citizen = logged_in(&format!("/receipts/{number}")).await?;
    payments()?.receipt(&citizen, &number).await.map_err(with_status)
}

/// Public: whether a receipt's verification code is genuine.
#[server(endpoint = "verify")]
pub async fn verify_receipt(code: String) -> Result<Option<VerifiedReceipt>, AppError> {
    let found = payments()?.verify(&code).await.map_err(with_status)?;
    if found.is_none() {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(http::StatusCode::NOT_FOUND);
        }
    }
    Ok(found)
}

/// Money that could not settle an invoice, for admins only.
#[server(endpoint = "admin/payments")]
pub async fn payments_needing_attention() -> Result<Vec<MoneyNeedingAttention>, AppError> {
    let admin = logged_in("/admin/payments").await?;
    payments()?.needing_attention(&admin).await.map_err(with_status)
}
