package io.docshift.app.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.docshift.app.CliHarness;
import io.docshift.app.cli.ConfigOptions;
import io.docshift.core.config.DocShiftConfig;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.LedgerSettings;
import io.docshift.ledger.ProgressHistory;
import io.docshift.ledger.S3State;
import io.docshift.sandbox.s3.EmbeddedS3;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The operator console in Debian's headless Chromium against a running sandbox (emulator, S3Proxy,
 * H2 ledger, proxy and admin listener): sign in, progress equal to the ledger, a weight change with
 * a reason (audited, served by {@code /admin/traffic}), auto-revert tripped by stopping S3 under
 * load and resumed from the banner, a mutation without the CSRF token refused, and a mismatched
 * document looked up and repaired. Each view is screenshotted under {@code
 * target/console-screenshots} and checked by axe-core. The steps share one sandbox and one browser,
 * in order, as an operator's session would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(180)
class ConsoleBrowserTest {
  private static final int LOAD = 40;
  private static final String WORKER = "backfill-browser-test";

  private Path dir;
  private SandboxRunner sandbox;
  private DocShiftConfig config;
  private ConsoleBrowser browser;
  private String console;
  private EmbeddedS3 restartedS3;

  @BeforeAll
  void start() throws Exception {
    dir = Files.createTempDirectory("console-browser");
    sandbox = SandboxRunner.start(dir, null, CliHarness.ephemeralSandbox(8), line -> {});
    config = ConfigOptions.load(sandbox.configFile(), Map.of());
    assertThat(cli("backfill", "--config", sandbox.configFile().toString())).isZero();
    browser = ConsoleBrowser.open();
    console = sandbox.manifest().adminUrl().toString();
  }

  @AfterAll
  void stop() {
    if (browser != null) {
      browser.close();
    }
    if (restartedS3 != null) {
      restartedS3.close();
    }
    if (sandbox != null) {
      sandbox.close();
    }
  }

  @Test
  @Order(1)
  void signsInWithTheTokenAndKeepsOnlyAnHttpOnlyStrictCookie() throws Exception {
    browser.driver.get(console + "/");
    browser.visible("#token");
    checkAndShoot("sign-in");
    browser.visible("#token").sendKeys(sandbox.manifest().credentials().adminToken());
    browser.click("#sign-in-form button");

    browser.await(d -> d.findElement(By.id("operator")).getText().equals("admin"));
    Cookie cookie = browser.driver.manage().getCookieNamed("docshift_console");
    assertThat(cookie.isHttpOnly()).isTrue();
    assertThat(cookie.getSameSite()).isEqualTo("Strict");
    assertThat(cookie.getExpiry()).as("expires").isNotNull();
    Object stored =
        browser.driver.executeScript("return localStorage.length + sessionStorage.length");
    assertThat(stored).isEqualTo(0L);
    assertThat(browser.driver.getCurrentUrl())
        .doesNotContain(sandbox.manifest().credentials().adminToken());
  }

  @Test
  @Order(2)
  void progressShowsTheLedgersCountsItsHistoryAndWhoHoldsLeases() throws Exception {
    try (Ledger ledger = Ledger.open(LedgerSettings.builder(config).build())) {
      // This minute's snapshot now, rather than waiting up to a minute for the sandbox's own.
      ledger.history().record();
      // A worker in the middle of a batch: two rows leased for ten minutes, given back after.
      ledger
          .documents()
          .claimBatch(WORKER, Duration.ofMinutes(10), 2, EnumSet.of(S3State.VERIFIED));
      try {
        showsCountsAndWorker(ledger);
      } finally {
        ledger.documents().releaseLeases(WORKER);
      }
    }
  }

  private void showsCountsAndWorker(Ledger ledger) throws Exception {
    browser.driver.get(console + "/#view=progress");
    browser.visible("#state-VERIFIED");
    Map<S3State, Long> counts = ledger.documents().countByState();
    assertThat(counts.get(S3State.VERIFIED)).isEqualTo(8L);
    for (S3State state : S3State.values()) {
      String cell = browser.text("#state-" + state.name());
      assertThat(Long.parseLong(cell)).as(state.name()).isEqualTo(counts.getOrDefault(state, 0L));
    }
    assertThat(browser.text("#summary")).contains("8 documents", "100.0 % verified");
    String folders = browser.text("#by-folder");
    for (DocumentRecord record : verified()) {
      String publicId = record.key().publicId();
      assertThat(folders).contains(publicId.substring(0, publicId.indexOf('/')));
    }
    assertThat(browser.text("#pace")).contains("verified per second");
    List<ProgressHistory.Point> history =
        ledger.history().since(Instant.now().minus(Duration.ofHours(6)));
    long latest = history.get(history.size() - 1).tally().documents().get(S3State.VERIFIED);
    assertThat(browser.text("#history-chart"))
        .contains("stored minute snapshots", "to " + latest + ".");
    browser.await(d -> d.findElement(By.id("workers")).getText().contains(WORKER));
    assertThat(browser.text("#workers")).contains(WORKER + " 2 ");
    checkAndShoot("progress");
  }

