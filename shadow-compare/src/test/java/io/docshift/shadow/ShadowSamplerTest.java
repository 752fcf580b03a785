package io.docshift.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.docshift.core.key.DeliveryType;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.key.ResourceType;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The shadow sample: deterministic, proportional, monotone, independent of the routing bucket. */
class ShadowSamplerTest {
  static final List<DocumentKey> KEYS =
      IntStream.range(0, 20_000)
          .mapToObj(
              i ->
                  DocumentKey.of(
                      "demo",
                      ResourceType.IMAGE,
                      DeliveryType.UPLOAD,
                      "credentials/prof-" + i + "/license",
                      "pdf"))
          .toList();

  @Test
  void theSameDocumentsAreSampledEveryTime() {
    List<DocumentKey> first = sampled(KEYS, 10);
    List<DocumentKey> again =
        sampled(
            KEYS.stream()
                .map(
                    k -> DocumentKey.of(k.cloud(), k.resourceType(), k.type(), k.publicId(), "pdf"))
                .toList(),
            10);

    assertThat(again).isEqualTo(first).isNotEmpty();
    // The requested format does not change the sample: it is the document that is sampled.
    assertThat(sampled(KEYS.stream().map(k -> k.withFormat("jpg")).toList(), 10))
        .hasSize(first.size());
  }

  @Test
  void thePercentageIsRespectedOverManyDocuments() {
    for (int percent : new int[] {1, 5, 20, 50, 90}) {
      double share = sampled(KEYS, percent).size() / (double) KEYS.size();
      assertThat(share).as("%d %%", percent).isCloseTo(percent / 100.0, within(0.015));
    }
    assertThat(sampled(KEYS, 0)).isEmpty();
    assertThat(sampled(KEYS, 100)).hasSize(KEYS.size());
  }

  @Test
  void raisingThePercentageOnlyAddsDocuments() {
    assertThat(sampled(KEYS, 30)).containsAll(sampled(KEYS, 10));
  }

  @Test
  void theSampleIsIndependentOfTheRoutingBucket() {
    List<DocumentKey> onS3 = KEYS.stream().filter(k -> k.stickyBucket() < 20).toList();
    List<DocumentKey> onCloudinary = KEYS.stream().filter(k -> k.stickyBucket() >= 20).toList();

    double s3Share = sampled(onS3, 25).size() / (double) onS3.size();
    double cloudinaryShare = sampled(onCloudinary, 25).size() / (double) onCloudinary.size();

    assertThat(s3Share).isCloseTo(0.25, within(0.03));
    assertThat(cloudinaryShare).isCloseTo(0.25, within(0.03));
    long sameBucket =
        KEYS.stream().filter(k -> ShadowSampler.bucket(k) == k.stickyBucket()).count();
    assertThat(sameBucket / (double) KEYS.size()).isCloseTo(0.01, within(0.005));
  }

  private static List<DocumentKey> sampled(List<DocumentKey> keys, int percent) {
    return keys.stream().filter(k -> ShadowSampler.sampled(k, percent)).toList();
  }
}
