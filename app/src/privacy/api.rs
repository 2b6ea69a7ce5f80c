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
    crate::privacy::export::overview(&identity.db, &applications.catalogue, account.id, identity.now()).await.map_err(|e| with_status(e.into()))
}
