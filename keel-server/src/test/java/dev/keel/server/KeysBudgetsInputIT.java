package dev.keel.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keys and budgets APIs refuse what cannot work, against a real Keel on SQLite: a refused
 * key request leaves no key behind, a budget that could never apply is a 400 naming the field,
 * and errors name fields as clients send them (snake_case).
 */
class KeysBudgetsInputIT {

  @TempDir
  Path dir;
  private KeelFixture keel;

  @BeforeEach
  void start() {
    keel = KeelFixture.start(dir);
  }

  @AfterEach
  void stop() {
    keel.close();
  }

  @Test
  void createKey_softLimitAboveOne_is400AndNoKeyIsLeft() {
    HttpResponse<String> r = keel.post("/api/keel/keys", "{\"name\":\"x\",\"budget\":"
        + "{\"limit_usd\":1,\"period\":\"daily\",\"soft_limits\":[2]}}", json());

    assertRefused(r, "soft_limits must be numbers above 0 and below 1, fractions of limit_usd: 2");
    assertThat(keys()).isEmpty();
    assertThat(budgets()).isEmpty();
  }

  @Test
  void createKey_anyBadPartOfTheRequest_is400AndNoKeyIsLeft() {
    String[] bodies = {
        "{\"name\":\"x\",\"model_budgets\":{\"no-such-model\":{\"limit_usd\":1}}}",
        "{\"name\":\"x\",\"model_budgets\":{\"gpt-4o-mini\":{\"limit_usd\":1,"
            + "\"soft_limits\":[0.5,\"high\"]}}}",
        "{\"name\":\"x\",\"budget\":{\"limit_usd\":1,\"period\":\"fortnightly\"}}",
        "{\"name\":\"x\",\"model_budgets\":[1]}",
        "{\"name\":\"x\",\"expires_at\":\"2001-01-01T00:00:00Z\"}",
        "{\"name\":\"x\",\"expires_at\":\"+999999999-12-31T23:59:59Z\"}",
        "{\"name\":\"x\",\"expires_in\":\"9999999d\"}"};
    String[] messages = {
        "model_budgets must name a model the gateway serves, or the budget could never apply: "
            + "no-such-model",
        "soft_limits must be numbers above 0 and below 1, fractions of limit_usd: \\\"high\\\"",
        "period must be daily, weekly, monthly, total or a duration",
        "model_budgets must map model names to budgets: [1]",
        "expires_at must be in the future: 2001-01-01T00:00:00Z",
        "expires_at must be between year 1970 and 9999: +999999999-12-31T23:59:59Z",
        "expires_in must end before the year 10000: 9999999d"};

    for (int i = 0; i < bodies.length; i++) {
      assertRefused(keel.post("/api/keel/keys", bodies[i], json()), messages[i]);
    }

    assertThat(keys()).isEmpty();
    assertThat(budgets()).isEmpty();
  }

