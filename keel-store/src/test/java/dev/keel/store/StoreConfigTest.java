package dev.keel.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreConfigTest {

  @TempDir
  Path dir;

  @Test
  void sqlite_missingFolder_createdAndFileNamedKeelDb() {
    Path data = dir.resolve("a/b");

    StoreConfig c = StoreConfig.sqlite(data);

    assertThat(Files.isDirectory(data)).isTrue();
    assertThat(c.jdbcUrl()).startsWith("jdbc:sqlite:").endsWith("keel.db");
    assertThat(c.maxPoolSize()).isEqualTo(StoreConfig.SQLITE_POOL_SIZE);
  }

  @Test
  void postgres_userInfoUrl_splitIntoJdbcUserAndPassword() {
    StoreConfig c = StoreConfig.postgres("postgres://keel:s%40cret@db.local:6543/keel?ssl=true");

    assertThat(c.jdbcUrl())
        .isEqualTo("jdbc:postgresql://db.local:6543/keel?ssl=true&reWriteBatchedInserts=true");
    assertThat(c.user()).isEqualTo("keel");
    assertThat(c.password()).isEqualTo("s@cret");
  }

  @Test
  void postgres_postgresqlSchemeWithoutPort_accepted() {
    StoreConfig c = StoreConfig.postgres("postgresql://u@h/db");

    assertThat(c.jdbcUrl()).isEqualTo("jdbc:postgresql://h/db?reWriteBatchedInserts=true");
    assertThat(c.user()).isEqualTo("u");
    assertThat(c.password()).isNull();
  }

  @Test
  void postgres_jdbcUrl_keptWithBatchRewriteAdded() {
    StoreConfig c = StoreConfig.postgres("jdbc:postgresql://h:5432/db?user=a&password=b");

    assertThat(c.jdbcUrl()).endsWith("&reWriteBatchedInserts=true");
    assertThat(c.toString()).doesNotContain("password=b").contains("password=***");
  }

  @Test
  void toString_password_neverShown() {
    StoreConfig c = StoreConfig.postgres("postgres://keel:topsecret@h:1/db");

    assertThat(c.toString()).doesNotContain("topsecret");
  }

  @Test
  void new_otherDatabase_rejectedWithUrlRedacted() {
    assertThatThrownBy(() -> StoreConfig.postgres("mysql://u:pw@h/db"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mysql://u:***@h/db");
    assertThatThrownBy(() -> new StoreConfig("jdbc:sqlite:x", null, null, 0))
        .hasMessage("maxPoolSize must be positive: 0");
  }
}
