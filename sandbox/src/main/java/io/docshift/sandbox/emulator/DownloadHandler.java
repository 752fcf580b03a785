package io.docshift.sandbox.emulator;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.io.IOException;

/**
 * {@code GET /v1_1/{cloud}/{rt}/download?public_id=&format=&type=&expires_at=&timestamp=&api_key=
 * &signature=}: the signed private download of an original (SDK {@code privateDownload}), checked
 * like an upload signature with {@code expires_at} as the freshness bound when present.
 */
final class DownloadHandler {
  private final RequestAuth auth;
  private final AssetRepository repository;

  DownloadHandler(RequestAuth auth, AssetRepository repository) {
    this.auth = auth;
    this.repository = repository;
  }

  /** Whether {@code path} (after {@code /v1_1/{cloud}}) is a download route. */
  static boolean handles(java.util.List<String> path) {
    return path.size() == 2
        && AdminApiHandler.RESOURCE_TYPES.contains(path.get(0))
        && path.get(1).equals("download");
  }

  void handle(ChannelHandlerContext ctx, ApiRequest request) throws IOException {
    auth.verifyDownload(request.params());
    String publicId = request.param("public_id");
    if (publicId == null) {
      throw ApiException.missing("public_id");
    }
    AssetKey key = new AssetKey(request.path().get(0), request.param("type", "upload"), publicId);
    Asset asset =
        repository
            .find(key)
            .orElseThrow(() -> ApiException.notFound("Resource not found - " + publicId));
    HttpHeaders extra =
        new DefaultHttpHeaders().set(HttpHeaderNames.CACHE_CONTROL, "private, no-store");
    String format = request.param("format");
    if (format != null && !format.equalsIgnoreCase(asset.format())) {
      extra.set(CdnHandler.TRANSFORMATION_HEADER, "ignored");
    }
    if (request.flag("attachment", false)) {
      String name = publicId.substring(publicId.lastIndexOf('/') + 1);
      extra.set(
          HttpHeaderNames.CONTENT_DISPOSITION,
          "attachment; filename=\""
              + AssetUrls.source(asset).substring(publicId.length() - name.length())
              + "\"");
    }
    FileResponder.serve(ctx, request.http(), asset, repository.original(key), extra);
  }
}
