//! Registering: the person is checked against the population registry, then contact details and a password.

use super::*;

impl Identity {
    /// Step 1: checks the details against the registry. Returns the new session's token.
    pub async fn start_registration(&self, token: Option<&str>, account_type: &str, id_number: &str, first_name: &str, year_of_birth: &str) -> Result<String, AppError> {
        let mut problems = Vec::new();
        let citizenship = Citizenship::parse(account_type);
        if citizenship.is_none() {
            problems.push(FieldProblem::new("account_type", Problem::Required));
        }
        let id = IdNumber::parse(id_number);
        if id_number.trim().is_empty() {
            problems.push(FieldProblem::new("id_number", Problem::Required));
        } else if id.is_none() {
            problems.push(FieldProblem::new("id_number", Problem::InvalidIdNumber));
        }
        if first_name.trim().is_empty() {
            problems.push(FieldProblem::new("first_name", Problem::Required));
        }
        let year: Option<i64> = year_of_birth.trim().parse().ok().filter(|y| (1900..=current_year(self.now())).contains(y));
        if year_of_birth.trim().is_empty() {
            problems.push(FieldProblem::new("year_of_birth", Problem::Required));
        } else if year.is_none() {
            problems.push(FieldProblem::new("year_of_birth", Problem::InvalidYearOfBirth));
        }
        let (Some(citizenship), Some(id), Some(year), true) = (citizenship, id, year, problems.is_empty()) else {
            return Err(invalid(problems));
        };

        let person = self.registry.find(id.as_str()).await?;
        let matches = person.as_ref().is_some_and(|p| {
            p.first_name.trim().to_lowercase() == first_name.trim().to_lowercase() && p.year_of_birth == year && p.citizenship == citizenship
        });
        let Some(person) = person.filter(|_| matches) else {
            // Never say which detail was wrong: that would let anyone probe the registry.
            return Err(AppError::field("id_number", Problem::RegistryMismatch));
        };
        if current_year(self.now()) - person.year_of_birth < ADULT_AGE {
            return Err(AppError::field("id_number", Problem::Minor));
        }
        if accounts::id_number_taken(self.db.pool(), &person.id_number).await? {
            return Err(AppError::field("id_number", Problem::AlreadyRegistered));
        }

        self.start_flow(token, Flow { registering_id_number: Some(person.id_number), ..Flow::default() }).await
    }

    /// The registry record step 1 matched, for step 2 to show the full name.
    pub async fn registration_person(&self, token: Option<&str>) -> Result<Option<RegistryPerson>, AppError> {
        let Some(session) = self.session(token).await? else { return Ok(None) };
        let Some(id_number) = session.flow.registering_id_number else { return Ok(None) };
        Ok(self.registry.find(&id_number).await?)
    }

    /// Step 2: contacts and password; creates the account.
    pub async fn complete_registration(&self, token: Option<&str>, client_address: &str, language: Locale, email: &str, phone: &str, password: &str, password_confirm: &str) -> Result<(), AppError> {
        let Some(mut session) = self.session(token).await? else { return Err(AppError::field("", Problem::FlowExpired)) };
        let Some(person) = (match &session.flow.registering_id_number {
            Some(id) => self.registry.find(id).await?,
            None => None,
        }) else {
            return Err(AppError::field("", Problem::FlowExpired));
        };

        let mut problems = Vec::new();
        let email = Email::parse(email);
        if email.is_none() {
            problems.push(FieldProblem::new("email", Problem::InvalidEmail));
        }
        let phone = PhoneNumber::parse(phone);
        if phone.is_none() {
            problems.push(FieldProblem::new("phone", Problem::InvalidPhone));
        }
        if let (Some(email), Some(phone)) = (&email, &phone) {
            // Each try below can answer "already used": limited per address, or the step
            // would list which emails and phones have accounts.
            if let Err(retry_after_seconds) = throttle::hit(&self.db, throttle::REGISTRATION_CONTACTS_PER_ADDRESS, client_address, self.now()).await? {
                return Err(AppError::TooManyRequests { retry_after_seconds });
            }
            let details = PersonalDetails {
                id_number: &person.id_number,
                first_name: &person.first_name,
                surname: &person.surname,
                phone_e164: phone.as_str(),
                email_local_part: email.local_part(),
            };
            if let Err(problem) = check_new_password(password, &details) {
                problems.push(FieldProblem::new("password", problem));
            } else if password != password_confirm {
                problems.push(FieldProblem::new("password_confirm", Problem::PasswordsDiffer));
            }
            if accounts::find_by_identifier(self.db.pool(), &Identifier::Email(email.clone())).await?.is_some() {
                problems.push(FieldProblem::new("email", Problem::EmailTaken));
            }
            if accounts::find_by_identifier(self.db.pool(), &Identifier::Phone(phone.clone())).await?.is_some() {
                problems.push(FieldProblem::new("phone", Problem::PhoneTaken));
            }
        }
        let (Some(email), Some(phone), true) = (email, phone, problems.is_empty()) else {
            return Err(invalid(problems));
        };

        let hash = self.hasher.hash(password).await.map_err(|_| AppError::Internal)?;
        let mut tx = self.db.begin_write().await?;
        if accounts::id_number_taken(&mut *tx, &person.id_number).await? {
            return Err(AppError::field("", Problem::AlreadyRegistered));
        }
        let created = accounts::insert(
            &mut tx,
            &NewAccount {
                id_number: &person.id_number,
                account_type: person.citizenship.as_str(),
                first_name: &person.first_name,
                surname: &person.surname,
                email: email.as_str(),
                phone: phone.as_str(),
                password_hash: &hash,
                role: "citizen",
                language,
            },
            self.now(),
        )
        .await;
        if created.is_err() {
            // A unique constraint raced us (the same email or phone registered a moment ago).
            return Err(AppError::field("", Problem::AlreadyRegistered));
        }
        tx.commit().await?;
        session.flow = Flow::default();
        sessions::save_flow(&self.db, &session).await?;
        Ok(())
    }
}
