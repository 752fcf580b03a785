-- DocShift ledger, version 6.11: the operator console's sessions, shared by every admin listener on
-- this ledger, so a fleet behind a balancer without stickiness, and a restart, keep operators signed
-- in. Only a SHA-256 of the session id (the cookie) is stored, never the id: reading this table does
-- not let anyone act as an operator. Expired rows are deleted when a session is opened.
CREATE TABLE console_sessions (
  id_sha256  VARCHAR(64)  NOT NULL PRIMARY KEY,
  operator   VARCHAR(255) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  used_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX console_sessions_created_at ON console_sessions (created_at);
