package io.docshift.proxy.graphql;

import graphql.schema.DataFetchingEnvironment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * One connection's page request, Relay style: {@code first}/{@code after} walks forward, {@code
 * last}/{@code before} the page just before a cursor (the cost analysis has already refused
 * anything else). The ledger is asked for one row more than the page, to know whether more exist.
 *
 * @param size the page size
 * @param backward the page before {@code cursor} ({@code last}), else after it ({@code first})
 * @param cursor the ledger id from the cursor; the connection's own start when none was given
 * @param fromCursor whether a cursor was given
 */
record Paging(int size, boolean backward, long cursor, boolean fromCursor) {
  /**
   * The request of {@code env}'s connection of cursor {@code kind}.
   *
   * @param forwardStart the cursor id a forward walk starts from
   * @param backwardStart the cursor id a backward walk starts from
   */
  static Paging of(
      DataFetchingEnvironment env, String kind, long forwardStart, long backwardStart) {
    Integer last = env.getArgument("last");
    if (last != null) {
      String before = env.getArgument("before");
      return new Paging(last, true, Cursors.decode(kind, before, backwardStart), before != null);
    }
    int first = env.getArgument("first");
    String after = env.getArgument("after");
    return new Paging(first, false, Cursors.decode(kind, after, forwardStart), after != null);
  }

  /** Rows the ledger is asked for: one more than the page. */
  int limit() {
    return size + 1;
  }

  /**
   * The connection of {@code rows} read with {@link #limit()}, in the walk's direction (a backward
   * walk reads away from the cursor; its page is shown in the connection's own order).
   */
  <T> Map<String, Object> connection(
      List<T> rows, String kind, ToLongFunction<T> id, Function<T, Object> node) {
    List<T> page = new ArrayList<>(rows.subList(0, Math.min(size, rows.size())));
    boolean more = rows.size() > size;
    if (backward) {
      Collections.reverse(page);
    }
    List<Map<String, Object>> edges = new ArrayList<>();
    for (T row : page) {
      edges.add(Cursors.edge(Cursors.encode(kind, id.applyAsLong(row)), node.apply(row)));
    }
    // Beyond the cursor there is at least the row the cursor came from.
    boolean hasNext = backward ? fromCursor : more;
    boolean hasPrevious = backward ? more : fromCursor;
    return Cursors.connection(edges, hasNext, hasPrevious);
  }
}