  @Test
  void createKey_budgetStoreFailsAfterTheKeyIsMade_removesTheKeyAndItsBudgets()
      throws SQLException {
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("keel.db"));
        var s = c.createStatement()) {
      s.execute("CREATE TRIGGER refuse_test_budget BEFORE INSERT ON budgets"
          + " WHEN NEW.limit_pico = 7777 BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
    }

    HttpResponse<String> r = keel.post("/api/keel/keys", "{\"name\":\"x\","
        + "\"budget\":{\"limit_usd\":5},\"model_budgets\":{\"gpt-4o-mini\":"
        + "{\"limit_usd\":0.000000007777}}}", json());

    assertThat(r.statusCode()).as(r.body()).isEqualTo(500);
    assertThat(keys()).isEmpty();
    assertThat(budgets()).isEmpty();
  }

  @Test
  void createKey_goodBudgets_storedWithTheKey() {
    HttpResponse<String> r = keel.post("/api/keel/keys", "{\"name\":\"x\","
        + "\"budget\":{\"limit_usd\":5,\"soft_limits\":[0.5,0.8]},"
        + "\"model_budgets\":{\"gpt-4o-mini\":{\"limit_usd\":1}}}", json());

    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    String id = KeelFixture.json(r).path("id").asText();
    assertThat(KeelFixture.json(r).path("budgets")).hasSize(2);
    assertThat(keys()).hasSize(1);
    assertThat(budgets()).hasSize(2).allSatisfy(b ->
        assertThat(b.path("subject").asText()).isEqualTo(id));
  }

  @Test
  void setBudget_thatCouldNeverApply_is400NamingFieldAndValue() {
    String revoked = createKey("old");
    keel.post("/api/keel/keys/" + revoked + "/revoke", "", json());

    assertRefused(put("{\"scope\":\"key\",\"subject\":\"does-not-exist\",\"limit_usd\":1}"),
        "subject of a key budget must be a virtual key's id (see GET /api/keel/keys) or master:"
            + " does-not-exist");
    assertRefused(put("{\"scope\":\"key\",\"subject\":\"" + revoked + "\",\"limit_usd\":1}"),
        "subject names a key that is revoked, so the budget could never apply: " + revoked);
    assertRefused(put("{\"scope\":\"project\",\"subject\":\"other\",\"limit_usd\":1}"),
        "subject of a project budget must be the project, default: other");
    assertRefused(put("{\"scope\":\"team\",\"subject\":\"ml\",\"model\":\"no-such-model\","
        + "\"limit_usd\":1}"), "model must name a model the gateway serves, or the budget "
        + "could never apply: no-such-model (model 'no-such-model' does not exist");
    assertRefused(put("{\"scope\":\"team\",\"subject\":\"ml\",\"limit_usd\":1,"
        + "\"soft_limits\":[1]}"), "soft_limits must be numbers above 0 and below 1");
    assertThat(budgets()).isEmpty();
  }

  @Test
  void setBudget_onSubjectsThatCanApply_isStored() {
    String key = createKey("ci");

    String[] bodies = {
        "{\"scope\":\"key\",\"subject\":\"master\",\"limit_usd\":1}",
        "{\"scope\":\"key\",\"subject\":\"" + key + "\",\"model\":\"gpt-4o-mini\","
            + "\"limit_usd\":1}",
        "{\"scope\":\"key\",\"subject\":\"" + key + "\",\"model\":\"openai/gpt-4o-mini\","
            + "\"limit_usd\":1}",
        "{\"scope\":\"project\",\"subject\":\"default\",\"limit_usd\":1}",
        "{\"scope\":\"user\",\"subject\":\"ann\",\"limit_usd\":1}"};
    for (String body : bodies) {
      HttpResponse<String> r = put(body);
      assertThat(r.statusCode()).as(body + ": " + r.body()).isEqualTo(200);
    }

    assertThat(budgets()).hasSize(bodies.length);
  }

  private String createKey(String name) {
    HttpResponse<String> r = keel.post("/api/keel/keys", "{\"name\":\"" + name + "\"}", json());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return KeelFixture.json(r).path("id").asText();
  }

  private HttpResponse<String> put(String body) {
    return keel.send(keel.request("/api/keel/budgets", json())
        .PUT(HttpRequest.BodyPublishers.ofString(body)));
  }

  private JsonNode keys() {
    return list("/api/keel/keys");
  }

  private JsonNode budgets() {
    return list("/api/keel/budgets");
  }

  private JsonNode list(String path) {
    HttpResponse<String> r = keel.get(path, "authorization", KeelFixture.bearerMaster());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return KeelFixture.json(r).path("data");
  }

  private static String[] json() {
    return new String[] {"authorization", KeelFixture.bearerMaster(), "content-type",
        "application/json"};
  }

  private static void assertRefused(HttpResponse<String> r, String message) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(r.body()).contains(message);
  }
}
