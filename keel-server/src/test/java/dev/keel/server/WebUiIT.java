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
 * The web UI over HTTP against a real Keel: sign-in, the session cookie's attributes, redirects
 * for a browser without a session, CSRF on changes, escaping, and 4xx pages for bad input.
 * The browser-level tests are in e2e/ui.
 */
class WebUiIT {

  private static final String FORM = "application/x-www-form-urlencoded";

  @TempDir
  static Path dir;
  static KeelFixture keel;
  static String cookie;
  static String csrf;

  @BeforeAll
  static void start() {
    keel = KeelFixture.start(dir);
    keel.chat("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        "x-keel-trace-name", "<b>bold</b>", "x-keel-user-id", "ui-user");
    keel.server.flushTraces();
    HttpResponse<String> signIn = keel.post("/ui/login", "key=" + KeelFixture.MASTER_KEY,
        "content-type", FORM);
    cookie = signIn.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
    csrf = csrfOf(keel.get("/ui/settings", "cookie", cookie).body());
  }

  @AfterAll
  static void stop() {
    keel.close();
  }

  @Test
  void signIn_masterKey_setsHttpOnlyStrictCookieAndRedirects() {
    HttpResponse<String> r = keel.post("/ui/login", "key=" + KeelFixture.MASTER_KEY,
        "content-type", FORM);

    assertThat(r.statusCode()).isEqualTo(303);
    assertThat(r.headers().firstValue("location")).hasValue("/ui");
    assertThat(r.headers().firstValue("set-cookie").orElseThrow())
        .startsWith("keel_ui=").contains("HttpOnly").contains("SameSite=Strict")
        .contains("Max-Age=28800");
  }

  @Test
  void signIn_wrongOrVirtualKey_isRefusedWithoutCookie() {
    String virtual = KeelFixture.json(keel.post("/api/keel/keys", "{\"name\":\"v\"}",
        "authorization", KeelFixture.bearerMaster(), "content-type", "application/json"))
        .path("key").asText();

    HttpResponse<String> wrong = keel.post("/ui/login", "key=sk-keel-nope", "content-type", FORM);
    HttpResponse<String> virt = keel.post("/ui/login", "key=" + virtual, "content-type", FORM);

    assertThat(virtual).startsWith("sk-keel-");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(virt.statusCode()).isEqualTo(401);
    assertThat(wrong.headers().firstValue("set-cookie")).isEmpty();
    assertThat(virt.body()).contains("not the master key");
  }

  @Test
  void signIn_postedFromAnotherSite_isRefused() {
    HttpResponse<String> r = keel.post("/ui/login", "key=" + KeelFixture.MASTER_KEY,
        "content-type", FORM, "origin", "https://evil.example");

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.headers().firstValue("set-cookie")).isEmpty();
  }

  @Test
  void pages_withoutSession_redirectToSignInAndShowNoData() {
    for (String path : new String[] {"/ui", "/ui/traces", "/ui/users/ui-user", "/ui/cost",
        "/ui/settings", "/ui/traces/x/json", "/ui/traces/x/field?f=input"}) {
      HttpResponse<String> r = keel.get(path);

      assertThat(r.statusCode()).as(path).isEqualTo(303);
      assertThat(r.headers().firstValue("location")).as(path).hasValue("/ui/login");
      assertThat(r.body()).as(path).isEmpty();
    }
    HttpResponse<String> htmx = keel.get("/ui/traces", "hx-request", "true");
    assertThat(htmx.statusCode()).isEqualTo(401);
    assertThat(htmx.headers().firstValue("hx-redirect")).hasValue("/ui/login");
    assertThat(keel.get("/ui/traces", "cookie", "keel_ui=forged").statusCode()).isEqualTo(303);
  }

  @Test
  void traces_signedIn_listEscapedNames() {
    HttpResponse<String> r = keel.get("/ui/traces?user=ui-user", "cookie", cookie);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-security-policy").orElseThrow())
        .contains("script-src 'self'");
    assertThat(r.body()).contains("&lt;b&gt;bold&lt;/b&gt;").doesNotContain("<b>bold</b>");
  }

  @Test
  void createKey_withoutCsrf_isForbiddenAndCreatesNothing() {
    long before = keysNamed("no-csrf");

    HttpResponse<String> r = keel.post("/ui/settings/keys", "name=no-csrf", "content-type", FORM,
        "cookie", cookie);

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(keysNamed("no-csrf")).isEqualTo(before);
  }

  @Test
  void createKey_withCsrf_showsTheSecretOnce() {
    HttpResponse<String> r = keel.post("/ui/settings/keys", "name=ui-made&csrf=" + csrf,
        "content-type", FORM, "cookie", cookie);

    assertThat(r.statusCode()).isEqualTo(200);
    Matcher m = Pattern.compile("id=\"new-key\">(sk-keel-[^<]+)<").matcher(r.body());
    assertThat(m.find()).isTrue();
    assertThat(keel.get("/ui/settings", "cookie", cookie).body()).doesNotContain(m.group(1));
  }

