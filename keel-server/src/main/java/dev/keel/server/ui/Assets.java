package dev.keel.server.ui;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The UI's static files, from the classpath: htmx and uPlot from their WebJars, Keel's own CSS
 * and script beside this class. Only these names are served, so no path reaches other files.
 */
final class Assets {

  private static final String WEBJARS = "/META-INF/resources/webjars/";
  private static final String OWN = "/dev/keel/server/ui/";
  private static final Map<String, String[]> FILES = Map.of(
      "htmx.min.js", new String[] {WEBJARS + "htmx.org/2.0.7/dist/htmx.min.js", "text/javascript"},
      "uPlot.iife.min.js", new String[] {WEBJARS + "uplot/1.6.30/dist/uPlot.iife.min.js",
          "text/javascript"},
      "uPlot.min.css", new String[] {WEBJARS + "uplot/1.6.30/dist/uPlot.min.css", "text/css"},
      "keel.css", new String[] {OWN + "keel.css", "text/css"},
      "keel.js", new String[] {OWN + "keel.js", "text/javascript"});

  private Assets() {}

  static void serve(String name, ServerResponse res) {
    String[] f = FILES.get(name);
    byte[] body = f == null ? null : read(f[0]);
    if (body == null) {
      res.status(Status.NOT_FOUND_404).send("no such asset");
      return;
    }
    res.header(HeaderNames.CONTENT_TYPE, f[1] + "; charset=utf-8");
    res.header(HeaderNames.CACHE_CONTROL, "public, max-age=3600");
    res.header(HeaderNames.create("X-Content-Type-Options"), "nosniff");
    res.send(body);
  }

  private static byte[] read(String resource) {
    try (InputStream in = Assets.class.getResourceAsStream(resource)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
