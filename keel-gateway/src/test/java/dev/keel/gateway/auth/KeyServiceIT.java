package dev.keel.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.store.ApiKeyRecord;
import dev.keel.store.Store;
import dev.keel.store.StoreConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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

  private static String basic(String pk, String sk) {
    return "Basic " + Base64.getEncoder().encodeToString((pk + ":" + sk)
        .getBytes(StandardCharsets.UTF_8));
  }
}
