package io.docshift.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.outcome.Outcome;
import io.docshift.core.store.StoreException;
import io.docshift.testkit.Eventually;
import io.docshift.testkit.TricklingServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The total timeout of an Upload API call: a Cloudinary that answers its headers at once and then
 * sends one body byte every 200 ms passes the response timeout, but the call fails as a Cloudinary
 * timeout at the total timeout, and the server sees its connection dropped.
 */
@Timeout(30)
class CloudinaryApiTotalTimeoutTest {
  @TempDir Path dir;
  private TricklingServer server;

  @BeforeEach
  void start() throws IOException {
    server =
        TricklingServer.start(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n{",
            ' ');
  }

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  @Test
  void aTricklingAnswerFailsAsATimeoutAtTheTotal() throws Exception {
    Path body = Files.writeString(dir.resolve("body"), "--b--\r\n");
    try (CloudinaryApi api =
        new CloudinaryApi(
            server.url(), Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofMillis(1_500))) {
      long start = System.nanoTime();
      Throwable failure;
      try {
        api.post(
                "/v1_1/demo/raw/upload",
                body,
                Map.of("Content-Type", "multipart/form-data; boundary=b"))
            .get(10, TimeUnit.SECONDS);
        throw new AssertionError("a trickling answer was read whole");
      } catch (ExecutionException e) {
        failure = e.getCause();
      }
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(failure).isInstanceOf(StoreException.class);
      assertThat(((StoreException) failure).outcome()).isEqualTo(Outcome.CLOUDINARY_TIMEOUT);
      assertThat(took).isBetween(Duration.ofMillis(1_400), Duration.ofSeconds(5));
      // Before the client is closed: the cancelled exchange itself lets go of the connection.
      Eventually.until(
          Duration.ofSeconds(5), server::dropped, "the cancelled exchange to close its connection");
    }
  }
}
