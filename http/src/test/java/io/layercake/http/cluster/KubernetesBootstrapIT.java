package io.layercake.http.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.layercake.config.DatabaseSettings;
import io.layercake.http.testing.ServerProcess;
import io.layercake.persistence.testing.EmbeddedPostgresServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node bootstrapping through Kubernetes API discovery, as in {@code deploy/kubernetes}: it asks
 * a stub API server on 127.0.0.1 (TLS with its own CA, the service account's bearer token, the
 * pods API's JSON) for the pods labelled {@code app=layercake} in its namespace, finds itself, and
 * forms the cluster.
 */
class KubernetesBootstrapIT {
  private static final String TOKEN = "service-account-token-of-layercake";
  private static final String NAMESPACE = "layercake-test";
  private static final String KEYSTORE_PASSWORD = "stub-api-server";

  @TempDir Path workDir;

  private record ApiRequest(String path, String query, String authorization) {}

  @Test
  void aNodeFindsItsPodThroughTheKubernetesApiAndFormsTheCluster() throws Exception {
    Path keystore = workDir.resolve("api-server.p12");
    Path caCertificate = workDir.resolve("ca.crt");
    Path token = Files.writeString(workDir.resolve("token"), TOKEN);
    keytool("-genkeypair", "-alias", "api", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=127.0.0.1",
        "-ext", "SAN=IP:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
        "-storepass", KEYSTORE_PASSWORD);
    keytool("-exportcert", "-rfc", "-alias", "api", "-keystore", keystore.toString(), "-storepass", KEYSTORE_PASSWORD,
        "-file", caCertificate.toString());
    int managementPort = ServerProcess.freePort();
    List<ApiRequest> requests = new CopyOnWriteArrayList<>();
    HttpsServer api = podsApi(keystore, requests);
    try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start()) {
      DatabaseSettings database = postgres.freshDatabase();
      Map<String, String> environment = new HashMap<>();
      environment.put("LAYERCAKE_HTTP_PORT", Integer.toString(ServerProcess.freePort()));
      environment.put("LAYERCAKE_CLUSTER_PORT", Integer.toString(ServerProcess.freePort()));
      environment.put("LAYERCAKE_CLUSTER_MANAGEMENT_PORT", Integer.toString(managementPort));
      environment.put("LAYERCAKE_CLUSTER_DISCOVERY", "kubernetes-api");
      environment.put("LAYERCAKE_CLUSTER_REQUIRED_CONTACT_POINTS", "1");
      environment.put("LAYERCAKE_DATA_DIR", workDir.resolve("data").toString());
      environment.put("LAYERCAKE_DB_URL", database.url());
      environment.put("LAYERCAKE_DB_USER", database.user());
      environment.put("LAYERCAKE_DB_PASSWORD", database.password().reveal());
      environment.put("LAYERCAKE_DEMO_ENABLED", "false");
      environment.put("LAYERCAKE_SECRETS_KEY", java.util.Base64.getEncoder().encodeToString(new byte[32]));
      environment.put("KUBERNETES_SERVICE_HOST", "127.0.0.1");
      environment.put("KUBERNETES_SERVICE_PORT", Integer.toString(api.getAddress().getPort()));
      // where a pod finds them under /var/run/secrets/kubernetes.io/serviceaccount
      List<String> serviceAccount = List.of(
          "-Dpekko.discovery.kubernetes-api.api-ca-path=" + caCertificate,
          "-Dpekko.discovery.kubernetes-api.api-token-path=" + token,
          "-Dpekko.discovery.kubernetes-api.pod-namespace=" + NAMESPACE);

      ServerProcess node = ServerProcess.start(workDir, environment, serviceAccount, "node.log");
      try {
        node.awaitReady(Duration.ofSeconds(90));

        assertThat(requests).isNotEmpty().allSatisfy(request -> {
          assertThat(request.path()).isEqualTo("/api/v1/namespaces/" + NAMESPACE + "/pods");
          assertThat(request.query()).isEqualTo("labelSelector=app=layercake");
          assertThat(request.authorization()).isEqualTo("Bearer " + TOKEN);
        });
        var members = io.layercake.http.testing.HttpTestClient.to(managementPort).get("/cluster/members").json();
        assertThat(members.path("members")).hasSize(1);
        assertThat(members.path("members").path(0).path("status").asText()).isEqualTo("Up");
        assertThat(node.output()).contains("Joining the cluster through Cluster Bootstrap: kubernetes-api discovery of 'layercake'");
      } finally {
        node.terminate(Duration.ofSeconds(30));
      }
    } finally {
      api.stop(0);
    }
  }

  /** The pods API: the one running pod of the deployment, at 127.0.0.1, for the token it was given. */
  private static HttpsServer podsApi(Path keystore, List<ApiRequest> requests) throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      keys.load(in, KEYSTORE_PASSWORD.toCharArray());
    }
    KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(keys, KEYSTORE_PASSWORD.toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keyManagers.getKeyManagers(), null, null);
    HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.createContext("/api/v1/namespaces/", exchange -> {
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      requests.add(new ApiRequest(exchange.getRequestURI().getPath(), exchange.getRequestURI().getQuery(), authorization));
      boolean allowed = ("Bearer " + TOKEN).equals(authorization);
      byte[] body = (allowed ? """
          {"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"7"},"items":[
            {"metadata":{"name":"layercake-7d9f-abcde","namespace":"%s","labels":{"app":"layercake"}},
             "spec":{"containers":[{"name":"layercake","ports":[{"name":"http","containerPort":8080,"protocol":"TCP"}]}]},
             "status":{"phase":"Running","podIP":"127.0.0.1",
                       "containerStatuses":[{"name":"layercake","state":{"running":{"startedAt":"2026-11-26T06:00:00Z"}}}]}}]}
          """.formatted(NAMESPACE)
          : "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"Forbidden\",\"code\":403}")
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(allowed ? 200 : 403, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    return server;
  }

  private static void keytool(String... arguments) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("keytool " + String.join(" ", arguments) + ": " + output).isZero();
  }
}
