-- DocShift ledger, version 5.20: upload_large sessions shared by a fleet. In the S3-primary modes
-- DocShift assembles chunked uploads itself; chunks of one upload may reach different instances,
-- so each chunk's bytes go to a temporary S3 object and its range to these rows. The session row
-- is locked while a chunk is checked (overlap, total) and while completion is decided, so exactly
-- one instance assembles. Rows are dropped when the upload is done and its answer kept, or when
-- the session was untouched for the expiry age.
CREATE TABLE upload_sessions (
  upload_id   VARCHAR(128)   PRIMARY KEY,
  total       BIGINT,
  state       VARCHAR(16)    NOT NULL,
  claimed_at  TIMESTAMP WITH TIME ZONE,
  answer      VARCHAR(16000),
  touched_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT upload_sessions_state CHECK (state IN ('open', 'assembling', 'done'))
);
CREATE INDEX upload_sessions_touched_at ON upload_sessions (touched_at);
CREATE TABLE upload_chunks (
  upload_id   VARCHAR(128) NOT NULL REFERENCES upload_sessions (upload_id) ON DELETE CASCADE,
  range_start BIGINT       NOT NULL,
  range_end   BIGINT       NOT NULL,
  sha256      VARCHAR(64)  NOT NULL,
  stored      BOOLEAN      NOT NULL,
  PRIMARY KEY (upload_id, range_start)
);
