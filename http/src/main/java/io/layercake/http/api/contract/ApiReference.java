package io.layercake.http.api.contract;

import io.layercake.http.server.Json;
import io.layercake.http.server.RouteLabel;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The API's reference, public: the OpenAPI document ({@code /api/v1/openapi.json}) and Swagger UI
 * to browse it ({@code /api/v1/docs}, its scripts and styles from the swagger-ui webjar).
 */
public final class ApiReference extends AllDirectives {
  static final String SWAGGER_UI = "META-INF/resources/webjars/swagger-ui/5.32.15";
  private static final String PAGE = """
      <!doctype html>
      <html lang="en">
      <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Layercake API reference</title>
        <link rel="stylesheet" href="docs/assets/swagger-ui.css">
      </head>
      <body>
        <div id="swagger-ui"></div>
        <script src="docs/assets/swagger-ui-bundle.js"></script>
        <script src="docs/reference.js"></script>
      </body>
      </html>
      """;
  private static final String SCRIPT = """
      window.ui = SwaggerUIBundle({ url: 'openapi.json', dom_id: '#swagger-ui', deepLinking: true,
        displayOperationId: true, tryItOutEnabled: false, persistAuthorization: false });
      """;

  private final String document;
  private final RouteLabel labels = new RouteLabel();
  private final OperationRoutes operations;

  public ApiReference(OperationRoutes operations, String version) {
    this.operations = operations;
    this.document = Json.write(OpenApiDocument.build(Json.MAPPER, version));
  }

  /** The routes under {@code /api/v1} (the caller has matched that prefix). */
  public Route routes() {
    return concat(
        operations.operation(ApiOperation.GET_OPEN_API_DOCUMENT, match ->
            complete(HttpEntities.create(ContentTypes.APPLICATION_JSON, document))),
        operations.operation(ApiOperation.GET_API_REFERENCE, match ->
            complete(HttpEntities.create(ContentTypes.TEXT_HTML_UTF8, PAGE))),
        pathPrefix("docs", () -> get(() -> concat(
            path("reference.js", () -> labels.labelled("/api/v1/docs/reference.js", () ->
                complete(HttpEntities.create(ContentTypes.create(
                    org.apache.pekko.http.javadsl.model.MediaTypes.APPLICATION_JAVASCRIPT, org.apache.pekko.http.javadsl.model.HttpCharsets.UTF_8),
                    SCRIPT)))),
            pathPrefix("assets", () -> labels.labelled("/api/v1/docs/assets/{file}", () ->
                getFromResourceDirectory(SWAGGER_UI)))))));
  }
}
