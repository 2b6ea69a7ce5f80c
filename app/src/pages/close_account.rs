//! `/account/close`: closing the account, after saying plainly what goes and what the law
//! makes Raia keep. A plain form (its password field's "show" button is the only island).

use crate::components::forms::{ErrorSummary, Field, FormProblems, HintAndError, SubmitButton};
use crate::components::page_signals::loaded;
use crate::components::page_title::PageTitle;
use crate::i18n::{t, t_string, use_i18n};
use crate::identity::api::my_account;
use crate::privacy::api::CloseAccount;
use leptos::prelude::*;

#[component]
pub fn CloseAccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let close = ServerAction::<CloseAccount>::new();
    let problems = FormProblems::new(close);
    // Only to ask anonymous visitors to log in first.
    let account = Resource::new_blocking(|| (), |_| my_account());
    view! {
        <PageTitle title=t_string!(i18n, close_account.title) />
        <p><a href="/account/data">{t!(i18n, close_account.back)}</a></p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                if loaded(account).await.is_err() {
                    return ().into_any();
                }
                view! {
                    <div class="narrow">
                        <ErrorSummary problems />
                        <h1>{t!(i18n, close_account.title)}</h1>
                        <h2>{t!(i18n, close_account.goes_title)}</h2>
                        <p>{t!(i18n, close_account.goes)}</p>
                        <h2>{t!(i18n, close_account.stays_title)}</h2>
                        <p>{t!(i18n, close_account.stays)}</p>
                        <p>{t!(i18n, close_account.first)}</p>
                        <p>{t!(i18n, close_account.again)}</p>
                        <ActionForm action=close>
                            <div class="form-group" class:form-group--error=move || problems.for_field("understood").is_some()>
                                <HintAndError problems name="understood" hint=None />
                                <div class="checkbox">
                                    <input type="checkbox" id="understood" name="understood" value="yes" />
                                    <label for="understood">{t!(i18n, close_account.understood)}</label>
                                </div>
                            </div>
                            <Field problems name="current_password" input_type="password" autocomplete="current-password" label=t_string!(i18n, account.current_password).to_string() />
                            <SubmitButton label=t_string!(i18n, close_account.button).to_string() />
                        </ActionForm>
                    </div>
                }
                .into_any()
            })}
        </Suspense>
    }
}
