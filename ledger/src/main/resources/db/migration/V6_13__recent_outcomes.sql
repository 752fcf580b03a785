-- DocShift ledger, version 6.13: recent fallbacks and shadow outcomes, counted per minute and per
-- instance, so the operator console shows what the whole fleet saw, not only the instance it asks.
-- Each instance adds its own counts every few seconds (off the request path); rows older than a day
-- are deleted by the instance that writes the next ones.
CREATE TABLE recent_outcomes (
  minute_at TIMESTAMP WITH TIME ZONE NOT NULL,
  instance VARCHAR(255) NOT NULL,
  kind     VARCHAR(16)  NOT NULL,
  outcome  VARCHAR(64)  NOT NULL,
  occurrences BIGINT    NOT NULL,
  PRIMARY KEY (minute_at, instance, kind, outcome)
);
