package io.docshift.app.write;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudinary.Cloudinary;
import com.cloudinary.utils.ObjectUtils;
import io.docshift.core.config.DocShiftConfig;
import io.docshift.core.config.WriteMode;
import io.docshift.ledger.S3State;
import io.docshift.testkit.Eventually;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code docshift serve} child in {@code DUAL_CLOUDINARY_PRIMARY} is killed (SIGKILL) after
 * Cloudinary carried out a destroy, an Admin API delete by {@code public_ids[]}, a {@code
 * delete_by_token}, a rename to a new id, a rename onto an id destroyed earlier, an Admin API
 * update to {@code access_mode=authenticated}, an Admin API delete by prefix, one of {@code all}
 * raw documents and an {@code update_access_mode} to {@code authenticated} by prefix, and before
 * its answers (held back at a fault gate) reached DocShift: the ledger never followed any of them.
 * The intents committed before each call was sent are all that is left; after {@code docshift
 * repair --once} both stores and the ledger agree with Cloudinary: the removed documents are in
 * neither store and tombstoned, the renamed ones under their new ids in both and verified, the
 * access-controlled ones out of S3.
 */
@Timeout(240)
class RemovalCrashTest {
  private static final int HELD_MILLIS = 60_000;

  @TempDir Path dir;

  @Test
  void aKillAfterCloudinaryRemovedOrRenamedAndBeforeTheLedgerFollowedIsRepaired() throws Exception {
    ExecutorService clients = Executors.newCachedThreadPool(); // a thread per held call
    try (GatedCrashRig rig = GatedCrashRig.start(dir, WriteMode.DUAL_CLOUDINARY_PRIMARY)) {
      DocShiftConfig config = rig.config;
      StoreProbe stores = rig.stores;
      FaultGate cloudinary = rig.cloudinary;
      ServeChild serve = rig.serve;
      Cloudinary sdk =
          new Cloudinary(
              WriteRig.cloudinaryUrl(
                  config.cloudinary(),
                  config.cloudinary().apiSecret(),
                  URI.create("http://127.0.0.1:" + serve.port())));
      Scene scene = Scene.uploaded(sdk, stores);

      cloudinary.delayAnswers("POST", ".*/destroy", HELD_MILLIS);
      cloudinary.delayAnswers("POST", ".*/rename", HELD_MILLIS);
      cloudinary.delayAnswers("POST", ".*/delete_by_token", HELD_MILLIS);
      cloudinary.delayAnswers("DELETE", ".*/resources/image/upload", HELD_MILLIS);
      cloudinary.delayAnswers("DELETE", ".*/resources/raw/upload", HELD_MILLIS);
      cloudinary.delayAnswers("POST", ".*/resources/image/upload/.*", HELD_MILLIS);
      List<CompletableFuture<?>> calls = scene.removeAndRename(sdk, clients);
      calls.add(
          Scene.async(
              clients,
              () ->
                  AccessModeFollowTest.updateAccessMode(
                      "http://127.0.0.1:" + serve.port(),
                      config.cloudinary(),
                      config.cloudinary().apiSecret(),
                      scene.madePrivate,
                      "authenticated")));
      Eventually.until(
          Duration.ofSeconds(30),
          () -> scene.pendingInCloudinary(stores),
          List::isEmpty,
          "Cloudinary to carry out every call");
      // Checked before the kill: once the process is gone the clients fail, no answer either.
      assertThat(calls).as("answered before the kill").noneMatch(CompletableFuture::isDone);
      serve.kill();
      // What the kill left: S3 still serves what Cloudinary no longer holds.
      assertThat(stores.s3(scene.destroyed.path()) != null).as("S3 before the repair").isTrue();

      rig.repairOnce();

      scene.assertRepaired(stores);
      assertThat(stores.outboxRows()).isEmpty();
    } finally {
      clients.shutdownNow();
    }
  }

  /** The documents of the test and the bytes each was uploaded with. */
  private static final class Scene {
    final Doc destroyed = Doc.image("crash-rm/destroyed");
    final Doc adminDeleted = Doc.image("crash-rm/admin-deleted");
    final Doc tokenDeleted = Doc.image("crash-rm/token-deleted");
    final Doc renamed = Doc.image("crash-rm/renamed");
    final Doc renamedTo = Doc.image("crash-rm/renamed-to");
    final Doc renamedOnto = Doc.image("crash-rm/renamed-onto");
    final Doc tombstoned = Doc.image("crash-rm/tombstoned");
    final Doc madePrivate = Doc.image("crash-rm/made-private");
    final Doc prefixedOne = Doc.image("crash-rm/prefixed/one");
    final Doc prefixedTwo = Doc.image("crash-rm/prefixed/two");
    final Doc notPrefixed = Doc.image("crash-rm/prefixed-not");
    final Doc allRaw = Doc.raw("crash-rm/all-raw.bin");
    final Doc privatePrefixed = Doc.image("crash-rm/private-prefix/one");
    final Map<Doc, byte[]> bodies = new HashMap<>();
    String deleteToken;

