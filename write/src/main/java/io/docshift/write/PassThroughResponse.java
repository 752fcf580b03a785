package io.docshift.write;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.reactivestreams.Publisher;

/**
 * Cloudinary's answer to a forwarded API request ({@code io.docshift.write.CloudinaryApi}), as
 * received.
 *
 * @param status the HTTP status
 * @param headers the response headers worth forwarding (chosen by the forwarder), by lowercase name
 * @param body the body, streamed with demand; the subscriber must drain or cancel it. Each item is
 *     one read from the socket (a few buffers), owned by the subscriber.
 */
public record PassThroughResponse(
    int status, Map<String, List<String>> headers, Publisher<List<ByteBuffer>> body) {
  /** Validates and copies. */
  public PassThroughResponse {
    requireNonNull(headers, "headers");
    requireNonNull(body, "body");
    headers = Map.copyOf(headers);
  }
}
