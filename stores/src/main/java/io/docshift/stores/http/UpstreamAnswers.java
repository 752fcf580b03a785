package io.docshift.stores.http;

import io.docshift.core.store.ContentRange;
import io.docshift.core.store.DocumentMeta;
import io.docshift.core.store.StoreException;
import io.netty.handler.codec.http.HttpResponse;
import java.util.Optional;

/**
 * How one store reads its answers to one document's {@link HeadCall} or {@link GetCall}: the
 * metadata of a success, the classified failure of anything else. A store that names its errors in
 * the answer's body (S3's XML {@code <Code>}) asks for that body; one whose head says it all
 * (Cloudinary's {@code X-Cld-Error}) does not, and the body is dropped.
 */
public interface UpstreamAnswers {
  /** The metadata of a 200 or 206 answer ({@code part}: the range a 206 holds, else empty). */
  DocumentMeta meta(HttpResponse response, Optional<ContentRange> part);

  /**
   * The classified failure of any other answer.
   *
   * @param operation {@code head} or {@code get}
   * @param errorBody the answer's body as text, at most {@link #errorBodyBytes()} long; empty when
   *     none was asked for, and what arrived when the body was longer or broke off
   */
  StoreException failure(String operation, HttpResponse response, String errorBody);

  /** How much of an error answer's body to read before failing the call (0: none). */
  default int errorBodyBytes() {
    return 0;
  }
}
