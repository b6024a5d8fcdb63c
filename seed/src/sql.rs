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

/// Rows gathered for multi-row inserts: far fewer statements for a large seed.
pub struct Rows {
    now: String,
    users: Vec<String>,
    records: Vec<String>,
    log: Vec<String>,
    members: Vec<String>,
}

/// Rows per INSERT statement.
const CHUNK: usize = 200;

impl Rows {
    pub fn new(now: time::OffsetDateTime) -> Self {
        let now = now.format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
        Self { now, users: vec![], records: vec![], log: vec![], members: vec![] }
    }

    pub fn person(&mut self, id: &str, email: &str, name: &str, role: &str) {
        self.users.push(format!(
            "({}, {}, {}, {}, {})",
            text(id),
            text(email),
            text(name),
            text(role),
            text(&self.now)
        ));
    }

    pub fn member(&mut self, project: &str, user: &str) {
        self.members.push(format!("({}, {})", text(project), text(user)));
    }

    pub fn record(&mut self, record: &StoredRecord, creator: &str) -> Result<(), String> {
        let field_revs = serde_json::to_string(&record.field_revs).map_err(|e| e.to_string())?;
        let data = serde_json::to_string(&record.data).map_err(|e| e.to_string())?;
        let (id, kind, scope) = (
            text(&record.id.to_string()),
            text(record.kind.as_str()),
            text(&record.scope.to_string()),
        );
        let now = text(&self.now);
        self.records.push(format!(
            "({id}, {kind}, {scope}, {rev}, {}, {}, 0, {}, {now})",
            text(&field_revs),
            text(&data),
            text(creator),
            rev = record.rev
        ));
        self.log.push(format!(
            "({id}, {kind}, {scope}, {rev}, {}, {now})",
            text(creator),
            rev = record.rev
        ));
        Ok(())
    }

    /// The SQL: people, then records, their change log, then project teams.
    pub fn finish(self) -> String {
        let mut sql = String::new();
        let mut insert = |head: &str, rows: &[String]| {
            for chunk in rows.chunks(CHUNK) {
                sql += head;
                sql += &chunk.join(",\n");
                sql += ";\n";
            }
        };
        insert(
            "INSERT OR IGNORE INTO users (id, email, display_name, role, created_at) VALUES\n",
            &self.users,
        );
        insert(
            "INSERT OR IGNORE INTO records (id, kind, scope, rev, field_revs, data, deleted, created_by, updated_at) VALUES\n",
            &self.records,
        );
        insert(
            "INSERT INTO change_log (record_id, kind, scope, rev, actor, at) VALUES\n",
            &self.log,
        );
        insert(
            "INSERT OR IGNORE INTO project_members (project_id, user_id) VALUES\n",
            &self.members,
        );
        sql
    }
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
