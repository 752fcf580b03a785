package io.docshift.stores.cloudinary;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.reactivestreams.FlowAdapters;
import org.reactivestreams.Publisher;

/**
 * A {@code multipart/form-data} body as SDKs send it (Cloudinary contract §3): a text part per
 * field, the file last, streamed from the caller's publisher with its declared length, so the whole
 * request has an exact {@code Content-Length} and is never assembled in memory.
 */
final class Multipart {
  private final String boundary;
  private final ByteArrayOutputStream head = new ByteArrayOutputStream();

  /**
   * The boundary only has to be absent from the content; 128 random bits make a collision with a
   * real document practically impossible, and its value never influences behaviour, so it need not
   * come from an injected random source.
   */
  Multipart() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    this.boundary =
        "docshift-" + Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
  }

  String contentType() {
    return "multipart/form-data; boundary=" + boundary;
  }

  Multipart field(String name, String value) {
    write("--" + boundary + "\r\n");
    write("Content-Disposition: form-data; name=\"" + name + "\"\r\n\r\n");
    write(value);
    write("\r\n");
    return this;
  }

  Multipart fields(Map<String, String> values) {
    values.forEach(this::field);
    return this;
  }

  /** A body with the fields written so far and no file (e.g. {@code destroy}). */
  BodyPublisher build() {
    write("--" + boundary + "--\r\n");
    return BodyPublishers.ofByteArray(head.toByteArray());
  }

  /** A body with the fields written so far and then the file part. */
  BodyPublisher buildWithFile(
      String filename, String contentType, long length, Publisher<ByteBuffer> file) {
    write("--" + boundary + "\r\n");
    write(
        "Content-Disposition: form-data; name=\"file\"; filename=\""
            + headerSafe(filename)
            + "\"\r\n");
    write("Content-Type: " + headerSafe(contentType) + "\r\n\r\n");
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
    return BodyPublishers.concat(
        BodyPublishers.ofByteArray(head.toByteArray()),
        BodyPublishers.fromPublisher(FlowAdapters.toFlowPublisher(file), length),
        BodyPublishers.ofByteArray(tail));
  }

  /** Quotes, CR and LF would break the part headers; a file name needs none of them. */
  private static String headerSafe(String value) {
    return value.replace('"', '_').replace('\r', '_').replace('\n', '_');
  }

  private void write(String text) {
    head.writeBytes(text.getBytes(StandardCharsets.UTF_8));
  }
}
