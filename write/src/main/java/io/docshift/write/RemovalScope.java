package io.docshift.write;

import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.LedgerKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The documents a bulk Admin API call (a delete, an {@code update_access_mode}) will remove from
 * S3's care, as far as DocShift can name them <em>before</em> Cloudinary answers, so their {@code
 * delete} intents can be committed first: the ids of {@code public_ids[]}; for a {@code prefix} (or
 * a delete's {@code all}, the empty prefix), the ledger's live rows under it of the call's resource
 * and delivery type, the first {@value #AT_MOST} in public id order. Cloudinary deletes a page of
 * 1,000 per call in that order, so they cover it with room for rows Cloudinary no longer holds, and
 * each call of a paged delete takes the next ones. A tag names nothing: the ledger does not keep
 * tags, so a kill in a tag call's window is left to {@code verify}.
 */
final class RemovalScope {
  /** Live rows a prefix names at most: twice Cloudinary's page of a bulk delete. */
  static final int AT_MOST = 2_000;

  private RemovalScope() {}

  /**
   * @param rt the call's resource type
   * @param type the call's delivery type
   * @param allowAll whether {@code all=true} means every document of the type (deletes only)
   */
  static List<LedgerKey> named(
      WriteContext ctx,
      String rt,
      String type,
      Map<String, List<String>> params,
      boolean allowAll) {
    List<String> ids = FormParams.all(params, "public_ids");
    if (ids != null) {
      // A blank id names no document (Cloudinary answers for it); a repeated one needs one intent.
      return keys(ctx, rt, type, ids.stream().filter(id -> !id.isBlank()).distinct().toList());
    }
    String prefix = FormParams.first(params, "prefix");
    if (prefix == null && !(allowAll && FormParams.flag(params, "all"))) {
      return List.of(); // by tag, or a call Cloudinary refuses
    }
    String cloud = ctx.account().cloudName();
    return ctx
        .documents()
        .liveByPrefix(cloud, rt, type, prefix == null ? "" : prefix, AT_MOST)
        .stream()
        .map(DocumentRecord::key)
        .toList();
  }

  /** The keys of {@code ids} of this cloud's resource type {@code rt} and delivery type. */
  static List<LedgerKey> keys(WriteContext ctx, String rt, String type, List<String> ids) {
    List<LedgerKey> keys = new ArrayList<>(ids.size());
    for (String id : ids) {
      keys.add(new LedgerKey(ctx.account().cloudName(), rt, type, id));
    }
    return keys;
  }
}
