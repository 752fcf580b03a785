package io.docshift.sandbox.seed;

import static java.util.Objects.requireNonNull;

import io.docshift.sandbox.emulator.SeedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One document of a {@link DemoCorpus}: where it lives in Cloudinary and how to get its bytes.
 *
 * <p>A {@code SeedDocument} is a small immutable description; the file itself (a valid JPEG, PNG or
 * PDF of exactly {@link #length()} bytes) is rendered again by every {@link #open()}, which takes a
 * few milliseconds and holds at most one rendered scan (under 8 MiB) in heap. Every call yields the
 * same bytes. Instances are safe to share and to open from several threads.
 */
public final class SeedDocument {
  private final String resourceType;
  private final String type;
  private final String publicId;
  private final String format;
  private final Recipe recipe;

  SeedDocument(String resourceType, String type, String publicId, String format, Recipe recipe) {
    this.resourceType = resourceType;
    this.type = type;
    this.publicId = publicId;
    this.format = format;
    this.recipe = recipe;
  }

  /** Cloudinary resource type: {@code image} (scans and most PDFs) or {@code raw} (some PDFs). */
  public String resourceType() {
    return resourceType;
  }

  /** Cloudinary delivery type: {@code upload}, {@code private} or {@code authenticated}. */
  public String type() {
    return type;
  }

  /**
   * Cloudinary public_id, e.g. {@code credentials/prof-004211/nursing-license-2024}. Only {@code
   * [a-z0-9_/-]} and, for {@code raw}, the {@code .pdf} extension, which raw keeps in its id.
   */
  public String publicId() {
    return publicId;
  }

  /** Cloudinary format ({@code jpg}, {@code png}, {@code pdf}); {@code null} for {@code raw}. */
  public String format() {
    return format;
  }

  /** MIME type of the bytes: {@code image/jpeg}, {@code image/png} or {@code application/pdf}. */
  public String contentType() {
    return recipe.media().contentType();
  }

  /** Exact length of the file in bytes. */
  public long length() {
    return recipe.length();
  }

  /**
   * A fresh stream of the file's bytes, the same on every call.
   *
   * @throws IOException if the image encoder fails
   */
  public InputStream open() throws IOException {
    return DocumentRenderer.render(recipe).open();
  }

  /**
   * Writes the file to {@code file}, creating missing parent directories and replacing any file
   * already there.
   *
   * @throws IOException if rendering or writing fails
   */
  public void writeTo(Path file) throws IOException {
    requireNonNull(file, "file");
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (InputStream in = open();
        OutputStream out = Files.newOutputStream(file)) {
      in.transferTo(out);
    }
  }

  /**
   * The emulator's request that stores this document from {@code content} (usually {@link
   * #open()}), under its resource type, delivery type and public id; a {@code raw} document keeps
   * its extension in the public id and gets no format, as on Cloudinary.
   */
  public SeedRequest seedRequest(InputStream content) {
    SeedRequest.Builder request =
        SeedRequest.builder()
            .resourceType(resourceType)
            .type(type)
            .publicId(publicId)
            .content(requireNonNull(content, "content"));
    if (format != null) {
      request.format(format);
    }
    return request.build();
  }

  Recipe recipe() {
    return recipe;
  }

  @Override
  public String toString() {
    return resourceType
        + "/"
        + type
        + "/"
        + publicId
        + (format == null ? "" : "." + format)
        + " ("
        + length()
        + " bytes)";
  }
}
