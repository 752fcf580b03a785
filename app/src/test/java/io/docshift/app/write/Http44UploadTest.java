package io.docshift.app.write;

/**
 * The write path driven by cloudinary-http44 1.39.0, run by the {@code sdk-http44} surefire
 * execution which swaps the 2.x SDK off the classpath.
 */
class Http44UploadTest extends UploadScenarios {
  @Override
  String expectedStrategy() {
    return "com.cloudinary.http44.UploaderStrategy";
  }

  @Override
  String absentStrategy() {
    return "com.cloudinary.http5.UploaderStrategy";
  }
}
