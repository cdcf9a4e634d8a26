package dev.keel.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.trace.Trace;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The traces list's pager: "Older" links seek past the page's last trace (keyset), and
 * following them from the first page visits every trace once, newest first; a malformed
 * {@code after} is a 400 that names it.
 */
class WebUiTracePagingIT {

  private static final Instant T0 = Instant.parse("2025-07-01T00:00:00Z");
  private static final Pattern ROW = Pattern.compile("<tr><td><a href=\"/ui/traces/([^\"]+)\">");
  private static final Pattern NEXT = Pattern.compile("rel=\"next\" href=\"([^\"]+)\"");

  @TempDir
  static Path dir;
  static KeelFixture keel;
  static String cookie;

  @BeforeAll
  static void start() {
    keel = KeelFixture.start(dir);
    HttpResponse<String> signIn = keel.post("/ui/login", "key=" + KeelFixture.MASTER_KEY,
        "content-type", "application/x-www-form-urlencoded");
    cookie = signIn.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
    // 120 traces, two per second, so pages end inside a pair of equal timestamps.
    var traces = new ArrayList<Trace>();
    for (int i = 0; i < 120; i++) {
      traces.add(new Trace(String.format("pg-%03d", i), "default", "paging",
          T0.plusSeconds(i / 2), i % 3 == 0 ? "pager-user" : null, null, null, null, null,
          List.of("paging"), null, null, null, false));
    }
    keel.server.store().traces().write(traces, List.of());
  }

  @AfterAll
  static void stop() {
    keel.close();
  }

  @Test
  void olderLinks_visitEveryTraceOnce_newestFirst() {
    var seen = new ArrayList<String>();
    String path = "/ui/traces?tags=paging";
    int pages = 0;
    while (path != null) {
      String html = page(path);
      pages++;
      if (pages == 1) {
        assertThat(html).contains("page 1 of 3 &middot; 120 in all");
      }
      Matcher row = ROW.matcher(html);
      while (row.find()) {
        seen.add(row.group(1));
      }
      Matcher next = NEXT.matcher(html);
      path = next.find() ? next.group(1).replace("&amp;", "&") : null;
      if (path != null) {
        assertThat(path).contains("tags=paging").contains("page=" + (pages + 1))
            .contains("after=");
      }
    }
    var expected = new ArrayList<String>();
    for (int i = 119; i >= 0; i--) {
      expected.add(String.format("pg-%03d", i));
    }
    assertThat(pages).isEqualTo(3);
    assertThat(seen).isEqualTo(expected);
  }

  @Test
  void filteredList_countsAndPagesTheMatchesOnly() {
    String html = page("/ui/traces?tags=paging&user=pager-user");

    assertThat(html).contains("page 1 of 1 &middot; 40 in all").doesNotContain("rel=\"next\"");
  }

  @Test
  void malformedAfter_isA400NamingIt() {
    HttpResponse<String> r = keel.get("/ui/traces?after=yesterday", "cookie", cookie);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("after must be").contains("yesterday");
  }

  private static String page(String path) {
    HttpResponse<String> r = keel.get(path, "cookie", cookie);
    assertThat(r.statusCode()).as(path).isEqualTo(200);
    return r.body();
  }
}
