package dev.keel.cli;

/**
 * Logging set-up for the command line: slf4j-simple writing one line per event to standard error,
 * INFO by default ({@code KEEL_LOG_LEVEL=debug} for the per-request access log). Helidon logs
 * through java.util.logging, which is bridged to the same place.
 */
final class Logging {

  private Logging() {}

  static void init() {
    String level = System.getenv().getOrDefault("KEEL_LOG_LEVEL", "info").toLowerCase();
    setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", level);
    setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
    setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
    setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
    setIfAbsent("org.slf4j.simpleLogger.log.io.helidon", "warn");
    setIfAbsent("org.slf4j.simpleLogger.log.com.zaxxer.hikari", "warn");
    setIfAbsent("org.slf4j.simpleLogger.log.org.flywaydb", "warn");
    java.util.logging.LogManager.getLogManager().reset();
    org.slf4j.bridge.SLF4JBridgeHandler.install();
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.INFO);
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
