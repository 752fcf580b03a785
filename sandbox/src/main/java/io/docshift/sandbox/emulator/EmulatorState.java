package io.docshift.sandbox.emulator;

import io.netty.handler.codec.http.multipart.HttpDataFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Wires one emulator's parts together: the repository, chunk sessions, auth, rate limiter and the
 * handlers. URL-producing parts are created once the port is known ({@link #bound(URI)}).
 */
final class EmulatorState {
  private final EmulatorConfig config;
  private final AssetRepository repository;
  private final ChunkedUploads chunks;
  private final HttpDataFactory dataFactory;
  private volatile URI baseUrl;
  private volatile Handlers handlers;
  private volatile AssetJson json;
  private volatile RateLimiter adminLimiter;

  private EmulatorState(
      EmulatorConfig config,
      AssetRepository repository,
      ChunkedUploads chunks,
      HttpDataFactory dataFactory) {
    this.config = config;
    this.repository = repository;
    this.chunks = chunks;
    this.dataFactory = dataFactory;
  }

  /**
   * Opens the repository. Unfinished chunk sessions of an earlier run are dropped: which public id
   * and total they belonged to lived in memory only.
   */
  static EmulatorState open(EmulatorConfig config, HttpDataFactory dataFactory) throws IOException {
    AssetRepository repository = AssetRepository.open(config.dataDir(), config.clock());
    Path chunksDir = config.dataDir().resolve("chunks");
    deleteTree(chunksDir);
    Files.createDirectories(chunksDir);
    return new EmulatorState(
        config, repository, new ChunkedUploads(chunksDir, repository.stagingDir()), dataFactory);
  }

  void bound(URI baseUrl) {
    this.baseUrl = baseUrl;
    RequestAuth auth = new RequestAuth(config);
    AssetUrls urls = new AssetUrls(baseUrl.toString(), config.cloudName(), config.apiSecret());
    this.json = new AssetJson(urls, config);
    this.adminLimiter = new RateLimiter(config.adminCallsPerHour(), config.clock());
    this.handlers =
        new Handlers(
            config,
            dataFactory,
            new UploadHandler(auth, repository, chunks, json),
            new DestroyHandler(auth, repository),
            new MoveHandler(auth, repository, json, new DeleteTokens(config.clock())),
            new AdminApiHandler(auth, adminLimiter, repository, json, config.bulkDeletePageSize()),
            new DownloadHandler(auth, repository),
            new CdnHandler(config, repository));
  }

  long adminCalls() {
    return adminLimiter.spent();
  }

  URI baseUrl() {
    return baseUrl;
  }

  Handlers handlers() {
    return handlers;
  }

  StoredAsset seed(SeedRequest request, InputStream in) throws IOException {
    StagedFile staged = StagedFile.copy(in, repository.stagingDir());
    try {
      String format = request.resourceType().equals("raw") ? null : seedFormat(request, staged);
      int[] size = request.resourceType().equals("image") ? ImageSize.read(staged.path()) : null;
      AssetDetails details =
          new AssetDetails(
              format,
              size == null ? null : size[0],
              size == null ? null : size[1],
              request.originalFilename(),
              request.tags());
      AssetKey key = new AssetKey(request.resourceType(), request.type(), request.publicId());
      Asset asset = repository.store(key, staged, details);
      return new StoredAsset(
          asset.assetId(),
          asset.publicId(),
          asset.resourceType(),
          asset.type(),
          asset.format(),
          asset.version(),
          asset.bytes(),
          asset.etag(),
          java.time.Instant.ofEpochSecond(asset.createdAt()),
          URI.create((String) json.resource(asset).get("secure_url")));
    } finally {
      Files.deleteIfExists(staged.path());
    }
  }

  private static String seedFormat(SeedRequest request, StagedFile staged) {
    String format = request.format() != null ? request.format() : staged.sniffedFormat();
    if (format == null) {
      throw new IllegalArgumentException(
          "format: null (expected: a format for "
              + request.publicId()
              + ", not detectable from its bytes)");
    }
    return format;
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }
}
