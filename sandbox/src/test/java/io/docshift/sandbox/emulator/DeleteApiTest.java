package io.docshift.sandbox.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.cloudinary.Cloudinary;
import com.cloudinary.api.ApiResponse;
import com.cloudinary.utils.ObjectUtils;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every way to delete or move an original, driven by the real Java SDK (cloudinary-http5): Admin
 * API deletes by ids, prefix (paged at 1000 with {@code next_cursor}), tag and all, derived-only
 * deletes, {@code rename} (overwrite, {@code to_type}) and {@code delete_by_token}; refusals change
 * nothing.
 */
class DeleteApiTest extends SdkFixture {
  /** Originals per bulk delete call, at Cloudinary and by default in the emulator. */
  private static final int CLOUDINARY_PAGE = 1000;

  @Override
  String expectedStrategy() {
    return "com.cloudinary.http5.UploaderStrategy";
  }

  @Override
  String absentStrategy() {
    return "com.cloudinary.http44.UploaderStrategy";
  }

  private static StoredAsset seed(String type, String publicId, String... tags) {
    return emulator.seed(
        SeedRequest.builder()
            .resourceType("raw")
            .type(type)
            .publicId(publicId)
            .content(new ByteArrayInputStream(publicId.getBytes(StandardCharsets.UTF_8)))
            .tags(List.of(tags))
            .build());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> deleted(ApiResponse r) {
    return (Map<String, Object>) r.get("deleted");
  }

  private static int status(String url) throws Exception {
    return TestData.get(url).statusCode();
  }

  private static String url(String type, String publicId) {
    return emulator.deliveryUrl() + "/raw/" + type + "/" + publicId;
  }

  @Test
  void deleteByIdsAnswersPerIdAndDeletesOnlyThose() throws Exception {
    seed("upload", "ids/a.txt");
    seed("upload", "ids/b.txt");
    seed("upload", "ids/c.txt");

    ApiResponse r =
        cloudinary
            .api()
            .deleteResources(
                List.of("ids/a.txt", "ids/b.txt", "ids/none.txt"),
                ObjectUtils.asMap("resource_type", "raw"));

    assertThat(deleted(r))
        .containsEntry("ids/a.txt", "deleted")
        .containsEntry("ids/b.txt", "deleted")
        .containsEntry("ids/none.txt", "not_found");
    assertThat(r.get("partial")).isEqualTo(false);
    assertThat(status(url("upload", "ids/a.txt"))).isEqualTo(404);
    assertThat(status(url("upload", "ids/c.txt"))).isEqualTo(200);
  }

  @Test
  void prefixDeleteIsPagedAtOneThousandWithACursor() throws Exception {
    for (int i = 0; i < CLOUDINARY_PAGE + 5; i++) {
      seed("upload", String.format("bulk/%05d.txt", i));
    }
    seed("upload", "bulky.txt");

    ApiResponse first =
        cloudinary
            .api()
            .deleteResourcesByPrefix("bulk/", ObjectUtils.asMap("resource_type", "raw"));
    assertThat(deleted(first)).hasSize(CLOUDINARY_PAGE);
    assertThat(first.get("partial")).isEqualTo(true);
    assertThat(first.get("next_cursor")).isNotNull();

    ApiResponse second =
        cloudinary
            .api()
            .deleteResourcesByPrefix(
                "bulk/",
                ObjectUtils.asMap("resource_type", "raw", "next_cursor", first.get("next_cursor")));
    assertThat(deleted(second)).hasSize(5).containsKey("bulk/01004.txt");
    assertThat(second.get("partial")).isEqualTo(false);
    assertThat(second.get("next_cursor")).isNull();
    assertThat(status(url("upload", "bulk/00000.txt"))).isEqualTo(404);
    assertThat(status(url("upload", "bulky.txt"))).isEqualTo(200);
  }

  @Test
  void tagDeleteTakesEveryDeliveryTypeAndAllTakesOneType() throws Exception {
    seed("upload", "tag/a.txt", "expired");
    seed("private", "tag/b.txt", "expired");
    seed("upload", "tag/c.txt", "current");

    ApiResponse tagged =
        cloudinary.api().deleteResourcesByTag("expired", ObjectUtils.asMap("resource_type", "raw"));
    assertThat(deleted(tagged)).containsOnlyKeys("tag/a.txt", "tag/b.txt");
    assertThat(status(url("upload", "tag/c.txt"))).isEqualTo(200);

    seed("authenticated", "all/x.txt");
    ApiResponse all =
        cloudinary
            .api()
            .deleteAllResources(ObjectUtils.asMap("resource_type", "raw", "type", "authenticated"));
    assertThat(deleted(all)).containsOnlyKeys("all/x.txt");
    assertThat(status(url("upload", "tag/c.txt"))).isEqualTo(200);
  }

  @Test
  void keepOriginalDeletesDerivedOnly() throws Exception {
    seed("upload", "derived/a.txt");

    ApiResponse r =
        cloudinary
            .api()
            .deleteResources(
                List.of("derived/a.txt"),
                ObjectUtils.asMap("resource_type", "raw", "keep_original", true));

    assertThat(deleted(r)).containsEntry("derived/a.txt", "deleted");
    assertThat(status(url("upload", "derived/a.txt"))).isEqualTo(200);
  }

  @Test
  void adminDeletesNeedTheAccountsBasicCredentials() throws Exception {
    seed("upload", "auth/a.txt");
    Cloudinary wrong = sdk(KEY, "not-the-secret");

    assertThatThrownBy(
            () ->
                wrong
                    .api()
                    .deleteResources(
                        List.of("auth/a.txt"), ObjectUtils.asMap("resource_type", "raw")))
        .hasMessageContaining("api_secret mismatch");
    assertThat(status(url("upload", "auth/a.txt"))).isEqualTo(200);
  }

  @Test
  void renameMovesTheOriginalAcrossIdsAndTypes() throws Exception {
    StoredAsset a = seed("upload", "ren/a.txt");
    seed("upload", "ren/taken.txt");

    assertThatThrownBy(
            () ->
                cloudinary
                    .uploader()
                    .rename(
                        "ren/a.txt", "ren/taken.txt", ObjectUtils.asMap("resource_type", "raw")))
        .hasMessageContaining("already exists");
    assertThatThrownBy(
            () ->
                sdk(KEY, "bad")
                    .uploader()
                    .rename("ren/a.txt", "ren/b.txt", ObjectUtils.asMap("resource_type", "raw")))
        .hasMessageContaining("Invalid Signature");
    assertThat(status(url("upload", "ren/a.txt"))).isEqualTo(200);

    Map<?, ?> moved =
        cloudinary
            .uploader()
            .rename(
                "ren/a.txt",
                "ren/taken.txt",
                ObjectUtils.asMap("resource_type", "raw", "overwrite", true, "to_type", "private"));

    assertThat(moved.get("public_id")).isEqualTo("ren/taken.txt");
    assertThat(moved.get("type")).isEqualTo("private");
    assertThat(moved.get("etag")).isEqualTo(a.etag());
    assertThat(moved.get("version")).isEqualTo((int) a.version());
    assertThat(status(url("upload", "ren/a.txt"))).isEqualTo(404);
    assertThat(status(url("upload", "ren/taken.txt"))).isEqualTo(200);
  }

  @Test
  void deleteByTokenWorksOnceWithTheTokenOfTheUpload() throws Exception {
    Map<?, ?> uploaded =
        cloudinary
            .uploader()
            .upload(
                "hello token".getBytes(StandardCharsets.UTF_8),
                ObjectUtils.asMap(
                    "public_id", "tok/a.txt", "resource_type", "raw", "return_delete_token", true));
    String token = (String) uploaded.get("delete_token");
    assertThat(token).isNotBlank();

    assertThatThrownBy(() -> cloudinary.uploader().deleteByToken("not-a-token"))
        .hasMessageContaining("Invalid token");
    assertThat(status(url("upload", "tok/a.txt"))).isEqualTo(200);

    assertThat(cloudinary.uploader().deleteByToken(token).get("result")).isEqualTo("ok");
    assertThat(status(url("upload", "tok/a.txt"))).isEqualTo(404);
    assertThatThrownBy(() -> cloudinary.uploader().deleteByToken(token))
        .hasMessageContaining("Invalid token");
  }
}
