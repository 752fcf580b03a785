package io.docshift.sandbox.emulator;

/** The SDK contract with cloudinary-http5 2.x (the module's normal test classpath). */
class Http5SdkContractTest extends SdkContract {
  @Override
  String expectedStrategy() {
    return "com.cloudinary.http5.UploaderStrategy";
  }

  @Override
  String absentStrategy() {
    return "com.cloudinary.http44.UploaderStrategy";
  }
}
