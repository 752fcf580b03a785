package io.docshift.sandbox.seed;

/** The three file formats of the corpus, with the Cloudinary format name and MIME type. */
enum Media {
  JPG("jpg", "image/jpeg"),
  PNG("png", "image/png"),
  PDF("pdf", "application/pdf");

  private final String format;
  private final String contentType;

  Media(String format, String contentType) {
    this.format = format;
    this.contentType = contentType;
  }

  String format() {
    return format;
  }

  String contentType() {
    return contentType;
  }
}
