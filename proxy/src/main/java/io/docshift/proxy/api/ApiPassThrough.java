package io.docshift.proxy.api;

import io.docshift.core.metrics.Operation;
import io.docshift.proxy.delivery.ResponseStream;
import io.docshift.proxy.delivery.UpstreamRelay;
import io.docshift.stores.http.HopByHop;
import io.docshift.stores.http.UpstreamClient;
import io.docshift.write.WriteService;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Every {@code /v1_1/...} call DocShift does not handle itself (Admin API, explicit, other clouds'
 * calls, downloads) goes to Cloudinary's API host unchanged through {@link UpstreamRelay} — method,
 * raw path and query, end-to-end headers (first value per name) and the spooled body — and its
 * answer streams back as is, hop-by-hop headers aside ({@link HopByHop}); counted as {@link
 * Operation#API_PASS_THROUGH}.
 */
final class ApiPassThrough {
  private static final UpstreamRelay.Rules RULES =
      new UpstreamRelay.Rules(Operation.API_PASS_THROUGH, name -> !HopByHop.response(name));

  private final UpstreamClient api;
  private final WriteService writes;

  /**
   * @param api Cloudinary's API host, on the proxy's event loops
   * @param writes removes each call's spool directory
   */
  ApiPassThrough(UpstreamClient api, WriteService writes) {
    this.api = api;
    this.writes = writes;
  }

  /** The request's headers, first value per name. */
  static Map<String, String> headers(HttpRequest request) {
    Map<String, String> headers = new LinkedHashMap<>();
    request.headers().forEach(h -> headers.putIfAbsent(h.getKey(), h.getValue()));
    return headers;
  }

  /**
   * Forwards; the spool file's directory is removed once Cloudinary's answer started (or the call
   * failed or was dropped).
   *
   * @param onStream told of the relay, to be kept informed of the client connection
   * @return completes when Cloudinary's answer has started, or the call failed or was dropped
   */
  CompletableFuture<Void> forward(
      ChannelHandlerContext ctx,
      HttpRequest request,
      Path body,
      long bodyBytes,
      boolean keepAlive,
      Consumer<ResponseStream> onStream) {
    HttpHeaders forwarded = UpstreamClient.newHeaders();
    headers(request)
        .forEach(
            (name, value) -> {
              if (!HopByHop.request(name)) {
                forwarded.add(name, value);
              }
            });
    Optional<Path> sent =
        bodyBytes > 0 || HttpUtil.isContentLengthSet(request)
            ? Optional.of(body)
            : Optional.empty();
    UpstreamRelay relay = new UpstreamRelay(ctx, RULES, keepAlive);
    onStream.accept(relay);
    CompletableFuture<Void> answered =
        relay.start(api, request.method(), request.uri(), forwarded, sent);
    answered.whenComplete((r, t) -> writes.discardCallDirectory(body.getParent()));
    return answered;
  }
}
