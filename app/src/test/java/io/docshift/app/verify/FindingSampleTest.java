package io.docshift.app.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.shadow.Finding;
import io.docshift.shadow.FindingKind;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class FindingSampleTest {
  @Test
  void theTerminalNamesTheFirstTwentyAndCountsTheRest() {
    FindingSample sample = new FindingSample();
    for (int i = 0; i < 25; i++) {
      sample.add(
          new Finding(
              FindingKind.MISSING_IN_S3,
              "demo/raw/upload/doc-" + i + ".pdf",
              "k" + i,
              "",
              false,
              ""));
    }
    sample.add(
        new Finding(
            FindingKind.CHECKSUM_DIFFERS, "demo/image/upload/late.pdf", "late", "md5", true, "x"));

    String withReport = print(sample, true);
    assertThat(withReport.lines())
        .hasSize(FindingSample.SHOWN + 1)
        .startsWith("  missing-in-s3 demo/raw/upload/doc-0.pdf")
        .contains("  missing-in-s3 demo/raw/upload/doc-19.pdf")
        .doesNotContain("  missing-in-s3 demo/raw/upload/doc-20.pdf")
        .endsWith("  ... and 6 more (all in the --report file)");
    assertThat(print(sample, false))
        .endsWith("  ... and 6 more; list them all with --report FILE\n");
  }

  @Test
  void aRepairedFindingSaysSoWithItsDetail() {
    FindingSample sample = new FindingSample();
    sample.add(
        new Finding(
            FindingKind.CHECKSUM_DIFFERS,
            "demo/image/upload/credentials/abc.pdf",
            "demo/image/upload/credentials/abc.pdf",
            "S3 md5 aa, Cloudinary bb",
            true,
            "copied again"));

    assertThat(print(sample, false))
        .isEqualTo(
            "  checksum-differs demo/image/upload/credentials/abc.pdf"
                + " (S3 md5 aa, Cloudinary bb) repaired\n");
  }

  private static String print(FindingSample sample, boolean report) {
    StringWriter text = new StringWriter();
    try (PrintWriter out = new PrintWriter(text)) {
      sample.print(out, report);
    }
    return text.toString().replace(System.lineSeparator(), "\n");
  }
}
