-- DocShift ledger, version 6.12: documents and bytes per S3 state, one snapshot a minute, for the
-- operator console's chart of the last hours. Any instance may take a minute's snapshot; the key
-- keeps one per minute however many instances run. Snapshots older than two days are deleted by
-- the instance that takes the next one.
CREATE TABLE progress_history (
  taken_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  s3_state  VARCHAR(16) NOT NULL,
  documents BIGINT      NOT NULL,
  bytes     BIGINT      NOT NULL,
  PRIMARY KEY (taken_at, s3_state)
);
