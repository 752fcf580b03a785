package io.docshift.shadow;

import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.Documents;
import io.docshift.ledger.S3State;
import java.util.List;

/** The ledger as an {@link Inventory}: each S3 state paged in id order, 500 rows at a time. */
final class LedgerInventory implements Inventory {
  private static final int PAGE = 500;

  private final Documents documents;
  private final String prefix;

  LedgerInventory(Documents documents, String prefix) {
    this.documents = documents;
    this.prefix = prefix;
  }

  @Override
  public void forEach(Sink sink) throws InterruptedException {
    for (S3State state : S3State.values()) {
      long after = 0;
      List<DocumentRecord> page;
      do {
        page = documents.page(state, after, PAGE);
        for (DocumentRecord row : page) {
          after = row.id();
          if (row.key().publicId().startsWith(prefix)
              && !sink.accept(new Expected(row.asset(), state == S3State.DELETED))) {
            return;
          }
        }
      } while (page.size() == PAGE);
    }
  }
}
