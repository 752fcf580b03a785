package io.docshift.app.write;

import com.cloudinary.Cloudinary;
import io.docshift.core.config.CloudinaryConfig;

/** The Cloudinary SDK around a {@link WriteRig}: straight to Cloudinary, or through DocShift. */
final class RigClients {
  private RigClients() {}

  /** The SDK talking to Cloudinary itself, past DocShift (seeding, signing, checking). */
  static Cloudinary direct(WriteRig rig) {
    CloudinaryConfig account = rig.stores().config().cloudinary();
    return new Cloudinary(WriteRig.cloudinaryUrl(account, account.apiSecret(), account.apiUrl()));
  }

  /** The SDK uploading through DocShift. */
  static Cloudinary proxied(WriteRig rig) {
    return new Cloudinary(rig.cloudinaryUrl());
  }

  /**
   * The path of {@code doc}'s signed delivery URL after the cloud name, as {@link WriteRig#get}
   * takes it.
   */
  static String signedPath(WriteRig rig, Doc doc) {
    String cloud = rig.stores().cloud();
    String url =
        direct(rig)
            .url()
            .signed(true)
            .resourceType(doc.rt())
            .format(doc.format())
            .generate(doc.publicId());
    return url.substring(url.indexOf("/" + cloud + "/") + cloud.length() + 2);
  }
}
