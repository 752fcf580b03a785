package io.docshift.app.sandbox;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium, driven through Debian's ChromeDriver (never a downloaded browser: the
 * driver executable and the browser binary are given, so Selenium Manager is not asked). Installs
 * both from Debian first when either is missing. Writes screenshots under {@code
 * target/console-screenshots} and runs axe-core (from its WebJar) in the page.
 */
final class ConsoleBrowser implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  static final Path INSTALLER = Path.of("../loadtest/install-tools.sh");
  static final Path SHOTS = Path.of("target/console-screenshots");
  private static final String AXE = "/META-INF/resources/webjars/axe-core/%s/axe.min.js";

  final ChromeDriver driver;

  private ConsoleBrowser(ChromeDriver driver) {
    this.driver = driver;
  }

  static ConsoleBrowser open() throws Exception {
    installIfMissing();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // Root in a container has no user namespace for Chromium's sandbox.
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000");
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    Files.createDirectories(SHOTS);
    return new ConsoleBrowser(driver);
  }

  /** Runs the project's installer when the browser or its driver is missing; fails if still so. */
  static void installIfMissing() throws Exception {
    if (Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER)) {
      return;
    }
    Process install =
        new ProcessBuilder(
                "bash", INSTALLER.toString(), CHROMIUM + ":chromium", DRIVER + ":chromium-driver")
            .redirectErrorStream(true)
            .start();
    String output = new String(install.getInputStream().readAllBytes(), UTF_8);
    assertThat(install.waitFor(10, TimeUnit.MINUTES)).as("installer finished").isTrue();
    assertThat(install.exitValue()).as(output).isZero();
    assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER)).as(output).isTrue();
  }

  <T> T await(Function<WebDriver, T> condition) {
    // Polling re-renders the live parts of a view: an element found a moment ago may be gone.
    return new WebDriverWait(driver, Duration.ofSeconds(20))
        .ignoring(StaleElementReferenceException.class)
        .withMessage(this::pageStatus)
        .until(condition);
  }

  WebElement visible(String cssSelector) {
    return await(
        d -> {
          List<WebElement> found = d.findElements(By.cssSelector(cssSelector));
          return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
        });
  }

  /**
   * The text of the first visible element matching {@code cssSelector}, read in one step: the
   * page's polling may replace the element between a find and a read, so a stale read is retried.
   */
  String text(String cssSelector) {
    return await(
        d -> {
          List<WebElement> found = d.findElements(By.cssSelector(cssSelector));
          return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0).getText();
        });
  }

  /** Clicks the first visible element matching {@code cssSelector}, again if it went stale. */
  void click(String cssSelector) {
    await(
        d -> {
          visible(cssSelector).click();
          return true;
        });
  }

  /** What the page says about itself, for a failed wait's message. */
  private String pageStatus() {
    List<WebElement> status = driver.findElements(By.id("status"));
    return "at "
        + driver.getCurrentUrl()
        + ", status line: "
        + (status.isEmpty() ? "(none) in " + driver.getPageSource() : status.get(0).getText());
  }

  void screenshot(String name) throws IOException {
    Path png = driver.getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(png, SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  /** axe-core's WCAG 2 A/AA violations on the page as it is now, one line each. */
  @SuppressWarnings("unchecked")
  List<String> accessibilityViolations() {
    driver.executeScript(axeSource());
    Object result =
        driver.executeAsyncScript(
            "const done = arguments[arguments.length - 1];"
                + "axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'best-practice']})"
                + ".then(r => done(r.violations.map(v => v.id + ': ' + v.help + ' at '"
                + " + v.nodes.map(n => n.target.join(' ')).join(', '))))"
                + ".catch(e => done(['axe failed: ' + e]));");
    return (List<String>) result;
  }

  private static String axeSource() {
    String version = axeVersion();
    try (InputStream in = ConsoleBrowser.class.getResourceAsStream(String.format(AXE, version))) {
      assertThat(in).as("axe-core %s on the test classpath", version).isNotNull();
      return new String(in.readAllBytes(), UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The WebJar's version, from the Maven properties it carries (the POM alone names it). */
  private static String axeVersion() {
    Properties properties = new Properties();
    try (InputStream in =
        ConsoleBrowser.class.getResourceAsStream(
            "/META-INF/maven/org.webjars.npm/axe-core/pom.properties")) {
      assertThat(in).as("the axe-core WebJar on the test classpath").isNotNull();
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties.getProperty("version");
  }

  @Override
  public void close() {
    driver.quit();
  }
}
