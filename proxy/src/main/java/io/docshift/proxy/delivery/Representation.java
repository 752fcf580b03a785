package io.docshift.proxy.delivery;

import io.docshift.core.key.DeliveryType;
import io.docshift.core.outcome.Backend;
import io.docshift.core.store.ByteRange;
import io.docshift.core.store.ContentRange;
import io.docshift.core.store.DocumentMeta;
import io.docshift.stores.http.HeaderValues;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;

/**
 * The HTTP view of an original, computed the same way whichever store served it, so a client sees
 * identical headers, 304s and ranges before and after a document moves (CDN contract of the
 * emulator's {@code FileResponder}): quoted-MD5 {@code ETag}, {@code Last-Modified} from the
 * Cloudinary version (the upload time, recorded in S3 metadata) when known, {@code Accept-Ranges},
 * {@code Cache-Control} public for {@code upload} and private otherwise, {@code nosniff}.
 */
public final class Representation {
  public static final String BACKEND_HEADER = "X-DocShift-Backend";
  public static final String NOSNIFF = "X-Content-Type-Options";

  private Representation() {}

  /** The stable Last-Modified: Cloudinary's version (upload second) when known. */
  static Optional<Instant> lastModified(DocumentMeta meta) {
    if (meta.version().isPresent() && meta.version().getAsLong() > 1) {
      return Optional.of(Instant.ofEpochSecond(meta.version().getAsLong()));
    }
    return meta.lastModified();
  }

  /** Validators and caching headers shared by 200, 206, 304 and 416. */
  static void validators(
      HttpHeaders h, DocumentMeta meta, DeliveryType type, Backend backend, long maxAgeSeconds) {
    meta.etag().ifPresent(etag -> h.set(HttpHeaderNames.ETAG, etag));
    lastModified(meta).ifPresent(t -> h.set(HttpHeaderNames.LAST_MODIFIED, HeaderValues.format(t)));
    h.set(HttpHeaderNames.CACHE_CONTROL, cacheControl(type, maxAgeSeconds));
    h.set(HttpHeaderNames.ACCEPT_RANGES, "bytes");
    h.set(Representation.NOSNIFF, "nosniff");
    h.set(BACKEND_HEADER, backend.tag());
  }

  /** Headers of a 200 or 206 carrying {@code range} (or the whole document when empty). */
  static void content(HttpHeaders h, DocumentMeta meta, Optional<ContentRange> range) {
    h.set(HttpHeaderNames.CONTENT_TYPE, meta.contentType());
    if (range.isPresent()) {
      h.set(HttpHeaderNames.CONTENT_RANGE, range.get().toHeaderValue());
      h.set(HttpHeaderNames.CONTENT_LENGTH, range.get().length());
    } else if (meta.length().isPresent()) {
      h.set(HttpHeaderNames.CONTENT_LENGTH, meta.length().getAsLong());
    }
  }

  static String cacheControl(DeliveryType type, long maxAgeSeconds) {
    return (type == DeliveryType.UPLOAD ? "public" : "private") + ", max-age=" + maxAgeSeconds;
  }

  /**
   * RFC 9110 §13.2.2: {@code If-None-Match} wins (weak comparison, {@code *} matches); otherwise
   * {@code If-Modified-Since} against the stable Last-Modified, to the second.
   */
  static boolean notModified(HttpHeaders request, DocumentMeta meta) {
    String inm = request.get(HttpHeaderNames.IF_NONE_MATCH);
    if (inm != null) {
      Optional<String> etag = meta.etag();
      for (String candidate : inm.split(",")) {
        String tag = candidate.strip();
        tag = tag.startsWith("W/") ? tag.substring(2) : tag;
        if (tag.equals("*") || (etag.isPresent() && tag.equals(etag.get()))) {
          return true;
        }
      }
      return false;
    }
    String ims = request.get(HttpHeaderNames.IF_MODIFIED_SINCE);
    Date since = ims == null ? null : DateFormatter.parseHttpDate(ims);
    Optional<Instant> modified = lastModified(meta);
    return since != null
        && modified.isPresent()
        && modified.get().getEpochSecond() <= since.toInstant().getEpochSecond();
  }

  /** Whether the request carries a validator we evaluate. */
  static boolean conditional(HttpHeaders request) {
    return request.contains(HttpHeaderNames.IF_NONE_MATCH)
        || request.contains(HttpHeaderNames.IF_MODIFIED_SINCE);
  }

  /**
   * The part of a {@code total}-byte document {@code range} selects; empty when unsatisfiable (RFC
   * 9110 §14.1.2: a first byte past the end, or a zero-length document).
   */
  static Optional<ContentRange> resolve(ByteRange range, long total) {
    if (total <= 0) {
      return Optional.empty();
    }
    if (range.suffixLength().isPresent()) {
      long first = Math.max(0, total - range.suffixLength().getAsLong());
      return Optional.of(new ContentRange(first, total - 1, total));
    }
    long first = range.first().getAsLong();
    if (first >= total) {
      return Optional.empty();
    }
    long last = Math.min(range.last().orElse(total - 1), total - 1);
    return Optional.of(new ContentRange(first, last, total));
  }
}
