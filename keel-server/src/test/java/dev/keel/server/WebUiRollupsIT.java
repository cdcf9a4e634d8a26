package dev.keel.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The overview, user and cost pages read the store's hourly rollups: their numbers follow
 * calls through the gateway, including calls made after a page was first read.
 */
class WebUiRollupsIT {

  private static final String CHAT =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

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
  }

  @AfterAll
  static void stop() {
    keel.close();
  }

  @Test
  void pages_afterMoreCalls_showTheNewTotals() {
    chat("rollup-alice");
    chat("rollup-alice");
    chat("rollup-bob");

    String overview = page("/ui");
    assertThat(stat(overview, "Requests")).isEqualTo("3");
    assertThat(stat(overview, "Latency p50")).isNotEmpty();
    assertThat(stat(overview, "Error rate")).isEqualTo("0.0%");
    assertThat(overview).containsPattern("<td>gpt-4o-mini</td><td class=\"num\">3</td>");
    assertThat(stat(page("/ui/users/rollup-alice"), "Traces")).isEqualTo("2");

    chat("rollup-alice");

    assertThat(stat(page("/ui"), "Requests")).isEqualTo("4");
    assertThat(stat(page("/ui/users/rollup-alice"), "Traces")).isEqualTo("3");
    assertThat(page("/ui/cost/report")).containsPattern(
        "<td>rollup-alice</td><td class=\"num\">3</td>");
  }

  private static void chat(String user) {
    assertThat(keel.chat(CHAT, "x-keel-user-id", user).statusCode()).isEqualTo(200);
    keel.server.flushTraces();
  }

  private static String page(String path) {
    HttpResponse<String> r = keel.get(path, "cookie", cookie);
    assertThat(r.statusCode()).as(path).isEqualTo(200);
    return r.body();
  }

  private static String stat(String html, String label) {
    Matcher m = Pattern.compile("<span>" + Pattern.quote(label) + "</span><b>([^<]*)</b>")
        .matcher(html);
    assertThat(m.find()).as("stat %s in page", label).isTrue();
    return m.group(1);
  }
}
