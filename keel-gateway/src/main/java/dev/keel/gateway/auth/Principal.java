package dev.keel.gateway.auth;

/**
 * Who is calling.
 *
 * @param kind how the caller proved itself
 * @param projectId the project the caller acts in
 * @param keyId the stored key's id (null for a master key given in the environment)
 */
public record Principal(Kind kind, String projectId, String keyId) {

  /** The credential kinds of CONTRACTS.md's access matrix. */
  public enum Kind {
    MASTER, VIRTUAL, PROJECT_PAIR, PUBLIC_KEY_ONLY
  }
}
