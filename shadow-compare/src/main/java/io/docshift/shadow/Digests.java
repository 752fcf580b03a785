package io.docshift.shadow;

/**
 * The length and checksums of a body that streamed through a {@link BodyHasher}.
 *
 * @param length bytes seen
 * @param crc32c CRC-32C of the bytes, 8 lowercase hex digits
 * @param md5 lowercase MD5 hex, or null when it was not computed
 * @param sha256 lowercase SHA-256 hex, or null when it was not computed
 */
record Digests(long length, String crc32c, String md5, String sha256) {}
