package io.docshift.proxy;

import java.io.ByteArrayOutputStream;

/**
 * A TLSv1.1 ClientHello as a client of that era sends it: version 3.2, CBC suites with RSA and
 * ECDHE key exchange, the elliptic-curve extensions and no {@code supported_versions}.
 */
final class Tls11Hello {
  private static final int[] SUITES = {0xc013, 0xc014, 0xc009, 0xc00a, 0x002f, 0x0035};

  private Tls11Hello() {}

  static byte[] bytes() {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(0x03);
    body.write(0x02);
    body.writeBytes(new byte[32]);
    body.write(0);
    short16(body, SUITES.length * 2);
    for (int suite : SUITES) {
      short16(body, suite);
    }
    body.write(1);
    body.write(0);
    byte[] extensions = {
      0x00,
      0x0a,
      0x00,
      0x04,
      0x00,
      0x02,
      0x00,
      0x17, // supported_groups: secp256r1
      0x00,
      0x0b,
      0x00,
      0x02,
      0x01,
      0x00 // ec_point_formats: uncompressed
    };
    short16(body, extensions.length);
    body.writeBytes(extensions);
    byte[] hello = body.toByteArray();

    ByteArrayOutputStream record = new ByteArrayOutputStream();
    record.write(0x16);
    record.write(0x03);
    record.write(0x02);
    short16(record, hello.length + 4);
    record.write(0x01);
    record.write(0);
    short16(record, hello.length);
    record.writeBytes(hello);
    return record.toByteArray();
  }

  private static void short16(ByteArrayOutputStream out, int value) {
    out.write(value >>> 8);
    out.write(value & 0xff);
  }
}