  @Test
  @Order(3)
  void aWeightChangeNeedsAReasonAndAConfirmationAndIsAuditedAndServed() throws Exception {
    browser.driver.get(console + "/#view=traffic");
    setValue("#s3-read-percent", "100");
    browser.click("#apply");
    assertThat(browser.driver.findElement(By.id("confirm")).isDisplayed())
        .as("no confirmation without a reason")
        .isFalse();
    browser.visible("#change-reason").sendKeys("ramp to S3 from the console");
    browser.click("#apply");
    browser.visible("#confirm-yes");
    assertThat(browser.text("#confirm-body")).contains("S3 read weight (%): 0 → 100");
    checkAndShoot("traffic-confirm");
    browser.click("#confirm-yes");

    browser.await(d -> admin("/admin/traffic").at("/s3ReadPercent").asInt() == 100);
    JsonNode event = admin("/admin/audit").at("/events/0");
    assertThat(event.at("/action").asText()).isEqualTo("traffic.set");
    assertThat(event.at("/actor").asText()).isEqualTo("admin");
    assertThat(event.at("/reason").asText()).isEqualTo("ramp to S3 from the console");
    browser.await(
        d -> d.findElement(By.id("dials")).getText().contains("S3 read weight (%) 100 100"));
    checkAndShoot("traffic");

    browser.driver.get(console + "/#view=audit&kind=traffic.set");
    browser.driver.navigate().refresh(); // the view and its filter come back from the URL
    assertThat(browser.text("#audit-table")).contains("ramp to S3 from the console", "admin");
    assertThat(browser.visible("#audit-kind").getAttribute("value")).isEqualTo("traffic.set");
    checkAndShoot("audit");
  }

  @Test
  @Order(4)
  void theKeyboardReachesEveryViewFromTheTop() {
    browser.driver.get(console + "/#view=traffic");
    browser.visible("#dials");
    Actions keys = new Actions(browser.driver);
    String focused = "";
    for (int i = 0; i < 10 && !focused.equals("Audit"); i++) { // bounded: the nav is near the top
      keys.sendKeys(Keys.TAB).perform();
      focused = browser.driver.switchTo().activeElement().getText();
    }
    assertThat(focused).isEqualTo("Audit");
    keys.sendKeys(Keys.ENTER).perform();
    browser.visible("#audit-kind");
    assertThat(browser.driver.getCurrentUrl()).endsWith("#view=audit");
  }

  @Test
  @Order(5)
  void stoppingS3UnderLoadShowsTheAutoRevertBannerAndResumeRestoresS3() throws Exception {
    URI doc = SandboxCalls.proxyUrl(sandbox);
    SandboxCalls.awaitBackend(doc, "s3");
    int s3Port = sandbox.embeddedS3().port();
    sandbox.embeddedS3().close(); // S3 goes away behind DocShift's back
    try {
      for (int i = 0; i < LOAD; i++) {
        assertThat(SandboxCalls.get(doc).statusCode()).as("request %d", i).isEqualTo(200);
      }
      browser.driver.get(console + "/#view=traffic");
      assertThat(browser.text("#revert-rule")).contains("S3 failures in a row");
      assertThat(browser.text("#revert-window")).contains("S3 calls in", "failed");
      assertThat(browser.text("#revert-banner"))
          .contains("Thresholds (30 s window): ", "10 failures in a row");
      browser.await(d -> d.findElement(By.id("dials")).getText().contains("(%) 0 0"));
      checkAndShoot("auto-revert");
    } finally {
      restartedS3 =
          SandboxCalls.restartS3(sandbox, s3Port); // later steps need S3 whatever happened here
    }

    browser.visible("#resume-reason").sendKeys("S3 is back");
    browser.click("#resume");
    browser.click("#confirm-yes");
    browser.await(d -> !d.findElement(By.id("revert-banner")).isDisplayed());
    JsonNode traffic = admin("/admin/traffic");
    assertThat(traffic.at("/autoRevert/tripped").asBoolean()).isFalse();
    assertThat(traffic.at("/s3ReadPercent").asInt()).isEqualTo(100);
    JsonNode resumed = admin("/admin/audit").at("/events/0");
    assertThat(resumed.at("/action").asText()).isEqualTo("traffic.resume");
    assertThat(resumed.at("/actor").asText()).isEqualTo("admin");
    SandboxCalls.awaitBackend(doc, "s3");
  }

