-- DocShift ledger, version 9.17: documents and bytes per cloud, top-level folder and S3 state, kept
-- up to date by every transaction that inserts a document or changes its state or size, so that
-- status, the gauges, the progress views and the minute snapshot read these few rows instead of
-- counting every document (two million for the real backlog) on each call. Each counter is split
-- over a few slots (rows summed on read) so concurrent settlers do not queue on one row; the
-- existing documents are counted once here, into slot 0.
CREATE TABLE document_counts (
  cloud     VARCHAR(255)  NOT NULL,
  folder    VARCHAR(1024) NOT NULL,
  s3_state  VARCHAR(16)   NOT NULL,
  slot      INTEGER       NOT NULL,
  documents BIGINT        NOT NULL,
  bytes     BIGINT        NOT NULL,
  CONSTRAINT document_counts_key PRIMARY KEY (cloud, folder, s3_state, slot)
);

-- The folder is the part of the public id before its first '/', empty at the root.
INSERT INTO document_counts (cloud, folder, s3_state, slot, documents, bytes)
SELECT cloud,
       CASE WHEN POSITION('/' IN public_id) > 0
            THEN SUBSTRING(public_id FROM 1 FOR POSITION('/' IN public_id) - 1) ELSE '' END,
       s3_state, 0, COUNT(*), COALESCE(SUM(bytes), 0)
  FROM documents
 GROUP BY cloud,
          CASE WHEN POSITION('/' IN public_id) > 0
               THEN SUBSTRING(public_id FROM 1 FOR POSITION('/' IN public_id) - 1) ELSE '' END,
          s3_state;

-- The recent verification pace (verified rows changed in the last minutes) reads only the rows
-- changed in its window through this index, instead of every verified row. Not (s3_state,
-- updated_at): PostgreSQL then answered a claim's lock-by-ids statement (id IN (...) AND s3_state =
-- ?) by reading every row of the state through it.
CREATE INDEX documents_updated ON documents (updated_at);
