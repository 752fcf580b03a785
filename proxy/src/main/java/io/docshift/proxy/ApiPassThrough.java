package io.docshift.proxy;

import io.docshift.core.metrics.Operation;
import io.docshift.write.CloudinaryApi;
import io.docshift.write.PassThroughResponse;
import io.docshift.write.WriteService;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Every {@code /v1_1/...} call DocShift does not handle itself (Admin API, rename, explicit, other
 * clouds' calls, downloads) goes to Cloudinary unchanged — method, path, query, end-to-end headers
 * and the spooled body — and its answer streams back as is.
 */
final class ApiPassThrough {
  private final CloudinaryApi api;
  private final WriteService writes;
  private final Duration storeTotalWait;

  ApiPassThrough(CloudinaryApi api, WriteService writes, Duration storeTotalWait) {
    this.api = api;
    this.writes = writes;
    this.storeTotalWait = storeTotalWait;
  }

  /**
   * Forwards; the spool file's directory is removed once Cloudinary has the request.
   *
   * @return completes when Cloudinary's answer has started (or the call failed)
   */
  CompletableFuture<PassThroughResponse> forward(
      ChannelHandlerContext ctx,
      HttpRequest request,
      Path body,
      long bodyBytes,
      boolean keepAlive,
      Consumer<BodyStreamer<?>> onStream) {
    Map<String, String> headers = PassThroughExchange.headers(request);
    Optional<Path> sent =
        bodyBytes > 0 || HttpUtil.isContentLengthSet(request)
            ? Optional.of(body)
            : Optional.empty();
    CompletableFuture<PassThroughResponse> call =
        api.stream(request.method().name(), request.uri(), sent, headers);
    call.whenComplete((r, t) -> writes.discardCallDirectory(body.getParent()));
    new PassThroughExchange(
            ctx,
            request,
            request.uri(),
            Operation.API_PASS_THROUGH,
            keepAlive,
            onStream,
            storeTotalWait)
        .start(call);
    return call;
  }
}
