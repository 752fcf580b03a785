package io.docshift.app;

import picocli.CommandLine.IVersionProvider;

/** Reads the version Maven wrote into the jar manifest ("dev" when run from classes). */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = Main.class.getPackage().getImplementationVersion();
    return new String[] {"docshift " + (version == null ? "dev" : version)};
  }
}
