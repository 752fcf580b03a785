package io.docshift.shadow;

/**
 * The length and hashes of a body that streamed through a {@link BodyHasher}.
 *
 * @param length bytes seen
 * @param md5 lowercase MD5 hex
 * @param sha256 lowercase SHA-256 hex, or null when it was not computed
 */
record Digests(long length, String md5, String sha256) {}
