-- DocShift ledger, version 8.41: why a tombstone is one, in a column of its own. A removal (a delete,
-- or a rename's old key) and an access-controlled asset (Cloudinary serves it signed; S3 must not
-- serve it at all) were told apart by the end of last_error, which any later error text could
-- overwrite. NULL on every row that is not a tombstone.
ALTER TABLE documents ADD COLUMN tombstone_reason VARCHAR(32);

UPDATE documents
   SET tombstone_reason = CASE
         WHEN last_error LIKE '%access mode authenticated' THEN 'access_controlled'
         ELSE 'removed'
       END
 WHERE s3_state = 'deleted';

ALTER TABLE documents ADD CONSTRAINT documents_tombstone_reason
  CHECK ((s3_state = 'deleted' AND tombstone_reason IN ('removed', 'access_controlled'))
      OR (s3_state <> 'deleted' AND tombstone_reason IS NULL));
