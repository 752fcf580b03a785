package io.docshift.shadow;

import io.docshift.core.key.DocumentKey;
import io.docshift.stores.s3.S3ObjectInfo;
import java.util.Optional;

/**
 * One expected document after its check.
 *
 * @param expected what the inventory said
 * @param key the document as the stores address it
 * @param s3 what S3 holds under its key, if anything
 * @param finding what is wrong, empty when the stores agree
 * @param cloudinary what Cloudinary showed (the inventory's facts in cheap mode)
 * @param s3Read what S3 showed
 */
record Checked(
    Expected expected,
    DocumentKey key,
    Optional<S3ObjectInfo> s3,
    Optional<Finding> finding,
    ReadSummary cloudinary,
    ReadSummary s3Read) {}
