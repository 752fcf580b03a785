package io.docshift.proxy.delivery;

import static java.util.Objects.requireNonNull;

import io.netty.channel.ChannelHandler;

/**
 * The delivery handler as the proxy's initializer adds it to each connection (the routing group's
 * last step, after the API handler let a request through). The one public way in for the
 * initializer: the handler and the exchanges it starts are package-private.
 */
public final class DeliveryHandlers {
  private DeliveryHandlers() {}

  /** A new connection's delivery handler, serving from {@code services} under {@code settings}. */
  public static ChannelHandler handler(DeliverySources services, DeliverySettings settings) {
    return new DeliveryHandler(
        requireNonNull(services, "services"), requireNonNull(settings, "settings"));
  }
}
