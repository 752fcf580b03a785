package io.docshift.stores.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docshift.core.key.DeliveryType;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.key.ResourceType;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.store.DocumentMeta;
import io.docshift.core.store.PutCondition;
import io.docshift.core.store.PutRequest;
import io.docshift.core.store.StoreException;
import io.docshift.testkit.EmbeddedS3Extension;
import io.docshift.testkit.SlowSubscriber;
import io.docshift.testkit.TestBodies;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** {@link PutCondition} on S3 (S3Proxy): If-None-Match and If-Match refuse stale writes. */
class S3ConditionalPutTest {
  @RegisterExtension static final EmbeddedS3Extension S3 = new EmbeddedS3Extension();

  private static S3DocumentStore store;

  @BeforeAll
  static void start() {
    store = S3DocumentStore.create(S3DocumentStoreTest.settings(S3.s3().endpoint()));
  }

  @AfterAll
  static void stop() {
    if (store != null) {
      store.close();
    }
  }

  private static DocumentKey key(String publicId) {
    return DocumentKey.of("demo", ResourceType.RAW, DeliveryType.UPLOAD, publicId, null);
  }

  private static PutRequest request(byte[] data, long version, PutCondition condition) {
    return PutRequest.builder(data.length, TestBodies.chunked(data, 4096))
        .md5Hex(TestBodies.md5Hex(data))
        .sha256Hex(TestBodies.sha256Hex(data))
        .cloudinaryVersion(version)
        .condition(condition)
        .build();
  }

  private static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(30, TimeUnit.SECONDS);
  }

  private static int preconditionStatus(CompletableFuture<?> future) {
    try {
      future.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(StoreException.class);
      assertThat(((StoreException) e.getCause()).outcome()).isEqualTo(Outcome.CLIENT_ERROR);
      assertThat(e.getCause().getCause()).isInstanceOf(AwsServiceException.class);
      return ((AwsServiceException) e.getCause().getCause()).statusCode();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("put should have failed its precondition");
  }

  @Test
  void ifAbsentWritesANewKeyAndRefusesAnExistingOne() throws Exception {
    DocumentKey key = key("cond/absent.pdf");
    byte[] first = TestBodies.random(1000, 1);
    await(store.put(key, request(first, 10, PutCondition.ifAbsent())));

    int status =
        preconditionStatus(store.put(key, request(new byte[3], 9, PutCondition.ifAbsent())));

    assertThat(status).isEqualTo(412);
    assertThat(await(store.head(key)).version()).hasValue(10);
  }

  @Test
  void ifMatchReplacesOnlyTheObjectItSaw() throws Exception {
    DocumentKey key = key("cond/match.pdf");
    byte[] old = TestBodies.random(500, 2);
    await(store.put(key, request(old, 1, PutCondition.none())));
    DocumentMeta seen = await(store.head(key));
    byte[] newer = TestBodies.random(600, 3);
    await(store.put(key, request(newer, 3, PutCondition.none()))); // a concurrent writer

    int status =
        preconditionStatus(
            store.put(key, request(old, 2, PutCondition.ifMatch(seen.etag().orElseThrow()))));
    DocumentMeta now = await(store.head(key));
    await(store.put(key, request(old, 4, PutCondition.ifMatch(now.etag().orElseThrow()))));

    assertThat(status).isEqualTo(412);
    assertThat(now.version()).hasValue(3);
    assertThat(await(store.head(key)).version()).hasValue(4);
  }

  @Test
  void conditionsAreExclusiveAndNeverBlank() {
    assertThatThrownBy(() -> new PutCondition(true, java.util.Optional.of("\"x\"")))
        .hasMessageContaining("at most one");
    assertThatThrownBy(() -> PutCondition.ifMatch(" ")).hasMessageContaining("requireEtag");
    assertThat(PutCondition.none().isConditional()).isFalse();
  }

  @Test
  void recordVersionAddsTheVersionToTheObjectItSawAndRefusesAChangedOne() throws Exception {
    DocumentKey key = key("cond/teed.pdf");
    byte[] teed = TestBodies.random(700, 4);
    PutRequest unversioned =
        PutRequest.builder(teed.length, TestBodies.chunked(teed, 4096))
            .md5Hex(TestBodies.md5Hex(teed))
            .sha256Hex(TestBodies.sha256Hex(teed))
            .build();
    await(store.put(key, unversioned));
    DocumentMeta seen = await(store.head(key));
    assertThat(seen.version()).isEmpty();

    await(store.recordVersion(key, seen, 42));

    DocumentMeta versioned = await(store.head(key));
    assertThat(versioned.version()).hasValue(42);
    assertThat(versioned.sha256Hex()).isEqualTo(seen.sha256Hex());
    assertThat(versioned.contentType()).isEqualTo(seen.contentType());
    assertThat(await(SlowSubscriber.collect(await(store.get(key, Optional.empty())).body())))
        .isEqualTo(teed);
    await(store.put(key, request(TestBodies.random(800, 5), 50, PutCondition.none())));
    assertThat(preconditionStatus(store.recordVersion(key, seen, 43))).isEqualTo(412);
    assertThat(await(store.head(key)).version()).hasValue(50);
  }
}
