package io.docshift.proxy;

import io.docshift.proxy.api.ApiHandlers;
import io.docshift.proxy.api.Slots;
import io.docshift.proxy.delivery.DeliveryHandlers;
import io.docshift.proxy.delivery.DeliverySettings;
import io.docshift.proxy.pipeline.PipelineHandlers;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpResponseEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The proxy's pipeline, read in one place (handler names are constants):
 *
 * <pre>
 * (tls)         tls (TlsFront, before this initializer) HTTPS when proxy.tls.* is set
 * (accept)      connection limit                      one over proxy.maxConnections: 503, close
 * limits        idle-timeout, body-read-deadline,      close slow or silent connections;
 *               header-read-timeout                    408 for a body under the byte-rate floor
 *               (each close counted and logged by LimitCloses)
 * codec         decoder, encoder, slow-reader-limits,  HTTP/1.1 with exact 400/414/431/501 verdicts;
 *               request-validator, expect-continue     close a reader under the byte-rate floor,
 *                                                      stalled past the deadline, or late past
 *                                                      grace + size / floor on a response;
 *                                                      100 Continue or 413 before a body
 * observability request-metrics                        one classified outcome per request
 * routing       pipeline-sequencer, api, delivery      in-order answers; Upload API; reads
 *               connection-errors                      an unhandled exception closes, quietly
 * </pre>
 */
final class ProxyInitializer extends ChannelInitializer<SocketChannel> {
  static final String IDLE_TIMEOUT = "idle-timeout";
  static final String HEADER_READ_TIMEOUT = "header-read-timeout";
  static final String BODY_READ_DEADLINE = "body-read-deadline";
  static final String SLOW_READER_LIMITS = "slow-reader-limits";
  static final String DECODER = "decoder";
  static final String ENCODER = "encoder";
  static final String REQUEST_VALIDATOR = "request-validator";
  static final String REQUEST_METRICS = "request-metrics";
  static final String PIPELINE_SEQUENCER = "pipeline-sequencer";
  static final String EXPECT_CONTINUE = "expect-continue";
  static final String API = "api";
  static final String DELIVERY = "delivery";
  static final String CONNECTION_ERRORS = "connection-errors";

  private static final byte[] TOO_MANY_CONNECTIONS =
      ("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nRetry-After: 1\r\n"
              + "X-Cld-Error: Too many connections\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII);

  private final ProxySettings settings;
  private final DeliveryServices services;
  private final ChannelGroup connections;
  private final Slots open;
  private final ApiHandlers api;
  private final PipelineHandlers handlers;
  private final DeliverySettings delivery;

  ProxyInitializer(ProxySettings settings, DeliveryServices services, ChannelGroup connections) {
    this.settings = settings;
    this.services = services;
    this.connections = connections;
    this.open = new Slots(settings.maxConnections());
    this.api =
        new ApiHandlers(
            services.writes(),
            services.api(),
            services.maxUploadBodyBytes(),
            settings.maxInFlightUploads(),
            settings.spoolReserveBytes());
    this.handlers = new PipelineHandlers(services.metrics(), services.evidence());
    this.delivery = new DeliverySettings(settings.storeTotalWait(), settings.cacheMaxAgeSeconds());
  }

  /** Client connections open now (refused ones are not counted). */
  int openConnections() {
    return open.inUse();
  }

  @Override
  protected void initChannel(SocketChannel channel) {
    connections.add(channel);
    if (!open.tryAcquire()) {
      // Refused before a byte is read: a short answer the client can act on, then close.
      channel
          .writeAndFlush(Unpooled.wrappedBuffer(TOO_MANY_CONNECTIONS))
          .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    channel.closeFuture().addListener(f -> open.release());
    ChannelPipeline pipeline = channel.pipeline();
    limits(pipeline);
    codec(pipeline);
    observability(pipeline);
    routing(pipeline);
  }

  void limits(ChannelPipeline pipeline) {
    pipeline.addLast(IDLE_TIMEOUT, handlers.idleTimeout(settings.idleTimeout()));
    pipeline.addLast(
        BODY_READ_DEADLINE,
        handlers.bodyReadDeadline(settings.minBodyBytesPerSecond(), settings.bodyGrace()));
    pipeline.addLast(HEADER_READ_TIMEOUT, handlers.headerReadTimeout(settings.headerReadTimeout()));
  }

  void codec(ChannelPipeline pipeline) {
    pipeline.addLast(
        DECODER, handlers.decoder(settings.maxRequestLineBytes(), settings.maxHeaderBytes()));
    pipeline.addLast(ENCODER, new HttpResponseEncoder());
    pipeline.addLast(
        SLOW_READER_LIMITS,
        handlers.slowReaderLimits(
            settings.minResponseBytesPerSecond(),
            settings.responseRateGrace(),
            settings.writeStall()));
    pipeline.addLast(REQUEST_VALIDATOR, handlers.requestValidator(settings.maxHeaderCount()));
    pipeline.addLast(EXPECT_CONTINUE, api.expectContinue());
  }

  void observability(ChannelPipeline pipeline) {
    pipeline.addLast(REQUEST_METRICS, handlers.requestMetrics());
  }

  void routing(ChannelPipeline pipeline) {
    pipeline.addLast(PIPELINE_SEQUENCER, handlers.sequencer());
    pipeline.addLast(API, api.api());
    pipeline.addLast(DELIVERY, DeliveryHandlers.handler(services.reads(), delivery));
    pipeline.addLast(CONNECTION_ERRORS, handlers.connectionErrors());
  }
}
