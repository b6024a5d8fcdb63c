-- A push from a device that has not pulled since its last answers asks which revisions of a
-- record after the op's base that device wrote, and who wrote each revision first. Without this
-- index each such question reads the record's whole log once per revision.
CREATE INDEX change_log_by_record_rev ON change_log (record_id, rev, seq);
