package io.docshift.proxy.api;

import io.docshift.write.Removals;
import io.netty.handler.codec.http.HttpMethod;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which {@code /v1_1/...} calls of this account DocShift answers itself or must follow: uploads and
 * destroys (the write path), and every other call that deletes or moves an original ({@code
 * rename}, {@code delete_by_token}, Admin API deletes and updates). Everything else passes through
 * untouched.
 */
final class ApiRoutes {
  private static final Pattern UPLOAD_API =
      Pattern.compile(
          "/v1_1/([^/?]+)/(image|video|raw|auto)/(upload|destroy|rename|delete_by_token)");
  private static final Pattern TOKEN = Pattern.compile("/v1_1/([^/?]+)/delete_by_token");

  /** What DocShift does with a call. */
  enum Action {
    UPLOAD,
    DESTROY,
    RENAME,
    DELETE_BY_TOKEN,
    ADMIN_DELETE,
    ADMIN_UPDATE
  }

  /** A routed call: its action and the path's resource type ({@code image} when it has none). */
  record Route(Action action, String resourceType) {}

  private ApiRoutes() {}

  /** The route of a call, or null when it passes through. {@code path} has no query. */
  static Route of(HttpMethod method, String path, String cloud, Removals removals) {
    if (method.equals(HttpMethod.DELETE)) {
      return removals.isAdminDelete(path) ? new Route(Action.ADMIN_DELETE, "image") : null;
    }
    if (!method.equals(HttpMethod.POST)) {
      return null;
    }
    if (removals.isUpdate(path)) {
      return new Route(Action.ADMIN_UPDATE, "image");
    }
    Matcher token = TOKEN.matcher(path);
    if (token.matches() && token.group(1).equals(cloud)) {
      return new Route(Action.DELETE_BY_TOKEN, "image");
    }
    Matcher m = UPLOAD_API.matcher(path);
    if (!m.matches() || !m.group(1).equals(cloud)) {
      return null;
    }
    String rt = m.group(2);
    switch (m.group(3)) {
      case "upload":
        return new Route(Action.UPLOAD, rt);
      case "destroy":
        return new Route(Action.DESTROY, rt);
      case "rename":
        // Cloudinary refuses rename of "auto"; pass it on so the client gets Cloudinary's answer.
        return rt.equals("auto") ? null : new Route(Action.RENAME, rt);
      default:
        return new Route(Action.DELETE_BY_TOKEN, rt);
    }
  }
}
