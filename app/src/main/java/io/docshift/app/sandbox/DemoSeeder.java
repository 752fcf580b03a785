package io.docshift.app.sandbox;

import io.docshift.core.config.SandboxConfig;
import io.docshift.sandbox.emulator.CloudinaryEmulator;
import io.docshift.sandbox.emulator.StoredAsset;
import io.docshift.sandbox.seed.DemoCorpus;
import io.docshift.sandbox.seed.SeedDocument;
import io.docshift.sandbox.seed.SizeProfile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

/**
 * Seeds the demo backlog into the emulator (only there: S3 starts empty, that is what the migration
 * is for) the first time a data directory is used. A marker file, written only after the last
 * document, makes a restart keep the data instead of seeding again; an interrupted seed is simply
 * redone, and re-seeding the same public ids is harmless.
 */
final class DemoSeeder {
  /** Fixed so every newcomer gets the same backlog. */
  static final long CORPUS_SEED = 20_260_101L;

  static final String MARKER = "seeded.properties";
  private static final int REPORT_EVERY = 50;

  private DemoSeeder() {}

  static SeedSummary seedIfNeeded(
      CloudinaryEmulator emulator,
      Path dir,
      SandboxConfig config,
      SandboxRunner.Progress progress) {
    Path marker = dir.resolve(MARKER);
    if (Files.isRegularFile(marker)) {
      return readMarker(marker);
    }
    int count = config.seedCount();
    String profileName = config.seedProfile();
    SizeProfile profile = profile(profileName);
    progress.report(
        "seeding "
            + count
            + " demo documents (size profile "
            + profileName
            + ") into the Cloudinary emulator ...");
    long bytes = 0;
    int done = 0;
    String example = "";
    for (SeedDocument doc : DemoCorpus.of(CORPUS_SEED, count, profile)) {
      StoredAsset stored = seedOne(emulator, doc);
      bytes += stored.bytes();
      if (example.isEmpty() && stored.type().equals("upload")) {
        example = stored.secureUrl().toString();
      }
      if (++done % REPORT_EVERY == 0 && done < count) {
        progress.report("  " + done + " / " + count);
      }
    }
    SeedSummary summary = new SeedSummary(done, bytes, true, example);
    writeMarker(marker, summary, profileName);
    return summary;
  }

  /**
   * The size profile a {@code sandbox.seedProfile} value names: {@code demo} or {@code
   * backfill-bench} (the backfill benchmark's mix).
   *
   * @throws IllegalArgumentException for any other name
   */
  static SizeProfile profile(String name) {
    String constant = name.strip().toUpperCase(Locale.ROOT).replace('-', '_');
    for (SizeProfile profile : SizeProfile.values()) {
      if (profile.name().equals(constant)) {
        return profile;
      }
    }
    throw new IllegalArgumentException(
        "sandbox.seedProfile: " + name + " (expected: demo or backfill-bench)");
  }

  private static StoredAsset seedOne(CloudinaryEmulator emulator, SeedDocument doc) {
    try (InputStream content = doc.open()) {
      return emulator.seed(doc.seedRequest(content));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot seed " + doc.publicId(), e);
    }
  }

  private static SeedSummary readMarker(Path marker) {
    Properties props = new Properties();
    try (InputStream in = Files.newInputStream(marker)) {
      props.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + marker, e);
    }
    return new SeedSummary(
        Integer.parseInt(props.getProperty("documents", "0")),
        Long.parseLong(props.getProperty("bytes", "0")),
        false,
        props.getProperty("exampleUrl", ""));
  }

  private static void writeMarker(Path marker, SeedSummary summary, String profileName) {
    Properties props = new Properties();
    props.setProperty("documents", Integer.toString(summary.documents()));
    props.setProperty("bytes", Long.toString(summary.bytes()));
    props.setProperty("corpusSeed", Long.toString(CORPUS_SEED));
    props.setProperty("sizeProfile", profileName);
    props.setProperty("exampleUrl", summary.exampleUrl());
    try (var out = Files.newOutputStream(marker)) {
      props.store(out, "demo backlog seeded into the Cloudinary emulator");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + marker, e);
    }
  }
}
