package io.docshift.app.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.app.Main;
import io.docshift.core.config.AutoRevertSettings;
import io.docshift.core.config.WriteMode;
import io.docshift.ledger.AuditEvent;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerSettings;
import io.docshift.proxy.admin.AdminServer;
import io.docshift.proxy.admin.AdminSettings;
import io.docshift.traffic.TrafficState;
import io.docshift.traffic.control.TrafficControl;
import io.docshift.traffic.control.TrafficControlState;
import io.docshift.traffic.ff4j.Ff4jTrafficStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code docshift traffic ...} against a running admin server on an ephemeral port. */
class TrafficCommandTest {
  private static final String TOKEN = "cli-token";
  private static final TrafficState INITIAL = new TrafficState(10, WriteMode.DUAL_S3_PRIMARY, 5);

  private final Ledger ledger =
      Ledger.open(LedgerSettings.builder("jdbc:h2:mem:cli-" + UUID.randomUUID()).build());
  private final TrafficControl control =
      TrafficControl.builder(
              Ff4jTrafficStore.open(
                  ledger.dataSource(),
                  TrafficControlState.initial(INITIAL, AutoRevertSettings.defaults())),
              ledger.audit())
          .executor(Runnable::run)
          .build();
  private final AdminServer server =
      AdminServer.start(
          AdminSettings.builder(control, ledger).tokensByOwner(Map.of("erin", TOKEN)).build());
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @AfterEach
  void stop() {
    server.close();
    ledger.close();
  }

  private int run(String... args) {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
    List<String> all = new ArrayList<>(List.of("traffic"));
    all.addAll(List.of(args));
    all.addAll(List.of("--admin-url", server.baseUrl().toString(), "--actor", "dana"));
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(all.toArray(String[]::new));
  }

  @Test
  void getShowsTheDialsSetChangesThemAndAuditListsWhoAndWhy() {
    assertThat(run("get", "--token", TOKEN)).isZero();
    assertThat(out.toString())
        .contains("S3 read weight : 10 %", "write mode     : DUAL_S3_PRIMARY");

    assertThat(run("set", "--token", TOKEN, "--s3-read-percent", "25", "--reason", "ramp"))
        .isZero();
    assertThat(out.toString()).contains("S3 read weight : 25 %");
    assertThat(control.current().s3ReadPercent()).isEqualTo(25);

    assertThat(run("audit", "--token", TOKEN)).isZero();
    // The token is erin's: the audit names her, not the "--actor dana" the client claimed.
    assertThat(out.toString()).contains("erin", "traffic.set", "ramp").doesNotContain("dana");
  }

  @Test
  void refusalsExitNonZeroWithTheApisMessageAndChangeNothing() {
    assertThat(run("get", "--token", "wrong")).isEqualTo(1);
    assertThat(err.toString()).contains("refused (401)", "wrong token");

    assertThat(run("set", "--token", TOKEN, "--s3-read-percent", "130", "--reason", "x"))
        .isEqualTo(1);
    assertThat(err.toString()).contains("refused (400)", "s3ReadPercent: 130 (expected: 0..100)");
    assertThat(run("set", "--token", TOKEN, "--write-mode", "S3_FIRST", "--reason", "x"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("S3_FIRST");
    assertThat(control.current()).isEqualTo(INITIAL);
    server.close(); // ends the refusal window: its count becomes one audit row
    assertThat(ledger.audit().latest(10))
        .extracting(AuditEvent::action)
        .containsExactly("admin.refused");
  }

  @Test
  void aTripIsShownAndResumeRestoresThePreTripDials() {
    for (int i = 0; i < 10; i++) {
      control.guard().recordS3(true, Duration.ofMillis(1));
    }
    assertThat(run("get", "--token", TOKEN)).isZero();
    assertThat(out.toString())
        .contains(
            "S3 read weight : 0 %", "DUAL_CLOUDINARY_PRIMARY", "TRIPPED", "resume restores: 10 %");
    assertThat(run("set", "--token", TOKEN, "--s3-read-percent", "50", "--reason", "x"))
        .isEqualTo(1);
    assertThat(err.toString()).contains("refused (409)");

    assertThat(run("resume", "--token", TOKEN, "--reason", "S3 fixed")).isZero();
    assertThat(control.current()).isEqualTo(INITIAL);
  }
}
