package io.docshift.app.write;

/** The write path driven by cloudinary-http5 2.x (the module's normal test classpath). */
class Http5UploadTest extends UploadScenarios {
  @Override
  String expectedStrategy() {
    return "com.cloudinary.http5.UploaderStrategy";
  }

  @Override
  String absentStrategy() {
    return "com.cloudinary.http44.UploaderStrategy";
  }
}
