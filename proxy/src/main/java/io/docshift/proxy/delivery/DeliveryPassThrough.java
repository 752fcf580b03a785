package io.docshift.proxy.delivery;

import io.docshift.core.metrics.Operation;
import io.docshift.stores.http.UpstreamClient;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.AsciiString;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A delivery request Cloudinary must answer itself (a transformation, a delivery type DocShift does
 * not store), relayed by {@link UpstreamRelay} to Cloudinary's delivery host: the same raw path
 * (with its {@code s--SIG--}) and query as a GET or HEAD, only the request headers that change the
 * answer ({@link #FORWARDED_REQUEST_HEADERS}), and back only the {@link
 * #FORWARDED_RESPONSE_HEADERS}; counted as {@link Operation#PASS_THROUGH}.
 */
final class DeliveryPassThrough {
  /** Request headers sent on. */
  static final List<AsciiString> FORWARDED_REQUEST_HEADERS =
      List.of(
          HttpHeaderNames.RANGE,
          HttpHeaderNames.IF_RANGE,
          HttpHeaderNames.IF_NONE_MATCH,
          HttpHeaderNames.IF_MODIFIED_SINCE,
          HttpHeaderNames.ACCEPT);

  /** Response headers sent back (lowercase); hop-by-hop and framing headers belong to each hop. */
  static final Set<String> FORWARDED_RESPONSE_HEADERS =
      Set.of(
          "content-type",
          "content-length",
          "content-range",
          "content-disposition",
          "etag",
          "last-modified",
          "cache-control",
          "expires",
          "vary",
          "accept-ranges",
          "x-cld-error",
          "x-emulator-transformation");

  private static final UpstreamRelay.Rules RULES =
      new UpstreamRelay.Rules(
          Operation.PASS_THROUGH,
          name -> FORWARDED_RESPONSE_HEADERS.contains(name.toLowerCase(Locale.ROOT)));

  private DeliveryPassThrough() {}

  /**
   * Relays {@code request} to {@code delivery} as {@code pathAndQuery} (raw, under the client's
   * base path).
   *
   * @return the relay, to be told of the client connection's writability and departure
   */
  static UpstreamRelay relay(
      ChannelHandlerContext ctx,
      UpstreamClient delivery,
      HttpRequest request,
      String pathAndQuery,
      boolean keepAlive) {
    HttpHeaders forwarded = UpstreamClient.newHeaders();
    for (AsciiString name : FORWARDED_REQUEST_HEADERS) {
      String value = request.headers().get(name);
      if (value != null) {
        forwarded.set(name, value);
      }
    }
    HttpMethod method = request.method().equals(HttpMethod.HEAD) ? HttpMethod.HEAD : HttpMethod.GET;
    UpstreamRelay relay = new UpstreamRelay(ctx, RULES, keepAlive);
    relay.start(delivery, method, pathAndQuery, forwarded, Optional.empty());
    return relay;
  }
}
