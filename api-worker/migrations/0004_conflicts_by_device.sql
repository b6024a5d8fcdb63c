-- Which device a conflict's waiting value came from: typing on in that field on that device adds
-- to the difference (the newer value replaces the older), while the same person's other devices
-- edit as usual. NULL for conflicts stored before: the person who made them stands in.
ALTER TABLE conflicts ADD COLUMN client_id TEXT;
