package dev.keel.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web UI's settings, filters and sessions over HTTP against a real Keel on SQLite: sessions
 * kept in the store across a restart, prices and retention set at run time, the trace filters'
 * errors, ids holding a slash, and a browser at {@code /}.
 */
class WebUiSettingsIT {

  private static final String FORM = "application/x-www-form-urlencoded";
  private static final String TS = "2026-01-02T03:04:05.000Z";

  @TempDir
  Path dir;
  private KeelFixture keel;

  @AfterEach
  void stop() {
    if (keel != null) {
      keel.close();
    }
  }

  @Test
  void session_survivesRestart_storedOnlyAsHash_andSignOutRevokesIt() throws Exception {
    keel = KeelFixture.start(dir);
    String cookie = signInMaster();
    String token = cookie.substring(cookie.indexOf('=') + 1);
    keel.close();

    keel = KeelFixture.start(dir);
    HttpResponse<String> after = keel.get("/ui/traces", "cookie", cookie);
    String csrf = csrfOf(after.body());
    List<String> stored = storedSessionColumns();
    HttpResponse<String> out = keel.post("/ui/logout", "csrf=" + csrf, "content-type", FORM,
        "cookie", cookie);

    assertThat(after.statusCode()).isEqualTo(200);
    assertThat(stored).contains("master key").noneMatch(v -> v.contains(token))
        .noneMatch(v -> v.contains(csrf));
    assertThat(out.statusCode()).isEqualTo(303);
    assertThat(keel.get("/ui/traces", "cookie", cookie).statusCode()).isEqualTo(303);
  }

  @Test
  void deletedAccount_isSignedOutEverywhere() {
    keel = KeelFixture.start(dir);
    String admin = signInMaster();
    String csrf = csrfOf(keel.get("/ui/settings", "cookie", admin).body());
    keel.post("/ui/settings/users", "username=gone&password=gone-pass-1&role=viewer&csrf="
        + csrf, "content-type", FORM, "cookie", admin);
    String viewer = signIn("gone", "gone-pass-1");

    keel.post("/ui/settings/users/gone/delete", "csrf=" + csrf, "content-type", FORM,
        "cookie", admin);

    assertThat(keel.get("/ui/traces", "cookie", viewer).statusCode()).isEqualTo(303);
  }

  @Test
  void addAccount_emptyUsernameOrRole_isRefusedSayingSo() {
    keel = KeelFixture.start(dir);
    String admin = signInMaster();
    String csrf = csrfOf(keel.get("/ui/settings", "cookie", admin).body());

    var noName = keel.post("/ui/settings/users", "username=&password=long-enough-1&role=viewer"
        + "&csrf=" + csrf, "content-type", FORM, "cookie", admin);
    var noRole = keel.post("/ui/settings/users", "username=ann&password=long-enough-1&role="
        + "&csrf=" + csrf, "content-type", FORM, "cookie", admin);

    assertThat(noName.statusCode()).isEqualTo(400);
    assertThat(noName.body()).contains("username must be 1 to 64 characters: it is empty")
        .doesNotContain(": null");
    assertThat(noRole.statusCode()).isEqualTo(400);
    assertThat(noRole.body()).contains("role must be admin, member or viewer: none chosen");
  }

