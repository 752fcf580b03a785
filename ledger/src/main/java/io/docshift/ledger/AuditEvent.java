package io.docshift.ledger;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One operator-visible change.
 *
 * @param id row id; later events have larger ids
 * @param occurredAt when it was recorded (the ledger's clock)
 * @param actor who made it: an operator name, {@code auto-revert}, {@code cli}, ...
 * @param action what was done, e.g. {@code traffic.update}
 * @param before the state before (text or JSON), or null
 * @param after the state after (text or JSON), or null
 * @param reason why, or null
 */
public record AuditEvent(
    long id,
    Instant occurredAt,
    String actor,
    String action,
    String before,
    String after,
    String reason) {

  /** Validates that the required parts are present. */
  public AuditEvent {
    requireNonNull(occurredAt, "occurredAt");
    requireNonNull(actor, "actor");
    requireNonNull(action, "action");
  }
}
