package io.docshift.proxy.graphql;

import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import io.docshift.ledger.AuditEvent;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.DocumentTrails;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.MismatchRecord;
import io.docshift.ledger.RepairTask;
import io.docshift.ledger.S3State;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.dataloader.DataLoader;

/**
 * {@code Document.history}, {@code mismatches} and {@code repairs}: what the ledger remembers about
 * a document besides its row, each kind loaded for the whole page of documents in one statement.
 * The history is assembled from all of them (row, mismatches, queued repairs, audited actions).
 */
final class TrailFetchers {
  DataFetcher<CompletableFuture<List<Map<String, Object>>>> mismatches() {
    return env ->
        TrailFetchers.<MismatchRecord>trail(env, Loaders.MISMATCHES)
            .thenApply(list -> list.stream().map(QueryFetchers::mismatchNode).toList());
  }

  DataFetcher<CompletableFuture<List<Map<String, Object>>>> repairs() {
    return env ->
        TrailFetchers.<RepairTask>trail(env, Loaders.REPAIRS)
            .thenApply(list -> list.stream().map(TrailFetchers::repair).toList());
  }

  DataFetcher<CompletableFuture<List<Map<String, Object>>>> history() {
    return env -> {
      DataLoader<LedgerKey, DocumentRecord> rows = env.getDataLoader(Loaders.LEDGER);
      CompletableFuture<DocumentRecord> row = rows.load(env.getSource());
      CompletableFuture<List<MismatchRecord>> mismatches = trail(env, Loaders.MISMATCHES);
      CompletableFuture<List<RepairTask>> repairs = trail(env, Loaders.REPAIRS);
      CompletableFuture<List<AuditEvent>> actions = trail(env, Loaders.ACTIONS);
      return CompletableFuture.allOf(row, mismatches, repairs, actions)
          .thenApply(
              done -> history(row.join(), mismatches.join(), repairs.join(), actions.join()));
    };
  }

  private static <T> CompletableFuture<List<T>> trail(DataFetchingEnvironment env, String loader) {
    DataLoader<LedgerKey, List<T>> trails = env.getDataLoader(loader);
    return trails.load(env.getSource());
  }

  private static List<Map<String, Object>> history(
      DocumentRecord row,
      List<MismatchRecord> mismatches,
      List<RepairTask> repairs,
      List<AuditEvent> actions) {
    List<Event> events = new ArrayList<>();
    if (row != null) {
      events.add(
          new Event(
              row.createdAt(),
              "listed",
              null,
              "version " + row.asset().version() + ", " + row.asset().bytes() + " bytes"));
      if (row.updatedAt().isAfter(row.createdAt()) || row.state() != S3State.ABSENT) {
        String error = row.lastError() == null ? "" : " (" + row.lastError() + ")";
        events.add(new Event(row.updatedAt(), "state", null, "S3 " + row.state().name() + error));
      }
    }
    for (MismatchRecord m : mismatches) {
      String detail =
          m.sample().source().name().toLowerCase(Locale.ROOT) + ": " + m.sample().reason();
      events.add(new Event(m.detectedAt(), "mismatch", null, detail));
    }
    for (RepairTask r : repairs) {
      String detail = r.operation().tag() + ": " + r.reason() + ", " + r.attempts() + " attempts";
      events.add(new Event(r.createdAt(), "repair-queued", null, detail));
    }
    for (AuditEvent a : actions) {
      String verb = a.action().substring(DocumentTrails.ACTION_PREFIX.length());
      String why = a.reason() == null ? "" : " (" + a.reason() + ")";
      events.add(new Event(a.occurredAt(), verb, a.actor(), a.after() + why));
    }
    // Newest first; on equal times, later-added kinds (actions) before the row's own events.
    Collections.reverse(events);
    events.sort(Comparator.comparing(Event::at).reversed());
    List<Map<String, Object>> result = new ArrayList<>();
    events.forEach(e -> result.add(e.map()));
    return result;
  }

  private record Event(Instant at, String kind, String actor, String detail) {
    Map<String, Object> map() {
      Map<String, Object> m = new HashMap<>();
      m.put("at", at.toString());
      m.put("kind", kind);
      m.put("actor", actor);
      m.put("detail", detail);
      return m;
    }
  }

  private static Map<String, Object> repair(RepairTask r) {
    Map<String, Object> m = new HashMap<>();
    m.put("operation", r.operation().tag());
    m.put("reason", r.reason());
    m.put("attempts", r.attempts());
    m.put("queuedAt", r.createdAt().toString());
    m.put("nextAttemptAt", r.nextAttemptAt().toString());
    m.put("lastError", r.lastError());
    return m;
  }
}
