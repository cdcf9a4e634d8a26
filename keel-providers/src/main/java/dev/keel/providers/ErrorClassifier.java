package dev.keel.providers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.providers.UpstreamException.Kind;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.socket.SocketWriterException;
import io.helidon.http.RequestException;
import io.helidon.webclient.api.RuntimeUnknownHostException;
import java.io.EOFException;
import java.io.InterruptedIOException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/** The one place where upstream statuses and error bodies become {@link Kind}s. */
final class ErrorClassifier {

  static final int MAX_BODY_CHARS = 1024;

  // The providers' own codes and types say what happened, so they are read first: OpenAI's
  // error.code (Azure's content_filter too) and, for servers that put it there, error.type.
  private static final List<String> CONTEXT_CODES = List.of("context_length_exceeded");
  private static final List<String> POLICY_CODES =
      List.of("content_policy_violation", "content_filter");
  // Phrases, read only in the provider's error message and only as words: an identifier such
  // as content_policy may appear in a message that lists allowed values, which is no refusal.
  private static final List<String> CONTEXT_PHRASES = List.of("prompt is too long",
      "maximum context length", "context window", "context length", "exceed context limit",
      "too many tokens");
  private static final List<String> POLICY_PHRASES = List.of("content policy",
      "content filter", "content management policy", "safety system", "usage policies");

  /** {@code java.net.SocketException: } and the like, as they prefix wrapped messages. */
  private static final Pattern CLASS_NAME =
      Pattern.compile("(?:[a-z][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error)(?::\\s*|\\b)");

  private ErrorClassifier() {
  }

  /** The exception for a non-2xx answer. */
  static UpstreamException ofStatus(Endpoint e, int status, Map<String, List<String>> headers,
      byte[] body) {
    String text = redact(new String(body, StandardCharsets.UTF_8), e.apiKey());
    Kind kind = kind(status, text);
    String detail = upstreamMessage(text);
    String message = e.provider() + " returned HTTP " + status + " ("
        + kind.name().toLowerCase(Locale.ROOT).replace('_', ' ') + ")"
        + (detail == null || kind == Kind.AUTH ? "" : ": " + truncate(detail, 300));
    Duration retryAfter = status == 429 || status == 503 ? retryAfter(headers) : null;
    return new UpstreamException(kind, e.provider(), status, retryAfter,
        truncate(text, MAX_BODY_CHARS), message, null);
  }

  /** The exception for an error event inside a 2xx stream. */
  static UpstreamException ofStreamError(Endpoint e, String data) {
    String text = redact(data, e.apiKey());
    String type = String.valueOf(Json.text(errorNode(text), "type"));
    Kind kind = switch (type) {
      case "rate_limit_error" -> Kind.RATE_LIMIT;
      case "invalid_request_error" -> kind(400, text);
      case "authentication_error", "permission_error" -> Kind.AUTH;
      default -> Kind.SERVER_ERROR; // overloaded_error, api_error, unknown
    };
    String detail = upstreamMessage(text);
    String message = e.provider() + " reported an error mid-stream ("
        + kind.name().toLowerCase(Locale.ROOT).replace('_', ' ') + ")"
        + (detail == null ? "" : ": " + truncate(detail, 300));
    return new UpstreamException(kind, e.provider(), 200, null, truncate(text, MAX_BODY_CHARS),
        message, null);
  }

  static Kind kind(int status, String body) {
    if (status == 429) {
      return Kind.RATE_LIMIT;
    }
    if (status >= 500) {
      return Kind.SERVER_ERROR;
    }
    if (status == 401 || status == 403) {
      return Kind.AUTH;
    }
    if (status == 404) {
      return Kind.NOT_FOUND;
    }
    if (status == 408) {
      return Kind.TIMEOUT;
    }
    if (status == 400 || status == 413 || status == 422) {
      Kind refusal = refusalKind(body);
      if (refusal != null) {
        return refusal;
      }
    }
    // 1xx and 3xx are not answers a JSON API gives; redirects are not followed on purpose.
    return status >= 400 ? Kind.BAD_REQUEST : Kind.MALFORMED_RESPONSE;
  }

  /**
   * The wait from {@code retry-after-ms} (OpenAI), else {@code retry-after} in seconds or as
   * an HTTP date; null when absent or unreadable.
   */
  static Duration retryAfter(Map<String, List<String>> headers) {
    String ms = Headers.first(headers, "retry-after-ms");
    String s = Headers.first(headers, "retry-after");
    try {
      if (ms != null) {
        return Duration.ofMillis(Math.round(Double.parseDouble(ms.strip())));
      }
      if (s != null) {
        return Duration.ofMillis(Math.round(Double.parseDouble(s.strip()) * 1000));
      }
    } catch (NumberFormatException notANumber) {
      return dateRetryAfter(s);
    }
    return null;
  }

