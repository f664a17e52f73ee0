package dev.gyre.deploy;

import dev.gyre.cluster.HazelcastSetup;
import dev.gyre.config.ConfigLoader;
import dev.gyre.config.ConfigSchema;
import dev.gyre.config.GyreConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Dockerfile and the Kubernetes manifests, parsed and checked against the code: ports,
 * probe paths, environment variable names, the config they mount. (No Docker engine or cluster
 * runs here; this is what can be checked without one.)
 */
class DeploymentManifestsTest {
  static final Path ROOT = Path.of(System.getProperty("user.dir"));

  @SuppressWarnings("unchecked")
  static Map<String, Object> yaml(String file) throws Exception {
    return (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions()))
        .load(Files.readString(ROOT.resolve("k8s").resolve(file)));
  }

  @SuppressWarnings("unchecked")
  static <T> T at(Object node, String... path) {
    Object cur = node;
    for (String p : path) {
      cur = cur instanceof List<?> l ? l.get(Integer.parseInt(p)) : ((Map<String, Object>) cur).get(p);
      assertThat(cur).as(String.join(".", path)).isNotNull();
    }
    return (T) cur;
  }

  @Test
  void statefulSetMatchesTheCode() throws Exception {
    Map<String, Object> sts = yaml("statefulset.yaml");
    Map<String, Object> headless = yaml("service-hazelcast.yaml");
    assertThat((String) at(sts, "kind")).isEqualTo("StatefulSet");
    assertThat((Integer) at(sts, "spec", "replicas")).isEqualTo(3);
    assertThat((String) at(sts, "spec", "serviceName")).isEqualTo(at(headless, "metadata", "name"));
    Map<String, Object> container = at(sts, "spec", "template", "spec", "containers", "0");
    List<Map<String, Object>> ports = at(container, "ports");
    assertThat(ports).extracting(p -> p.get("containerPort")).containsExactlyInAnyOrder(GyreConfig.DEFAULT_PORT, 10000, 5701);
    for (String probe : List.of("readinessProbe", "livenessProbe")) {
      assertThat((String) at(container, probe, "httpGet", "path")).isEqualTo("/health");
      assertThat((Integer) at(container, probe, "httpGet", "port")).isEqualTo(GyreConfig.DEFAULT_PORT);
    }
    List<Map<String, Object>> env = at(container, "env");
    for (Map<String, Object> e : env) {
      String name = (String) e.get("name");
      if (!name.startsWith("GYRE_")) continue;
      boolean known = HazelcastSetup.ENV.contains(name) || ConfigSchema.keys().keySet().stream()
          .anyMatch(k -> ConfigSchema.envName("GYRE_", k).equals(name));
      assertThat(known).as("env %s is read by Gyre", name).isTrue();
    }
    assertThat(env).extracting(e -> e.get("name")).contains("GYRE_KUBERNETES_SERVICE_DNS", "GYRE_CLUSTER_HOST");
    assertThat((List<String>) at(container, "args")).contains("--cluster");
    assertThat((Integer) at(sts, "spec", "template", "spec", "terminationGracePeriodSeconds")).isGreaterThan(30);
    assertThat((String) at(container, "volumeMounts", "0", "mountPath")).isEqualTo("/etc/gyre");
  }

  @Test
  void servicesSelectThePods() throws Exception {
    Map<String, Object> sts = yaml("statefulset.yaml");
    Map<String, String> labels = at(sts, "spec", "template", "metadata", "labels");
    Map<String, Object> headless = yaml("service-hazelcast.yaml");
    assertThat((String) at(headless, "spec", "clusterIP")).isEqualTo("None");
    assertThat((Boolean) at(headless, "spec", "publishNotReadyAddresses")).isTrue();
    assertThat((Integer) at(headless, "spec", "ports", "0", "port")).isEqualTo(5701);
    Map<String, Object> client = yaml("service.yaml");
    for (Map<String, Object> svc : List.of(headless, client)) {
      Map<String, String> selector = at(svc, "spec", "selector");
      assertThat(labels).containsAllEntriesOf(selector);
    }
    assertThat((Integer) at(client, "spec", "ports", "0", "targetPort")).isEqualTo(GyreConfig.DEFAULT_PORT);
  }

  @Test
  void configMapHoldsAValidConfig() throws Exception {
    Map<String, Object> cm = yaml("configmap.yaml");
    String json = at(cm, "data", "config.json");
    Path tmp = Files.createTempFile("gyre-cm", ".json");
    Files.writeString(tmp, json);
    GyreConfig config = ConfigLoader.load(tmp, Map.of(), Map.of()).config();
    assertThat(config.prometheus()).isTrue();
    assertThat(config.client().token().hasKey()).isTrue();
    assertThat(config.channel().namespaces()).containsKeys("chat", "notifications");
    Map<String, Object> sts = yaml("statefulset.yaml");
    assertThat((String) at(sts, "spec", "template", "spec", "volumes", "0", "configMap", "name"))
        .isEqualTo(at(cm, "metadata", "name"));
  }

  @Test
  void dockerfileBuildsAndRunsAsExpected() throws Exception {
    String docker = Files.readString(ROOT.resolve("Dockerfile"));
    assertThat(docker).contains("FROM maven:").contains("AS build").contains("FROM eclipse-temurin:21-jre");
    assertThat(docker).containsPattern("(?m)^EXPOSE 8000 10000 5701$");
    assertThat(docker).containsPattern("(?m)^USER gyre$");
    assertThat(docker).contains("curl -fs http://127.0.0.1:8000/health");
    assertThat(docker).contains("target/gyre.jar").contains("/etc/gyre/config.json");
    assertThat(Files.exists(ROOT.resolve("conf/config.json"))).isTrue();
    // the jar the Dockerfile copies is the one the build produces
    assertThat(Files.readString(ROOT.resolve("pom.xml"))).contains("${project.build.directory}/gyre.jar");
    assertThat(new JsonObject(Files.readString(ROOT.resolve("conf/config.json"))).getString("api_key")).isNotEmpty();
  }
}
