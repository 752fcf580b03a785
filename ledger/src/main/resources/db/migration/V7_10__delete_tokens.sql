-- DocShift ledger, version 7.10: the delete_token of each upload answer relayed through DocShift,
-- so delete_by_token is followed by whichever instance the token is sent to. A token lives 10
-- minutes at Cloudinary; rows past expires_at are useless and pruned whenever a token is stored.
-- Only a SHA-256 of the token is kept: reading this table does not let anyone delete a document.
CREATE TABLE delete_tokens (
  token_sha256  VARCHAR(64)   NOT NULL PRIMARY KEY,
  cloud         VARCHAR(255)  NOT NULL,
  resource_type VARCHAR(32)   NOT NULL,
  delivery_type VARCHAR(64)   NOT NULL,
  public_id     VARCHAR(1024) NOT NULL,
  expires_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX delete_tokens_expires_at ON delete_tokens (expires_at);
