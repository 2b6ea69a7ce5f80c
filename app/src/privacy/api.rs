//! `/account/data`'s server function. The JSON download is a plain HTTP route of the server
//! (`server/src/my_data.rs`), because a browser saves it as a file.

use crate::errors::AppError;
use crate::privacy::views::MyDataOverview;
use leptos::prelude::*;

#[server(endpoint = "account/data")]
pub async fn my_data() -> Result<MyDataOverview, AppError> {
    use crate::identity::web::{identity, logged_in};
    use crate::request::with_status;
    let account = logged_in("/account/data").await?;
    let identity = identity()?;
    let applications = crate::request::service::<crate::services::service::Applications>()?;
    crate::privacy::export::overview(&identity.db, &applications.catalogue, account.id).await.map_err(|e| with_status(e.into()))
}

/// Closes the logged-in citizen's account (`/account/close`): the box ticked and the password
/// typed. The browser is logged out and sent to the login page, which says it was closed.
#[server(endpoint = "account/close")]
pub async fn close_account(current_password: String, understood: Option<String>) -> Result<(), AppError> {
    use crate::errors::Problem;
    use crate::identity::web::{identity, logged_in};
    use crate::request::{clear_session_cookie, client_ip, with_status};
    let account = logged_in("/account/close").await?;
    if understood.is_none() {
        return Err(with_status(AppError::field("understood", Problem::Required)));
    }
    crate::privacy::closing::close(&identity()?, &account, &current_password, &client_ip()).await.map_err(with_status)?;
    clear_session_cookie();
    leptos_axum::redirect("/login?closed=1");
    Ok(())
}
