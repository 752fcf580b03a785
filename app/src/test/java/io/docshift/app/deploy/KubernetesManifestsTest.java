package io.docshift.app.deploy;

import static io.docshift.app.deploy.PackagingFilesTest.assertCommandExists;
import static io.docshift.app.deploy.PackagingFilesTest.assertKnownVariables;
import static io.docshift.app.deploy.PackagingFilesTest.read;
import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.config.DocShiftConfig;
import io.docshift.proxy.admin.AdminServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The manifests in {@code deploy/kubernetes/} against the code: the ConfigMap's {@code
 * docshift.conf} loads through the real loader with the Secret's variables and can serve; the
 * Deployment's ports are that config's, its probes are the admin listener's {@code /livez} and
 * {@code /readyz}; every command, option and {@code DOCSHIFT_*} variable exists.
 */
class KubernetesManifestsTest {
  private static final String DIR = "deploy/kubernetes/";

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> documents(String file) throws IOException {
    Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Object doc : yaml.loadAll(read(DIR + file))) {
      docs.add((Map<String, Object>) doc);
    }
    return docs;
  }

  private static Map<String, Object> only(String file, String kind) throws IOException {
    return documents(file).stream()
        .filter(d -> kind.equals(d.get("kind")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " in " + file));
  }

  @SuppressWarnings("unchecked")
  private static <T> T at(Object node, String... path) {
    Object current = node;
    for (String step : path) {
      if (current instanceof List<?> list) {
        current = list.get(Integer.parseInt(step));
      } else {
        current = ((Map<String, Object>) current).get(step);
      }
      assertThat(current).as("%s", String.join(".", path)).isNotNull();
    }
    return (T) current;
  }

  private static List<String> secretVariables() throws IOException {
    Map<String, Object> data = at(only("secret.yaml", "Secret"), "stringData");
    return new ArrayList<>(data.keySet());
  }

  private static DocShiftConfig configMapConfig(Path dir) throws IOException {
    String conf = at(only("configmap.yaml", "ConfigMap"), "data", "docshift.conf");
    Path file = Files.writeString(dir.resolve("docshift.conf"), conf);
    Map<String, String> environment =
        secretVariables().stream().collect(Collectors.toMap(v -> v, v -> "secret-" + v));
    return DocShiftConfig.builder().file(file).environment(environment).build();
  }

  @Test
  void theConfigMapLoadsWithTheSecretAndCanServe(@TempDir Path dir) throws IOException {
    assertKnownVariables(read(DIR + "secret.yaml"), "secret.yaml");
    DocShiftConfig config = configMapConfig(dir);
    config.requireNonEmpty("cloudinary.cloudName", "s3.bucket", "admin.token");
    assertThat(config.ledger().url()).startsWith("jdbc:postgresql:");
  }

  @Test
  void theDeploymentProbesTheAdminListenerAndUsesTheConfiguredPorts(@TempDir Path dir)
      throws IOException {
    DocShiftConfig config = configMapConfig(dir);
    Map<String, Object> pod = at(only("deployment.yaml", "Deployment"), "spec", "template", "spec");
    Map<String, Object> container = at(pod, "containers", "0");
    Map<String, Integer> ports = new HashMap<>();
    for (Map<String, Object> port :
        PackagingFilesTest.<Map<String, Object>>list(container, "ports")) {
      ports.put((String) port.get("name"), (Integer) port.get("containerPort"));
    }
    assertThat(ports)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("proxy", config.proxy().port(), "admin", config.admin().port()));
    assertThat(config.proxy().host()).isEqualTo("0.0.0.0");
    assertThat(config.admin().host()).isEqualTo("0.0.0.0");

    assertThat((String) at(container, "livenessProbe", "httpGet", "path"))
        .isEqualTo(AdminServer.LIVE_PATH);
    assertThat((String) at(container, "readinessProbe", "httpGet", "path"))
        .isEqualTo(AdminServer.READY_PATH);
    assertThat((String) at(container, "livenessProbe", "httpGet", "port")).isEqualTo("admin");
    assertThat((String) at(container, "readinessProbe", "httpGet", "port")).isEqualTo("admin");
    assertThat(
            PackagingFilesTest.<String>list(container, "lifecycle", "preStop", "exec", "command"))
        .startsWith("sleep");
    assertThat((Integer) at(pod, "securityContext", "runAsUser")).isEqualTo(10001);
    List<String> preStop =
        PackagingFilesTest.list(container, "lifecycle", "preStop", "exec", "command");
    long stopMillis =
        1000 * Long.parseLong(preStop.get(1))
            + config.shutdown().readinessDelayMillis()
            + config.shutdown().drainTimeoutMillis();
    assertThat(1000L * (Integer) at(pod, "terminationGracePeriodSeconds"))
        .as("grace period covers preStop, the unready delay and the drain")
        .isGreaterThan(stopMillis);

    List<String> args = at(container, "args");
    assertCommandExists(args, "deployment.yaml");
    assertThat(args.get(args.indexOf("--config") + 1))
        .isEqualTo(at(container, "volumeMounts", "0", "mountPath") + "/docshift.conf");
    assertThat((String) at(container, "envFrom", "0", "secretRef", "name"))
        .isEqualTo(at(only("secret.yaml", "Secret"), "metadata", "name"));
    assertKnownVariables(read(DIR + "deployment.yaml"), "deployment.yaml");
  }

  @Test
  void theDisruptionBudgetKeepsPartOfTheDeploymentRunning() throws IOException {
    Map<String, Object> deployment = only("deployment.yaml", "Deployment");
    Map<String, Object> budget = only("pdb.yaml", "PodDisruptionBudget");
    Map<String, Object> selected = at(budget, "spec", "selector", "matchLabels");
    assertThat(selected).isEqualTo(at(deployment, "spec", "selector", "matchLabels"));
    assertThat((Integer) at(budget, "spec", "minAvailable"))
        .isPositive()
        .isLessThan(at(deployment, "spec", "replicas"));
  }

  @Test
  void theBackfillJobRunsTheBackfillCommandWithTheSameConfigAndSecret() throws IOException {
    Map<String, Object> job = only("backfill-job.yaml", "Job");
    Map<String, Object> container = at(job, "spec", "template", "spec", "containers", "0");
    List<String> args = at(container, "args");
    assertThat(args.get(0)).isEqualTo("backfill");
    assertCommandExists(args, "backfill-job.yaml");
    assertThat((String) at(container, "envFrom", "0", "secretRef", "name"))
        .isEqualTo(at(only("secret.yaml", "Secret"), "metadata", "name"));
    assertThat((String) at(job, "spec", "template", "spec", "volumes", "0", "configMap", "name"))
        .isEqualTo(at(only("configmap.yaml", "ConfigMap"), "metadata", "name"));
    assertKnownVariables(read(DIR + "backfill-job.yaml"), "backfill-job.yaml");
  }
}
