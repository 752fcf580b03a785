package io.docshift.sandbox.seed;

import static java.util.Objects.requireNonNull;

import java.util.Iterator;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A deterministic, lazily generated backlog of healthcare documents (credentials, certifications,
 * compliance PDFs, ID scans) for seeding the Cloudinary emulator and benchmarking the backfill.
 *
 * <p>The same seed, count and profile always give the same documents, byte for byte, in the same
 * order; the first {@code n} documents of a corpus do not depend on its count. Iterating is cheap
 * (a few microseconds per document, nothing rendered) and memory stays flat with the count: bytes
 * are rendered only when a document is {@linkplain SeedDocument#open() opened}.
 *
 * <p>Mix: about 60 % {@code upload}, 25 % {@code private}, 15 % {@code authenticated}; JPEG and PNG
 * scans and PDFs, PDFs stored as {@code image} like Cloudinary does, about one in five as {@code
 * raw}. Public ids look like {@code credentials/prof-004211/nursing-license-2024}, {@code
 * scans/prof-004211/drivers-license-front} or {@code compliance/fac-001337/hipaa-training-2025}.
 *
 * <pre>{@code
 * for (SeedDocument doc : DemoCorpus.of(42, 200, SizeProfile.DEMO)) {
 *   try (InputStream in = doc.open()) { upload(doc.publicId(), in); }
 * }
 * }</pre>
 */
public final class DemoCorpus implements Iterable<SeedDocument> {
  private final long seed;
  private final int count;
  private final SizeProfile profile;

  private DemoCorpus(long seed, int count, SizeProfile profile) {
    this.seed = seed;
    this.count = count;
    this.profile = profile;
  }

  /**
   * A corpus of {@code count} documents drawn from {@code seed}.
   *
   * @throws IllegalArgumentException if {@code count} is negative or above 1,000,000 (the id space
   *     that keeps public ids unique)
   */
  public static DemoCorpus of(long seed, int count, SizeProfile profile) {
    requireNonNull(profile, "profile");
    if (count < 0 || count > CorpusPlanner.MAX_DOCUMENTS) {
      throw new IllegalArgumentException(
          "count: " + count + " (expected: 0.." + CorpusPlanner.MAX_DOCUMENTS + ")");
    }
    return new DemoCorpus(seed, count, profile);
  }

  /** The seed every document derives from. */
  public long seed() {
    return seed;
  }

  /** Number of documents. */
  public int count() {
    return count;
  }

  /** The size profile lengths are drawn from. */
  public SizeProfile profile() {
    return profile;
  }

  /** A fresh pass over the documents; every pass yields the same sequence. */
  @Override
  public Iterator<SeedDocument> iterator() {
    return new CorpusPlanner(seed, count, profile);
  }

  /** The documents as an ordered, sized, sequential stream. */
  public Stream<SeedDocument> stream() {
    int characteristics =
        Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.IMMUTABLE | Spliterator.DISTINCT;
    return StreamSupport.stream(
        Spliterators.spliterator(iterator(), count, characteristics), false);
  }

  @Override
  public String toString() {
    return "DemoCorpus[seed=" + seed + ", count=" + count + ", profile=" + profile + "]";
  }
}