  @Test
  @Order(6)
  void aMutationWithoutTheCsrfTokenIsRefusedAndChangesNothing() throws Exception {
    browser.driver.get(console + "/#view=traffic");
    browser.visible("#dials");
    JsonNode before = admin("/admin/traffic");
    Object status =
        browser.driver.executeAsyncScript(
            "const done = arguments[arguments.length - 1];"
                + "fetch('/graphql', {method: 'POST', credentials: 'same-origin',"
                + " headers: {'Content-Type': 'application/json'},"
                + " body: JSON.stringify({query: 'mutation { setTraffic(input: {s3ReadPercent: 0,"
                + " reason: \"forged\"}) { s3ReadPercent } }'})}).then(r => done(r.status));");
    assertThat(status).isEqualTo(403L);
    JsonNode after = admin("/admin/traffic");
    assertThat(after.at("/s3ReadPercent").asInt()).isEqualTo(100);
    assertThat(after.at("/revision")).isEqualTo(before.at("/revision"));
    JsonNode event = admin("/admin/audit").at("/events/0");
    assertThat(event.at("/action").asText()).isEqualTo("console.csrf-refused");
    assertThat(event.at("/actor").asText()).isEqualTo("admin");
  }

  @Test
  @Order(7)
  void aMismatchedDocumentIsFoundLookedUpAndRepaired() throws Exception {
    DocumentRecord victim = verifiedUpload();
    String publicId = victim.key().publicId();
    ConsoleStores.overwriteS3(config, victim, "not the original".getBytes());
    assertThat(cli("verify", "--config", sandbox.configFile().toString())).isEqualTo(1);
    assertThat(state(victim)).isEqualTo(S3State.MISMATCH);

    browser.driver.get(console + "/#view=problems");
    assertThat(browser.text("#mismatches a")).isEqualTo(publicId);
    // The reads served while S3 was stopped fell back; every instance's counts reach the ledger.
    browser.await(d -> d.findElement(By.id("recent-outcomes")).getText().contains("fallback S3_"));
    checkAndShoot("problems");
    browser.click("#mismatches a");
    browser.await(d -> d.findElement(By.id("verdict")).getText().startsWith("Inconsistent"));
    assertThat(browser.text("#doc-state")).isEqualTo("MISMATCH");
    assertThat(browser.text("#served-from")).isEqualTo("CLOUDINARY");
    assertThat(browser.text("#doc-cloudinary")).contains(victim.asset().etag());
    checkAndShoot("lookup");

    browser.click("#repair");
    browser.await(d -> d.findElement(By.id("verdict")).getText().equals("Consistent"));
    assertThat(state(victim)).isEqualTo(S3State.VERIFIED);
    assertThat(ConsoleStores.s3Md5(config, victim)).isEqualTo(victim.asset().etag());
    JsonNode event = admin("/admin/audit").at("/events/0");
    assertThat(event.at("/actor").asText()).isEqualTo("admin");
    checkAndShoot("lookup-repaired");
  }

  private void checkAndShoot(String view) throws Exception {
    assertThat(browser.accessibilityViolations()).as("axe-core on " + view).isEmpty();
    browser.screenshot(view);
  }

  private void setValue(String css, String value) {
    WebElement input = browser.visible(css);
    input.clear();
    input.sendKeys(value);
  }

  private DocumentRecord verifiedUpload() {
    return verified().stream()
        .filter(r -> r.key().type().equals("upload") && r.key().resourceType().equals("image"))
        .findFirst()
        .orElseThrow();
  }

  private List<DocumentRecord> verified() {
    try (Ledger ledger = Ledger.open(LedgerSettings.builder(config).build())) {
      return ledger.documents().page(S3State.VERIFIED, 0, 100);
    }
  }

  private S3State state(DocumentRecord record) {
    try (Ledger ledger = Ledger.open(LedgerSettings.builder(config).build())) {
      return ledger.documents().find(record.key()).orElseThrow().state();
    }
  }

  private static int cli(String... args) {
    CliHarness cli = new CliHarness();
    int code = cli.run(args);
    assertThat(cli.err()).as("stderr of %s", String.join(" ", args)).doesNotContain("Exception");
    return code;
  }

  private JsonNode admin(String path) {
    return SandboxCalls.admin(sandbox, path);
  }
}
