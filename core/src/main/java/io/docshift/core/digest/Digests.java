package io.docshift.core.digest;

/**
 * The length and checksums of a body, as a {@link Digester} saw it.
 *
 * @param length bytes seen
 * @param crc32c CRC-32C of the bytes, 8 lowercase hex digits, or null when it was not computed
 * @param md5 lowercase MD5 hex, or null when it was not computed
 * @param sha256 lowercase SHA-256 hex, or null when it was not computed
 */
public record Digests(long length, String crc32c, String md5, String sha256) {}
