package io.docshift.stores.s3;

import io.docshift.core.store.PutRequest;
import io.docshift.testkit.TestBodies;

/** Put requests for the store tests (S3 and Cloudinary), built from {@link TestBodies}. */
public final class TestPutRequests {
  private TestPutRequests() {}

  /** A put request with every digest known. */
  public static PutRequest putRequest(byte[] data, String contentType) {
    return PutRequest.builder(data.length, TestBodies.chunked(data, 64 * 1024))
        .contentType(contentType)
        .md5Hex(TestBodies.md5Hex(data))
        .sha256Hex(TestBodies.sha256Hex(data))
        .build();
  }
}
