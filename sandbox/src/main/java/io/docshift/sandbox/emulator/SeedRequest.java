package io.docshift.sandbox.emulator;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * An original to store directly, without HTTP (demo and benchmark corpora). The bytes are streamed
 * from a {@link Path} or an {@link InputStream} into the data directory, never held in heap.
 *
 * <p>Defaults: resource type {@code image}, delivery type {@code upload}; the format of image/video
 * assets is sniffed from the content when not given. For {@code raw} the public id keeps its
 * extension and no format is stored, as on Cloudinary. Seeding an existing key overwrites it and
 * bumps its version.
 */
public final class SeedRequest {
  private static final Set<String> RESOURCE_TYPES = Set.of("image", "video", "raw");
  private static final Set<String> TYPES = Set.of("upload", "private", "authenticated");

  private final String resourceType;
  private final String type;
  private final String publicId;
  private final String format;
  private final Path file;
  private final InputStream content;
  private final List<String> tags;

  private SeedRequest(Builder b) {
    this.resourceType = b.resourceType;
    this.type = b.type;
    this.publicId = b.publicId;
    this.format = b.format;
    this.file = b.file;
    this.content = b.content;
    this.tags = List.copyOf(b.tags);
  }

  /** A builder; {@code publicId} and one byte source are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code image}, {@code video} or {@code raw}. */
  public String resourceType() {
    return resourceType;
  }

  /** {@code upload}, {@code private} or {@code authenticated}. */
  public String type() {
    return type;
  }

  /** Public id (raw: with extension). */
  public String publicId() {
    return publicId;
  }

  /** Format for image/video, or {@code null} to sniff it. */
  public String format() {
    return format;
  }

  /** Tags to record. */
  public List<String> tags() {
    return tags;
  }

  /** Opens the byte source; the caller closes the stream. */
  InputStream open() throws IOException {
    return file != null ? Files.newInputStream(file) : content;
  }

  /** Original file name (without extension) as the Upload API would report it. */
  String originalFilename() {
    String name = file != null ? file.getFileName().toString() : publicId;
    String base = name.substring(name.lastIndexOf('/') + 1);
    int dot = base.lastIndexOf('.');
    return dot > 0 ? base.substring(0, dot) : base;
  }

  /** Validating builder. */
  public static final class Builder {
    private String resourceType = "image";
    private String type = "upload";
    private String publicId;
    private String format;
    private Path file;
    private InputStream content;
    private List<String> tags = List.of();

    private Builder() {}

    /** {@code image}, {@code video} or {@code raw}. */
    public Builder resourceType(String resourceType) {
      this.resourceType = requireNonNull(resourceType, "resourceType");
      return this;
    }

    /** {@code upload}, {@code private} or {@code authenticated}. */
    public Builder type(String type) {
      this.type = requireNonNull(type, "type");
      return this;
    }

    /** Public id, e.g. {@code docs/licence-123} (raw: {@code docs/licence-123.pdf}). */
    public Builder publicId(String publicId) {
      this.publicId = requireNonNull(publicId, "publicId");
      return this;
    }

    /** Format (extension without dot) of an image/video original; ignored for raw. */
    public Builder format(String format) {
      this.format = requireNonNull(format, "format");
      return this;
    }

    /** Streams the original from this file. */
    public Builder file(Path file) {
      this.file = requireNonNull(file, "file");
      this.content = null;
      return this;
    }

    /** Streams the original from this stream, read once and closed by the emulator. */
    public Builder content(InputStream content) {
      this.content = requireNonNull(content, "content");
      this.file = null;
      return this;
    }

    /** Tags to record on the asset. */
    public Builder tags(List<String> tags) {
      this.tags = List.copyOf(requireNonNull(tags, "tags"));
      return this;
    }

    /** Validates and freezes the request. */
    public SeedRequest build() {
      check(RESOURCE_TYPES.contains(resourceType), "resourceType", resourceType, RESOURCE_TYPES);
      check(TYPES.contains(type), "type", type, TYPES);
      check(publicId != null && PublicIds.isValid(publicId), "publicId", publicId, "a safe path");
      check(file != null || content != null, "source", null, "file(Path) or content(InputStream)");
      return new SeedRequest(this);
    }

    private static void check(boolean ok, String name, Object value, Object expected) {
      if (!ok) {
        throw new IllegalArgumentException(name + ": " + value + " (expected: " + expected + ")");
      }
    }
  }
}
