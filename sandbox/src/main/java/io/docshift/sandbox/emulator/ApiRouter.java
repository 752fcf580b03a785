package io.docshift.sandbox.emulator;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Routes a complete {@code /v1_1/{cloud}/...} request: Upload API actions ({@code upload}, {@code
 * destroy}, {@code rename}, {@code delete_by_token}), the signed {@code download}, and the Admin
 * API (reads and {@code DELETE}s). Anything else is a 404 JSON error, never a crash.
 */
final class ApiRouter {
  private static final Set<String> UPLOAD_TYPES = Set.of("image", "video", "raw", "auto");

  private final Handlers handlers;

  ApiRouter(Handlers handlers) {
    this.handlers = handlers;
  }

  /** {@code segments} start after {@code v1_1}; {@code body} is null for GET. */
  void route(
      ChannelHandlerContext ctx,
      HttpRequest request,
      List<String> segments,
      Map<String, List<String>> query,
      FormBody body)
      throws Exception {
    if (segments.isEmpty()) {
      throw unsupported(request);
    }
    if (!segments.get(0).equals(handlers.config().cloudName())) {
      throw ApiException.unauthorized("Invalid cloud_name " + segments.get(0));
    }
    List<String> rest = segments.subList(1, segments.size());
    if (request.method().equals(HttpMethod.POST) && body != null && AdminApiHandler.handles(rest)) {
      // Admin API update: Basic auth and the rate limit, like every Admin API call.
      EmulatorReplies.send(
          ctx,
          request,
          handlers.admin().handle(new ApiRequest(request, rest, body.fields(), null)),
          false);
    } else if (request.method().equals(HttpMethod.POST) && body != null) {
      ApiRequest api = new ApiRequest(request, rest, body.fields(), body.file());
      EmulatorReplies.send(
          ctx,
          request,
          EmulatorReplies.json(HttpResponseStatus.OK, post(api), new DefaultHttpHeaders()),
          false);
    } else if (request.method().equals(HttpMethod.DELETE) && AdminApiHandler.handles(rest)) {
      Map<String, List<String>> params = new LinkedHashMap<>(query);
      if (body != null) {
        body.fields().forEach((k, v) -> params.merge(k, v, ApiRouter::concat));
      }
      EmulatorReplies.send(
          ctx,
          request,
          handlers.admin().handle(new ApiRequest(request, rest, params, null)),
          false);
    } else if (request.method().equals(HttpMethod.GET) && DownloadHandler.handles(rest)) {
      handlers.download().handle(ctx, new ApiRequest(request, rest, query, null));
    } else if (request.method().equals(HttpMethod.GET) && AdminApiHandler.handles(rest)) {
      EmulatorReplies.send(
          ctx, request, handlers.admin().handle(new ApiRequest(request, rest, query, null)), false);
    } else {
      throw unsupported(request);
    }
  }

  private Object post(ApiRequest api) throws Exception {
    List<String> path = api.path();
    // delete_by_token comes with or without a resource type segment, depending on the SDK.
    if (!path.isEmpty()
        && path.size() <= 2
        && path.get(path.size() - 1).equals("delete_by_token")) {
      return handlers.moves().deleteByToken(api);
    }
    if (path.size() != 2 || !UPLOAD_TYPES.contains(path.get(0))) {
      throw unsupported(api.http());
    }
    String resourceType = path.get(0);
    switch (path.get(1)) {
      case "upload":
        Map<String, Object> uploaded = handlers.upload().upload(api, resourceType);
        handlers.moves().grantToken(api, uploaded);
        return uploaded;
      case "rename":
        if (resourceType.equals("auto")) {
          throw ApiException.badRequest("Invalid resource type auto for rename");
        }
        return handlers.moves().rename(api, resourceType);
      case "destroy":
        if (resourceType.equals("auto")) {
          throw ApiException.badRequest("Invalid resource type auto for destroy");
        }
        return handlers.destroy().destroy(api, resourceType);
      default:
        throw unsupported(api.http());
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static ApiException unsupported(HttpRequest request) {
    return ApiException.notFound(
        "Unsupported by the emulator: "
            + request.method()
            + " "
            + new io.netty.handler.codec.http.QueryStringDecoder(request.uri()).rawPath());
  }
}
