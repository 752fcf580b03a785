package io.docshift.app.write;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudinary.Cloudinary;
import com.cloudinary.utils.ObjectUtils;
import io.docshift.app.sandbox.SandboxRunner;
import io.docshift.core.config.WriteMode;
import io.docshift.ledger.S3State;
import io.docshift.traffic.control.TrafficChange;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bulk deletes that Cloudinary pages ({@code partial: true}, {@code next_cursor}), followed by
 * DocShift page by page as the client repeats the call, with the emulator's page cut to {@value
 * #PAGE} so eight documents take three calls: after each call exactly the ids that page named are
 * tombstoned in the ledger and gone from both stores, the others are still verified and served from
 * S3; after the last, every one is gone everywhere and no repair row is left. By prefix, tag and
 * {@code all}, in both dual modes (unsigned uploads, so Cloudinary keeps the tags in both).
 */
@Timeout(300)
class PagedDeletesTest {
  private static final int PAGE = 3;
  private static final int DOCS = 8;
  private static final AtomicInteger RUNS = new AtomicInteger();

  @RegisterExtension
  static final WriteRig rig =
      WriteRig.gatedWithSandbox(Map.of("sandbox.bulkDeletePageSize", Integer.toString(PAGE)));

  /** How the bulk delete picks its documents. */
  enum By {
    PREFIX,
    TAG,
    ALL
  }

  static Stream<Arguments> modesAndKinds() {
    return Stream.of(WriteMode.DUAL_CLOUDINARY_PRIMARY, WriteMode.DUAL_S3_PRIMARY)
        .flatMap(mode -> Stream.of(By.values()).map(by -> Arguments.of(mode, by)));
  }

  @ParameterizedTest(name = "by {1} in {0}")
  @MethodSource("modesAndKinds")
  void everyPageIsFollowedAsTheClientRepeatsTheCall(WriteMode mode, By by) throws Exception {
    rig.mode(mode);
    rig.traffic(TrafficChange.builder().s3ReadPercent(100).build());
    int run = RUNS.incrementAndGet();
    String tag = "paged-tag-" + run;
    Map<Doc, byte[]> docs = new LinkedHashMap<>();
    for (int i = 0; i < DOCS; i++) {
      Doc doc = Doc.raw("paged" + run + "/doc" + i + ".bin");
      docs.put(doc, Bodies.random(5_000 + i, run * 100L + i));
      upload(doc, docs.get(doc), tag);
    }
    Doc bystander = Doc.image("paged" + run + "/bystander");
    byte[] bystanderBody = Bodies.pdf(20_000, run);
    upload(bystander, bystanderBody, "other-" + run);

    Set<String> named = new TreeSet<>();
    Object cursor = null;
    int calls = 0;
    do {
      Map<?, ?> answer = delete(by, "paged" + run + "/", tag, cursor);
      calls++;
      named.addAll(deleted(answer));
      cursor = answer.get("next_cursor");
      assertThat(answer.get("partial")).isEqualTo(cursor != null);
      assertFollowed(docs, named);
    } while (cursor != null);

    assertThat(calls).as("pages of %s", PAGE).isEqualTo(3);
    assertThat(named).containsAll(ids(docs));
    if (by != By.ALL) {
      assertThat(named).containsExactlyInAnyOrderElementsOf(ids(docs));
    }
    for (Doc doc : docs.keySet()) {
      assertThat(rig.stores().outbox(doc.rt(), doc.publicId())).as("outbox %s", doc).isEmpty();
    }
    assertServed(bystander, bystanderBody);
  }

  /** Ids named so far are gone from both stores and the ledger; the rest are still served. */
  private static void assertFollowed(Map<Doc, byte[]> docs, Set<String> named) throws Exception {
    for (Map.Entry<Doc, byte[]> e : docs.entrySet()) {
      Doc doc = e.getKey();
      if (named.contains(doc.publicId())) {
        assertThat(rig.stores().row(doc.rt(), doc.publicId()).orElseThrow().state())
            .as("ledger %s", doc)
            .isEqualTo(S3State.DELETED);
        assertThat(rig.stores().s3(doc.path())).as("S3 %s", doc).isNull();
        assertThat(rig.stores().cloudinary(doc.path())).as("Cloudinary %s", doc).isNull();
        assertThat(rig.get(doc.path()).statusCode()).as("read %s", doc).isEqualTo(404);
      } else {
        assertServed(doc, e.getValue());
      }
    }
  }

  /**
   * Verified and read from S3, with no repair row: the {@code delete} intent a bulk delete took for
   * it before the call was settled when the answer did not name it.
   */
  private static void assertServed(Doc doc, byte[] body) throws Exception {
    assertThat(rig.stores().row(doc.rt(), doc.publicId()).orElseThrow().state())
        .as("ledger %s", doc)
        .isEqualTo(S3State.VERIFIED);
    assertThat(rig.stores().outbox(doc.rt(), doc.publicId())).as("outbox %s", doc).isEmpty();
    assertThat(rig.stores().s3(doc.path())).as("S3 %s", doc).isEqualTo(body);
    assertThat(rig.stores().cloudinary(doc.path())).as("Cloudinary %s", doc).isEqualTo(body);
    HttpResponse<byte[]> read = rig.get(doc.path());
    assertThat(read.body()).as("read %s", doc).isEqualTo(body);
    assertThat(read.headers().firstValue("X-DocShift-Backend")).contains("s3");
  }

  private static Map<?, ?> delete(By by, String prefix, String tag, Object cursor)
      throws Exception {
    Map<String, Object> options = new HashMap<>();
    options.put("resource_type", "raw");
    if (cursor != null) {
      options.put("next_cursor", cursor);
    }
    return switch (by) {
      case PREFIX -> sdk().api().deleteResourcesByPrefix(prefix, options);
      case TAG -> sdk().api().deleteResourcesByTag(tag, options);
      case ALL -> {
        options.put("type", "upload");
        yield sdk().api().deleteAllResources(options);
      }
    };
  }

  private static void upload(Doc doc, byte[] body, String tag) throws Exception {
    Map<?, ?> options =
        ObjectUtils.asMap("public_id", doc.publicId(), "resource_type", doc.rt(), "tags", tag);
    sdk().uploader().unsignedUpload(body, SandboxRunner.UNSIGNED_PRESET, options);
    assertThat(rig.stores().row(doc.rt(), doc.publicId()).orElseThrow().state())
        .isEqualTo(S3State.VERIFIED);
  }

  private static Set<String> deleted(Map<?, ?> answer) {
    Set<String> ids = new TreeSet<>();
    ((Map<?, ?>) answer.get("deleted"))
        .forEach(
            (id, what) -> {
              if ("deleted".equals(what)) {
                ids.add((String) id);
              }
            });
    return ids;
  }

  private static List<String> ids(Map<Doc, byte[]> docs) {
    List<String> ids = new ArrayList<>();
    docs.keySet().forEach(d -> ids.add(d.publicId()));
    return ids;
  }

  private static Cloudinary sdk() {
    return new Cloudinary(rig.cloudinaryUrl());
  }
}
