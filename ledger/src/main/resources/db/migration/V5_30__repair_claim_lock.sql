-- One row that every repair claim locks first (SELECT ... FOR UPDATE), so claims take turns.
-- Without it two drainers claiming at the same instant could each take a row of one document:
-- the check that skips a document another drainer holds sees that claim only once it is committed.
CREATE TABLE repair_claim_lock (
  id INT PRIMARY KEY
);
INSERT INTO repair_claim_lock (id) VALUES (1);