  @Test
  void root_browserIsSentToUi_apiClientKeepsJson404() {
    keel = KeelFixture.start(dir);

    HttpResponse<String> browser = keel.get("/", "accept",
        "text/html,application/xhtml+xml,*/*;q=0.8");
    HttpResponse<String> api = keel.get("/", "accept", "application/json");
    HttpResponse<String> bare = keel.get("/");

    assertThat(browser.statusCode()).isEqualTo(303);
    assertThat(browser.headers().firstValue("location")).hasValue("/ui");
    assertThat(api.statusCode()).isEqualTo(404);
    assertThat(api.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(bare.statusCode()).isEqualTo(404);
  }

  @Test
  void idsWithSlash_reachTheirTraceAndSession_inApiAndUi() {
    keel = KeelFixture.start(dir);
    ingest("{\"id\":\"team/a\",\"timestamp\":\"" + TS + "\",\"sessionId\":\"chat/1\","
        + "\"userId\":\"org/ann\"}", null);
    String cookie = signInMaster();

    HttpResponse<String> trace = keel.get("/api/public/traces/team%2Fa", "authorization",
        KeelFixture.bearerMaster());
    HttpResponse<String> session = keel.get("/api/public/sessions/chat%2F1", "authorization",
        KeelFixture.bearerMaster());
    HttpResponse<String> page = keel.get("/ui/traces/team%2Fa", "cookie", cookie);
    HttpResponse<String> sessionPage = keel.get("/ui/sessions/chat%2F1", "cookie", cookie);
    HttpResponse<String> userPage = keel.get("/ui/users/org%2Fann", "cookie", cookie);
    HttpResponse<String> list = keel.get("/ui/traces", "cookie", cookie);

    assertThat(trace.statusCode()).isEqualTo(200);
    assertThat(KeelFixture.json(trace).path("id").asText()).isEqualTo("team/a");
    assertThat(session.statusCode()).isEqualTo(200);
    assertThat(KeelFixture.json(session).path("traces").get(0).path("id").asText())
        .isEqualTo("team/a");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(sessionPage.statusCode()).isEqualTo(200);
    assertThat(userPage.statusCode()).isEqualTo(200);
    assertThat(list.body()).contains("href=\"/ui/traces/team%2Fa\"")
        .contains("href=\"/ui/sessions/chat%2F1\"");
  }

  @Test
  void traceFilters_badValue_isA400NamingTheParameter() {
    keel = KeelFixture.start(dir);
    String cookie = signInMaster();

    HttpResponse<String> ui = keel.get("/ui/traces?min_cost=cheap", "cookie", cookie);
    HttpResponse<String> order = keel.get("/ui/traces?min_latency=5&max_latency=1", "cookie",
        cookie);
    HttpResponse<String> api = keel.get("/api/public/traces?level=LOUD", "authorization",
        KeelFixture.bearerMaster());

    assertThat(ui.statusCode()).isEqualTo(400);
    assertThat(ui.body()).contains("id=\"filter-error\"")
        .contains("min_cost must be a number from 0 to 1000000000: cheap")
        .contains("name=\"min_cost\"");
    assertThat(order.statusCode()).isEqualTo(400);
    assertThat(order.body()).contains("min_latency must not exceed max_latency: 5 &gt; 1");
    assertThat(api.statusCode()).isEqualTo(400);
    assertThat(api.body()).contains("level must be one of [DEBUG, DEFAULT, WARNING, ERROR]:"
        + " LOUD");
  }

  @Test
  void traceFilters_modelCostLatency_narrowTheListInApiAndUi() {
    keel = KeelFixture.start(dir);
    ingest("{\"id\":\"cheap\",\"timestamp\":\"" + TS + "\"}",
        generation("cheap", "gpt-4o-mini", "2026-01-02T03:04:05.000Z",
            "2026-01-02T03:04:05.500Z", 1000, 100));
    ingest("{\"id\":\"dear\",\"timestamp\":\"" + TS + "\"}",
        generation("dear", "gpt-4o", "2026-01-02T03:04:05.000Z", "2026-01-02T03:04:09.000Z",
            100000, 10000));
    String cookie = signInMaster();

    assertThat(apiIds("model=gpt-4o")).containsExactly("dear");
    assertThat(apiIds("minTotalCost=0.1")).containsExactly("dear");
    assertThat(apiIds("maxTotalCost=0.01")).containsExactly("cheap");
    assertThat(apiIds("minLatency=1")).containsExactly("dear");
    assertThat(apiIds("maxLatency=1&model=gpt-4o-mini")).containsExactly("cheap");
    assertThat(keel.get("/ui/traces?model=gpt-4o&min_latency=3.5", "cookie", cookie).body())
        .contains("/ui/traces/dear").doesNotContain("/ui/traces/cheap");
  }

  @Test
  void price_setByAdmin_pricesTheNextIngestedCall_andSurvivesRestart() {
    keel = KeelFixture.start(dir);
    String cookie = signInMaster();
    String csrf = csrfOf(keel.get("/ui/settings", "cookie", cookie).body());

    HttpResponse<String> set = keel.post("/ui/settings/prices", "model=acme%2Ftiny"
        + "&provider=openai&input=2&output=%2410&csrf=" + csrf, "content-type", FORM,
        "cookie", cookie);
    ingest("{\"id\":\"priced\",\"timestamp\":\"" + TS + "\"}", generation("priced",
        "acme/tiny", TS, TS, 1000, 500));
    HttpResponse<String> page = keel.get("/ui/settings?model=acme", "cookie", cookie);

    assertThat(set.statusCode()).isEqualTo(303);
    assertThat(totalCost("priced")).isEqualByComparingTo("0.007");
    assertThat(page.body()).contains("<code>acme/tiny</code>").contains("$2</td>")
        .contains("$10</td>").contains("set in Settings by master key");

    keel.close();
    keel = KeelFixture.start(dir);
    ingest("{\"id\":\"again\",\"timestamp\":\"" + TS + "\"}", generation("again",
        "acme/tiny", TS, TS, 1000, 0));

    assertThat(totalCost("again")).isEqualByComparingTo("0.002");
  }

  @Test
  void price_withAProviderThatIsNoProviderName_isRefusedNamingIt() {
    keel = KeelFixture.start(dir);
    String cookie = signInMaster();
    String csrf = csrfOf(keel.get("/ui/settings", "cookie", cookie).body());

    HttpResponse<String> set = keel.post("/ui/settings/prices", "model=zz-model"
        + "&provider=no+such+provider%21&input=1&output=1&csrf=" + csrf, "content-type", FORM,
        "cookie", cookie);

    assertThat(set.statusCode()).isEqualTo(400);
    assertThat(set.body()).contains("provider must be a provider&#39;s name")
        .contains("no such provider!");
    assertThat(keel.get("/ui/settings?model=zz-model", "cookie", cookie).body())
        .doesNotContain("<code>zz-model</code>");
  }

  @Test
  void price_overridingTableModel_pricesTheGatewayCallRightAway_andRemoveRestoresIt() {
    keel = KeelFixture.start(dir);
    String cookie = signInMaster();
    String csrf = csrfOf(keel.get("/ui/settings", "cookie", cookie).body());
    String chat = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\","
        + "\"content\":\"hi\"}]}";
    BigDecimal before = cost(keel.chat(chat));

    keel.post("/ui/settings/prices", "model=gpt-4o-mini&input=1000&output=1000&csrf=" + csrf,
        "content-type", FORM, "cookie", cookie);
    JsonNode dear = KeelFixture.json(keel.chat(chat));
    long tokens = dear.path("usage").path("total_tokens").asLong();
    keel.post("/ui/settings/prices/gpt-4o-mini/delete", "csrf=" + csrf, "content-type", FORM,
        "cookie", cookie);

    assertThat(new BigDecimal(dear.path("usage").path("cost").asText()))
        .isEqualByComparingTo(BigDecimal.valueOf(tokens).multiply(new BigDecimal("0.001")));
    assertThat(cost(keel.chat(chat))).isEqualByComparingTo(before);
  }

  @Test
  void retention_setByAdmin_isStoredAndShown_badDaysNamed() {
    keel = KeelFixture.start(dir, "retention:\n  days: 90\n");
    String cookie = signInMaster();
    String csrf = csrfOf(keel.get("/ui/settings", "cookie", cookie).body());

    String shown = keel.get("/ui/settings", "cookie", cookie).body();
    HttpResponse<String> set = keel.post("/ui/settings/retention", "days=14&csrf=" + csrf,
        "content-type", FORM, "cookie", cookie);
    HttpResponse<String> bad = keel.post("/ui/settings/retention", "days=0&csrf=" + csrf,
        "content-type", FORM, "cookie", cookie);

    assertThat(shown).contains("<b>90 days</b>").contains("keel.yaml retention.days");
    assertThat(set.statusCode()).isEqualTo(303);
    assertThat(keel.server.store().settings().retentionDays(90)).contains(14);
    assertThat(keel.get("/ui/settings", "cookie", cookie).body()).contains("<b>14 days</b>")
        .contains("set in Settings");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("days must be a whole number from 1 to 36500");

    keel.post("/ui/settings/retention", "days=&csrf=" + csrf, "content-type", FORM, "cookie",
        cookie);

    assertThat(keel.server.store().settings().retentionDays(90)).isEmpty();
  }

  @Test
  void retention_setInSettings_isAppliedByTheJobAtTheNextStart() throws Exception {
    keel = KeelFixture.start(dir);
    ingest("{\"id\":\"old\",\"timestamp\":\"" + TS + "\"}", null);
    ingest("{\"id\":\"recent\",\"timestamp\":\"" + java.time.Instant.now() + "\"}", null);
    String cookie = signInMaster();
    String csrf = csrfOf(keel.get("/ui/settings", "cookie", cookie).body());
    keel.post("/ui/settings/retention", "days=30&csrf=" + csrf, "content-type", FORM,
        "cookie", cookie);
    keel.close();

    keel = KeelFixture.start(dir);
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
    while (keel.server.store().traces().findTrace(KeelFixture.PROJECT, "old").isPresent()
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }

    assertThat(keel.server.store().traces().findTrace(KeelFixture.PROJECT, "old")).isEmpty();
    assertThat(keel.server.store().traces().findTrace(KeelFixture.PROJECT, "recent"))
        .isPresent();
  }

  @Test
  void viewer_seesPricesAndRetention_butCannotChangeThem() {
    keel = KeelFixture.start(dir);
    String admin = signInMaster();
    String csrf = csrfOf(keel.get("/ui/settings", "cookie", admin).body());
    keel.post("/ui/settings/users", "username=vic&password=viewer-pass-1&role=viewer&csrf="
        + csrf, "content-type", FORM, "cookie", admin);
    String viewer = signIn("vic", "viewer-pass-1");
    String page = keel.get("/ui/settings?model=gpt-4o", "cookie", viewer).body();
    String viewerCsrf = csrfOf(page);

    HttpResponse<String> price = keel.post("/ui/settings/prices", "model=gpt-4o&input=0&csrf="
        + viewerCsrf, "content-type", FORM, "cookie", viewer);
    HttpResponse<String> days = keel.post("/ui/settings/retention", "days=1&csrf="
        + viewerCsrf, "content-type", FORM, "cookie", viewer);

    assertThat(page).contains("id=\"prices-table\"").contains("id=\"retention-now\"")
        .doesNotContain("id=\"price-form\"").doesNotContain("id=\"retention-form\"");
    assertThat(price.statusCode()).isEqualTo(403);
    assertThat(days.statusCode()).isEqualTo(403);
    assertThat(keel.server.store().settings().prices()).isEmpty();
    assertThat(keel.server.store().settings().get("retention.days")).isEmpty();
  }

  private void ingest(String trace, String generation) {
    String batch = "{\"batch\":[{\"id\":\"e-" + System.nanoTime() + "\",\"type\":"
        + "\"trace-create\",\"timestamp\":\"" + TS + "\",\"body\":" + trace + "}"
        + (generation == null ? "" : ",{\"id\":\"g-" + System.nanoTime() + "\",\"type\":"
            + "\"generation-create\",\"timestamp\":\"" + TS + "\",\"body\":" + generation + "}")
        + "]}";
    HttpResponse<String> r = keel.post("/api/public/ingestion", batch, "authorization",
        KeelFixture.basicPair(), "content-type", "application/json");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(207);
    assertThat(r.body()).doesNotContain("\"errors\":[{");
    keel.server.flushTraces();
  }

  private static String generation(String traceId, String model, String start, String end,
      long input, long output) {
    return "{\"id\":\"" + traceId + "-g\",\"traceId\":\"" + traceId + "\",\"model\":\"" + model
        + "\",\"startTime\":\"" + start + "\",\"endTime\":\"" + end + "\",\"usageDetails\":"
        + "{\"input\":" + input + ",\"output\":" + output + "}}";
  }

  private List<String> apiIds(String query) {
    HttpResponse<String> r = keel.get("/api/public/traces?" + query, "authorization",
        KeelFixture.bearerMaster());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    var ids = new ArrayList<String>();
    KeelFixture.json(r).path("data").forEach(t -> ids.add(t.path("id").asText()));
    return ids;
  }

  private BigDecimal totalCost(String traceId) {
    return new BigDecimal(KeelFixture.json(keel.get("/api/public/traces/" + traceId,
        "authorization", KeelFixture.bearerMaster())).path("totalCost").asText());
  }

  private static BigDecimal cost(HttpResponse<String> chat) {
    assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
    return new BigDecimal(KeelFixture.json(chat).path("usage").path("cost").asText());
  }

  private List<String> storedSessionColumns() throws Exception {
    var values = new ArrayList<String>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("keel.db"));
        ResultSet rs = c.createStatement().executeQuery("SELECT * FROM ui_sessions")) {
      while (rs.next()) {
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          values.add(String.valueOf(rs.getString(i)));
        }
      }
    }
    return values;
  }

  private String signInMaster() {
    HttpResponse<String> r = keel.post("/ui/login", "key=" + KeelFixture.MASTER_KEY,
        "content-type", FORM);
    assertThat(r.statusCode()).isEqualTo(303);
    return r.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
  }

  private String signIn(String user, String password) {
    HttpResponse<String> r = keel.post("/ui/login", "username=" + user + "&password="
        + password, "content-type", FORM);
    assertThat(r.statusCode()).as("sign-in of " + user).isEqualTo(303);
    return r.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
  }

  private static String csrfOf(String html) {
    Matcher m = Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"").matcher(html);
    assertThat(m.find()).as("csrf meta tag").isTrue();
    return m.group(1);
  }
}
