-- What each change wrote, for a project's list of changes (who changed what, when): the names of
-- the fields written (a JSON array), and whether it removed the record (1) or brought a removed
-- one back (0); NULL when it did neither. Never the values: they stay in the records. Rows logged
-- before this, and the demo's, have neither.
ALTER TABLE change_log ADD COLUMN fields TEXT;
ALTER TABLE change_log ADD COLUMN removed INTEGER;
