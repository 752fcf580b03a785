package io.docshift.sandbox.emulator;

import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.multipart.Attribute;
import io.netty.handler.codec.http.multipart.HttpDataFactory;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.netty.handler.codec.http.multipart.InterfaceHttpData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of an Upload API POST, decoded incrementally by Netty's {@link HttpPostRequestDecoder}
 * over a disk-spilling factory: file parts and large fields go to temporary files, so no upload is
 * ever held whole in heap. The caller owns the offered content and releases it; {@link #destroy()}
 * deletes the temporary files.
 */
final class FormBody {
  /** Multipart boundaries and small fields are buffered up to this size while being decoded. */
  private static final int MAX_BUFFERED_BYTES = 64 * 1024;

  private static final int MAX_FIELDS = 1024;

  private final HttpPostRequestDecoder decoder;
  private final JsonFields json;
  private final long maxBytes;
  private long received;

  FormBody(HttpDataFactory factory, HttpRequest request, long maxBytes) {
    // A JSON body (the Java SDK's Admin API calls) is not a form: Netty's decoder would read it as
    // one url-encoded field named after the whole text.
    this.json = JsonFields.declared(request) ? new JsonFields() : null;
    this.decoder =
        json != null
            ? null
            : new HttpPostRequestDecoder(
                factory, request, StandardCharsets.UTF_8, MAX_FIELDS, MAX_BUFFERED_BYTES);
    this.maxBytes = maxBytes;
  }

  /**
   * Feeds one body chunk (copied by the decoder). Enforces the size cap for bodies sent without a
   * {@code Content-Length} (chunked transfer encoding).
   */
  void offer(HttpContent content) {
    received += content.content().readableBytes();
    if (received > maxBytes) {
      throw Limits.tooLarge(received, maxBytes);
    }
    if (json != null) {
      byte[] chunk = new byte[content.content().readableBytes()];
      content.content().getBytes(content.content().readerIndex(), chunk);
      json.append(chunk);
      return;
    }
    try {
      decoder.offer(content);
    } catch (HttpPostRequestDecoder.ErrorDataDecoderException e) {
      throw ApiException.badRequest("Invalid request body: " + e.getMessage());
    }
  }

  /**
   * Text fields (raw strings, {@code name[]} kept as sent), excluding {@code file}; for a JSON body
   * its top-level members ({@link JsonFields}).
   */
  Map<String, List<String>> fields() throws IOException {
    if (json != null) {
      return json.fields();
    }
    Map<String, List<String>> fields = new LinkedHashMap<>();
    for (InterfaceHttpData data : decoder.getBodyHttpDatas()) {
      if (data instanceof Attribute attribute && !"file".equals(attribute.getName())) {
        fields
            .computeIfAbsent(attribute.getName(), k -> new ArrayList<>())
            .add(attribute.getValue());
      }
    }
    return fields;
  }

  /**
   * The {@code file} part: a {@code FileUpload} or an {@code Attribute}; {@code null} if absent.
   */
  InterfaceHttpData file() {
    return json != null ? null : decoder.getBodyHttpData("file");
  }

  /** Deletes temporary files and releases the decoder's buffers. */
  void destroy() {
    if (decoder != null) {
      decoder.destroy();
    }
  }
}
