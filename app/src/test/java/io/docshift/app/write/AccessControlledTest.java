package io.docshift.app.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cloudinary.utils.ObjectUtils;
import io.docshift.app.CliHarness;
import io.docshift.core.config.WriteMode;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.S3State;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Documents whose Cloudinary {@code access_mode} is {@code authenticated} but that DocShift never
 * saw change are never served from S3 to an unsigned reader: the backfill does not copy them and
 * removes a copy made while they were public, and an unsigned read gets Cloudinary's 401 at every
 * S3 read weight. Each case checks both stores and the ledger.
 */
@Timeout(300)
class AccessControlledTest {
  private static final AtomicInteger IDS = new AtomicInteger();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @RegisterExtension
  static final WriteRig rig = WriteRig.gated().inMode(WriteMode.DUAL_CLOUDINARY_PRIMARY);

  @ParameterizedTest(name = "at S3 weight {0}")
  @ValueSource(ints = {0, 100})
  void backfillNeverCopiesAnAuthenticatedAsset(int weight) throws Exception {
    Doc doc = Doc.image("authn-listed" + IDS.incrementAndGet() + "/doc");
    byte[] body = Bodies.pdf(30_000, weight + 11);
    RigClients.direct(rig).uploader().upload(body, options(doc, "access_mode", "authenticated"));

    String summary = backfill(doc);

    assertThat(summary).contains("access_controlled: 1");
    assertThat(rig.stores().s3(doc.path())).isNull();
    assertThat(state(doc)).contains(S3State.DELETED);
    assertThat(rig.stores().outbox(doc.rt(), doc.publicId())).isEmpty();
    rig.readWeight(weight);
    assertUnsignedRefusedSignedServed(doc, body);
  }

  /**
   * In {@code S3_ONLY} a removal tombstone is answered 404 without Cloudinary; an access-controlled
   * tombstone is not a removal and keeps going to Cloudinary, which checks the signature.
   */
  @ParameterizedTest(name = "at S3 weight {0}")
  @ValueSource(ints = {0, 100})
  void anAuthenticatedAssetIsStillServedByCloudinaryInS3Only(int weight) throws Exception {
    Doc doc = Doc.image("authn-s3only" + IDS.incrementAndGet() + "/doc");
    byte[] body = Bodies.pdf(30_000, weight + 31);
    RigClients.direct(rig).uploader().upload(body, options(doc, "access_mode", "authenticated"));
    assertThat(backfill(doc)).contains("access_controlled: 1");
    rig.mode(WriteMode.S3_ONLY);
    try {
      rig.readWeight(weight);
      assertUnsignedRefusedSignedServed(doc, body);
    } finally {
      rig.mode(WriteMode.DUAL_CLOUDINARY_PRIMARY);
    }
    assertThat(state(doc)).contains(S3State.DELETED);
    assertThat(rig.stores().s3(doc.path())).isNull();
    assertThat(rig.stores().outbox(doc.rt(), doc.publicId())).isEmpty();
  }

