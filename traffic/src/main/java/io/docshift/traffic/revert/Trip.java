package io.docshift.traffic.revert;

import java.time.Instant;

/**
 * One trip of the auto-revert controller: the rule, a sentence for operators and the audit log,
 * when, the window it saw, and whether it was a dry run (report only, change nothing).
 */
public record Trip(
    TripRule rule, String reason, Instant at, WindowSnapshot window, boolean dryRun) {}
