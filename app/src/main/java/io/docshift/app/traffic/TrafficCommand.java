package io.docshift.app.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docshift.core.config.WriteMode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code docshift traffic get|set|resume|audit}: the live dials and auto-revert, through a running
 * instance's admin API. Exits 1 when the API refuses (bad token, invalid value, latched revert).
 */
@Command(
    name = "traffic",
    mixinStandardHelpOptions = true,
    description = "Shows and changes live traffic (S3 read weight, write mode, shadow reads).",
    subcommands = {
      TrafficCommand.Get.class,
      TrafficCommand.Set.class,
      TrafficCommand.Resume.class,
      TrafficCommand.Audit.class
    })
public final class TrafficCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static int answer(CommandSpec spec, AdminClient.Answer answer, boolean json) {
    if (!answer.ok()) {
      spec.commandLine()
          .getErr()
          .printf(
              "docshift traffic %s: refused (%d): %s%n",
              spec.name(), answer.status(), answer.error());
      return 1;
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print(json ? answer.body().toPrettyString() + "\n" : TrafficText.describe(answer.body()));
    out.flush();
    return 0;
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "Shows the traffic state.")
  static final class Get implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AdminOptions admin;

    @Option(names = "--json", description = "Print the raw JSON.")
    boolean json;

    @Override
    public Integer call() {
      return answer(spec, admin.client().call("GET", "/admin/traffic", null), json);
    }
  }

  @Command(
      name = "set",
      mixinStandardHelpOptions = true,
      description = "Changes dials or auto-revert rules; --reason is required.")
  static final class Set implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AdminOptions admin;

    @Option(names = "--s3-read-percent", paramLabel = "0..100")
    Integer s3ReadPercent;

    @Option(
        names = "--write-mode",
        paramLabel = "MODE",
        description = "One of ${COMPLETION-CANDIDATES}.")
    WriteMode writeMode;

    @Option(names = "--shadow-percent", paramLabel = "0..100")
    Integer shadowPercent;

    @Option(names = "--auto-revert", paramLabel = "on|off", arity = "1")
    Boolean autoRevert;

    @Option(names = "--dry-run", paramLabel = "on|off", arity = "1")
    Boolean dryRun;

    @Option(names = "--reason", required = true, description = "Why (kept in the audit trail).")
    String reason;

    @Override
    public Integer call() {
      ObjectNode body = AdminClient.mapper().createObjectNode();
      if (s3ReadPercent != null) {
        body.put("s3ReadPercent", s3ReadPercent);
      }
      if (writeMode != null) {
        body.put("writeMode", writeMode.name());
      }
      if (shadowPercent != null) {
        body.put("shadowPercent", shadowPercent);
      }
      if (autoRevert != null) {
        body.withObjectProperty("autoRevert").put("enabled", autoRevert);
      }
      if (dryRun != null) {
        body.withObjectProperty("autoRevert").put("dryRun", dryRun);
      }
      body.put("reason", reason);
      return answer(spec, admin.client().call("PUT", "/admin/traffic", body), false);
    }
  }

  @Command(
      name = "resume",
      mixinStandardHelpOptions = true,
      description = "Clears an auto-revert and restores the pre-trip weight and write mode.")
  static final class Resume implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AdminOptions admin;

    @Option(names = "--reason", description = "Why (kept in the audit trail).")
    String reason;

    @Override
    public Integer call() {
      ObjectNode body = AdminClient.mapper().createObjectNode();
      if (reason != null) {
        body.put("reason", reason);
      }
      return answer(spec, admin.client().call("POST", "/admin/traffic/resume", body), false);
    }
  }

  @Command(name = "audit", mixinStandardHelpOptions = true, description = "Lists audit events.")
  static final class Audit implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin AdminOptions admin;

    @Option(
        names = "--limit",
        defaultValue = "20",
        description = "How many (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "Print the raw JSON.")
    boolean json;

    @Override
    public Integer call() {
      AdminClient.Answer answer = admin.client().call("GET", "/admin/audit?limit=" + limit, null);
      if (!answer.ok() || json) {
        return answer(spec, answer, true);
      }
      PrintWriter out = spec.commandLine().getOut();
      for (JsonNode event : answer.body().path("events")) {
        out.println(TrafficText.event(event));
      }
      out.flush();
      return 0;
    }
  }
}
