package io.docshift.stores.cloudinary;

import io.docshift.core.config.CloudinaryAccount;
import io.docshift.core.key.DocumentKey;
import io.docshift.stores.http.UrlText;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Delivery URLs for originals, built as the SDKs build them ({@code Url.generate}): the public_id
 * is URL-encoded except {@code /} and {@code :}; ids with folders get the forced {@code v1} version
 * so a folder is never read as a transformation; private and authenticated originals get an {@code
 * s--SIG--} component signed over the encoded {@code public_id[.format]}.
 */
final class DeliveryUrls {
  /** What {@link URLEncoder} keeps besides letters and digits, and what the SDK restores. */
  private static final String KEPT = ".-*_/:";

  private final CloudinaryAccount account;
  private final CloudinarySigner signer;

  DeliveryUrls(CloudinaryAccount account, CloudinarySigner signer) {
    this.account = account;
    this.signer = signer;
  }

  URI original(DocumentKey key) {
    return URI.create(account.deliveryPrefix() + originalPath(key));
  }

  /** The raw path of the original under {@link CloudinaryAccount#deliveryUrl()}. */
  String originalPath(DocumentKey key) {
    String file = encode(key.fileName());
    StringBuilder path = new StringBuilder(96);
    path.append('/').append(key.resourceType().wireName());
    path.append('/').append(key.type().wireName()).append('/');
    if (key.type().signatureRequired()) {
      path.append("s--").append(signer.deliverySignature(file)).append("--/");
    }
    if (key.publicId().indexOf('/') >= 0) {
      path.append("v1/");
    }
    return path.append(file).toString();
  }

  /**
   * Java SDK {@code SmartUrlEncoder}: form-encode, then restore {@code /} and {@code :}. Most ids
   * hold only characters the encoding keeps as they are; those are returned as given, without the
   * encoder's and the three replacements' copies (every read of a Cloudinary original asks this).
   */
  static String encode(String text) {
    if (UrlText.keptAsIs(text, KEPT)) {
      return text;
    }
    return URLEncoder.encode(text, StandardCharsets.UTF_8)
        .replace("%2F", "/")
        .replace("%3A", ":")
        .replace("+", "%20");
  }
}
