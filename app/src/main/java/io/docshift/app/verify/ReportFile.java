package io.docshift.app.verify;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.docshift.shadow.Finding;
import io.docshift.shadow.FindingKind;
import io.docshift.shadow.VerifyReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * {@code --report FILE}: the walk as JSON, written while it runs so memory stays flat however many
 * findings there are. Shape:
 *
 * <pre>
 * {"command": "verify", "startedAt": "...", "inventory": "ledger", "deep": false, "repair": false,
 *  "prefix": "", "findings": [{"kind": "checksum-differs", "document": "demo/raw/upload/a.pdf",
 *  "s3Key": "...", "detail": "...", "repaired": false, "repair": ""}, ...],
 *  "summary": {"checked": 5, "listed": 6, "differences": 1, "unrepaired": 1, "errors": 0,
 *  "complete": true, "elapsedMillis": 812, "found": {"checksum-differs": 1}, "repaired": {},
 *  "fatal": null}, "exitCode": 1}
 * </pre>
 *
 * {@link #finding} is thread-safe (the walk's workers call it).
 */
final class ReportFile implements AutoCloseable {
  private final JsonGenerator json;

  private ReportFile(JsonGenerator json) {
    this.json = json;
  }

  /** Creates (or replaces) {@code file} and writes the run's settings. */
  static ReportFile open(Path file, String inventory, boolean deep, boolean repair, String prefix) {
    try {
      JsonGenerator json = new JsonFactory().createGenerator(file.toFile(), JsonEncoding.UTF8);
      json.useDefaultPrettyPrinter();
      json.writeStartObject();
      json.writeStringField("command", "verify");
      json.writeStringField("startedAt", Instant.now().toString());
      json.writeStringField("inventory", inventory);
      json.writeBooleanField("deep", deep);
      json.writeBooleanField("repair", repair);
      json.writeStringField("prefix", prefix);
      json.writeArrayFieldStart("findings");
      return new ReportFile(json);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write report " + file, e);
    }
  }

  synchronized void finding(Finding f) {
    try {
      json.writeStartObject();
      json.writeStringField("kind", f.kind().tag());
      json.writeStringField("document", f.document());
      json.writeStringField("s3Key", f.s3Key());
      json.writeStringField("detail", f.detail());
      json.writeBooleanField("repaired", f.repaired());
      json.writeStringField("repair", f.repair());
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write report", e);
    }
  }

  /** Writes the summary and the exit code, and closes the file. */
  synchronized void finish(VerifyReport r, int exitCode) {
    try {
      json.writeEndArray();
      json.writeObjectFieldStart("summary");
      json.writeNumberField("checked", r.checked());
      json.writeNumberField("listed", r.listed());
      json.writeNumberField("differences", r.differences());
      json.writeNumberField("unrepaired", r.unrepaired());
      json.writeNumberField("errors", r.errors());
      json.writeBooleanField("complete", r.complete());
      json.writeNumberField("elapsedMillis", r.elapsed().toMillis());
      counts("found", r.found());
      counts("repaired", r.repaired());
      json.writeStringField("fatal", r.fatal().orElse(null));
      json.writeEndObject();
      json.writeNumberField("exitCode", exitCode);
      json.writeEndObject();
      json.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write report", e);
    }
  }

  private void counts(String name, Map<FindingKind, Long> counts) throws IOException {
    json.writeObjectFieldStart(name);
    for (Map.Entry<FindingKind, Long> e : counts.entrySet()) {
      json.writeNumberField(e.getKey().tag(), e.getValue());
    }
    json.writeEndObject();
  }

  /** Closes the file as it is (a walk that failed before its summary). */
  @Override
  public synchronized void close() {
    try {
      json.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close report", e);
    }
  }
}
