//! The citizen's payment history, their receipts, and verifying a receipt by its code (anyone).

use super::*;

impl Payments {
    pub async fn history(&self, citizen: &Account) -> Result<Vec<PaymentView>, AppError> {
        let rows = store::for_account(self.db.pool(), citizen.id).await?;
        Ok(rows
            .into_iter()
            .map(|(payment, reference, service_slug, receipt_number)| self.view_of(&payment, reference, &service_slug, receipt_number))
            .collect())
    }

    /// A receipt, for the citizen who paid it.
    pub async fn receipt(&self, citizen: &Account, number: &str) -> Result<ReceiptView, AppError> {
        let receipt = store::receipt_by_text(self.db.pool(), ReceiptKey::Number, number.trim()).await?.ok_or(AppError::NotFound)?;
        let invoice = invoices::find(self.db.pool(), receipt.invoice_id).await?.ok_or(AppError::NotFound)?;
        let row = applications_store::find_by_id(self.db.pool(), invoice.application_id).await?.filter(|r| r.account_id == citizen.id).ok_or(AppError::NotFound)?;
        let payment = store::find(self.db.pool(), receipt.payment_id).await?.ok_or(AppError::NotFound)?;
        let verify_url = format!("{}/verify/{}", self.applications.public_base_url.trim_end_matches('/'), receipt.verify_code);
        Ok(ReceiptView {
            number: receipt.number,
            reference: row.reference.unwrap_or_default(),
            service_name: self.applications.catalogue.service(&row.service_slug).map(|s| s.name.clone()).unwrap_or_default(),
            payer_name: citizen.full_name(),
            service_fee_cents: invoice.service_fee_cents,
            convenience_fee_cents: invoice.convenience_fee_cents,
            total_cents: invoice.total_cents,
            paid_with: paid_with(&payment),
            paid_at: receipt.created_at,
            qr_svg: qr_svg(&verify_url),
            verify_url,
        })
    }

    /// `/verify/<code>`: anyone can confirm a receipt is genuine; only non-sensitive facts.
    pub async fn verify(&self, code: &str) -> Result<Option<VerifiedReceipt>, AppError> {
        let code = code.trim().to_ascii_uppercase();
        if code.len() != 16 {
            return Ok(None);
        }
        let Some(receipt) = store::receipt_by_text(self.db.pool(), ReceiptKey::VerifyCode, &code).await? else { return Ok(None) };
        let Some(invoice) = invoices::find(self.db.pool(), receipt.invoice_id).await? else { return Ok(None) };
        let Some(row) = applications_store::find_by_id(self.db.pool(), invoice.application_id).await? else { return Ok(None) };
        let account = accounts::find_by_id(self.db.pool(), row.account_id).await?;
        Ok(Some(VerifiedReceipt {
            number: receipt.number,
            service_name: self.applications.catalogue.service(&row.service_slug).map(|s| s.name.clone()).unwrap_or_default(),
            total_cents: invoice.total_cents,
            paid_at: receipt.created_at,
            masked_name: account.map(|a| mask_name(&a.first_name, &a.surname)).unwrap_or_default(),
        }))
    }
}
