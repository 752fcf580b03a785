package io.docshift.sandbox.emulator;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.stream.ChunkedNioFile;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Date;

/**
 * Streams an original as the CDN would: {@code ETag} (quoted MD5), {@code Last-Modified}, {@code
 * Accept-Ranges}, conditional 304s, a single {@code Range} → 206 (416 when unsatisfiable), HEAD
 * without a body. The body is a zero-copy {@link DefaultFileRegion} over a channel opened before
 * the headers are sent, so an overwrite racing the download cannot mix two versions.
 */
final class FileResponder {
  private FileResponder() {}

  static void serve(
      ChannelHandlerContext ctx, HttpRequest request, Asset asset, Path file, HttpHeaders extra)
      throws IOException {
    FileChannel channel;
    try {
      channel = FileChannel.open(file);
    } catch (NoSuchFileException e) {
      EmulatorReplies.send(
          ctx,
          request,
          EmulatorReplies.cdnError(HttpResponseStatus.NOT_FOUND, "Resource not found"),
          false);
      return;
    }
    boolean handedOff = false;
    try {
      handedOff = respond(ctx, request, asset, channel, extra);
    } finally {
      if (!handedOff) {
        channel.close();
      }
    }
  }

  /** Writes the answer; true when the channel now belongs to a file region. */
  private static boolean respond(
      ChannelHandlerContext ctx,
      HttpRequest request,
      Asset asset,
      FileChannel channel,
      HttpHeaders extra)
      throws IOException {
    long length = channel.size();
    HttpHeaders validators = validators(asset, extra);
    if (notModified(request, asset)) {
      FullHttpResponse notModified = EmulatorReplies.empty(HttpResponseStatus.NOT_MODIFIED);
      notModified.headers().add(validators).remove(HttpHeaderNames.CONTENT_LENGTH);
      EmulatorReplies.send(ctx, request, notModified, false);
      return false;
    }
    RangeHeader range = RangeHeader.parse(request.headers().get(HttpHeaderNames.RANGE), length);
    if (range == RangeHeader.UNSATISFIABLE) {
      FullHttpResponse unsatisfiable =
          EmulatorReplies.empty(HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE);
      unsatisfiable
          .headers()
          .add(validators)
          .set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + length);
      EmulatorReplies.send(ctx, request, unsatisfiable, false);
      return false;
    }
    return stream(ctx, request, channel, range, length, validators);
  }

  /** Headers, then a zero-copy region of the file (none for HEAD), then the end marker. */
  private static boolean stream(
      ChannelHandlerContext ctx,
      HttpRequest request,
      FileChannel channel,
      RangeHeader range,
      long length,
      HttpHeaders validators) {
    long start = range == null ? 0 : range.start();
    long count = range == null ? length : range.length();
    HttpResponse response = head(range, count, length, validators);
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    HttpUtil.setKeepAlive(response, keepAlive);
    ctx.write(response, ctx.voidPromise());
    boolean body = !request.method().equals(HttpMethod.HEAD) && count > 0;
    if (body) {
      ctx.write(body(ctx, channel, start, count), ctx.voidPromise());
    }
    ChannelFuture done = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    if (!keepAlive) {
      done.addListener(ChannelFutureListener.CLOSE);
    }
    return body;
  }

  /**
   * Zero-copy over plain TCP; under TLS the bytes must pass through the TLS handler, so the file is
   * read in chunks (the TLS front puts a chunked writer in the pipeline).
   */
  private static Object body(
      ChannelHandlerContext ctx, FileChannel channel, long start, long count) {
    if (ctx.pipeline().get(SslHandler.class) == null) {
      return new DefaultFileRegion(channel, start, count);
    }
    try {
      return new ChunkedNioFile(channel, start, count, 64 * 1024);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static HttpResponse head(
      RangeHeader range, long count, long length, HttpHeaders validators) {
    HttpResponse response =
        new DefaultHttpResponse(
            HttpVersion.HTTP_1_1,
            range == null ? HttpResponseStatus.OK : HttpResponseStatus.PARTIAL_CONTENT);
    response.headers().add(validators).set(HttpHeaderNames.CONTENT_LENGTH, count);
    if (range != null) {
      String contentRange = "bytes " + range.start() + "-" + range.end() + "/" + length;
      response.headers().set(HttpHeaderNames.CONTENT_RANGE, contentRange);
    }
    return response;
  }

  private static HttpHeaders validators(Asset asset, HttpHeaders extra) {
    HttpHeaders h = new DefaultHttpHeaders().set(HttpHeaderNames.SERVER, "Cloudinary");
    h.add(extra)
        .set(HttpHeaderNames.CONTENT_TYPE, MediaTypes.mediaType(mediaFormat(asset)))
        .set(HttpHeaderNames.ETAG, "\"" + asset.etag() + "\"")
        .set(
            HttpHeaderNames.LAST_MODIFIED, DateFormatter.format(new Date(asset.createdAt() * 1000)))
        .set(HttpHeaderNames.ACCEPT_RANGES, "bytes");
    return h;
  }

  /** Raw assets keep their extension in the public id. */
  private static String mediaFormat(Asset asset) {
    return asset.format() != null ? asset.format() : PublicIds.extension(asset.publicId());
  }

  /** If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2). */
  private static boolean notModified(HttpRequest request, Asset asset) {
    String inm = request.headers().get(HttpHeaderNames.IF_NONE_MATCH);
    if (inm != null) {
      for (String tag : inm.split(",")) {
        String t = tag.trim();
        t = t.startsWith("W/") ? t.substring(2) : t;
        if (t.equals("*") || t.equals("\"" + asset.etag() + "\"")) {
          return true;
        }
      }
      return false;
    }
    String ims = request.headers().get(HttpHeaderNames.IF_MODIFIED_SINCE);
    Date since = ims == null ? null : DateFormatter.parseHttpDate(ims);
    return since != null && asset.createdAt() * 1000 <= since.getTime();
  }
}
