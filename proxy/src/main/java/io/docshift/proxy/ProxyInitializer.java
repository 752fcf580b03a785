package io.docshift.proxy;

import io.docshift.core.metrics.MetricsRecorder;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpResponseEncoder;

/**
 * The proxy's pipeline, read in one place (handler names are constants):
 *
 * <pre>
 * limits        idle-timeout, header-read-timeout      close slow or silent connections
 * codec         decoder, encoder, request-validator,   HTTP/1.1 with exact 400/414/431 verdicts,
 *               expect-continue                        100 Continue or 413 before a body is sent
 * observability request-metrics                        one classified outcome per request
 * routing       pipeline-sequencer, api, delivery      in-order answers; Upload API; reads
 * </pre>
 */
final class ProxyInitializer extends ChannelInitializer<SocketChannel> {
  static final String IDLE_TIMEOUT = "idle-timeout";
  static final String HEADER_READ_TIMEOUT = "header-read-timeout";
  static final String DECODER = "decoder";
  static final String ENCODER = "encoder";
  static final String REQUEST_VALIDATOR = "request-validator";
  static final String REQUEST_METRICS = "request-metrics";
  static final String PIPELINE_SEQUENCER = "pipeline-sequencer";
  static final String EXPECT_CONTINUE = "expect-continue";
  static final String API = "api";
  static final String DELIVERY = "delivery";

  private final ProxySettings settings;
  private final DeliveryServices services;
  private final ChannelGroup connections;

  ProxyInitializer(ProxySettings settings, DeliveryServices services, ChannelGroup connections) {
    this.settings = settings;
    this.services = services;
    this.connections = connections;
  }

  @Override
  protected void initChannel(SocketChannel channel) {
    connections.add(channel);
    ChannelPipeline pipeline = channel.pipeline();
    limits(pipeline);
    codec(pipeline);
    observability(pipeline, services.metrics());
    routing(pipeline);
  }

  void limits(ChannelPipeline pipeline) {
    pipeline.addLast(IDLE_TIMEOUT, new IdleTimeout(settings.idleTimeout()));
    pipeline.addLast(HEADER_READ_TIMEOUT, new HeaderReadTimeout(settings.headerReadTimeout()));
  }

  void codec(ChannelPipeline pipeline) {
    HttpDecoderConfig config =
        new HttpDecoderConfig()
            .setMaxInitialLineLength(settings.maxRequestLineBytes())
            .setMaxHeaderSize(settings.maxHeaderBytes())
            .setAllowDuplicateContentLengths(false)
            .setValidateHeaders(true);
    pipeline.addLast(DECODER, new StrictRequestDecoder(config));
    pipeline.addLast(ENCODER, new HttpResponseEncoder());
    pipeline.addLast(REQUEST_VALIDATOR, new RequestValidator());
    pipeline.addLast(EXPECT_CONTINUE, new ExpectContinue(services.maxUploadBodyBytes()));
  }

  static void observability(ChannelPipeline pipeline, MetricsRecorder metrics) {
    pipeline.addLast(REQUEST_METRICS, new RequestMetrics(metrics, System::nanoTime));
  }

  void routing(ChannelPipeline pipeline) {
    pipeline.addLast(PIPELINE_SEQUENCER, new PipelineSequencer());
    pipeline.addLast(
        API,
        new ApiHandler(
            services.writes(),
            new ApiPassThrough(services.api(), services.writes()),
            services.maxUploadBodyBytes()));
    pipeline.addLast(DELIVERY, new DeliveryHandler(services, settings));
  }
}
