-- The cohort overview and the exports select a cohort's projects by the cohort named in their
-- fields; this index makes that a lookup, not a scan of every record.
CREATE INDEX records_project_cohort ON records (json_extract(data, '$.cohort')) WHERE kind = 'project';
-- Last synced per project: the newest change-log row in its scope.
CREATE INDEX change_log_by_scope_at ON change_log (scope, at);
