package io.docshift.app.write;

import com.cloudinary.Cloudinary;
import com.cloudinary.utils.ObjectUtils;
import io.docshift.app.node.ProxyNode;
import io.docshift.app.write.HistoryChecker.Allowed;
import io.docshift.app.write.HistoryOp.Outcome;
import io.docshift.core.config.CloudinaryConfig;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.S3State;
import io.docshift.traffic.control.TrafficChange;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The final state of both stores, the ledger and reads through DocShift, held against a history:
 * per public_id what {@link HistoryChecker} allows, and for every object in either store a payload
 * some acknowledged or indeterminate authenticated write sent. {@link ViolationReport} reads the
 * violations with what the run's parts knew about them.
 */
final class HistoryVerdict {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final HistoryChecker checker;
  private final StoreProbe stores;
  private final ProxyNode reader;
  private final Map<String, List<String>> violations = new TreeMap<>();

  HistoryVerdict(
      List<HistoryOp> history,
      StoreProbe stores,
      ProxyNode reader,
      List<String> ids,
      List<String> stuckRepairs)
      throws Exception {
    this.checker = new HistoryChecker(history);
    this.stores = stores;
    this.reader = reader;
    TreeSet<String> all = new TreeSet<>(ids);
    all.addAll(storedIds());
    for (String id : all) {
      checkStores(id);
    }
    for (int weight : new int[] {100, 0}) {
      reader
          .traffic()
          .set(TrafficChange.builder().s3ReadPercent(weight).build(), "test", "history reads");
      for (String id : all) {
        checkRead(id, weight);
      }
    }
    for (String row : stuckRepairs) {
      violation(row.substring(0, row.indexOf(' ')), "repair outbox row never settles: " + row);
    }
    for (HistoryOp op : history) {
      if (op.detail() != null && op.detail().startsWith("200 with a foreign etag")) {
        violation(op.id(), "acknowledged with an etag that is not its payload's: " + op);
      }
    }
  }

  /** public_id of every raw original in S3 or at Cloudinary. */
  private List<String> storedIds() throws Exception {
    List<String> found = new ArrayList<>();
    for (String path : stores.s3Paths()) {
      found.add(path.substring("raw/upload/".length()));
    }
    CloudinaryConfig account = stores.config().cloudinary();
    Cloudinary direct =
        new Cloudinary(WriteRig.cloudinaryUrl(account, account.apiSecret(), account.apiUrl()));
    Object cursor = null;
    for (int page = 0; page < 20; page++) {
      Map<?, ?> answer =
          direct
              .api()
              .resources(
                  ObjectUtils.asMap(
                      "resource_type",
                      "raw",
                      "type",
                      "upload",
                      "max_results",
                      500,
                      "next_cursor",
                      cursor));
      for (Object r : (List<?>) answer.get("resources")) {
        found.add((String) ((Map<?, ?>) r).get("public_id"));
      }
      cursor = answer.get("next_cursor");
      if (cursor == null) {
        break;
      }
    }
    return found;
  }

  private void checkStores(String id) throws Exception {
    String path = "raw/upload/" + id;
    String s3 = state(stores.s3(path));
    String cloudinary = state(stores.cloudinary(path));
    Allowed allowed = checker.allowed(id);
    for (String[] store : new String[][] {{"S3", s3}, {"Cloudinary", cloudinary}}) {
      String held = store[1];
      if (!HistoryChecker.ABSENT.equals(held) && !checker.couldHaveBeenWritten(held)) {
        violation(id, store[0] + " holds bytes no authenticated write sent: " + short12(held));
      } else if (!allowed.states().contains(held)) {
        violation(
            id,
            store[0]
                + " holds "
                + short12(held)
                + ", allowed "
                + allowed.states().stream().map(HistoryVerdict::short12).toList()
                + "\n"
                + allowed.explain());
      }
    }
    if (!s3.equals(cloudinary)) {
      violation(id, "stores differ: S3 " + short12(s3) + ", Cloudinary " + short12(cloudinary));
    }
    checkLedger(id, cloudinary);
  }

  private void checkLedger(String id, String cloudinary) {
    Optional<DocumentRecord> row = stores.row("raw", id);
    String held =
        row.map(r -> r.state() + (r.s3() == null ? "" : " " + short12(r.s3().sha256())))
            .orElse("no row");
    boolean verified = row.isPresent() && row.get().state() == S3State.VERIFIED;
    if (HistoryChecker.ABSENT.equals(cloudinary)
        ? verified
        : !verified || !cloudinary.equals(row.get().s3().sha256())) {
      violation(id, "ledger holds " + held + " for " + short12(cloudinary));
    }
  }

  private void checkRead(String id, int weight) throws Exception {
    String expected = state(stores.cloudinary("raw/upload/" + id));
    URI url =
        URI.create(
            "http://127.0.0.1:" + reader.proxyPort() + "/" + stores.cloud() + "/raw/upload/" + id);
    HttpResponse<byte[]> r =
        HTTP.send(
            HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(15)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    String served = r.statusCode() == 200 ? state(r.body()) : HistoryChecker.ABSENT;
    if (!served.equals(expected) || (r.statusCode() != 200 && r.statusCode() != 404)) {
      violation(
          id,
          "GET at S3 weight "
              + weight
              + ": "
              + r.statusCode()
              + " "
              + short12(served)
              + " from "
              + r.headers().firstValue("X-DocShift-Backend").orElse("?")
              + ", stores hold "
              + short12(expected));
    }
  }

  private void violation(String id, String what) {
    violations.computeIfAbsent(id, k -> new ArrayList<>()).add(what);
  }

  Map<String, List<String>> violations() {
    return violations;
  }

  static String counts(List<HistoryOp> history) {
    return history.stream()
        .collect(Collectors.groupingBy(HistoryOp::outcome, TreeMap::new, Collectors.counting()))
        .toString();
  }

  /**
   * The indeterminate outcomes grouped by what the client saw (digits folded), most frequent first:
   * why a run acknowledged few operations.
   */
  static String unknownCauses(List<HistoryOp> history) {
    return history.stream()
        .filter(op -> op.outcome().indeterminate())
        .collect(
            Collectors.groupingBy(
                op -> {
                  String d = String.valueOf(op.detail()).replaceAll("[0-9]+", "N");
                  return d.substring(0, Math.min(d.length(), 120));
                },
                Collectors.counting()))
        .entrySet()
        .stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(8)
        .map(e -> "  " + e.getValue() + " x " + e.getKey() + "\n")
        .collect(Collectors.joining());
  }

  static long acknowledged(List<HistoryOp> history) {
    return history.stream().filter(op -> op.outcome() == Outcome.OK).count();
  }

  private static String state(byte[] bytes) {
    return bytes == null ? HistoryChecker.ABSENT : Bodies.sha256(bytes);
  }

  private static String short12(String state) {
    return state == null || state.length() < 12 ? String.valueOf(state) : state.substring(0, 12);
  }
}