  @Test
  void badInput_getsA4xxPageNamingIt() {
    HttpResponse<String> date = keel.get("/ui/traces?from=yesterday", "cookie", cookie);
    HttpResponse<String> page = keel.get("/ui/traces?page=0", "cookie", cookie);
    HttpResponse<String> missing = keel.get("/ui/traces/no-such-trace", "cookie", cookie);
    HttpResponse<String> field = keel.get("/ui/traces/no-such-trace/field?f=secret",
        "cookie", cookie);

    assertThat(date.statusCode()).isEqualTo(400);
    assertThat(date.body()).contains("from must be a date like 2026-01-31");
    assertThat(page.statusCode()).isEqualTo(400);
    assertThat(page.body()).contains("page must be between 1 and 1000000: 0");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(field.statusCode()).isEqualTo(400);
    assertThat(field.body()).contains("f must be input, output or metadata: secret");
  }

  @Test
  void logout_endsTheSession() {
    String own = keel.post("/ui/login", "key=" + KeelFixture.MASTER_KEY, "content-type", FORM)
        .headers().firstValue("set-cookie").orElseThrow().split(";")[0];
    String token = csrfOf(keel.get("/ui", "cookie", own).body());

    HttpResponse<String> out = keel.post("/ui/logout", "csrf=" + token, "content-type", FORM,
        "cookie", own);

    assertThat(out.statusCode()).isEqualTo(303);
    assertThat(keel.get("/ui", "cookie", own).statusCode()).isEqualTo(303);
    assertThat(keel.get("/ui", "cookie", cookie).statusCode()).isEqualTo(200);
  }

  @Test
  void assets_areServedFromTheClasspathWithoutSession() {
    assertThat(keel.get("/ui/assets/htmx.min.js").statusCode()).isEqualTo(200);
    assertThat(keel.get("/ui/assets/uPlot.iife.min.js").body()).contains("uPlot");
    assertThat(keel.get("/ui/assets/..%2Fkeel.db").statusCode()).isEqualTo(404);
  }

  @Test
  void accounts_viewerCannotChangeAndMemberCannotManageKeys() {
    keel.post("/ui/settings/users", "username=viv&password=viewer-pass-1&role=viewer&csrf="
        + csrf, "content-type", FORM, "cookie", cookie);
    keel.post("/ui/settings/users", "username=mo&password=member-pass-1&role=member&csrf="
        + csrf, "content-type", FORM, "cookie", cookie);
    String viewer = signIn("viv", "viewer-pass-1");
    String member = signIn("mo", "member-pass-1");
    String viewerCsrf = csrfOf(keel.get("/ui", "cookie", viewer).body());
    String memberCsrf = csrfOf(keel.get("/ui", "cookie", member).body());

    HttpResponse<String> viewerKey = keel.post("/ui/settings/keys", "name=v-key&csrf="
        + viewerCsrf, "content-type", FORM, "cookie", viewer);
    HttpResponse<String> viewerRollback = keel.post("/ui/prompts/none/rollback",
        "label=production&csrf=" + viewerCsrf, "content-type", FORM, "cookie", viewer);
    HttpResponse<String> memberKey = keel.post("/ui/settings/keys", "name=m-key&csrf="
        + memberCsrf, "content-type", FORM, "cookie", member);
    HttpResponse<String> memberRollback = keel.post("/ui/prompts/none/rollback",
        "label=production&csrf=" + memberCsrf, "content-type", FORM, "cookie", member);

    assertThat(keel.get("/ui/traces", "cookie", viewer).statusCode()).isEqualTo(200);
    assertThat(viewerKey.statusCode()).isEqualTo(403);
    assertThat(viewerRollback.statusCode()).isEqualTo(403);
    assertThat(memberKey.statusCode()).isEqualTo(403);
    assertThat(memberKey.body()).contains("it needs admin");
    assertThat(memberRollback.statusCode()).as("member reaches the prompt service")
        .isEqualTo(404);
    assertThat(keysNamed("v-key") + keysNamed("m-key")).isZero();
  }

  @Test
  void accounts_wrongPasswordOrUnknownUser_isRefused() {
    keel.post("/ui/settings/users", "username=pat&password=right-pass-1&role=viewer&csrf="
        + csrf, "content-type", FORM, "cookie", cookie);

    HttpResponse<String> wrong = keel.post("/ui/login", "username=pat&password=wrong-pass-1",
        "content-type", FORM);
    HttpResponse<String> unknown = keel.post("/ui/login", "username=nobody&password=x",
        "content-type", FORM);
    HttpResponse<String> shortPw = keel.post("/ui/settings/users",
        "username=short&password=abc&role=viewer&csrf=" + csrf, "content-type", FORM,
        "cookie", cookie);

    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).contains("Wrong username or password.");
    assertThat(shortPw.statusCode()).isEqualTo(400);
    assertThat(shortPw.body()).contains("password must be 8 to 200 characters: 3");
  }

  private static String signIn(String user, String password) {
    HttpResponse<String> r = keel.post("/ui/login", "username=" + user + "&password="
        + password, "content-type", FORM);
    assertThat(r.statusCode()).as("sign-in of " + user).isEqualTo(303);
    return r.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
  }

  private static long keysNamed(String name) {
    return KeelFixture.json(keel.get("/api/keel/keys", "authorization",
        KeelFixture.bearerMaster())).findValues("name").stream()
        .filter(n -> name.equals(n.asText())).count();
  }

  private static String csrfOf(String html) {
    Matcher m = Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"").matcher(html);
    assertThat(m.find()).as("csrf meta tag").isTrue();
    return m.group(1);
  }
}
