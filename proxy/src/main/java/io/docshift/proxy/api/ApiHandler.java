package io.docshift.proxy.api;

import io.docshift.core.metrics.Operation;
import io.docshift.proxy.delivery.ClassifiedFullResponse;
import io.docshift.proxy.delivery.Representation;
import io.docshift.proxy.delivery.ResponseStream;
import io.docshift.proxy.delivery.Responses;
import io.docshift.proxy.pipeline.RequestEvent;
import io.docshift.proxy.pipeline.Verdict;
import io.docshift.write.ApiAnswer;
import io.docshift.write.FilePartDigester;
import io.docshift.write.UploadCall;
import io.docshift.write.WriteService;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * The API: every {@code /v1_1/...} body is spooled to disk as it arrives (one read at a time: the
 * channel's autoRead is off, so a slow disk slows the client, and nothing sits whole in heap).
 * Uploads and destroys are handed to {@link WriteService}, and the calls that delete or move
 * originals ({@code rename}, {@code delete_by_token}, Admin API deletes; see {@link ApiRoutes}) to
 * its {@code Removals}; their Cloudinary-shaped JSON is the answer. Other {@code /v1_1/...} calls
 * go to {@link ApiPassThrough} unchanged. An upload whose fields before its file part let the write
 * path start Cloudinary's call early ({@link WriteService#relay}) is told as its spool grows, and
 * joined at its end instead of dispatched. Bodies over the configured limit get 413 before a byte
 * is read (Expect: 100-continue is answered by the codec group). Anything else goes on to the
 * delivery handler.
 *
 * <p>Each call holds one of the server's {@link Slots} from its headers to its answer; with none
 * free it gets 503 and {@code Retry-After}. Its spool directory is removed whatever happens:
 * answered, refused, cut off mid-body, malformed ({@code RequestValidator} ends a broken body with
 * a failed last content), too slow ({@code BodyReadDeadline}: 408) or failed. An upload that would
 * leave the spool disk under its reserve gets 507 ({@link SpoolGuard}).
 */
final class ApiHandler extends ChannelInboundHandlerAdapter {
  /** File bytes spooled before an upload is relayed: enough to sniff its format (its key). */
  private static final int SNIFFED_BYTES = 16;

  private final WriteService writes;
  private final ApiPassThrough passThrough;
  private final long maxBodyBytes;
  private final Slots slots;
  private final SpoolGuard guard;
  private Spooling spooling;
  private ResponseStream streaming;

  ApiHandler(
      WriteService writes,
      ApiPassThrough passThrough,
      long maxBodyBytes,
      Slots slots,
      SpoolGuard guard) {
    this.writes = writes;
    this.passThrough = passThrough;
    this.maxBodyBytes = maxBodyBytes;
    this.slots = slots;
    this.guard = guard;
  }

  static boolean isApi(String uri) {
    return uri.startsWith("/v1_1/");
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest && isApi(((HttpRequest) msg).uri())) {
      try {
        start(ctx, (HttpRequest) msg);
      } finally {
        ReferenceCountUtil.release(msg);
      }
    } else if (msg instanceof HttpContent && spooling != null) {
      try {
        content(ctx, (HttpContent) msg);
      } finally {
        ReferenceCountUtil.release(msg);
      }
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  private void start(ChannelHandlerContext ctx, HttpRequest request) {
    long declared = HttpUtil.getContentLength(request, -1L);
    if (declared > maxBodyBytes) {
      answer(ctx, request, tooLarge(declared), false);
      return;
    }
    if (!slots.tryAcquire()) {
      answer(ctx, request, ApiRefusals.busy(), false);
      return;
    }
    Slot slot = new Slot(slots);
    Path dir = null;
    try {
      dir = writes.newCallDirectory();
      boolean body = declared > 0 || HttpUtil.isTransferEncodingChunked(request);
      if (body && !guard.roomFor(dir, declared)) {
        writes.discardCallDirectory(dir);
        slot.release();
        answer(ctx, request, ApiRefusals.insufficientStorage(), false);
        return;
      }
      ApiRoutes.Route route =
          ApiRoutes.of(request.method(), path(request), writes.cloudName(), writes.removals());
      spooling = new Spooling(request, slot, dir.resolve("body"), route);
    } catch (IOException e) {
      if (dir != null) {
        writes.discardCallDirectory(dir);
      }
      slot.release();
      answer(
          ctx, request, ApiAnswer.local("spool directory unavailable: " + e.getMessage()), false);
      return;
    }
    ctx.read();
  }

  private void content(ChannelHandlerContext ctx, HttpContent content) {
    Spooling s = spooling;
    ByteBuf data = content.content();
    if (content.decoderResult().isFailure()) {
      abandon();
      answer(ctx, s.request, ApiAnswer.error(400, "Malformed request body"), false);
      return;
    }
    try {
      long before = s.bytes;
      s.bytes += data.readableBytes();
      if (s.bytes > maxBodyBytes) {
        abandon();
        answer(ctx, s.request, tooLarge(s.bytes), false);
        return;
      }
      if (SpoolGuard.due(before, s.bytes) && !guard.roomFor(s.file, SpoolGuard.STEP)) {
        abandon();
        answer(ctx, s.request, ApiRefusals.insufficientStorage(), false);
        return;
      }
      if (s.digester != null) {
        s.digester.update(data.nioBuffer());
      }
      while (data.isReadable()) {
        data.readBytes(s.channel, data.readableBytes());
      }
      relayed(s);
    } catch (IOException e) {
      abandon();
      answer(ctx, s.request, ApiAnswer.local("spool write failed: " + e.getMessage()), false);
      return;
    }
    if (content instanceof LastHttpContent) {
      spooling = null;
      closeQuietly(s);
      dispatch(ctx, s);
    } else {
      ctx.read();
    }
  }

  /**
   * Tells a relayed upload the spool grew, or, once the file part's headers and first bytes (the
   * format's magic) are spooled, asks the write path whether the upload can be relayed from now.
   */
  private void relayed(Spooling s) {
    if (s.relay != null) {
      s.relay.grown(s.bytes);
      return;
    }
    if (s.relayTried || s.digester == null) {
      return;
    }
    Optional<FilePartDigester.Head> head = s.digester.head();
    if (head.isEmpty() || s.bytes < head.get().fileOffset() + SNIFFED_BYTES) {
      return;
    }
    s.relayTried = true;
    long length = HttpUtil.getContentLength(s.request, -1L);
    try {
      s.relay = writes.relay(call(s, null), head.get(), length, s.bytes).orElse(null);
    } catch (RuntimeException e) {
      // Not relayed (e.g. a full write executor): the upload waits for its body, as before.
      s.relay = null;
    }
  }

  private UploadCall call(Spooling s, FilePartDigester.Hashed spooled) {
    HttpRequest request = s.request;
    // Admin API deletes keep their query: their parameters may ride in it.
    String target =
        s.route.action() == ApiRoutes.Action.ADMIN_DELETE ? request.uri() : path(request);
    return new UploadCall(
        s.route.resourceType(),
        target,
        s.file,
        ApiPassThrough.headers(request),
        request.headers().get(HttpHeaderNames.HOST, "localhost"),
        spooled);
  }

  private void dispatch(ChannelHandlerContext ctx, Spooling s) {
    HttpRequest request = s.request;
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    CompletableFuture<?> call;
    try {
      if (s.route == null) {
        call = passThrough.forward(ctx, request, s.file, s.bytes, keepAlive, b -> streaming = b);
      } else {
        call = write(ctx, s, keepAlive);
      }
    } catch (RuntimeException e) {
      // Thrown before any store was asked (a full write executor queue, a spool file gone):
      // answer now rather than let it reach the event loop with the call directory left behind.
      writes.discardCallDirectory(s.file.getParent());
      s.slot.release();
      boolean full = e instanceof RejectedExecutionException;
      answer(ctx, request, full ? ApiRefusals.busy() : ApiAnswer.local(e.toString()), false);
      return;
    }
    call.whenComplete((a, t) -> s.slot.release());
  }

  private CompletableFuture<ApiAnswer> write(
      ChannelHandlerContext ctx, Spooling s, boolean keepAlive) {
    HttpRequest request = s.request;
    FilePartDigester.Hashed spooled = s.digester == null ? null : s.digester.finish().orElse(null);
    UploadCall call = call(s, spooled);
    CompletableFuture<ApiAnswer> answer =
        s.relay != null
            ? s.relay.ended(call).thenCompose(writes.removals()::uploaded)
            : answer(s.route.action(), call);
    answer.whenCompleteAsync(
        (a, t) -> {
          ApiAnswer result = t == null ? a : ApiAnswer.local(String.valueOf(t));
          if (ctx.channel().isActive()) {
            answer(ctx, request, result, keepAlive);
          }
        },
        ctx.executor());
    return answer;
  }

  private CompletableFuture<ApiAnswer> answer(ApiRoutes.Action action, UploadCall call) {
    switch (action) {
      case UPLOAD:
        // Its delete_token (if asked for) is stored so a delete_by_token can be followed.
        return writes.upload(call).thenCompose(writes.removals()::uploaded);
      case DESTROY:
        return writes.destroy(call);
      case RENAME:
        return writes.removals().rename(call);
      case DELETE_BY_TOKEN:
        return writes.removals().deleteByToken(call);
      case ADMIN_UPDATE:
        return writes.removals().update(call);
      default:
        return writes.removals().adminDelete(call);
    }
  }

  private static String path(HttpRequest request) {
    String uri = request.uri();
    int q = uri.indexOf('?');
    return q < 0 ? uri : uri.substring(0, q);
  }

  private ApiAnswer tooLarge(long bytes) {
    return ApiRefusals.tooLarge(bytes, maxBodyBytes);
  }

  private void answer(
      ChannelHandlerContext ctx, HttpRequest request, ApiAnswer a, boolean keepAlive) {
    Operation operation = operation(request);
    Verdict verdict = new Verdict(operation, a.backend(), a.outcome());
    ClassifiedFullResponse response =
        new ClassifiedFullResponse(
            HttpResponseStatus.valueOf(a.status()), verdict, Unpooled.wrappedBuffer(a.body()));
    a.headers().forEach((name, values) -> response.headers().add(name, values));
    response.headers().set(HttpHeaderNames.CONTENT_LENGTH, a.body().length);
    response.headers().set(Representation.NOSNIFF, "nosniff");
    a.backend().ifPresent(b -> response.headers().set(Representation.BACKEND_HEADER, b.tag()));
    Responses.send(ctx, response, keepAlive);
  }

  private static Operation operation(HttpRequest request) {
    String path = path(request);
    if (path.endsWith("/upload")) {
      return Operation.UPLOAD;
    }
    return path.endsWith("/destroy") ? Operation.DESTROY : Operation.API_PASS_THROUGH;
  }

  private void abandon() {
    Spooling s = spooling;
    spooling = null;
    if (s == null) {
      return;
    }
    closeQuietly(s);
    if (s.relay != null) {
      // Its Cloudinary call is cut and its intent settled; it removes the directory when done.
      s.relay.abandoned();
      s.relay.done().whenComplete((x, t) -> s.slot.release());
      return;
    }
    writes.discardCallDirectory(s.file.getParent());
    s.slot.release();
  }

  private static void closeQuietly(Spooling s) {
    try {
      s.channel.close();
    } catch (IOException ignored) {
      // The answer is already decided, and the call directory is removed with the call.
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    abandon();
    if (streaming != null && !streaming.done()) {
      streaming.clientGone();
    }
    ctx.fireChannelInactive();
  }

  /** A body behind the byte-rate floor ({@code BodyReadDeadline}): 408, its spool removed. */
  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt != RequestEvent.BODY_TOO_SLOW) {
      ctx.fireUserEventTriggered(evt);
      return;
    }
    Spooling s = spooling;
    if (s == null) {
      // A body no one spools (refused before it was read, or not an API call): just close.
      ctx.close();
      return;
    }
    abandon();
    answer(ctx, s.request, ApiRefusals.tooSlow(), false);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (streaming != null && !streaming.done()) {
      streaming.writabilityChanged();
    }
    ctx.fireChannelWritabilityChanged();
  }
}
