package dev.keel.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The behaviour every UI account store must have; each dialect's IT extends it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class UserStoreContract {

  private static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");

  private Store store;

  /** Opens a fresh, empty store for this test class. */
  protected abstract Store openStore() throws Exception;

  /** Removes what {@link #openStore()} created. */
  protected abstract void dropStore() throws Exception;

  @BeforeAll
  void open() throws Exception {
    store = openStore();
  }

  @AfterAll
  void close() throws Exception {
    store.close();
    dropStore();
  }

  @Test
  void insert_newName_isFoundWithItsRoleAndHash() {
    boolean added = store.users().insert(new UserRecord("ann", "member", "h$1", T0));

    assertThat(added).isTrue();
    assertThat(store.users().find("ann")).hasValue(new UserRecord("ann", "member", "h$1", T0));
  }

  @Test
  void insert_takenName_isRefusedAndKeepsTheFirst() {
    store.users().insert(new UserRecord("bo", "viewer", "first", T0));

    boolean again = store.users().insert(new UserRecord("bo", "admin", "second", T0));

    assertThat(again).isFalse();
    assertThat(store.users().find("bo").orElseThrow().role()).isEqualTo("viewer");
  }

  @Test
  void delete_existing_removesItOnce() {
    store.users().insert(new UserRecord("cy", "viewer", "h", T0));

    assertThat(store.users().delete("cy")).isTrue();
    assertThat(store.users().delete("cy")).isFalse();
    assertThat(store.users().find("cy")).isEmpty();
    assertThat(store.users().list()).extracting(UserRecord::username).doesNotContain("cy");
  }
}