    /**
     * Uploads through DocShift and destroys {@link #tombstoned}, which {@link #renamedOnto} is
     * later renamed onto: a tombstone newer than the renamed asset's version (Cloudinary keeps a
     * renamed asset's version), by more than the repair's clock margin.
     */
    static Scene uploaded(Cloudinary sdk, StoreProbe stores) throws Exception {
      Scene s = new Scene();
      Map<?, ?> onto = null;
      for (Doc doc :
          List.of(
              s.renamedOnto,
              s.destroyed,
              s.adminDeleted,
              s.tokenDeleted,
              s.renamed,
              s.tombstoned,
              s.madePrivate,
              s.prefixedOne,
              s.prefixedTwo,
              s.notPrefixed,
              s.allRaw,
              s.privatePrefixed)) {
        byte[] body = Bodies.pdf(120_000, doc.seed());
        s.bodies.put(doc, body);
        Map<String, Object> options = new HashMap<>();
        options.put("public_id", doc.publicId());
        options.put("resource_type", doc.rt());
        options.put("return_delete_token", doc == s.tokenDeleted);
        Map<?, ?> answer = sdk.uploader().upload(body, options);
        if (doc == s.tokenDeleted) {
          s.deleteToken = (String) answer.get("delete_token");
        }
        if (doc == s.renamedOnto) {
          onto = answer;
        }
        stores.assertVerifiedInBoth(doc, body);
      }
      long version = ((Number) onto.get("version")).longValue();
      Eventually.until(
          Duration.ofSeconds(10),
          () -> Instant.now().getEpochSecond() > version + 3,
          "the clock to pass the repair's margin after the upload");
      sdk.uploader().destroy(s.tombstoned.publicId(), options(s.tombstoned));
      assertThat(stores.row("image", s.tombstoned.publicId()).orElseThrow().state())
          .isEqualTo(S3State.DELETED);
      return s;
    }

    /** Sends each call on its own client thread: each waits for its held-back answer. */
    List<CompletableFuture<?>> removeAndRename(Cloudinary sdk, Executor clients) {
      List<CompletableFuture<?>> calls = new ArrayList<>();
      calls.add(
          async(clients, () -> sdk.uploader().destroy(destroyed.publicId(), options(destroyed))));
      calls.add(
          async(
              clients,
              () ->
                  sdk.api()
                      .deleteResources(List.of(adminDeleted.publicId()), options(adminDeleted))));
      calls.add(async(clients, () -> sdk.uploader().deleteByToken(deleteToken)));
      calls.add(
          async(
              clients,
              () ->
                  sdk.uploader()
                      .rename(renamed.publicId(), renamedTo.publicId(), options(renamed))));
      calls.add(
          async(
              clients,
              () ->
                  sdk.uploader()
                      .rename(
                          renamedOnto.publicId(), tombstoned.publicId(), options(renamedOnto))));
      calls.add(
          async(
              clients,
              () -> sdk.api().deleteResourcesByPrefix("crash-rm/prefixed/", options(prefixedOne))));
      calls.add(
          async(
              clients,
              () ->
                  sdk.api()
                      .deleteAllResources(
                          ObjectUtils.asMap("resource_type", allRaw.rt(), "type", "upload"))));
      calls.add(
          async(
              clients,
              () ->
                  sdk.api()
                      .updateResourcesAccessModeByPrefix(
                          "authenticated", "crash-rm/private-prefix/", options(privatePrefixed))));
      return calls;
    }

    /** The calls Cloudinary has not carried out yet (none once all have been). */
    List<String> pendingInCloudinary(StoreProbe stores) throws Exception {
      List<String> pending = new ArrayList<>();
      for (Doc gone :
          List.of(destroyed, adminDeleted, tokenDeleted, prefixedOne, prefixedTwo, allRaw)) {
        if (stores.cloudinary(gone.path()) != null) {
          pending.add("removal of " + gone.publicId());
        }
      }
      for (Doc to : List.of(renamedTo, tombstoned)) {
        if (stores.cloudinary(to.path()) == null) {
          pending.add("rename to " + to.publicId());
        }
      }
      // An authenticated asset's unsigned delivery URL is refused.
      for (Doc authenticated : List.of(madePrivate, privatePrefixed)) {
        if (stores.cloudinary(authenticated.path()) != null) {
          pending.add("access mode of " + authenticated.publicId());
        }
      }
      return pending;
    }

    void assertRepaired(StoreProbe stores) throws Exception {
      for (Doc gone :
          List.of(
              destroyed,
              adminDeleted,
              tokenDeleted,
              renamed,
              renamedOnto,
              prefixedOne,
              prefixedTwo,
              allRaw)) {
        assertThat(stores.s3(gone.path()) == null)
            .as("S3 holds nothing: " + gone.publicId())
            .isTrue();
        assertThat(stores.cloudinary(gone.path()) == null)
            .as("Cloudinary holds nothing: " + gone.publicId())
            .isTrue();
        Optional<S3State> row = stores.row(gone.rt(), gone.publicId()).map(r -> r.state());
        assertThat(row).as("ledger: " + gone.publicId()).contains(S3State.DELETED);
      }
      for (Doc authenticated : List.of(madePrivate, privatePrefixed)) {
        assertThat(stores.s3(authenticated.path()) == null)
            .as("S3 holds the private one: " + authenticated.publicId())
            .isTrue();
        assertThat(stores.row(authenticated.rt(), authenticated.publicId()).orElseThrow().state())
            .as("ledger: access-controlled: " + authenticated.publicId())
            .isEqualTo(S3State.DELETED);
      }
      stores.assertVerifiedInBoth(renamedTo, bodies.get(renamed));
      stores.assertVerifiedInBoth(tombstoned, bodies.get(renamedOnto));
      stores.assertVerifiedInBoth(notPrefixed, bodies.get(notPrefixed));
    }

    private static Map<?, ?> options(Doc doc) {
      return ObjectUtils.asMap("resource_type", doc.rt());
    }

    static CompletableFuture<Object> async(Executor clients, Callable<Object> call) {
      return CompletableFuture.supplyAsync(
          () -> {
            try {
              return call.call();
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          },
          clients);
    }
  }
}
