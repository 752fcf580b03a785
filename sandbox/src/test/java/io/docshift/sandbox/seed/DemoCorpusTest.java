package io.docshift.sandbox.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.docshift.sandbox.emulator.SeedRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCorpusTest {
  /** Listing a corpus renders nothing, so the metadata checks can afford a benchmark-sized one. */
  private static final int LISTED = 5_000;

  /** Folder, owner, slug; only {@code [a-z0-9_/-]}, plus {@code .pdf} where raw keeps it. */
  private static final Pattern REALISTIC_ID =
      Pattern.compile(
          "((credentials|certifications|scans)/prof|compliance/fac)-\\d{6}/[a-z0-9_-]+(\\.pdf)?");

  /** Cloudinary forbids folders that look like a version segment. */
  private static final Pattern VERSION_FOLDER = Pattern.compile("(^|/)v\\d+(/|$)");

  @Test
  void sameSeedCountAndProfileGiveByteIdenticalDocuments() throws IOException {
    DemoCorpus corpus = DemoCorpus.of(11, 16, SizeProfile.DEMO);
    assertThat(digests(corpus)).isEqualTo(digests(DemoCorpus.of(11, 16, SizeProfile.DEMO)));
  }

  @Test
  void openingTwiceGivesTheSameBytes() throws IOException {
    SeedDocument document = DemoCorpus.of(3, 1, SizeProfile.DEMO).iterator().next();
    assertThat(EtagDigests.md5(document.open())).isEqualTo(EtagDigests.md5(document.open()));
  }

  @Test
  void aLongerCorpusExtendsAShorterOne() throws IOException {
    List<String> shorter = digests(DemoCorpus.of(5, 4, SizeProfile.DEMO));
    List<String> longer = digests(DemoCorpus.of(5, 6, SizeProfile.DEMO));
    assertThat(longer.subList(0, 4)).isEqualTo(shorter);
  }

  @Test
  void differentSeedsGiveDifferentCorpora() {
    assertThat(ids(DemoCorpus.of(1, 50, SizeProfile.DEMO)))
        .doesNotContainAnyElementsOf(ids(DemoCorpus.of(2, 50, SizeProfile.DEMO)));
  }

  @Test
  void publicIdsAreUniqueRealisticAndCloudinarySafe() {
    List<SeedDocument> documents = list(DemoCorpus.of(21, LISTED, SizeProfile.DEMO));
    assertThat(documents.stream().map(SeedDocument::publicId).distinct().count()).isEqualTo(LISTED);
    assertThat(documents)
        .filteredOn(doc -> !REALISTIC_ID.matcher(doc.publicId()).matches())
        .isEmpty();
    assertThat(documents)
        .filteredOn(doc -> VERSION_FOLDER.matcher(doc.publicId()).find())
        .isEmpty();
  }

  @Test
  void rawDocumentsArePdfsThatKeepTheExtensionInTheirPublicId() {
    List<SeedDocument> documents = list(DemoCorpus.of(21, LISTED, SizeProfile.DEMO));
    List<SeedDocument> raw = filter(documents, doc -> doc.resourceType().equals("raw"));
    List<SeedDocument> images = filter(documents, doc -> doc.resourceType().equals("image"));
    assertThat(raw).isNotEmpty().hasSize(LISTED - images.size());
    assertThat(raw)
        .allSatisfy(
            doc -> {
              assertThat(doc.format()).isNull();
              assertThat(doc.publicId()).endsWith(".pdf");
              assertThat(doc.contentType()).isEqualTo("application/pdf");
            });
    assertThat(images)
        .allSatisfy(doc -> assertThat(doc.publicId()).doesNotContain("."))
        .extracting(SeedDocument::format)
        .containsOnly("jpg", "png", "pdf");
    long imagePdfs = images.stream().filter(doc -> doc.format().equals("pdf")).count();
    assertThat(imagePdfs).isGreaterThan(3L * raw.size());
  }

  @Test
  void aDocumentsSeedRequestNamesItAsCloudinaryWould() {
    List<SeedDocument> documents = list(DemoCorpus.of(28, 200, SizeProfile.DEMO));
    SeedDocument raw = filter(documents, doc -> doc.resourceType().equals("raw")).get(0);
    SeedDocument image = filter(documents, doc -> doc.resourceType().equals("image")).get(0);
    InputStream none = InputStream.nullInputStream();

    SeedRequest rawRequest = raw.seedRequest(none);
    SeedRequest imageRequest = image.seedRequest(none);

    assertThat(rawRequest.resourceType()).isEqualTo("raw");
    assertThat(rawRequest.publicId()).isEqualTo(raw.publicId()).endsWith(".pdf");
    assertThat(rawRequest.format()).isNull();
    assertThat(rawRequest.type()).isEqualTo(raw.type());
    assertThat(imageRequest.resourceType()).isEqualTo("image");
    assertThat(imageRequest.publicId()).isEqualTo(image.publicId());
    assertThat(imageRequest.format()).isEqualTo(image.format()).isNotNull();
    assertThat(imageRequest.type()).isEqualTo(image.type());
  }

  @Test
  void deliveryTypesAreSixtyTwentyFiveFifteen() {
    Map<String, Long> types =
        list(DemoCorpus.of(22, LISTED, SizeProfile.DEMO)).stream()
            .collect(Collectors.groupingBy(SeedDocument::type, Collectors.counting()));
    assertThat(types).containsOnlyKeys("upload", "private", "authenticated");
    assertThat(types.get("upload") / (double) LISTED).isCloseTo(0.60, within(0.03));
    assertThat(types.get("private") / (double) LISTED).isCloseTo(0.25, within(0.03));
    assertThat(types.get("authenticated") / (double) LISTED).isCloseTo(0.15, within(0.03));
  }

  @Test
  void contentTypeFollowsTheFormat() {
    Map<String, Set<String>> byFormat =
        filter(list(DemoCorpus.of(23, 500, SizeProfile.DEMO)), doc -> doc.format() != null).stream()
            .collect(
                Collectors.groupingBy(
                    SeedDocument::format,
                    Collectors.mapping(SeedDocument::contentType, Collectors.toSet())));
    assertThat(byFormat)
        .containsEntry("jpg", Set.of("image/jpeg"))
        .containsEntry("png", Set.of("image/png"))
        .containsEntry("pdf", Set.of("application/pdf"));
  }

  @Test
  void backfillBenchLengthsFollowTheProfile() {
    List<SeedDocument> documents = list(DemoCorpus.of(24, LISTED, SizeProfile.BACKFILL_BENCH));
    long small = filter(documents, doc -> doc.length() <= 300 * 1024).size();
    long large = filter(documents, doc -> doc.length() >= 5 * 1024 * 1024).size();
    assertThat(small / (double) LISTED).isCloseTo(0.70, within(0.025));
    assertThat(large / (double) LISTED).isCloseTo(0.05, within(0.015));
    assertThat(documents)
        .allSatisfy(doc -> assertThat(doc.length()).isBetween(50L * 1024, 10L * 1024 * 1024));
  }

  @Test
  void streamMatchesIteration() {
    DemoCorpus corpus = DemoCorpus.of(25, 40, SizeProfile.DEMO);
    assertThat(corpus.stream().map(SeedDocument::toString).toList())
        .isEqualTo(list(corpus).stream().map(SeedDocument::toString).toList());
    assertThat(corpus.stream().count()).isEqualTo(40);
  }

  @Test
  void iteratorStopsAtCount() {
    var iterator = DemoCorpus.of(26, 1, SizeProfile.DEMO).iterator();
    iterator.next();
    assertThat(iterator.hasNext()).isFalse();
    assertThatThrownBy(iterator::next).isInstanceOf(NoSuchElementException.class);
  }

  @Test
  void writeToCreatesFoldersAndWritesTheSameBytes(@TempDir Path dir) throws IOException {
    SeedDocument document = DemoCorpus.of(27, 1, SizeProfile.DEMO).iterator().next();
    Path file = dir.resolve(document.publicId());
    document.writeTo(file);
    assertThat(Files.size(file)).isEqualTo(document.length());
    assertThat(EtagDigests.md5(Files.newInputStream(file)))
        .isEqualTo(EtagDigests.md5(document.open()));
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> DemoCorpus.of(1, -1, SizeProfile.DEMO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("count: -1 (expected: 0..1000000)");
    assertThatThrownBy(() -> DemoCorpus.of(1, 1_000_001, SizeProfile.DEMO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DemoCorpus.of(1, 1, null)).isInstanceOf(NullPointerException.class);
    assertThat(DemoCorpus.of(1, 0, SizeProfile.DEMO)).isEmpty();
  }

  private static List<String> digests(DemoCorpus corpus) throws IOException {
    List<String> digests = new ArrayList<>();
    for (SeedDocument document : corpus) {
      digests.add(document + " " + EtagDigests.md5(document.open()));
    }
    return digests;
  }

  private static Set<String> ids(Iterable<SeedDocument> documents) {
    Set<String> ids = new HashSet<>();
    documents.forEach(doc -> ids.add(doc.resourceType() + "/" + doc.publicId()));
    return ids;
  }

  private static List<SeedDocument> list(DemoCorpus corpus) {
    return corpus.stream().toList();
  }

  private static List<SeedDocument> filter(
      List<SeedDocument> documents, Predicate<SeedDocument> test) {
    return documents.stream().filter(test).toList();
  }
}
