package io.docshift.sandbox.emulator;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;

/**
 * Originals on disk plus an in-memory index. Layout: {@code assets/{rt}/{type}/{enc}.bin} holds the
 * bytes and {@code {enc}.json} the {@link Asset} sidecar, where {@code enc} is the URL-encoded
 * public id (or a hash when too long for a file name). Both are replaced by atomic moves, so a
 * reader that already opened the old original keeps streaming it during an overwrite.
 */
final class AssetRepository {
  private static final int MAX_FILE_NAME = 200;
  private static final Random RANDOM = new SecureRandom();

  private final Path assetsDir;
  private final Path stagingDir;
  private final Clock clock;
  private final ObjectMapper json =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private final ConcurrentSkipListMap<AssetKey, Asset> index = new ConcurrentSkipListMap<>();

  private AssetRepository(Path dataDir, Clock clock) {
    this.assetsDir = dataDir.resolve("assets");
    this.stagingDir = dataDir.resolve("staging");
    this.clock = clock;
  }

  /** Opens (creating when missing) the store under {@code dataDir} and indexes every sidecar. */
  static AssetRepository open(Path dataDir, Clock clock) throws IOException {
    AssetRepository repo = new AssetRepository(dataDir, clock);
    Files.createDirectories(repo.assetsDir);
    Files.createDirectories(repo.stagingDir);
    try (Stream<Path> files = Files.walk(repo.assetsDir, 3)) {
      for (Path sidecar : (Iterable<Path>) files.filter(AssetRepository::isSidecar)::iterator) {
        Asset asset = repo.json.readValue(sidecar.toFile(), Asset.class);
        if (Files.isRegularFile(repo.original(asset.key()))) {
          repo.index.put(asset.key(), asset);
        }
      }
    }
    return repo;
  }

