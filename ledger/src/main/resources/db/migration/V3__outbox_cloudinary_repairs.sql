-- DocShift ledger, version 3: repairs of the Cloudinary side. Once writes are S3-primary
-- (DUAL_S3_PRIMARY), a failed secondary write or destroy leaves Cloudinary behind, and the outbox
-- must say so: 'cld_put' copies S3's current object to Cloudinary, 'cld_delete' destroys it there.
ALTER TABLE repair_outbox ALTER COLUMN operation SET DATA TYPE VARCHAR(16);
ALTER TABLE repair_outbox DROP CONSTRAINT repair_outbox_operation;
ALTER TABLE repair_outbox ADD CONSTRAINT repair_outbox_operation
  CHECK (operation IN ('put', 'delete', 'cld_put', 'cld_delete'));
