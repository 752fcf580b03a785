package io.docshift.app.write;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.Fault;
import java.net.URI;

/**
 * A WireMock proxy in front of one real part (S3Proxy or the Cloudinary emulator): it forwards
 * every request unchanged until a test injects a fault, and forwards again after {@link #heal()}.
 * The {@code Host} header is kept so that S3's SigV4 signatures still match behind it.
 */
final class FaultGate implements AutoCloseable {
  /** What the gate does to the requests a fault matches. */
  enum Kind {
    /** HTTP 500 with an error body in Cloudinary's shape (S3 clients only read the status). */
    HTTP_500,
    /** HTTP 400 with an error body in Cloudinary's shape: the part refuses the request. */
    HTTP_400,
    /** HTTP 404 in Cloudinary's shape: the part knows nothing (e.g. a retired account). */
    HTTP_404,
    /** The connection is reset without an answer. */
    CONNECTION_RESET
  }

  private static final int FORWARD = 10;
  private static final int FAULT = 1;

  private final WireMockServer server;
  private final String target;

  FaultGate(URI target) {
    this.target = target.toString();
    this.server =
        new WireMockServer(
            WireMockConfiguration.options()
                .dynamicPort()
                .preserveHostHeader(true)
                .gzipDisabled(true)
                .disableRequestJournal());
    server.start();
    heal();
  }

  /** Where clients of the part should connect instead of the part itself. */
  URI url() {
    return URI.create(server.baseUrl());
  }

  /** Answers every request whose path matches {@code pathRegex} with {@code kind}. */
  void fault(String pathRegex, Kind kind) {
    server.stubFor(any(urlPathMatching(pathRegex)).atPriority(FAULT).willReturn(response(kind)));
  }

  /** Answers only the {@code method} requests whose path matches with {@code kind}. */
  void fault(String method, String pathRegex, Kind kind) {
    server.stubFor(
        com.github.tomakehurst.wiremock.client.WireMock.request(method, urlPathMatching(pathRegex))
            .atPriority(FAULT)
            .willReturn(response(kind)));
  }

  /**
   * Forwards the {@code method} requests whose path matches, but holds the part's answer back for
   * {@code millis}: the part has acted, the caller does not know yet.
   */
  void delayAnswers(String method, String pathRegex, int millis) {
    server.stubFor(
        com.github.tomakehurst.wiremock.client.WireMock.request(method, urlPathMatching(pathRegex))
            .atPriority(FAULT)
            .willReturn(aResponse().proxiedFrom(target).withFixedDelay(millis)));
  }

  /**
   * Answers the {@code method} requests whose path matches with {@code kind}, but only after {@code
   * millis}, without forwarding them: the part never sees the request, the caller waits.
   */
  void faultAfter(String method, String pathRegex, Kind kind, int millis) {
    server.stubFor(
        com.github.tomakehurst.wiremock.client.WireMock.request(method, urlPathMatching(pathRegex))
            .atPriority(FAULT)
            .willReturn(response(kind).withFixedDelay(millis)));
  }

  /** Removes every fault: all requests reach the part again. */
  void heal() {
    server.resetMappings();
    server.stubFor(any(anyUrl()).atPriority(FORWARD).willReturn(aResponse().proxiedFrom(target)));
  }

  private static ResponseDefinitionBuilder response(Kind kind) {
    return switch (kind) {
      case HTTP_500 ->
          aResponse()
              .withStatus(500)
              .withHeader("Content-Type", "application/json")
              .withBody("{\"error\":{\"message\":\"injected 500 in front of the store\"}}");
      case HTTP_400 ->
          aResponse()
              .withStatus(400)
              .withHeader("Content-Type", "application/json")
              .withBody("{\"error\":{\"message\":\"injected 400 in front of the store\"}}");
      case HTTP_404 ->
          aResponse()
              .withStatus(404)
              .withHeader("Content-Type", "application/json")
              .withBody("{\"error\":{\"message\":\"injected 404 in front of the store\"}}");
      case CONNECTION_RESET -> aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER);
    };
  }

  @Override
  public void close() {
    server.stop();
  }
}
