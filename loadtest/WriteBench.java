import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * The write benchmark's load driver (see bench-write.sh): sequential uploads of one size to three
 * targets in the same run, rotating which goes first each round — DocShift's Upload API (signed,
 * public_id given, so the tee path), the Cloudinary emulator's Upload API directly, and S3Proxy
 * directly (PutObject) — then prints one line per target: "size target n p50_ms p99_ms".
 *
 * <p>Usage: java -cp docshift.jar WriteBench.java SANDBOX_JSON DOCSHIFT_URL WORK SIZE_BYTES ROUNDS
 * [WARMUP [TARGETS]] — WARMUP untimed rounds first (default 3), TARGETS a comma list (default
 * docshift,emulator,s3proxy).
 */
public final class WriteBench {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String BOUNDARY = "docshift-bench-boundary";

  public static void main(String[] args) throws Exception {
    JsonNode json = new ObjectMapper().readTree(Path.of(args[0]).toFile());
    URI docshift = URI.create(args[1]);
    Path work = Path.of(args[2]);
    int size = Integer.parseInt(args[3]);
    int rounds = Integer.parseInt(args[4]);
    int warmup = args.length > 5 ? Integer.parseInt(args[5]) : 3;
    List<String> wanted =
        List.of((args.length > 6 ? args[6] : "docshift,emulator,s3proxy").split(","));
    Files.createDirectories(work);
    Path file = work.resolve("body-" + size + ".bin");
    Files.write(file, body(size));
    URI emulator = URI.create(json.at("/cloudinary/apiUrl").asText());
    String run = Long.toString(System.currentTimeMillis(), 36);
    Map<String, List<Double>> millis = new LinkedHashMap<>();
    try (S3AsyncClient s3 = s3(json)) {
      Map<String, Target> targets = new LinkedHashMap<>();
      targets.put("docshift", id -> upload(json, docshift, id, file));
      targets.put("emulator", id -> upload(json, emulator, id, file));
      targets.put("s3proxy", id -> put(s3, json, "bench-direct/" + id, file));
      targets.keySet().retainAll(wanted);
      targets.keySet().forEach(t -> millis.put(t, new ArrayList<>()));
      List<String> order = new ArrayList<>(targets.keySet());
      for (int round = 0; round < warmup + rounds; round++) {
        for (String name : order) {
          String id = "bench/" + run + "/" + name + "-" + size + "-" + round;
          long t0 = System.nanoTime();
          targets.get(name).upload(id);
          double ms = (System.nanoTime() - t0) / 1e6;
          if (round >= warmup) {
            millis.get(name).add(ms);
          }
        }
        Collections.rotate(order, 1);
      }
    }
    millis.forEach(
        (name, samples) ->
            System.out.printf(
                Locale.ROOT,
                "%d %s %d %.1f %.1f%n",
                size,
                name,
                samples.size(),
                percentile(samples, 50),
                percentile(samples, 99)));
  }

  @FunctionalInterface
  private interface Target {
    void upload(String id) throws Exception;
  }

  /** Nearest-rank percentile. */
  private static double percentile(List<Double> samples, int p) {
    List<Double> sorted = new ArrayList<>(samples);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  private static byte[] body(int size) {
    byte[] body = new byte[size];
    new Random(size).nextBytes(body);
    byte[] head = "%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(head, 0, body, 0, Math.min(head.length, size));
    return body;
  }

  /** A signed raw upload with public_id, streamed from the file, as an SDK sends it. */
  private static void upload(JsonNode json, URI prefix, String publicId, Path file)
      throws Exception {
    String timestamp = Long.toString(System.currentTimeMillis() / 1000);
    String toSign = "public_id=" + publicId + "&timestamp=" + timestamp;
    String secret = json.at("/cloudinary/apiSecret").asText();
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("api_key", json.at("/cloudinary/apiKey").asText());
    fields.put("public_id", publicId);
    fields.put("timestamp", timestamp);
    fields.put("signature", sha1Hex(toSign + secret));
    StringBuilder head = new StringBuilder();
    fields.forEach(
        (k, v) ->
            head.append("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"")
                .append(k)
                .append("\"\r\n\r\n")
                .append(v)
                .append("\r\n"));
    head.append("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\";")
        .append(" filename=\"file\"\r\nContent-Type: application/octet-stream\r\n\r\n");
    String tail = "\r\n--" + BOUNDARY + "--\r\n";
    URI url =
        URI.create(prefix + "/v1_1/" + json.at("/cloudinary/cloudName").asText() + "/raw/upload");
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
            .POST(
                BodyPublishers.concat(
                    BodyPublishers.ofString(head.toString()),
                    BodyPublishers.ofFile(file),
                    BodyPublishers.ofString(tail)))
            .build();
    HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException(url + " answered " + r.statusCode() + ": " + r.body());
    }
  }

  private static void put(S3AsyncClient s3, JsonNode json, String key, Path file) {
    s3.putObject(
            b ->
                b.bucket(json.at("/s3/bucket").asText())
                    .key(json.at("/s3/keyPrefix").asText() + key)
                    .contentType("application/pdf"),
            AsyncRequestBody.fromFile(file))
        .join();
  }

  private static S3AsyncClient s3(JsonNode json) {
    return S3AsyncClient.builder()
        .httpClientBuilder(NettyNioAsyncHttpClient.builder())
        .endpointOverride(URI.create(json.at("/s3/endpoint").asText()))
        .region(Region.of(json.at("/s3/region").asText()))
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(
                    json.at("/s3/accessKey").asText(), json.at("/s3/secretKey").asText())))
        .build();
  }

  private static String sha1Hex(String text) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
  }
}
