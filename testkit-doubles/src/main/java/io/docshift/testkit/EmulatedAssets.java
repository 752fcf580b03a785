package io.docshift.testkit;

import io.docshift.ledger.LedgerKey;
import io.docshift.sandbox.emulator.StoredAsset;

/**
 * What the ledger calls the assets a test's emulator (from {@link CloudinaryEmulatorExtension})
 * holds.
 */
public final class EmulatedAssets {
  private EmulatedAssets() {}

  /** The ledger identity of {@code asset} in the extension's cloud. */
  public static LedgerKey ledgerKey(StoredAsset asset) {
    return new LedgerKey(
        CloudinaryEmulatorExtension.CLOUD_NAME,
        asset.resourceType(),
        asset.type(),
        asset.publicId());
  }
}
