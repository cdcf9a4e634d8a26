package dev.keel.cli;

/**
 * Logging set-up for the command line: slf4j-simple writing one line per event to standard error,
 * INFO by default ({@code KEEL_LOG_LEVEL=debug} for the per-request access log). Helidon logs
 * through java.util.logging, which is bridged to the same place.
 */
final class Logging {

  private static final java.util.List<String> LEVELS =
      java.util.List.of("trace", "debug", "info", "warn", "error", "off");

  private Logging() {}

  static void init() {
    String raw = System.getenv("KEEL_LOG_LEVEL");
    String level = levelOf(raw);
    setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", level == null ? "info" : level);
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
    if (level == null) {
      org.slf4j.LoggerFactory.getLogger("keel").warn("{}", unknownLevelWarning(raw));
    }
  }

  /** The slf4j-simple level {@code raw} names, "info" when unset, null when it names none. */
  static String levelOf(String raw) {
    if (raw == null || raw.isBlank()) {
      return "info";
    }
    String level = raw.strip().toLowerCase(java.util.Locale.ROOT);
    return LEVELS.contains(level) ? level : null;
  }

  static String unknownLevelWarning(String raw) {
    return "KEEL_LOG_LEVEL='" + raw.strip() + "' is not a log level; using info (choose one of "
        + String.join(", ", LEVELS) + ")";
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
