package io.docshift.sandbox.emulator;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * CDN delivery of originals: {@code GET|HEAD [/{cloud}]/{rt}/{type}/...}. Private and authenticated
 * assets, and assets whose {@code access_mode} is {@code authenticated}, need a valid {@code
 * s--SIG--} (401 otherwise, reason in {@code X-Cld-Error}). Transformations and format changes are
 * not rendered: the original is served with {@code X-Emulator-Transformation: ignored}. The version
 * segment is a cache-buster and ignored.
 */
final class CdnHandler {
  static final String TRANSFORMATION_HEADER = "X-Emulator-Transformation";
  private static final Set<String> TYPES = Set.of("upload", "private", "authenticated");

  private final EmulatorConfig config;
  private final AssetRepository repository;

  CdnHandler(EmulatorConfig config, AssetRepository repository) {
    this.config = config;
    this.repository = repository;
  }

  void handle(ChannelHandlerContext ctx, HttpRequest request, RequestPath requestPath)
      throws IOException {
    int from = cloudSegments(requestPath.segments());
    List<String> segments = requestPath.segments();
    List<String> raw = requestPath.rawSegments();
    DeliveryPath parsed =
        DeliveryPath.parse(segments.subList(from, segments.size()), raw.subList(from, raw.size()));
    if (parsed == null
        || !AdminApiHandler.RESOURCE_TYPES.contains(parsed.resourceType())
        || !TYPES.contains(parsed.type())) {
      fail(ctx, request, HttpResponseStatus.NOT_FOUND, "Resource not found");
      return;
    }
    String denied = signatureProblem(parsed);
    if (denied != null) {
      fail(ctx, request, HttpResponseStatus.UNAUTHORIZED, denied);
      return;
    }
    for (int transformations : parsed.splits()) {
      Optional<Resolved> resolved =
          resolve(parsed.resourceType(), parsed.type(), parsed.source(transformations));
      if (resolved.isPresent()
          && resolved.get().asset().authenticatedAccess()
          && parsed.signature() == null) {
        // access_mode authenticated: even an upload-type asset needs a signed URL.
        fail(
            ctx,
            request,
            HttpResponseStatus.UNAUTHORIZED,
            "Signature required for authenticated access mode");
        return;
      }
      if (resolved.isPresent()) {
        serve(ctx, request, resolved.get(), transformations > 0);
        return;
      }
    }
    fail(ctx, request, HttpResponseStatus.NOT_FOUND, "Resource not found");
  }

  /** 1 when the path starts with the cloud name (shared-CDN form), 0 for the private-CDN form. */
  private int cloudSegments(List<String> segments) {
    boolean cloudFirst =
        segments.size() > 1
            && segments.get(0).equals(config.cloudName())
            && AdminApiHandler.RESOURCE_TYPES.contains(segments.get(1));
    return cloudFirst ? 1 : 0;
  }

  /** Why the signature is refused, or {@code null}; upload-type URLs only check one if present. */
  private String signatureProblem(DeliveryPath parsed) {
    if (parsed.signature() == null) {
      return parsed.type().equals("upload")
          ? null
          : "Signature required for " + parsed.type() + " resources";
    }
    boolean longSignature = parsed.signature().length() == 32;
    String expected = Signatures.urlSignature(parsed.toSign(), config.apiSecret(), longSignature);
    return Signatures.same(expected, parsed.signature()) ? null : "Invalid signature";
  }

  /** The asset and the requested format (image/video keep the format outside the public id). */
  private record Resolved(Asset asset, String requestedFormat) {}

  private Optional<Resolved> resolve(String resourceType, String type, String source) {
    if (!resourceType.equals("raw")) {
      int dot = source.lastIndexOf('.');
      if (dot > source.lastIndexOf('/') + 1 && dot < source.length() - 1) {
        Optional<Asset> withFormat =
            repository.find(new AssetKey(resourceType, type, source.substring(0, dot)));
        if (withFormat.isPresent()) {
          return Optional.of(new Resolved(withFormat.get(), source.substring(dot + 1)));
        }
      }
    }
    return repository
        .find(new AssetKey(resourceType, type, source))
        .map(a -> new Resolved(a, null));
  }

  private void serve(
      ChannelHandlerContext ctx, HttpRequest request, Resolved resolved, boolean transformed)
      throws IOException {
    Asset asset = resolved.asset();
    HttpHeaders extra = new DefaultHttpHeaders();
    extra.set(
        HttpHeaderNames.CACHE_CONTROL,
        asset.type().equals("upload") ? "public, max-age=2592000" : "private, max-age=2592000");
    boolean otherFormat =
        resolved.requestedFormat() != null
            && !resolved.requestedFormat().equalsIgnoreCase(asset.format());
    if (transformed || otherFormat) {
      extra.set(TRANSFORMATION_HEADER, "ignored");
    }
    FileResponder.serve(ctx, request, asset, repository.original(asset.key()), extra);
  }

  private static void fail(
      ChannelHandlerContext ctx, HttpRequest request, HttpResponseStatus status, String reason) {
    EmulatorReplies.send(ctx, request, EmulatorReplies.cdnError(status, reason), false);
  }
}
