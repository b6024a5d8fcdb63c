-- What each op asked for: a SHA-256 of its record, the revision it builds on, its values and the
-- differences it settles. An op id sent again with other contents is then refused, instead of
-- answered with the first contents' result as if its new values had been written. Ops stored
-- before this have none and are answered from their stored result as before.
ALTER TABLE applied_ops ADD COLUMN digest TEXT;
