package dev.keel.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.store.ApiKeyRecord;
import dev.keel.store.Store;
import dev.keel.store.StoreConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyServiceIT {

  @TempDir
  Path dir;
  private Store store;

  @BeforeEach
  void open() {
    store = Store.open(StoreConfig.sqlite(dir));
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void ensureMasterKey_firstStart_generatesOnceAndStoresOnlyAHash() {
    var keys = new KeyService(store.keys(), null, Clock.systemUTC());

    String key = keys.ensureMasterKey().orElseThrow();

    assertThat(key).startsWith("sk-keel-").hasSize("sk-keel-".length() + 40);
    assertThat(keys.ensureMasterKey()).isEmpty();
    ApiKeyRecord stored = store.keys().list("master").get(0);
    assertThat(stored.hash()).doesNotContain(key).isNotEqualTo(key);
    assertThat(stored.toString()).doesNotContain(key);
    var restarted = new KeyService(store.keys(), null, Clock.systemUTC());
    assertThat(restarted.authenticateKey(key)).get()
        .extracting(Principal::kind).isEqualTo(Principal.Kind.MASTER);
  }

  @Test
  void authenticateKey_envMasterKey_acceptedAndNothingStored() {
    var keys = new KeyService(store.keys(), "sk-keel-env", Clock.systemUTC());

    assertThat(keys.ensureMasterKey()).isEmpty();
    assertThat(keys.authenticateKey("sk-keel-env")).get().extracting(Principal::kind)
        .isEqualTo(Principal.Kind.MASTER);
    assertThat(keys.authenticateKey("sk-keel-envX")).isEmpty();
    assertThat(store.keys().anyOfKind("master")).isFalse();
  }

  @Test
  void envMasterKey_replacesAGeneratedOneStoredEarlier() {
    String generated = new KeyService(store.keys(), null, Clock.systemUTC()).ensureMasterKey()
        .orElseThrow();

    var keys = new KeyService(store.keys(), "sk-keel-chosen", Clock.systemUTC());

    assertThat(keys.authenticateKey(generated)).isEmpty();
    assertThat(keys.authenticateKey("sk-keel-chosen")).isPresent();
    assertThat(keys.masterKeySource()).contains("no longer works");
  }

  @Test
  void authenticateKey_wrongOrEmptyOrHuge_isRejected() {
    var keys = new KeyService(store.keys(), null, Clock.systemUTC());
    String key = keys.ensureMasterKey().orElseThrow();

    assertThat(keys.authenticateKey(key.substring(0, key.length() - 1) + "x")).isEmpty();
    assertThat(keys.authenticateKey("")).isEmpty();
    assertThat(keys.authenticateKey("sk-keel-" + "a".repeat(5000))).isEmpty();
  }

  @Test
  void virtualKey_revoked_stopsWorkingForANewService() {
    var keys = new KeyService(store.keys(), null, Clock.systemUTC());
    String key = keys.createVirtualKey("ci");
    assertThat(keys.authenticateKey(key)).get().extracting(Principal::kind)
        .isEqualTo(Principal.Kind.VIRTUAL);

    String id = store.keys().list("virtual").get(0).id();
    store.keys().revoke(id, Instant.now());

    assertThat(new KeyService(store.keys(), null, Clock.systemUTC()).authenticateKey(key))
        .isEmpty();
  }

  @Test
  void projectPair_basicAuth_andPublicKeyAlone() {
    var keys = new KeyService(store.keys(), null, Clock.systemUTC());

    assertThat(keys.ensureProjectPair("pk-lf-1", "sk-lf-1")).isTrue();
    assertThat(keys.ensureProjectPair("pk-lf-1", "sk-lf-1")).isFalse();

    assertThat(keys.authenticateHeader(basic("pk-lf-1", "sk-lf-1"))).get()
        .extracting(Principal::kind).isEqualTo(Principal.Kind.PROJECT_PAIR);
    assertThat(keys.authenticateHeader(basic("pk-lf-1", "sk-lf-2"))).isEmpty();
    assertThat(keys.authenticateHeader("Bearer pk-lf-1")).get()
        .extracting(Principal::kind).isEqualTo(Principal.Kind.PUBLIC_KEY_ONLY);
    assertThat(keys.authenticateHeader("Basic !!notbase64")).isEmpty();
    assertThat(keys.authenticateHeader("Digest abc")).isEmpty();
    assertThat(store.keys().list("project").get(0).hash()).doesNotContain("sk-lf-1");
  }

  @Test
  void storedRows_everyKindOfKey_holdNoEightCharactersOfItsSecret() throws SQLException {
    var keys = new KeyService(store.keys(), null, Clock.systemUTC());
    String dashed = "sk-lf-aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeee1234";
    String shortSecret = "sk-lf-break-secret-canary2";
    String master = keys.ensureMasterKey().orElseThrow();
    String virtual = keys.createVirtualKey("ci");
    String rotated = keys.createVirtualKey("to-rotate");
    keys.ensureProjectPair("pk-lf-one", dashed);
    keys.ensureProjectPair("pk-lf-two", shortSecret);

    String rotatedId = store.keys().list("virtual").get(1).id();
    String newSecret = keys.rotate(rotatedId).orElseThrow().key();

    List<String> stored = storedColumns();
    for (String secret : List.of(master, virtual, rotated, newSecret, dashed, shortSecret)) {
      for (int i = 0; i + 8 <= secret.length(); i++) {
        String part = secret.substring(i, i + 8);
        assertThat(stored).as("a stored column holding '%s' of a secret", part)
            .noneMatch(column -> column.contains(part));
      }
    }
    var fresh = new KeyService(store.keys(), null, Clock.systemUTC());
    assertThat(fresh.authenticateKey(master)).isPresent();
    assertThat(fresh.authenticateKey(virtual)).isPresent();
    assertThat(fresh.authenticateKey(newSecret)).isPresent();
    assertThat(fresh.authenticateKey(rotated)).isEmpty();
    assertThat(fresh.authenticateHeader(basic("pk-lf-one", dashed))).isPresent();
    assertThat(fresh.authenticateHeader(basic("pk-lf-two", shortSecret))).isPresent();
  }

  @Test
  void legacyLookupRows_stillAuthenticate_andAreRewrittenOnFirstUse() {
    String master = KeyFormat.newKey(KeyFormat.KEEL_PREFIX);
    String virtual = KeyFormat.newKey(KeyFormat.KEEL_PREFIX);
    String secret = "sk-lf-aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeee1234";
    String masterId = insertLegacy("master", master, null);
    String virtualId = insertLegacy("virtual", virtual, null);
    String projectId = insertLegacy("project", secret, "pk-lf-legacy");
    assertThat(store.keys().find(virtualId).orElseThrow().lookup())
        .isEqualTo(virtual.substring(0, "sk-keel-".length() + 8));

    var keys = new KeyService(store.keys(), null, Clock.systemUTC());
    assertThat(keys.authenticateKey(master)).get().extracting(Principal::kind)
        .isEqualTo(Principal.Kind.MASTER);
    assertThat(keys.authenticateKey(virtual)).get().extracting(Principal::kind)
        .isEqualTo(Principal.Kind.VIRTUAL);
    assertThat(keys.authenticateHeader(basic("pk-lf-legacy", secret))).get()
        .extracting(Principal::kind).isEqualTo(Principal.Kind.PROJECT_PAIR);

    assertThat(store.keys().find(masterId).orElseThrow().lookup())
        .isEqualTo(KeyFormat.lookup(master)).doesNotContain(master.substring(8, 16));
    assertThat(store.keys().find(virtualId).orElseThrow().lookup())
        .isEqualTo(KeyFormat.lookup(virtual));
    assertThat(store.keys().find(projectId).orElseThrow().lookup())
        .isEqualTo(KeyFormat.lookup(secret)).doesNotContain("aaaaaaaa");
    var restarted = new KeyService(store.keys(), null, Clock.systemUTC());
    assertThat(restarted.authenticateKey(virtual)).isPresent();
    assertThat(restarted.authenticateKey(master)).isPresent();
    assertThat(restarted.authenticateHeader(basic("pk-lf-legacy", secret))).isPresent();
    assertThat(restarted.authenticateHeader(basic("pk-lf-legacy", secret + "x"))).isEmpty();
  }

  @Test
  void ensureProjectPair_legacyRowOfTheSamePair_isRewrittenAtStart() {
    String secret = "sk-lf-break-secret-canary2";
    String id = insertLegacy("project", secret, "pk-lf-start");

    boolean added = new KeyService(store.keys(), null, Clock.systemUTC())
        .ensureProjectPair("pk-lf-start", secret);

    assertThat(added).isFalse();
    assertThat(store.keys().find(id).orElseThrow().lookup()).isEqualTo(KeyFormat.lookup(secret));
  }

  @Test
  void deleteVirtualKey_leavesNoRow_andTheSecretStopsWorking() {
    var keys = new KeyService(store.keys(), null, Clock.systemUTC());
    CreatedKey k = keys.createVirtualKey(new KeySettings("temp", null, null, null, null, null,
        null), null);
    assertThat(keys.authenticateKey(k.key())).isPresent();

    assertThat(keys.deleteVirtualKey(k.info().id())).isTrue();

    assertThat(keys.listKeys()).noneMatch(i -> i.id().equals(k.info().id()));
    assertThat(keys.authenticateKey(k.key())).isEmpty();
    assertThat(keys.deleteVirtualKey(k.info().id())).isFalse();
  }

  @Test
  void listKeys_hintShowsThePrefixAndAVirtualKeysLastFourOnly() {
    var keys = new KeyService(store.keys(), null, Clock.systemUTC());
    keys.ensureMasterKey().orElseThrow();
    String virtual = keys.createVirtualKey("ci");

    assertThat(keys.listKeys()).extracting(KeyInfo::hint).containsExactly(
        "sk-keel-...", "sk-keel-..." + virtual.substring(virtual.length() - 4));
  }

  /** A row as versions before hashed lookups wrote it: the key's first characters in clear. */
  private String insertLegacy(String kind, String key, String publicKey) {
    String id = UUID.randomUUID().toString();
    String salt = KeyFormat.newSalt();
    store.keys().insert(new ApiKeyRecord(id, kind, KeyService.DEFAULT_PROJECT,
        KeyFormat.legacyLookup(key), salt, KeyFormat.hash(salt, key), publicKey, kind,
        Instant.now(), null, null, null));
    return id;
  }

  /** Every non-null value of every api_keys row, read straight from the SQLite file. */
  private List<String> storedColumns() throws SQLException {
    var out = new ArrayList<String>();
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("keel.db"));
        var rs = c.createStatement().executeQuery("SELECT * FROM api_keys")) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        for (int i = 1; i <= columns; i++) {
          String v = rs.getString(i);
          if (v != null) {
            out.add(v);
          }
        }
      }
    }
    assertThat(out).isNotEmpty();
    return out;
  }

  private static String basic(String pk, String sk) {
    return "Basic " + Base64.getEncoder().encodeToString((pk + ":" + sk)
        .getBytes(StandardCharsets.UTF_8));
  }
}
