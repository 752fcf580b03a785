package io.docshift.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A raw socket client: sends bytes exactly as written (the JDK client would normalise them). */
final class RawHttp {
  /** One parsed response. */
  record Response(int status, Map<String, String> headers, byte[] body) {}

  private RawHttp() {}

  /** Sends {@code request}, reads until the server closes (bounded by a 10 s socket timeout). */
  static byte[] exchange(int port, byte[] request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request);
      socket.getOutputStream().flush();
      return socket.getInputStream().readAllBytes();
    }
  }

  /**
   * Sends {@code GET path} on a new connection whose receive buffer is set before it connects, so
   * the window stays that small: a client that reads only as the test says.
   */
  static Socket get(int port, String path, int receiveBufferBytes) throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(receiveBufferBytes);
    socket.connect(new InetSocketAddress("127.0.0.1", port));
    socket.getOutputStream().write(ascii("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n"));
    socket.getOutputStream().flush();
    return socket;
  }

  /** The response head, lower-cased. */
  static String head(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      assertThat(b).as("response head").isNotNegative();
      head.append((char) b);
    }
    return head.toString().toLowerCase(Locale.ROOT);
  }

  static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Parses consecutive Content-Length-framed responses; {@code heads} marks HEAD answers. */
  static List<Response> parse(byte[] data) throws IOException {
    List<Response> responses = new ArrayList<>();
    InputStream in = new java.io.ByteArrayInputStream(data);
    String statusLine;
    while ((statusLine = line(in)) != null && !statusLine.isEmpty()) {
      Map<String, String> headers = new LinkedHashMap<>();
      String header;
      while (!(header = line(in)).isEmpty()) {
        int colon = header.indexOf(':');
        headers.put(
            header.substring(0, colon).toLowerCase(Locale.ROOT),
            header.substring(colon + 1).strip());
      }
      int status = Integer.parseInt(statusLine.split(" ")[1]);
      int length =
          status == 304 ? 0 : Integer.parseInt(headers.getOrDefault("content-length", "0"));
      responses.add(new Response(status, headers, in.readNBytes(length)));
    }
    return responses;
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1 && b != '\n') {
      if (b != '\r') {
        out.write(b);
      }
    }
    if (b == -1 && out.size() == 0) {
      return null;
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }
}
