package io.docshift.proxy.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.InvalidLineSeparatorException;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;

/**
 * Netty's request decoder, plus two rules it lacks. A header line starting with a space or tab
 * (obsolete line folding, or whitespace before the first header) fails the request instead of being
 * joined to the previous header, because proxies that join and servers that split disagree about
 * the header set (request smuggling). A bare LF in a chunked body's trailer section fails the body
 * ({@link TrailerLineEnds}). Netty already rejects {@code Content-Length} with {@code
 * Transfer-Encoding}, duplicate {@code Content-Length}, and bare LF in chunk-size lines and after
 * chunk data, with {@link #config}.
 *
 * <p>Line ends: the request line and header fields may end in a bare LF (RFC 9112 §2.2 lets a
 * recipient accept it, nginx does); DocShift never forwards a head as received, it sends the stores
 * requests of its own with CRLF, and a conforming hop in front cannot hand on a field value that
 * holds an LF (RFC 9110 §5.5). Chunked framing keeps CRLF only: there a bare LF is how smuggling
 * hides a chunk or the end of a body from a peer that parses differently.
 *
 * <p>The decoder consumes whole lines, so it is enough to remember whether the last consumed byte
 * of the current header section was a line feed, and to scan what is buffered up to the end of the
 * section.
 */
final class StrictRequestDecoder extends HttpRequestDecoder {
  private boolean inHeaders = true;
  private boolean atLineStart;
  private boolean folded;
  private boolean chunkedBody;
  private boolean broken;
  private final TrailerLineEnds trailer = new TrailerLineEnds();

  StrictRequestDecoder(HttpDecoderConfig config) {
    super(config);
  }

  /**
   * The decoder settings the proxy runs with: the given limits, duplicate {@code Content-Length}
   * refused, lenient line ends in the head (chunk-size lines and chunk data ends stay CRLF-only in
   * Netty whatever this says) and RFC 9112 framing (no {@code Transfer-Encoding} in HTTP/1.0, never
   * together with {@code Content-Length}).
   */
  static HttpDecoderConfig config(int maxRequestLineBytes, int maxHeaderBytes) {
    return new HttpDecoderConfig()
        .setMaxInitialLineLength(maxRequestLineBytes)
        .setMaxHeaderSize(maxHeaderBytes)
        .setAllowDuplicateContentLengths(false)
        .setValidateHeaders(true)
        .setStrictLineParsing(false)
        .setUseRfc9112TransferEncoding(true);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    if (broken) {
      in.skipBytes(in.readableBytes()); // the connection closes once the refusal is answered
      return;
    }
    int before = out.size();
    int start = in.readerIndex();
    if (inHeaders && !folded) {
      folded = hasFold(in, atLineStart);
    }
    boolean inChunkedBody = chunkedBody;
    super.decode(ctx, in, out);
    if (inChunkedBody) {
      trailer.feed(in, start, in.readerIndex());
    }
    boolean ended = observe(out, before, inChunkedBody);
    if (inHeaders && !ended && in.readerIndex() > start) {
      atLineStart = in.getByte(in.readerIndex() - 1) == '\n';
    }
  }

  /**
   * Marks folded requests and bodies with a bare LF in their trailer as failed, and follows where
   * the next header section starts; true when a request ended in {@code out} after {@code before}.
   */
  private boolean observe(List<Object> out, int before, boolean inChunkedBody) {
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
        chunkedBody =
            request.decoderResult().isSuccess() && HttpUtil.isTransferEncodingChunked(request);
        trailer.reset();
      }
      if (msg instanceof LastHttpContent && inChunkedBody && trailer.sawBareLf()) {
        out.set(i, bareLfInTrailer((LastHttpContent) msg));
      }
      if (msg instanceof LastHttpContent) {
        chunkedBody = false;
        inHeaders = true;
        atLineStart = false;
        ended = true;
      }
    }
    return ended;
  }

  /** The failed end of a body whose trailer section had a bare LF, in place of {@code last}. */
  private LastHttpContent bareLfInTrailer(LastHttpContent last) {
    if (last.decoderResult().isFailure()) {
      return last;
    }
    last.release();
    broken = true;
    LastHttpContent failed = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
    failed.setDecoderResult(
        DecoderResult.failure(new InvalidLineSeparatorException("bare LF in the trailer section")));
    return failed;
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
