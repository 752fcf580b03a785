package io.docshift.backfill;

import java.util.List;
import java.util.Optional;

/**
 * One page of {@code GET /v1_1/{cloud}/resources/{rt}/{type}}.
 *
 * @param resources the entries, in Cloudinary's order
 * @param nextCursor the cursor of the next page; empty on the last page
 * @param rateLimit the budget the response reported
 */
record ResourcePage(
    List<ListedResource> resources, Optional<String> nextCursor, RateLimit rateLimit) {
  ResourcePage {
    resources = List.copyOf(resources);
  }
}
