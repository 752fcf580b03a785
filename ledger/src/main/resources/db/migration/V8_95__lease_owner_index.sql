-- DocShift ledger, version 8.95: find a worker's leases without reading the table. The backfill's
-- heartbeat renews every lease of its owner every few seconds, a restarted worker gives back its
-- predecessor's, and the backfill's report asks who else holds leases: all select by lease_owner,
-- which no index covered, so each read every row (or every row left to copy), two million for the
-- real backlog. Rows without an owner are indexed too (under NULL): one more index entry per row,
-- rewritten when a lease is taken or ends, as the lease_expires_at index already is.
CREATE INDEX documents_lease_owner ON documents (lease_owner);
