package io.docshift.proxy.admin;

import static io.netty.handler.codec.http.HttpResponseStatus.BAD_REQUEST;
import static io.netty.handler.codec.http.HttpResponseStatus.CONFLICT;
import static io.netty.handler.codec.http.HttpResponseStatus.NOT_FOUND;
import static io.netty.handler.codec.http.HttpResponseStatus.OK;
import static io.netty.handler.codec.http.HttpResponseStatus.SERVICE_UNAVAILABLE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docshift.ledger.Ledger;
import io.docshift.proxy.graphql.GraphqlEndpoint;
import io.docshift.traffic.control.TrafficConflictException;
import io.docshift.traffic.control.TrafficControl;
import io.docshift.traffic.control.TrafficJson;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's routes, free of Netty pipelines: method + URI + body (+ actor) in, {@link
 * AdminResponse} out. Invalid input is 400 with the {@code name: value (expected: ...)} message, a
 * change the state forbids is 409, an unreachable ledger 503; nothing changes in any of them.
 * Blocking (ledger I/O): runs on the admin server's executor, never on an event loop.
 */
final class AdminRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(AdminRoutes.class);

  private final TrafficControl control;
  private final MigrationReport migration;
  private final AuditReport audit;
  private final Supplier<String> metrics;
  private final GraphqlEndpoint graphql;

  /** {@code graphql} null: {@code /graphql} answers 404. */
  AdminRoutes(
      TrafficControl control, Ledger ledger, Supplier<String> metrics, GraphqlEndpoint graphql) {
    this.graphql = graphql;
    this.control = control;
    this.migration = new MigrationReport(ledger);
    this.audit = new AuditReport(ledger);
    this.metrics = metrics;
  }

  AdminResponse handle(HttpMethod method, String uri, String body, String actor) {
    QueryStringDecoder query = new QueryStringDecoder(uri);
    try {
      return route(method, query, body, actor);
    } catch (IllegalArgumentException e) {
      return AdminResponse.error(BAD_REQUEST, e.getMessage());
    } catch (TrafficConflictException e) {
      return AdminResponse.error(CONFLICT, e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("admin {} {} failed", method, query.path(), e);
      return AdminResponse.error(SERVICE_UNAVAILABLE, "unavailable: " + e.getMessage());
    }
  }

  private AdminResponse route(
      HttpMethod method, QueryStringDecoder query, String body, String actor) {
    switch (query.path()) {
      case "/admin/traffic":
        if (method.equals(HttpMethod.GET)) {
          return AdminResponse.ok(traffic());
        }
        if (method.equals(HttpMethod.PUT)) {
          return set(body, actor);
        }
        return AdminResponse.notAllowed("GET, PUT");
      case "/admin/traffic/resume":
        return method.equals(HttpMethod.POST) ? resume(body, actor) : post();
      case "/admin/audit":
        return method.equals(HttpMethod.GET) ? audit.latest(query) : get();
      case "/admin/migration":
        return method.equals(HttpMethod.GET) ? AdminResponse.ok(migration.report()) : get();
      case "/metrics":
        return method.equals(HttpMethod.GET)
            ? new AdminResponse(OK, AdminResponse.PROMETHEUS, metrics.get(), null, 0)
            : get();
      case "/graphql":
        return graphql == null
            ? AdminResponse.error(NOT_FOUND, "no GraphQL here")
            : graphql(method, query, body, actor);
      default:
        return AdminResponse.error(NOT_FOUND, "no such admin resource: " + query.path());
    }
  }

  private ObjectNode traffic() {
    ObjectNode json = TrafficJson.write(control.state());
    json.set("effective", TrafficJson.dials(control.current()));
    json.put("windowHere", control.guard().snapshot().toString());
    return json;
  }

  private AdminResponse set(String body, String actor) {
    JsonNode json = TrafficJson.parse(body);
    String reason = reason(json);
    control.set(TrafficJson.readChange(json), actor, reason);
    return AdminResponse.ok(traffic());
  }

  private AdminResponse resume(String body, String actor) {
    String reason = body.isBlank() ? null : reason(TrafficJson.parse(body));
    control.resume(actor, reason);
    return AdminResponse.ok(traffic());
  }

  private AdminResponse graphql(
      HttpMethod method, QueryStringDecoder query, String body, String actor) {
    return AdminResponse.graphql(graphql.handle(method.name(), query.uri(), body, actor));
  }

  private static String reason(JsonNode json) {
    JsonNode reason = json.path("reason");
    if (!reason.isMissingNode() && !reason.isTextual()) {
      throw new IllegalArgumentException("reason: " + reason + " (expected: a string)");
    }
    return reason.isTextual() ? reason.asText() : null;
  }

  private static AdminResponse get() {
    return AdminResponse.notAllowed("GET");
  }

  private static AdminResponse post() {
    return AdminResponse.notAllowed("POST");
  }
}
