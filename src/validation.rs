//! What is wrong with what someone typed, field by field: the one vocabulary forms, the API,
//! imports and the domains' own errors share. A leaf: it knows nothing of the web or the database.

/// What is wrong with a submitted form, by field (the field's name as the form sends it).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FieldErrors(Vec<(String, String)>);

impl FieldErrors {
    /// One field's error.
    pub fn one(field: impl Into<String>, message: impl Into<String>) -> Self {
        let mut errors = Self::default();
        errors.add(field, message);
        errors
    }

    /// Records that `field` is wrong and why.
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push((field.into(), message.into()));
    }

    /// The message for `field`, if it is wrong.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }

    /// Whether the form is fine.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Every error, in the order found (for a summary at the top of the form).
    pub fn all(&self) -> &[(String, String)] {
        &self.0
    }

    /// `Ok(())` when nothing is wrong, else these errors.
    pub fn into_result(self) -> Result<(), Self> {
        if self.is_empty() { Ok(()) } else { Err(self) }
    }
}

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|(field, m)| format!("{field}: {m}"))
            .collect();
        f.write_str(&parts.join("; "))
    }
}

/// Turns SQLite's unique-key violation on one column into a domain error (a duplicate slug,
/// number, email) instead of an internal one. SQLite names no constraint, only the column:
/// `UNIQUE constraint failed: subscribers.email`.
pub trait OnUnique<T> {
    /// `column` is `table.column` as SQLite reports it.
    fn on_unique<E>(self, column: &str, error: impl FnOnce() -> E) -> Result<T, E>
    where
        E: From<sqlx::Error>;
}

impl<T> OnUnique<T> for Result<T, sqlx::Error> {
    fn on_unique<E>(self, column: &str, error: impl FnOnce() -> E) -> Result<T, E>
    where
        E: From<sqlx::Error>,
    {
        match self {
            Err(sqlx::Error::Database(e))
                if e.is_unique_violation() && e.message().contains(column) =>
            {
                Err(error())
            }
            other => other.map_err(E::from),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_duplicate_on_the_named_column_becomes_the_domain_error() {
        let db = sqlx::SqlitePool::connect("sqlite::memory:").await.unwrap();
        sqlx::query("create table t (slug text unique, other text unique)")
            .execute(&db)
            .await
            .unwrap();
        sqlx::query("insert into t values ('a', 'x')")
            .execute(&db)
            .await
            .unwrap();
        let again = sqlx::query("insert into t values ('a', 'y')")
            .execute(&db)
            .await;
        let mapped: Result<_, Mapped> = again.on_unique("t.slug", || Mapped::Taken);
        assert!(matches!(mapped, Err(Mapped::Taken)));
        let other = sqlx::query("insert into t values ('b', 'x')")
            .execute(&db)
            .await;
        let mapped: Result<_, Mapped> = other.on_unique("t.slug", || Mapped::Taken);
        assert!(
            matches!(mapped, Err(Mapped::Db(_))),
            "another column's duplicate stays a database error"
        );
    }

    #[derive(Debug)]
    enum Mapped {
        Taken,
        Db(#[allow(dead_code)] sqlx::Error),
    }

    impl From<sqlx::Error> for Mapped {
        fn from(e: sqlx::Error) -> Self {
            Self::Db(e)
        }
    }
}
