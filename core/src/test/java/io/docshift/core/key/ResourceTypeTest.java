package io.docshift.core.key;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResourceTypeTest {
  @ParameterizedTest
  @CsvSource({
    "/demo/image/upload/v1/scans/a.jpg, IMAGE",
    "/demo/raw/private/s--abcdefgh--/v2/credentials/b.pdf, RAW",
    "/demo/video/upload/clip.mp4?x=1, VIDEO",
    "/v1_1/demo/raw/upload, RAW",
    "/v1_1/demo/image/destroy, IMAGE",
  })
  void namesTheSegmentAfterTheCloudName(String target, ResourceType expected) {
    assertThat(ResourceType.inRequestTarget(target)).contains(expected);
  }

  @ParameterizedTest
  @CsvSource({
    "/demo/auto/upload/a.jpg",
    "/v1_1/demo/auto/upload",
    "/v1_1/demo/resources/image",
    "/demo/image",
    "/demo",
    "/",
    "/demo/IMAGE/upload/a.jpg",
    "/v1_1/",
  })
  void isEmptyWhenThatSegmentIsNoResourceType(String target) {
    assertThat(ResourceType.inRequestTarget(target)).isEmpty();
  }
}
