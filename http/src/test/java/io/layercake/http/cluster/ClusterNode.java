package io.layercake.http.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.layercake.http.testing.HttpTestClient;
import io.layercake.http.testing.ServerProcess;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One node of a test cluster: the runnable jar on 127.0.0.1. Its ports stay the same across
 * restarts, so the other nodes' seed lists stay true.
 */
final class ClusterNode {
  /** Small heaps and the client compiler: three JVMs start faster side by side on two cores. */
  private static final List<String> JVM = List.of("-Xmx400m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  final String name;
  final int httpPort = ServerProcess.freePort();
  final int clusterPort = ServerProcess.freePort();
  final int managementPort = ServerProcess.freePort();
  ServerProcess process;
  int starts;
  private final Path workDir;
  private final String adminToken;
  private final Supplier<Map<String, String>> baseEnvironment;

  /** {@code baseEnvironment}: what every node of the test is configured with (database, stubs, settings). */
  ClusterNode(String name, Path workDir, String adminToken, Supplier<Map<String, String>> baseEnvironment) {
    this.name = name;
    this.workDir = workDir;
    this.adminToken = adminToken;
    this.baseEnvironment = baseEnvironment;
  }

  /** Starts (or restarts) the node, joining as {@code formation} says (discovery or seed nodes); logs in the work dir. */
  void start(Map<String, String> formation) throws Exception {
    Map<String, String> environment = new HashMap<>(baseEnvironment.get());
    environment.put("LAYERCAKE_HTTP_PORT", Integer.toString(httpPort));
    environment.put("LAYERCAKE_CLUSTER_PORT", Integer.toString(clusterPort));
    environment.put("LAYERCAKE_CLUSTER_MANAGEMENT_PORT", Integer.toString(managementPort));
    environment.put("LAYERCAKE_DATA_DIR", workDir.resolve(name).toString());
    environment.putAll(formation);
    starts++;
    process = ServerProcess.start(workDir, environment, JVM, name + "-" + starts + ".log");
  }

  String address() {
    return "pekko://layercake@127.0.0.1:" + clusterPort;
  }

  HttpTestClient api() {
    return process.client();
  }

  HttpTestClient operator() {
    return process.client().withBearer(adminToken);
  }

  HttpTestClient management() {
    return HttpTestClient.to(managementPort);
  }

  JsonNode members() {
    return management().get("/cluster/members").json();
  }

  @Override
  public String toString() {
    return name + " (" + address() + ")";
  }
}
