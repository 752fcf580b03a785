package io.docshift.proxy.pipeline;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per proxied request on logger {@value #LOGGER}, as key-value pairs: {@code request_id},
 * {@code operation}, {@code backend}, {@code outcome}, {@code status}, {@code latency_ms}. The path
 * is not logged: public ids name people in a healthcare document store; the request id, echoed to
 * the client in {@code X-Request-Id}, is what ties a complaint to its line. Turn it off by setting
 * the logger's level above INFO.
 */
final class AccessLog {
  static final String LOGGER = "io.docshift.access";
  static final String REQUEST_ID = "X-Request-Id";

  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
  private static final HexFormat HEX = HexFormat.of();

  /** What a client may send as its own request id; anything else gets a fresh one. */
  private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  private AccessLog() {}

  /** The client's {@code X-Request-Id} when it is short and plain, else 16 random hex digits. */
  static String requestId(HttpHeaders headers) {
    String offered = headers.get(REQUEST_ID);
    if (offered != null && CLIENT_ID.matcher(offered).matches()) {
      return offered;
    }
    return newId();
  }

  static String newId() {
    return HEX.toHexDigits(ThreadLocalRandom.current().nextLong());
  }

  static void log(String requestId, Verdict verdict, int status, long nanos) {
    if (!LOG.isInfoEnabled()) {
      return;
    }
    LOG.atInfo()
        .addKeyValue("request_id", requestId)
        .addKeyValue("operation", verdict.operation().tag())
        .addKeyValue("backend", verdict.backend().map(b -> b.tag()).orElse("none"))
        .addKeyValue("outcome", verdict.outcome().tag())
        .addKeyValue("status", status)
        .addKeyValue("latency_ms", Math.round(nanos / 1_000.0) / 1_000.0)
        .log("request");
  }
}
