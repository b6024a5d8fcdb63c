-- An answer to a request (for support, or for an update) is now sent with a press of its own
-- (`answer_sent`); until then it is a draft that whoever asked is not shown. Answers written
-- before there was such a press were seen as soon as they were written, so they count as sent:
-- each such request is marked sent at a new revision, logged so that every device pulls it.
UPDATE records
   SET data = json_set(data, '$.answer_sent', json('true')),
       field_revs = json_set(field_revs, '$.answer_sent', rev + 1),
       rev = rev + 1,
       updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
 WHERE kind IN ('support_request', 'update_request')
   AND json_extract(data, '$.answer_sent') IS NULL
   AND trim(COALESCE(json_extract(data, '$.answer'), '')) <> '';

INSERT INTO change_log (record_id, kind, scope, rev, at, fields)
SELECT r.id, r.kind, r.scope, r.rev, r.updated_at, '["answer_sent"]'
  FROM records r
 WHERE r.kind IN ('support_request', 'update_request')
   AND json_extract(r.field_revs, '$.answer_sent') = r.rev
   AND NOT EXISTS (SELECT 1 FROM change_log c WHERE c.record_id = r.id AND c.rev = r.rev);
