package io.layercake.http.cli;

import io.layercake.config.LayercakeSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Prints an entity's live state. The live state is the running entity's, so this asks the
 * configured server ({@code GET /admin/entities/{type}/{id}/state} with the admin token); it works
 * while the server runs, and only then.
 */
@Command(
    mixinStandardHelpOptions = true,
    versionProvider = io.layercake.http.BuildInfo.Version.class,
    name = "state",
    description = {
      "Print an entity's live state, asked of the running server (its configured host, port and admin token).",
      "TYPE is Org, Agent or Session. Exits 1 when there is no such entity, 3 when the server cannot be reached."
    })
public final class StateCommand implements Callable<Integer> {
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "TYPE", description = "Org, Agent or Session.")
  String type;

  @Parameters(index = "1", paramLabel = "ID", description = "The entity's id.")
  String id;

  @Option(names = "--server", description = "The server's base URL (default: http://<configured host>:<configured port>).")
  String server;

  @Option(names = "--json", description = "The state as the server answers it, one JSON object.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<LayercakeSettings> loaded = Settings.load(err);
    if (loaded.isEmpty()) {
      return Settings.BAD_SETTINGS;
    }
    LayercakeSettings settings = loaded.get();
    if (settings.admin().token().isEmpty()) {
      err.println("layercake: the admin token (LAYERCAKE_ADMIN_TOKEN) is not set; the state is read from the server's admin API");
      return Settings.BAD_SETTINGS;
    }
    String base = server != null ? server : "http://" + settings.http().host() + ":" + settings.http().port();
    try {
      HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(TIMEOUT).build().send(
          HttpRequest.newBuilder(URI.create(base + "/admin/entities/" + encode(type) + "/" + encode(id) + "/state"))
              .timeout(TIMEOUT).header("Authorization", "Bearer " + settings.admin().token().reveal()).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 200) {
        if (json) {
          out.println(response.body());
        } else {
          ReadableJson.print(io.layercake.http.server.Json.MAPPER.readTree(response.body()), out);
        }
        return 0;
      }
      err.println("layercake: no " + type + " " + id + " (" + response.statusCode() + " " + response.body() + ")");
      return JournalCommands.NOT_FOUND;
    } catch (IOException | IllegalArgumentException e) {
      err.println("layercake: the server at " + base + " cannot be reached: " + e.getMessage());
      return JournalCommands.UNREADABLE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return JournalCommands.UNREADABLE;
    } finally {
      out.flush();
      err.flush();
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
