package dev.keel.gateway.auth;

/**
 * A key just made or rotated: the only time its secret is available.
 *
 * @param key the secret, to show once
 */
public record CreatedKey(String key, KeyInfo info) {

  @Override
  public String toString() {
    return "CreatedKey[key=***, info=" + info + "]";
  }
}
