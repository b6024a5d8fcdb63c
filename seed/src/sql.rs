//! Turns people and records into idempotent SQL statements.

use spip_shared::record::StoredRecord;
use spip_shared::role::Role;

/// A person with a fixed id, to be created if their e-mail is not yet known.
pub struct Person<'a> {
    pub id: &'a str,
    pub email: &'a str,
    pub name: &'a str,
    pub role: Role,
}

/// A SQL string literal.
fn text(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

/// `INSERT OR IGNORE` of one person.
pub fn insert_person(person: &Person, now: &str) -> String {
    format!(
        "INSERT OR IGNORE INTO users (id, email, display_name, role, created_at) \
         VALUES ({}, {}, {}, {}, {});\n",
        text(person.id),
        text(person.email),
        text(person.name),
        text(person.role.as_str()),
        text(now)
    )
}

/// `INSERT OR IGNORE` of one record, with its change-log row written only the first time.
pub fn insert_record(record: &StoredRecord, actor: &str, now: &str) -> Result<String, String> {
    let field_revs = serde_json::to_string(&record.field_revs).map_err(|e| e.to_string())?;
    let data = serde_json::to_string(&record.data).map_err(|e| e.to_string())?;
    let (id, kind, scope) =
        (text(&record.id.to_string()), text(record.kind.as_str()), text(&record.scope.to_string()));
    Ok(format!(
        "INSERT OR IGNORE INTO records (id, kind, scope, rev, field_revs, data, deleted, created_by, updated_at) \
         VALUES ({id}, {kind}, {scope}, {rev}, {field_revs}, {data}, 0, {actor}, {now});\n\
         INSERT INTO change_log (record_id, kind, scope, rev, actor, at) \
         SELECT {id}, {kind}, {scope}, {rev}, {actor}, {now} \
         WHERE NOT EXISTS (SELECT 1 FROM change_log WHERE record_id = {id});\n",
        rev = record.rev,
        field_revs = text(&field_revs),
        data = text(&data),
        actor = text(actor),
        now = text(now),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_in_names_are_escaped() {
        let person = Person {
            id: "1",
            email: "o@example.org",
            name: "Siobhán O'Neill",
            role: Role::Reviewer,
        };
        assert!(insert_person(&person, "now").contains("'Siobhán O''Neill'"));
    }
}
