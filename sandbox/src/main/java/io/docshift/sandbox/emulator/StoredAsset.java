package io.docshift.sandbox.emulator;

import java.net.URI;
import java.time.Instant;

/**
 * An original held by the emulator, as the Upload API would describe it.
 *
 * @param assetId immutable 32-hex id
 * @param publicId public id (for {@code raw} it includes the extension)
 * @param resourceType {@code image}, {@code video} or {@code raw}
 * @param type delivery type: {@code upload}, {@code private} or {@code authenticated}
 * @param format stored format (extension) for image/video; {@code null} for raw
 * @param version Cloudinary version (upload unix time, strictly increasing per asset)
 * @param bytes size of the original
 * @param etag MD5 hex of the original's bytes
 * @param createdAt upload time of this version (second precision)
 * @param secureUrl delivery URL on the emulator, signed for private/authenticated
 */
public record StoredAsset(
    String assetId,
    String publicId,
    String resourceType,
    String type,
    String format,
    long version,
    long bytes,
    String etag,
    Instant createdAt,
    URI secureUrl) {}
