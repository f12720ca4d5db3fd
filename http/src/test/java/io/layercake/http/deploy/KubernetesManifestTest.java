package io.layercake.http.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.layercake.config.ClusterSettings;
import io.layercake.config.LayercakeSettings;
import io.layercake.config.SettingsException;
import io.layercake.config.SettingsLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The example Kubernetes deployment stays true to the code: every variable it sets is a setting,
 * the settings it makes are valid and bootstrap through the Kubernetes API, the probes and ports
 * point where the node listens, and the pods carry the label bootstrap looks for.
 */
class KubernetesManifestTest {
  private static final Path MANIFEST = Path.of("..", "deploy", "kubernetes", "layercake.yaml");

  @Test
  void theDeploymentSetsOnlyRealSettingsAndTheyFormAClusterThroughTheKubernetesApi() throws IOException {
    Map<String, JsonNode> manifest = documentsByKind();
    JsonNode container = manifest.get("Deployment").path("spec").path("template").path("spec").path("containers").path(0);
    Map<String, String> environment = new HashMap<>();
    container.path("env").forEach(variable -> environment.put(variable.path("name").asText(),
        variable.has("value") ? variable.path("value").asText() : sampleFor(variable.path("name").asText())));

    assertThat(environment.keySet()).as("settings the node reads").isSubsetOf(settingVariables());
    LayercakeSettings settings = SettingsLoader.load(environment);
    ClusterSettings cluster = settings.cluster();
    assertThat(cluster.discovery()).isEqualTo(ClusterSettings.Discovery.KUBERNETES_API);
    assertThat(ports(container)).containsEntry("management", cluster.managementPort()).containsEntry("remoting", cluster.port())
        .containsEntry("http", 8080);
    assertThat(container.path("readinessProbe").path("httpGet").path("port").asText()).isEqualTo("management");
    assertThat(container.path("livenessProbe").path("httpGet").path("port").asText()).isEqualTo("management");
    assertThat(manifest.get("Deployment").path("spec").path("template").path("metadata").path("labels").path("app").asText())
        .as("Kubernetes API discovery looks for pods labelled app=<service name>").isEqualTo(cluster.serviceName());
  }

  @Test
  void bootstrapMayListPodsAndNothingMore() throws IOException {
    Map<String, JsonNode> manifest = documentsByKind();

    JsonNode rule = manifest.get("Role").path("rules").path(0);

    assertThat(manifest.get("Role").path("rules")).hasSize(1);
    assertThat(rule.path("resources").toString()).isEqualTo("[\"pods\"]");
    assertThat(rule.path("verbs").toString()).isEqualTo("[\"get\",\"watch\",\"list\"]");
    assertThat(manifest.get("RoleBinding").path("subjects").path(0).path("name").asText())
        .isEqualTo(manifest.get("Deployment").path("spec").path("template").path("spec").path("serviceAccountName").asText())
        .isEqualTo(manifest.get("ServiceAccount").path("metadata").path("name").asText());
    assertThat(manifest.get("Service").path("spec").path("selector"))
        .isEqualTo(manifest.get("Deployment").path("spec").path("selector").path("matchLabels"));
  }

  private static Map<String, JsonNode> documentsByKind() throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    List<JsonNode> documents = new ArrayList<>();
    try (var parser = yaml.getFactory().createParser(MANIFEST.toFile())) {
      yaml.readValues(parser, JsonNode.class).forEachRemaining(documents::add);
    }
    return documents.stream().filter(document -> document.has("kind"))
        .collect(Collectors.toMap(document -> document.path("kind").asText(), document -> document));
  }

  private static Map<String, Integer> ports(JsonNode container) {
    Map<String, Integer> ports = new HashMap<>();
    container.path("ports").forEach(port -> ports.put(port.path("name").asText(), port.path("containerPort").asInt()));
    return ports;
  }

  /** The settings' variables, and the log format, which logback.xml reads. */
  private static Set<String> settingVariables() {
    Set<String> variables = SettingsLoader.load(Map.of()).pekko().getConfig("layercake").entrySet().stream()
        .map(entry -> SettingsException.environmentVariableFor("layercake." + entry.getKey()))
        .collect(Collectors.toSet());
    variables.add("LAYERCAKE_LOG_FORMAT");
    return variables;
  }

  /** What the secrets and the downward API would put in. */
  private static String sampleFor(String variable) {
    return switch (variable) {
      case "LAYERCAKE_CLUSTER_HOST" -> "10.1.2.3";
      case "LAYERCAKE_DB_URL" -> "jdbc:postgresql://postgres:5432/layercake";
      case "LAYERCAKE_DB_USER" -> "layercake";
      case "LAYERCAKE_ADMIN_TOKEN" -> "an-operator-token-from-a-secret";
      case "LAYERCAKE_SECRETS_KEY" -> java.util.Base64.getEncoder().encodeToString(new byte[32]);
      default -> "secret";
    };
  }
}