  /**
   * What a transport failure means, in words: the first cause in the chain that Keel recognises
   * (the upstream closed or reset the connection, a host name that does not resolve, a TLS
   * failure, an answer that is not HTTP...), else the deepest message with any class names taken
   * out. Never a bare class name: the text reaches clients.
   */
  static String describe(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      String words = words(c);
      if (words != null) {
        return words;
      }
    }
    String message = null;
    for (Throwable c = t; c != null; c = c.getCause()) {
      String m = c.getMessage() == null ? "" : CLASS_NAME.matcher(c.getMessage()).replaceAll("");
      if (!m.isBlank()) {
        message = m.strip();
      }
    }
    return message == null ? "the connection failed and gave no reason" : message;
  }

  private static String words(Throwable c) {
    String m = c.getMessage() == null ? "" : c.getMessage().toLowerCase(Locale.ROOT);
    if (c instanceof DataReader.InsufficientDataAvailableException || c instanceof EOFException) {
      return "the upstream closed the connection before sending a complete answer";
    }
    if (c instanceof UnknownHostException || c instanceof RuntimeUnknownHostException) {
      String host = CLASS_NAME.matcher(m.isBlank() ? "" : c.getMessage()).replaceAll("").strip();
      return "the host name did not resolve" + (host.isEmpty() ? "" : " (" + host + ")");
    }
    if (c instanceof NoRouteToHostException) {
      return "no network route to the host";
    }
    if (c instanceof PortUnreachableException) {
      return "the port is unreachable";
    }
    if (c instanceof SSLHandshakeException) {
      return "the TLS handshake failed (is the base URL's scheme right, and is the server's "
          + "certificate trusted?)";
    }
    if (c instanceof SSLException) {
      return "the TLS connection failed";
    }
    if (c instanceof SocketException && m.contains("reset")) {
      return "the upstream reset the connection";
    }
    if (c instanceof SocketException && m.contains("broken pipe")
        || c instanceof SocketWriterException
        // Helidon's own class for this is not public.
        || c.getClass().getSimpleName().equals("OutputStreamInterruptedException")) {
      return "the connection broke while Keel was sending the request";
    }
    if (c instanceof ClosedChannelException
        || c instanceof SocketException && m.contains("closed")) {
      return "the connection was closed";
    }
    if (c instanceof DataReader.IncorrectNewLineException || c instanceof RequestException) {
      return "the upstream's answer was not valid HTTP";
    }
    if (c instanceof InterruptedException || c instanceof InterruptedIOException
        && !(c instanceof java.net.SocketTimeoutException)) {
      return "the call was interrupted";
    }
    return null;
  }

  static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "...";
  }

  static String redact(String s, String apiKey) {
    return apiKey == null || apiKey.isEmpty() ? s : s.replace(apiKey, "[redacted]");
  }

  private static Duration dateRetryAfter(String s) {
    if (s == null) {
      return null;
    }
    try {
      var at = ZonedDateTime.parse(s.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
      Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
      return d.isNegative() ? Duration.ZERO : d;
    } catch (RuntimeException unreadable) {
      return null;
    }
  }

  /** A context-window or content-policy refusal told by the error's codes, else its message. */
  private static Kind refusalKind(String body) {
    JsonNode error = errorNode(body);
    for (String field : List.of("code", "type")) {
      String code = error == null ? null : Json.text(error, field);
      if (code == null) {
        continue;
      }
      if (CONTEXT_CODES.contains(code)) {
        return Kind.CONTEXT_WINDOW;
      }
      if (POLICY_CODES.contains(code)) {
        return Kind.CONTENT_POLICY;
      }
    }
    // A body that is not JSON (a proxy's text answer) is all message.
    String message = parse(body) == null ? body : upstreamMessage(body);
    if (message == null) {
      return null;
    }
    String lower = message.toLowerCase(Locale.ROOT);
    if (CONTEXT_PHRASES.stream().anyMatch(lower::contains)) {
      return Kind.CONTEXT_WINDOW;
    }
    return POLICY_PHRASES.stream().anyMatch(lower::contains) ? Kind.CONTENT_POLICY : null;
  }

  /**
   * The provider's error message: {@code error.message} (OpenAI, Anthropic), {@code error} as a
   * string (Ollama) or a top-level {@code message} (vLLM); null when there is none.
   */
  static String upstreamMessage(String body) {
    JsonNode root = parse(body);
    if (root == null) {
      return null;
    }
    JsonNode error = root.path("error");
    if (error.isTextual()) {
      return error.asText();
    }
    String message = Json.text(error, "message");
    return message != null ? message : Json.text(root, "message");
  }

  /** The {@code error} object of either provider's shape, or null. */
  private static JsonNode errorNode(String body) {
    JsonNode root = parse(body);
    return root == null || !root.path("error").isObject() ? null : root.get("error");
  }

  private static JsonNode parse(String body) {
    try {
      JsonNode n = Json.MAPPER.readTree(body);
      return n == null || n.isMissingNode() || !n.isContainerNode() ? null : n;
    } catch (com.fasterxml.jackson.core.JsonProcessingException notJson) {
      return null;
    }
  }
}
