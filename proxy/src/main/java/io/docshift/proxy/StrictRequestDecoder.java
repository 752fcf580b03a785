package io.docshift.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;

/**
 * Netty's request decoder, plus one rule it lacks: a header line starting with a space or tab
 * (obsolete line folding, or whitespace before the first header) fails the request instead of being
 * joined to the previous header, because proxies that join and servers that split disagree about
 * the header set (request smuggling). Netty already rejects {@code Content-Length} with {@code
 * Transfer-Encoding}, duplicate {@code Content-Length} and bare LF line ends, with {@link #config}.
 *
 * <p>The decoder consumes whole lines, so it is enough to remember whether the last consumed byte
 * of the current header section was a line feed, and to scan what is buffered up to the end of the
 * section.
 */
final class StrictRequestDecoder extends HttpRequestDecoder {
  private boolean inHeaders = true;
  private boolean atLineStart;
  private boolean folded;

  StrictRequestDecoder(HttpDecoderConfig config) {
    super(config);
  }

  /**
   * The decoder settings the proxy runs with: the given limits, duplicate {@code Content-Length}
   * refused, CRLF-only lines (in chunk lines too: a bare LF is how smuggling hides a chunk from a
   * peer that parses differently) and RFC 9112 framing (no {@code Transfer-Encoding} in HTTP/1.0,
   * never together with {@code Content-Length}).
   */
  static HttpDecoderConfig config(int maxRequestLineBytes, int maxHeaderBytes) {
    return new HttpDecoderConfig()
        .setMaxInitialLineLength(maxRequestLineBytes)
        .setMaxHeaderSize(maxHeaderBytes)
        .setAllowDuplicateContentLengths(false)
        .setValidateHeaders(true)
        .setStrictLineParsing(true)
        .setUseRfc9112TransferEncoding(true);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    int before = out.size();
    int start = in.readerIndex();
    if (inHeaders && !folded) {
      folded = hasFold(in, atLineStart);
    }
    super.decode(ctx, in, out);
    boolean ended = false;
    for (int i = before; i < out.size(); i++) {
      Object msg = out.get(i);
      if (msg instanceof HttpRequest) {
        HttpRequest request = (HttpRequest) msg;
        if (folded && request.decoderResult().isSuccess()) {
          request.setDecoderResult(DecoderResult.failure(new FoldedHeaderException()));
        }
        folded = false;
        inHeaders = false;
      }
      if (msg instanceof LastHttpContent) {
        inHeaders = true;
        atLineStart = false;
        ended = true;
      }
    }
    if (inHeaders && !ended && in.readerIndex() > start) {
      atLineStart = in.getByte(in.readerIndex() - 1) == '\n';
    }
  }

  /** Whether a line of the header section buffered in {@code in} starts with SP or HTAB. */
  static boolean hasFold(ByteBuf in, boolean atLineStart) {
    boolean previousWasLf = atLineStart;
    for (int i = in.readerIndex(); i < in.writerIndex(); i++) {
      byte b = in.getByte(i);
      if (previousWasLf) {
        if (b == ' ' || b == '\t') {
          return true;
        }
        if (b == '\r' || b == '\n') {
          return false; // the empty line that ends the header section
        }
      }
      previousWasLf = b == '\n';
    }
    return false;
  }
}
