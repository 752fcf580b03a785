package io.docshift.proxy.api;

import static java.util.Objects.requireNonNull;

import io.docshift.stores.http.UpstreamClient;
import io.docshift.write.WriteService;
import io.netty.channel.ChannelHandler;

/**
 * The {@code /v1_1/...} API's handlers as the proxy's initializer adds them to each connection: the
 * codec group's {@code Expect: 100-continue} answer ({@link ExpectContinue}) and the routing
 * group's API handler ({@link ApiHandler}, with its {@link ApiPassThrough} and {@link SpoolGuard}).
 * The one public way into this package: the handlers themselves are package-private. One instance
 * serves every connection of a server, so they all share its bound on uploads in flight.
 */
public final class ApiHandlers {
  private final WriteService writes;
  private final UpstreamClient api;
  private final long maxUploadBodyBytes;
  private final Slots uploads;
  private final SpoolGuard guard;

  /**
   * @param writes answers uploads, destroys and the calls that delete or move originals
   * @param api Cloudinary's API host, on the proxy's event loops, for every other call
   * @param maxUploadBodyBytes larger bodies get 413 before a byte is read
   * @param maxInFlightUploads more calls at once get 503
   * @param spoolReserveBytes an upload that would leave less free on the spool disk gets 507
   */
  public ApiHandlers(
      WriteService writes,
      UpstreamClient api,
      long maxUploadBodyBytes,
      int maxInFlightUploads,
      long spoolReserveBytes) {
    this.writes = requireNonNull(writes, "writes");
    this.api = requireNonNull(api, "api");
    this.maxUploadBodyBytes = maxUploadBodyBytes;
    this.uploads = new Slots(maxInFlightUploads);
    this.guard = new SpoolGuard(spoolReserveBytes);
  }

  /** A new connection's {@code 100 Continue} or 413 before an upload body is sent. */
  public ChannelHandler expectContinue() {
    return new ExpectContinue(maxUploadBodyBytes);
  }

  /** A new connection's API handler. */
  public ChannelHandler api() {
    return new ApiHandler(
        writes, new ApiPassThrough(api, writes), maxUploadBodyBytes, uploads, guard);
  }
}
