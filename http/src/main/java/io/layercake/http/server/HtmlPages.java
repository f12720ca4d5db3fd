package io.layercake.http.server;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.util.List;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * What server-rendered pages share: jte templates compiled at build time, HTML answers that are
 * never stored (they carry a person's data and CSRF token), and static assets revalidated on use.
 */
public final class HtmlPages extends AllDirectives {
  private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);

  public String render(String template, Map<String, Object> parameters) {
    StringOutput output = new StringOutput();
    templates.render(template, parameters, output);
    return output.toString();
  }

  public Route html(String page) {
    return respondWithHeaders(List.of(CacheControl.create(CacheDirectives.NO_STORE)),
        () -> complete(HttpResponse.create().withEntity(HttpEntities.create(ContentTypes.TEXT_HTML_UTF8, page))));
  }

  /** A file from the classpath ({@code web/…} or a webjar). */
  public Route asset(String resource) {
    return respondWithHeaders(List.of(CacheControl.create(CacheDirectives.NO_CACHE)), () -> getFromResource(resource));
  }
}
