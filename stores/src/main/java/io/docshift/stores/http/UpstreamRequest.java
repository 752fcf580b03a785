package io.docshift.stores.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.stream.ChunkedNioFile;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Writes one {@link UpstreamExchange}'s request on its connection. */
final class UpstreamRequest {
  private UpstreamRequest() {}

  /**
   * Whether a request whose reused connection broke with {@code cause} before any response byte may
   * be sent again on a new one: only a bodiless GET or HEAD is safe to send twice (and a file body
   * may be half gone), and only after a broken connection, not a refused one.
   */
  static boolean repeatable(HttpMethod method, Path body, Throwable cause) {
    return body == null
        && (method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD))
        && cause instanceof IOException
        && !(cause instanceof java.net.ConnectException);
  }

  /**
   * Writes and flushes the request; a file body follows its headers as a {@link DefaultFileRegion}
   * (the kernel copies it to the socket) on a plain connection, in chunks through TLS, either of
   * which owns and closes the file channel.
   *
   * @param body the body's file, or {@code null} for none
   * @return completes when the whole request is written
   * @throws IOException when the body's file cannot be opened
   */
  static ChannelFuture write(
      Channel channel, HttpMethod method, String uri, HttpHeaders headers, Path body, boolean tls)
      throws IOException {
    if (body == null) {
      return channel.writeAndFlush(
          new DefaultFullHttpRequest(
              HttpVersion.HTTP_1_1,
              method,
              uri,
              Unpooled.EMPTY_BUFFER,
              headers,
              EmptyHttpHeaders.INSTANCE));
    }
    FileChannel file = FileChannel.open(body, StandardOpenOption.READ);
    long size;
    try {
      size = file.size();
    } catch (IOException e) {
      file.close();
      throw e;
    }
    HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, uri, headers);
    HttpUtil.setContentLength(request, size);
    channel.write(request);
    channel.write(tls ? new ChunkedNioFile(file) : new DefaultFileRegion(file, 0, size));
    return channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
  }

  /**
   * Writes the head of a request whose body streams from {@code body} once the upstream asks for it
   * ({@code Expect: 100-continue}).
   *
   * @return completes when the head is written
   */
  static ChannelFuture writeHead(
      Channel channel, HttpMethod method, String uri, HttpHeaders headers, PublishedBody body) {
    HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, uri, headers);
    HttpUtil.setContentLength(request, body.length());
    HttpUtil.set100ContinueExpected(request, true);
    return channel.writeAndFlush(request);
  }
}