  /** The reproduction: tracked and copied while public, then made authenticated at Cloudinary. */
  @Test
  void backfillRemovesTheCopyOfAnAssetMadeAuthenticatedAtCloudinary() throws Exception {
    Doc doc = Doc.image("authn-changed" + IDS.incrementAndGet() + "/doc");
    byte[] body = Bodies.pdf(30_000, 5);
    RigClients.proxied(rig).uploader().upload(body, options(doc));
    assertThat(state(doc)).contains(S3State.VERIFIED);
    RigClients.direct(rig)
        .api()
        .updateResourcesAccessModeByIds("authenticated", List.of(doc.publicId()), Map.of());
    rig.readWeight(100);
    // Changed around DocShift: until a listing shows the change, S3 still serves the copy. This
    // is the window the backfill and verify --enumerate close; it cannot be closed without asking
    // Cloudinary on every read.
    assertThat(rig.get(doc.path()).headers().firstValue("X-DocShift-Backend")).contains("s3");

    String summary = backfill(doc);

    assertThat(summary).contains("access_controlled: 1");
    assertThat(rig.stores().s3(doc.path())).as("the S3 copy is deleted").isNull();
    assertThat(state(doc)).contains(S3State.DELETED);
    rig.readWeight(100);
    assertUnsignedRefusedSignedServed(doc, body);
    rig.cli().repairOnce();
    assertThat(rig.stores().s3(doc.path())).as("no repair copies it back").isNull();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(
      value = WriteMode.class,
      names = {"CLOUDINARY_ONLY", "DUAL_CLOUDINARY_PRIMARY", "DUAL_S3_PRIMARY"})
  void authenticatedUploadThroughDocShiftNeverReachesS3(WriteMode mode) throws Exception {
    Doc doc = Doc.image("authn-upload-" + mode.name().toLowerCase(Locale.ROOT) + "/doc");
    byte[] first = Bodies.pdf(30_000, 21);
    byte[] second = Bodies.pdf(31_000, 22);
    RigClients.proxied(rig).uploader().upload(first, options(doc));
    assertThat(rig.stores().s3(doc.path())).isEqualTo(first);
    rig.mode(mode);
    try {
      Map<?, ?> answer =
          RigClients.proxied(rig)
              .uploader()
              .upload(second, options(doc, "access_mode", "authenticated"));
      assertThat(answer.get("access_mode")).isEqualTo("authenticated");
    } finally {
      rig.mode(WriteMode.DUAL_CLOUDINARY_PRIMARY);
    }

    assertThat(rig.stores().s3(doc.path())).as("the public copy is deleted").isNull();
    assertThat(state(doc)).contains(S3State.DELETED);
    assertThat(rig.stores().outbox(doc.rt(), doc.publicId())).isEmpty();
    for (int weight : new int[] {0, 100}) {
      rig.readWeight(weight);
      assertUnsignedRefusedSignedServed(doc, second);
    }
    rig.cli().repairOnce();
    assertThat(rig.stores().s3(doc.path())).as("no repair copies it back").isNull();
  }

  /** The SDK changes access modes with {@code update_access_mode}, through DocShift. */
  @Test
  void bulkAccessModeUpdateThroughDocShiftRemovesTheS3Copy() throws Exception {
    Doc doc = Doc.image("authn-bulk" + IDS.incrementAndGet() + "/doc");
    byte[] body = Bodies.pdf(30_000, 31);
    RigClients.proxied(rig).uploader().upload(body, options(doc));
    assertThat(rig.stores().s3(doc.path())).isEqualTo(body);

    Map<?, ?> answer =
        RigClients.proxied(rig)
            .api()
            .updateResourcesAccessModeByIds("authenticated", List.of(doc.publicId()), Map.of());

    assertThat(answer.get("updated").toString()).contains(doc.publicId());
    assertThat(rig.stores().s3(doc.path())).isNull();
    assertThat(state(doc)).contains(S3State.DELETED);
    assertThat(rig.stores().outbox(doc.rt(), doc.publicId())).isEmpty();
    rig.readWeight(100);
    assertUnsignedRefusedSignedServed(doc, body);
  }

  @Test
  void authenticatedUploadIsRefusedInS3Only() throws Exception {
    Doc doc = Doc.image("authn-s3only" + IDS.incrementAndGet() + "/doc");
    rig.mode(WriteMode.S3_ONLY);
    try {
      assertThatThrownBy(
              () ->
                  RigClients.proxied(rig)
                      .uploader()
                      .upload(Bodies.pdf(20_000, 3), options(doc, "access_mode", "authenticated")))
          .hasMessageContaining("access_mode=authenticated uploads need Cloudinary");
    } finally {
      rig.mode(WriteMode.DUAL_CLOUDINARY_PRIMARY);
    }
    assertThat(rig.stores().s3(doc.path())).isNull();
    assertThat(rig.stores().row(doc.rt(), doc.publicId())).isEmpty();
    assertThat(rig.stores().outbox(doc.rt(), doc.publicId())).isEmpty();
    assertThatThrownBy(
            () -> RigClients.direct(rig).api().resource(doc.publicId(), ObjectUtils.emptyMap()))
        .hasMessageContaining("not found");
  }

  @Test
  void verifyEnumerateFlagsTheS3CopyOfAnAuthenticatedAssetAndRepairRemovesIt() throws Exception {
    Doc doc = Doc.image("authn-verify" + IDS.incrementAndGet() + "/doc");
    byte[] body = Bodies.pdf(30_000, 9);
    RigClients.proxied(rig).uploader().upload(body, options(doc));
    RigClients.direct(rig)
        .api()
        .updateResourcesAccessModeByIds("authenticated", List.of(doc.publicId()), Map.of());

    CliHarness check = verify(doc, false);
    String finding = "access-controlled-in-s3";
    assertThat(check.out()).contains(finding).contains(doc.publicId());
    assertThat(state(doc)).as("S3 stops serving it at once").contains(S3State.DELETED);
    assertThat(rig.stores().s3(doc.path())).as("reported, not yet removed").isEqualTo(body);
    rig.readWeight(100);
    assertUnsignedRefusedSignedServed(doc, body);

    CliHarness repair = verify(doc, true);
    assertThat(repair.out()).contains(finding);
    assertThat(rig.stores().s3(doc.path())).as("removed by the repair").isNull();
    assertThat(state(doc)).contains(S3State.DELETED);
    assertThat(verify(doc, false).out()).doesNotContain(finding);
  }

  private static CliHarness verify(Doc doc, boolean repair) {
    CliHarness cli = new CliHarness();
    List<String> args =
        new ArrayList<>(
            List.of(
                "verify",
                "--enumerate",
                "--prefix",
                doc.publicId(),
                "--config",
                rig.configFile().toString()));
    if (repair) {
      args.add("--repair");
    }
    cli.run(args.toArray(String[]::new));
    return cli;
  }

  private static void assertUnsignedRefusedSignedServed(Doc doc, byte[] body) throws Exception {
    HttpResponse<byte[]> unsigned = rig.get(doc.path());
    assertThat(unsigned.statusCode()).as("unsigned read").isEqualTo(401);
    assertThat(unsigned.headers().firstValue("x-cld-error")).isPresent();
    assertThat(unsigned.body()).isNotEqualTo(body);
    HttpResponse<byte[]> signed = signedGet(doc);
    assertThat(signed.statusCode()).as("signed read").isEqualTo(200);
    assertThat(signed.body()).isEqualTo(body);
    assertThat(signed.headers().firstValue("X-DocShift-Backend")).contains("cloudinary");
    Map<?, ?> kept = RigClients.direct(rig).api().resource(doc.publicId(), ObjectUtils.emptyMap());
    assertThat(kept.get("access_mode")).isEqualTo("authenticated");
  }

  /** {@code docshift backfill --relist} of {@code doc} against the sandbox; what it printed. */
  static String backfill(Doc doc) {
    return rig.cli().backfillRelist(doc.publicId());
  }

  private static Optional<S3State> state(Doc doc) {
    return rig.stores().row(doc.rt(), doc.publicId()).map(DocumentRecord::state);
  }

  /** A signed delivery URL of {@code doc}, read through the proxy. */
  static HttpResponse<byte[]> signedGet(Doc doc) throws Exception {
    return rig.get(RigClients.signedPath(rig, doc));
  }

  static Map<String, Object> options(Doc doc, String... more) {
    Map<String, Object> options = new HashMap<>();
    options.put("public_id", doc.publicId());
    options.put("resource_type", doc.rt());
    for (int i = 0; i < more.length; i += 2) {
      options.put(more[i], more[i + 1]);
    }
    return options;
  }
}
