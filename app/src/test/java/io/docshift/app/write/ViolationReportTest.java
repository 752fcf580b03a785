package io.docshift.app.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.app.write.HistoryOp.Kind;
import io.docshift.app.write.HistoryOp.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The history checker's failure report, from a fabricated violation (no history run). */
class ViolationReportTest {
  private static final String SHA = "ab".repeat(32);

  @TempDir Path dir;

  @Test
  void namesTheViolatingIdsOperationsOutboxRowsLedgerRowAndLogLines() throws Exception {
    Path log = dir.resolve("serve.log");
    Files.write(
        log,
        List.of(
            "INFO upload h/d1.bin version 3 stored",
            "INFO upload h/d12.bin version 1 stored",
            "WARN repair put h/d1.bin: S3 connection refused",
            "INFO started"));
    List<HistoryOp> history =
        List.of(
            op(1, Kind.SIGNED_UPLOAD, "h/d1.bin", null, Outcome.OK),
            op(2, Kind.RENAME, "h/d12.bin", "h/d1.bin", Outcome.UNKNOWN),
            op(3, Kind.DESTROY, "h/d1.bin", null, Outcome.REFUSED),
            op(4, Kind.SIGNED_UPLOAD, "h/d2.bin", null, Outcome.OK));
    List<String> outbox =
        List.of(
            "h/d1.bin put attempts=2 due=now claimed=null error=S3 down",
            "h/d2.bin cld_delete attempts=0 due=now claimed=null error=null");

    String report =
        ViolationReport.of(
            Map.of("h/d1.bin", List.of("stores differ: S3 absent, Cloudinary abababababab")),
            new ViolationReport.Evidence(
                history, outbox, id -> "DocumentRecord[" + id + " VERIFIED]", log));

    assertThat(report)
        .contains("stores differ: S3 absent")
        .contains("#1 c0 SIGNED_UPLOAD h/d1.bin OK")
        .contains("#2 c0 RENAME h/d12.bin -> h/d1.bin UNKNOWN")
        .doesNotContain("#3 ")
        .doesNotContain("#4 ")
        .contains("ledger row of h/d1.bin: DocumentRecord[h/d1.bin VERIFIED]")
        .contains("INFO upload h/d1.bin version 3 stored")
        .contains("WARN repair put h/d1.bin: S3 connection refused")
        .doesNotContain("INFO upload h/d12.bin")
        .doesNotContain("INFO started");
    String rowsOfId = report.substring(report.indexOf("repair outbox rows of h/d1.bin"));
    assertThat(rowsOfId.substring(0, rowsOfId.indexOf("ledger row")))
        .contains("h/d1.bin put attempts=2")
        .doesNotContain("h/d2.bin");
    assertThat(report).as("a short outbox, whole").contains("h/d2.bin cld_delete attempts=0");
  }

  @Test
  void staysBoundedWhateverTheRunHeld() throws Exception {
    Path log = dir.resolve("serve.log");
    Files.write(log, IntStream.range(0, 5_000).mapToObj(i -> "line " + i + " h/d1.bin").toList());
    List<HistoryOp> history = new ArrayList<>();
    List<String> outbox = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      String id = "h/d" + (i % 12) + ".bin";
      history.add(op(i, Kind.SIGNED_UPLOAD, id, null, Outcome.OK));
      outbox.add(id + " put attempts=" + i);
    }
    Map<String, List<String>> violations = new java.util.TreeMap<>();
    IntStream.range(0, 12).forEach(i -> violations.put("h/d" + i + ".bin", List.of("wrong")));

    String report =
        ViolationReport.of(
            violations, new ViolationReport.Evidence(history, outbox, id -> "no row", log));

    assertThat(report.lines().count()).isLessThan(400);
    assertThat(report).contains("line 4999 h/d1.bin").doesNotContain("line 10 h/d1.bin");
    assertThat(report).contains("earlier lines left out");
    assertThat(report).contains("h/d11.bin:\n    - wrong");
  }

  @Test
  void saysSoWhenThereIsNoViolation() {
    assertThat(
            ViolationReport.of(
                Map.of(),
                new ViolationReport.Evidence(List.of(), List.of(), id -> "", dir.resolve("none"))))
        .isEqualTo("no violation\n");
  }

  private static HistoryOp op(int seq, Kind kind, String id, String to, Outcome outcome) {
    return new HistoryOp(
        seq, 0, kind, id, to, kind.writes() ? SHA : null, seq * 1_000L, seq * 2_000L, outcome, "");
  }
}
