package io.docshift.sandbox.emulator;

import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /v1_1/{cloud}/{rt}/upload}: verifies the signature (or the unsigned upload preset),
 * stages the file, resolves {@code auto}, decides the public id and stores the original; chunked
 * {@code upload_large} parts go through the {@link ChunkedUploads} first. Answers with the Upload
 * API response JSON.
 */
final class UploadHandler {
  private static final Set<String> TYPES = Set.of("upload", "private", "authenticated");

  private final RequestAuth auth;
  private final AssetRepository repository;
  private final ChunkedUploads chunks;
  private final AssetJson json;

  UploadHandler(
      RequestAuth auth, AssetRepository repository, ChunkedUploads chunks, AssetJson json) {
    this.auth = auth;
    this.repository = repository;
    this.chunks = chunks;
    this.json = json;
  }

  Map<String, Object> upload(ApiRequest request, String resourceType) throws IOException {
    boolean unsigned = auth.verifyUpload(request.params());
    if (unsigned && request.param("overwrite") != null) {
      throw ApiException.badRequest(
          "Overwrite parameter is not allowed when using unsigned upload");
    }
    String type = request.param("type", "upload");
    if (!TYPES.contains(type)) {
      throw ApiException.badRequest("Invalid type " + type);
    }
    UploadedFile source = UploadedFile.of(request.file(), repository.stagingDir());
    try {
      String uploadId = request.header("X-Unique-Upload-Id");
      String range = request.header(HttpHeaderNames.CONTENT_RANGE.toString());
      if (uploadId == null || range == null) {
        return store(request, resourceType, type, unsigned, source, source.staged());
      }
      ChunkedUploads.Outcome outcome =
          chunks.accept(uploadId, ChunkHeader.parse(range), source.staged());
      if (outcome.assembled() == null) {
        return pending(request, uploadId, outcome.received());
      }
      try {
        return store(request, resourceType, type, unsigned, source, outcome.assembled());
      } finally {
        Files.deleteIfExists(outcome.assembled().path());
      }
    } finally {
      Files.deleteIfExists(source.staged().path());
    }
  }

  /**
   * Intermediate chunk answer (Cloudinary contract OQ 2): {@code done:false}, the upload id, the
   * bytes held so far; {@code public_id} only when the client chose one (SDKs copy it forward).
   */
  private static Map<String, Object> pending(ApiRequest request, String uploadId, long received) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("done", false);
    body.put("upload_id", uploadId);
    body.put("bytes", received);
    Optional.ofNullable(request.param("public_id")).ifPresent(id -> body.put("public_id", id));
    return body;
  }

  /**
   * An unsigned upload never replaces an existing asset: as at Cloudinary, its {@code overwrite} is
   * false and cannot be set, so a browser holding a preset cannot replace someone's document.
   */
  private Map<String, Object> store(
      ApiRequest request,
      String requestedType,
      String type,
      boolean unsigned,
      UploadedFile source,
      StagedFile staged)
      throws IOException {
    String format = format(source, staged);
    String resourceType =
        requestedType.equals("auto") ? MediaTypes.resolveAuto(format) : requestedType;
    checkMedia(resourceType, format);
    String publicId = PublicIdPolicy.decide(request, resourceType, source.filename(), format);
    AssetKey key = new AssetKey(resourceType, type, publicId);
    Optional<Asset> existing = repository.find(key);
    if (existing.isPresent() && (unsigned || !request.flag("overwrite", true))) {
      Map<String, Object> body = json.uploaded(existing.get());
      body.put("existing", true);
      return body;
    }
    Asset asset =
        repository.store(key, staged, details(request, resourceType, format, source, staged));
    Map<String, Object> body = json.uploaded(asset);
    if (existing.isPresent()) {
      body.put("overwritten", true);
    }
    return body;
  }

  private static AssetDetails details(
      ApiRequest request,
      String resourceType,
      String format,
      UploadedFile source,
      StagedFile staged) {
    int[] size = resourceType.equals("image") ? ImageSize.read(staged.path()) : null;
    String filename = source.filename() == null ? "file" : PublicIds.baseName(source.filename());
    String tags = request.param("tags");
    List<String> tagList = tags == null ? List.of() : Arrays.asList(tags.split(","));
    return new AssetDetails(
        resourceType.equals("raw") ? null : format,
        size == null ? null : size[0],
        size == null ? null : size[1],
        filename,
        tagList,
        accessMode(request));
  }

  /**
   * Upload API {@code access_mode}: {@code authenticated} makes even an upload-type asset need a
   * signed delivery URL; {@code public} (the default) is stored as no mode at all.
   */
  private static String accessMode(ApiRequest request) {
    String mode = request.param("access_mode", "public");
    if (!mode.equals("public") && !mode.equals("authenticated")) {
      throw ApiException.badRequest("Invalid access_mode " + mode);
    }
    return mode.equals("authenticated") ? mode : null;
  }

  /** Magic bytes win; then the data-URI media type; then the file name's extension. */
  private static String format(UploadedFile source, StagedFile staged) {
    String sniffed = staged.sniffedFormat();
    if (sniffed != null) {
      return sniffed;
    }
    if (source.declaredFormat() != null) {
      return source.declaredFormat();
    }
    return source.filename() == null ? null : PublicIds.extension(source.filename());
  }

  private static void checkMedia(String resourceType, String format) {
    if (resourceType.equals("image") && (format == null || !MediaTypes.IMAGE.contains(format))) {
      throw ApiException.badRequest("Invalid image file");
    }
    if (resourceType.equals("video") && (format == null || !MediaTypes.VIDEO.contains(format))) {
      throw ApiException.badRequest("Invalid video file");
    }
  }
}
