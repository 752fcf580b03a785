package io.docshift.proxy;

import io.docshift.testkit.CloudinaryEmulatorExtension;
import java.net.http.HttpRequest;

/** A signed {@code raw/upload} of one small text file through the proxy, as the SDKs send it. */
final class SignedUploads {
  private SignedUploads() {}

  /** The multipart request for {@code publicId} with {@code content}, signed as given. */
  static HttpRequest request(
      ReadPathFixture fx, String publicId, String timestamp, String signature, String content) {
    String body =
        part("public_id", publicId)
            + part("timestamp", timestamp)
            + part("api_key", CloudinaryEmulatorExtension.API_KEY)
            + part("signature", signature)
            + "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
            + "Content-Type: text/plain\r\n\r\n"
            + content
            + "\r\n--b--\r\n";
    return HttpRequest.newBuilder(fx.url("/v1_1/demo/raw/upload"))
        .header("Content-Type", "multipart/form-data; boundary=b")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private static String part(String name, String value) {
    return "--b\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
  }
}
