package io.docshift.proxy.admin;

import static io.netty.handler.codec.http.HttpResponseStatus.FORBIDDEN;
import static io.netty.handler.codec.http.HttpResponseStatus.SERVICE_UNAVAILABLE;
import static io.netty.handler.codec.http.HttpResponseStatus.UNAUTHORIZED;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docshift.ledger.AuditLog;
import io.docshift.proxy.graphql.GraphqlEndpoint;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator console's side of the admin listener: its static files at {@code /} (no token needed
 * to load the sign-in page), sign-in and sign-out at {@value #SESSION_PATH}, and {@code POST
 * /graphql} for a signed-in browser. A browser signs in with its operator's token once and then
 * holds only a session cookie ({@link ConsoleCookies}); every {@code /graphql} call it makes must
 * carry the session's CSRF token in {@value #CSRF_HEADER} (a cross-site form cannot set a header)
 * and, when the browser names an origin, come from this origin; otherwise it is 403 and nothing
 * runs. The audit names the session's operator. Requests with an {@code Authorization} header are
 * the bearer API's, not the console's. Blocking (ledger I/O): call it on a worker.
 */
final class Console {
  private static final Logger LOG = LoggerFactory.getLogger(Console.class);
  static final String SESSION_PATH = "/console/session";
  static final String CSRF_HEADER = "X-CSRF-Token";

  private final BearerAuth auth;
  private final ConsoleSessions sessions;
  private final ConsoleCookies cookies;
  private final ConsoleAssets assets;
  private final GraphqlEndpoint graphql;
  private final Refusals refusals;
  private final AuditLog audit;
  private final boolean tlsListener;

  /**
   * @param tlsListener whether the admin listener itself serves TLS: the cookie is then always
   *     {@code Secure}
   */
  Console(
      BearerAuth auth,
      ConsoleSessions sessions,
      ConsoleAssets assets,
      GraphqlEndpoint graphql,
      Refusals refusals,
      AuditLog audit,
      boolean tlsListener) {
    this.auth = auth;
    this.sessions = sessions;
    this.cookies = new ConsoleCookies(sessions.maxAge());
    this.assets = assets;
    this.graphql = graphql;
    this.refusals = refusals;
    this.audit = audit;
    this.tlsListener = tlsListener;
  }

