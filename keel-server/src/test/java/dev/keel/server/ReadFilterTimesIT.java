package dev.keel.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Time parameters of every read API and of the web UI, against a real Keel: a time outside the
 * years 1970 to 9999 is a 400 naming the parameter in each API's error shape (it was a 500 from
 * an overflow), and the years' very ends are still accepted.
 */
class ReadFilterTimesIT {

  private static final String FAR_PAST = "-999999999-01-01T00:00:00Z";
  private static final String FAR_FUTURE = "%2B999999999-12-31T23:59:59Z";
  private static final String FIRST = "1970-01-01T00:00:00Z";
  private static final String LAST = "9999-12-31T23:59:59Z";
  /** Each read route with its from and to parameter. */
  private static final List<String[]> READS = List.of(
      new String[] {"/api/public/traces", "fromTimestamp", "toTimestamp"},
      new String[] {"/api/public/observations", "fromStartTime", "toStartTime"},
      new String[] {"/api/public/sessions", "fromTimestamp", "toTimestamp"},
      new String[] {"/api/public/v2/scores", "fromTimestamp", "toTimestamp"},
      new String[] {"/api/public/metrics/daily", "fromTimestamp", "toTimestamp"},
      new String[] {"/api/public/v2/prompts", "fromUpdatedAt", "toUpdatedAt"},
      new String[] {"/api/keel/reports/cost", "fromTimestamp", "toTimestamp"},
      new String[] {"/api/keel/reports/prompts/greeting", "fromTimestamp", "toTimestamp"},
      new String[] {"/api/keel/reports/routing", "fromTimestamp", "toTimestamp"});

  @TempDir
  static Path dir;
  static KeelFixture keel;
  static String cookie;

  @BeforeAll
  static void start() {
    keel = KeelFixture.start(dir);
    keel.chat("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    keel.server.flushTraces();
    cookie = keel.post("/ui/login", "key=" + KeelFixture.MASTER_KEY, "content-type",
        "application/x-www-form-urlencoded").headers().firstValue("set-cookie").orElseThrow()
        .split(";")[0];
  }

  @AfterAll
  static void stop() {
    keel.close();
  }

  @Test
  void everyReadApi_timeBeyondTheYears1970To9999_is400NamingTheParameter() {
    for (String[] read : READS) {
      HttpResponse<String> past = read(read[0] + "?" + read[1] + "=" + FAR_PAST);
      HttpResponse<String> future = read(read[0] + "?" + read[2] + "=" + FAR_FUTURE);
      HttpResponse<String> before1970 = read(read[0] + "?" + read[1] + "=1969-12-31T23:59:59Z");

      assertRefused(past, read[1] + " must be between year 1970 and 9999: " + FAR_PAST);
      assertRefused(future, read[2] + " must be between year 1970 and 9999: +999999999");
      assertRefused(before1970, read[1] + " must be between year 1970 and 9999");
    }
  }

  @Test
  void everyReadApi_firstAndLastInstantOfTheYears_isAccepted() {
    for (String[] read : READS) {
      HttpResponse<String> r = read(read[0] + "?" + read[1] + "=" + FIRST + "&" + read[2] + "="
          + LAST);

      assertThat(r.statusCode()).as(r.uri() + ": " + r.body()).isEqualTo(200);
    }
    assertThat(read("/api/public/traces?fromTimestamp=" + FIRST).body())
        .contains("\"totalItems\":1");
  }

  @Test
  void everyReadApi_notADateTime_is400WithAnExample() {
    for (String[] read : READS) {
      HttpResponse<String> r = read(read[0] + "?" + read[1] + "=yesterday");

      assertRefused(r, read[1] + " must be an ISO-8601 date-time with an offset, such as "
          + "2026-01-31T12:00:00Z: yesterday");
    }
  }

  @Test
  void webUi_timeBeyondTheYears_isShownInlineOnTheFilterForm() {
    HttpResponse<String> day = keel.get("/ui/traces?from=0001-01-01", "cookie", cookie);
    HttpResponse<String> instant = keel.get("/ui/traces?to=" + FAR_FUTURE, "cookie", cookie);
    HttpResponse<String> sessions = keel.get("/ui/sessions?from=" + FAR_PAST, "cookie", cookie);
    HttpResponse<String> lastDay = keel.get("/ui/traces?from=1970-01-01&to=9999-12-31",
        "cookie", cookie);

    assertThat(day.statusCode()).isEqualTo(400);
    assertThat(day.body()).contains("from must be between year 1970 and 9999: 0001-01-01")
        .contains("<h1>Traces</h1>");
    assertThat(instant.statusCode()).isEqualTo(400);
    assertThat(instant.body()).contains("to must be between year 1970 and 9999: +999999999");
    assertThat(sessions.statusCode()).isEqualTo(400);
    assertThat(sessions.body()).contains("from must be between year 1970 and 9999");
    assertThat(lastDay.statusCode()).isEqualTo(200);
  }

  private static HttpResponse<String> read(String pathAndQuery) {
    return keel.get(pathAndQuery, "authorization", KeelFixture.bearerMaster());
  }

  private static void assertRefused(HttpResponse<String> r, String message) {
    assertThat(r.statusCode()).as(r.uri() + ": " + r.body()).isEqualTo(400);
    assertThat(r.headers().firstValue("content-type")).as(r.uri().toString()).get()
        .asString().startsWith("application/json");
    assertThat(r.body()).as(r.uri().toString()).contains(message);
  }
}
