package io.docshift.app.write;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.Locale;

/**
 * HTTP/1.1 {@code GET}s on one socket the test holds, so it can tell that a keep-alive connection
 * stays the same connection (the JDK client pools and hides that).
 */
final class RawHttps {
  private RawHttps() {}

  /** Sends a keep-alive {@code GET} and reads a {@code 200} answer's body (Content-Length). */
  static byte[] get(Socket socket, String path) throws IOException {
    socket
        .getOutputStream()
        .write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(US_ASCII));
    socket.getOutputStream().flush();
    InputStream in = socket.getInputStream();
    String head = head(in);
    if (!head.startsWith("HTTP/1.1 200")) {
      throw new IOException("not 200: " + head);
    }
    return in.readNBytes(contentLength(head));
  }

  private static String head(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed in the headers: " + bytes);
      }
      bytes.write(b);
      String text = bytes.toString(US_ASCII);
      if (text.endsWith("\r\n\r\n")) {
        return text;
      }
    }
  }

  private static int contentLength(String head) throws IOException {
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        return Integer.parseInt(line.substring(line.indexOf(':') + 1).strip());
      }
    }
    throw new IOException("no Content-Length: " + head);
  }
}