  /** The console's answer, or empty when the request is not the console's. */
  Optional<AdminResponse> answer(
      HttpMethod method, String uri, HttpHeaders headers, String body, String peer) {
    String path = new QueryStringDecoder(uri).path();
    if (assets.serves(path)) {
      boolean read = method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD);
      return Optional.of(read ? assets.get(path) : AdminResponse.notAllowed("GET"));
    }
    if (path.equals(SESSION_PATH)) {
      return Optional.of(secured(answered(() -> session(method, headers, body, peer))));
    }
    boolean browser =
        !headers.contains(HttpHeaderNames.AUTHORIZATION) && cookies.sessionId(headers) != null;
    if (path.equals("/graphql") && browser && graphql != null) {
      return Optional.of(secured(answered(() -> graphql(method, uri, headers, body))));
    }
    return Optional.empty();
  }

  /**
   * Sessions live in the ledger: when it cannot be read, the console answers 503 rather than
   * leaving the request unanswered.
   */
  private static AdminResponse answered(Supplier<AdminResponse> answer) {
    try {
      return answer.get();
    } catch (RuntimeException e) {
      LOG.warn("console request failed: {}", e.getMessage());
      return AdminResponse.error(SERVICE_UNAVAILABLE, "unavailable: " + e.getMessage());
    }
  }

  private AdminResponse session(HttpMethod method, HttpHeaders headers, String body, String peer) {
    if (method.equals(HttpMethod.POST)) {
      return signIn(headers, body, peer);
    }
    Optional<ConsoleSessions.Session> session = sessions.use(cookies.sessionId(headers));
    if (method.equals(HttpMethod.GET)) {
      return session.map(Console::describe).orElseGet(Console::signedOut);
    }
    if (method.equals(HttpMethod.DELETE)) {
      if (session.isPresent()) {
        Optional<AdminResponse> refused = forged(headers, session.get());
        if (refused.isPresent()) {
          return refused.get();
        }
        sessions.close(session.get().id());
        audit.append(session.get().operator(), "console.sign-out", null, null, null);
      }
      return AdminResponse.ok(AdminResponse.mapper().createObjectNode().put("signedIn", false))
          .withHeaders(cookies.cleared(secure(headers)));
    }
    return AdminResponse.notAllowed("GET, POST, DELETE");
  }

  private AdminResponse signIn(HttpHeaders headers, String body, String peer) {
    Optional<AdminResponse> crossSite = foreignOrigin(headers);
    if (crossSite.isPresent()) {
      return crossSite.get();
    }
    BearerAuth.Verdict verdict = auth.check("Bearer " + token(body));
    if (!verdict.allowed()) {
      refusals.record(peer, "console sign-in: " + verdict.refusal());
      refusals.flush(audit);
      return AdminResponse.error(UNAUTHORIZED, "unauthorized: " + verdict.refusal());
    }
    ConsoleSessions.Session session = sessions.open(verdict.owner());
    audit.append(session.operator(), "console.sign-in", null, null, null);
    return describe(session).withHeaders(cookies.issued(session.id(), secure(headers)));
  }

  private AdminResponse graphql(HttpMethod method, String uri, HttpHeaders headers, String body) {
    Optional<ConsoleSessions.Session> session = sessions.use(cookies.sessionId(headers));
    if (session.isEmpty()) {
      return signedOut();
    }
    if (!method.equals(HttpMethod.POST)) {
      // GET would put the query in a URL and could not carry the CSRF check's intent.
      return AdminResponse.notAllowed("POST");
    }
    Optional<AdminResponse> refused = forged(headers, session.get());
    if (refused.isPresent()) {
      return refused.get();
    }
    GraphqlEndpoint.Answer answer;
    try {
      answer = graphql.handle("POST", uri, body, session.get().operator());
    } catch (RuntimeException e) {
      // Answered like the bearer API's failures: an unanswered request would hang the page.
      LOG.error("console GraphQL request failed", e);
      return AdminResponse.error(SERVICE_UNAVAILABLE, "unavailable: " + e.getMessage());
    }
    return AdminResponse.graphql(answer);
  }

  /** 403 when the CSRF token is missing or wrong, or the browser names another origin. */
  private Optional<AdminResponse> forged(HttpHeaders headers, ConsoleSessions.Session session) {
    String given = headers.get(CSRF_HEADER);
    if (given == null || !ConsoleCookies.same(given, session.csrf())) {
      audit.append(
          session.operator(), "console.csrf-refused", null, null, "missing or wrong CSRF token");
      return Optional.of(AdminResponse.error(FORBIDDEN, "forbidden: missing or wrong CSRF token"));
    }
    return foreignOrigin(headers);
  }

  private static Optional<AdminResponse> foreignOrigin(HttpHeaders headers) {
    String origin = headers.get(HttpHeaderNames.ORIGIN);
    String host = headers.get(HttpHeaderNames.HOST);
    if (origin == null || host == null) {
      return Optional.empty();
    }
    String authority;
    try {
      authority = URI.create(origin).getRawAuthority();
    } catch (IllegalArgumentException e) {
      authority = null;
    }
    return host.equalsIgnoreCase(authority)
        ? Optional.empty()
        : Optional.of(AdminResponse.error(FORBIDDEN, "forbidden: origin " + origin));
  }

  /** The browser used TLS: to this listener, or to a terminating balancer that says so. */
  private boolean secure(HttpHeaders headers) {
    return tlsListener || "https".equalsIgnoreCase(headers.get("X-Forwarded-Proto"));
  }

  private static String token(String body) {
    try {
      JsonNode json = AdminResponse.mapper().readTree(body.isBlank() ? "{}" : body);
      return json.path("token").asText("");
    } catch (IOException e) {
      return "";
    }
  }

  private static AdminResponse describe(ConsoleSessions.Session session) {
    ObjectNode json = AdminResponse.mapper().createObjectNode();
    json.put("signedIn", true).put("operator", session.operator()).put("csrf", session.csrf());
    return AdminResponse.ok(json);
  }

  private static AdminResponse signedOut() {
    return AdminResponse.error(UNAUTHORIZED, "unauthorized: sign in");
  }

  private static AdminResponse secured(AdminResponse response) {
    return response.withHeaders(ConsoleAssets.SECURITY_HEADERS);
  }
}