  private static boolean isSidecar(Path p) {
    return p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p);
  }

  /** Where uploads and chunks are spilled before they are moved into place. */
  Path stagingDir() {
    return stagingDir;
  }

  Optional<Asset> find(AssetKey key) {
    return Optional.ofNullable(index.get(key));
  }

  /** The assets whose {@code asset_id} is one of {@code assetIds}, in listing order. */
  List<Asset> byAssetIds(java.util.Set<String> assetIds) {
    List<Asset> found = new ArrayList<>();
    for (Asset asset : index.values()) {
      if (assetIds.contains(asset.assetId())) {
        found.add(asset);
      }
    }
    return found;
  }

  /** The file holding an asset's original bytes. */
  Path original(AssetKey key) {
    return dir(key).resolve(fileName(key.publicId()) + ".bin");
  }

  /**
   * Moves a staged file into place as the new original of {@code key}. The version is the clock's
   * unix second, but always greater than the replaced asset's so that cache-busting URLs change
   * even for two uploads within one second; {@code asset_id} survives overwrites.
   */
  synchronized Asset store(AssetKey key, StagedFile staged, AssetDetails details)
      throws IOException {
    Asset previous = index.get(key);
    long now = clock.instant().getEpochSecond();
    long version = previous == null ? now : Math.max(now, previous.version() + 1);
    String assetId = previous == null ? randomHex() : previous.assetId();
    Asset asset =
        new Asset(
            assetId,
            key.publicId(),
            key.resourceType(),
            key.type(),
            details.format(),
            version,
            randomHex(),
            staged.bytes(),
            staged.md5(),
            now,
            details.width(),
            details.height(),
            details.originalFilename(),
            details.tags(),
            details.accessMode());
    Files.createDirectories(dir(key));
    move(staged.path(), original(key));
    Path tmp = Files.createTempFile(stagingDir, "meta-", ".json");
    json.writeValue(tmp.toFile(), asset);
    move(tmp, sidecar(key));
    index.put(key, asset);
    return asset;
  }

  /**
   * Changes the access mode of an existing asset (sidecar and index, under the repository lock).
   *
   * @throws ApiException 404 when the asset does not exist
   */
  synchronized Asset updateAccessMode(AssetKey key, String mode) throws IOException {
    Asset current = index.get(key);
    if (current == null) {
      throw ApiException.notFound("Resource not found - " + key.publicId());
    }
    Asset updated = current.withAccessMode(mode);
    Path tmp = Files.createTempFile(stagingDir, "meta-", ".json");
    json.writeValue(tmp.toFile(), updated);
    move(tmp, sidecar(key));
    index.put(key, updated);
    return updated;
  }

  /** Removes an asset; false when it did not exist. */
  synchronized boolean delete(AssetKey key) throws IOException {
    if (index.remove(key) == null) {
      return false;
    }
    Files.deleteIfExists(sidecar(key));
    Files.deleteIfExists(original(key));
    return true;
  }

  /**
   * Moves the asset at {@code from} to {@code to} (files and index, under the repository lock):
   * same bytes, version and {@code asset_id}, new public id and delivery type.
   *
   * @throws ApiException 404 when {@code from} does not exist, 400 when {@code to} exists and
   *     {@code overwrite} is false
   */
  synchronized Asset rename(AssetKey from, AssetKey to, boolean overwrite) throws IOException {
    Asset source = index.get(from);
    if (source == null) {
      throw ApiException.notFound("Resource not found - " + from.publicId());
    }
    if (index.containsKey(to) && !from.equals(to) && !overwrite) {
      throw ApiException.badRequest("to_public_id (" + to.publicId() + ") already exists");
    }
    Asset moved =
        new Asset(
            source.assetId(),
            to.publicId(),
            to.resourceType(),
            to.type(),
            source.format(),
            source.version(),
            source.versionId(),
            source.bytes(),
            source.etag(),
            source.createdAt(),
            source.width(),
            source.height(),
            source.originalFilename(),
            source.tags(),
            source.accessMode());
    Files.createDirectories(dir(to));
    move(original(from), original(to));
    Path tmp = Files.createTempFile(stagingDir, "meta-", ".json");
    json.writeValue(tmp.toFile(), moved);
    move(tmp, sidecar(to));
    if (!from.equals(to)) {
      Files.deleteIfExists(sidecar(from));
      index.remove(from);
    }
    index.put(to, moved);
    return moved;
  }

  /**
   * Up to {@code limit} assets of one resource type (and delivery type, unless null) whose public
   * id starts with {@code prefix}, strictly after {@code after} in listing order (or before it when
   * descending).
   */
  List<Asset> list(ListQuery query, int limit) {
    List<Asset> page = new ArrayList<>();
    for (Asset asset : candidates(query).values()) {
      if (page.size() == limit || query.isPast(asset)) {
        break;
      }
      if (query.matches(asset)) {
        page.add(asset);
      }
    }
    return page;
  }

  /** The index from where a page starts; ascending pages jump straight to the prefix. */
  private java.util.NavigableMap<AssetKey, Asset> candidates(ListQuery query) {
    if (query.descending()) {
      var view = index.descendingMap();
      return query.after() == null ? view : view.tailMap(query.after(), false);
    }
    AssetKey start = new AssetKey(query.resourceType(), "", query.prefix());
    if (query.after() != null && query.after().compareTo(start) > 0) {
      return index.tailMap(query.after(), false);
    }
    return index.tailMap(start, true);
  }

  private Path dir(AssetKey key) {
    return assetsDir.resolve(key.resourceType()).resolve(key.type());
  }

  private Path sidecar(AssetKey key) {
    return dir(key).resolve(fileName(key.publicId()) + ".json");
  }

  private static String fileName(String publicId) {
    String encoded = URLEncoder.encode(publicId, StandardCharsets.UTF_8);
    return encoded.length() <= MAX_FILE_NAME ? encoded : "~" + Signatures.hex("SHA-1", publicId);
  }

  private static void move(Path from, Path to) {
    try {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot move " + from + " to " + to, e);
    }
  }

  private static String randomHex() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
