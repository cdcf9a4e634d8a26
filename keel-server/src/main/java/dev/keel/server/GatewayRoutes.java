package dev.keel.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.gateway.Gateway;
import dev.keel.gateway.RequestMeta;
import dev.keel.gateway.ResponseChannel;
import dev.keel.gateway.auth.KeyService;
import dev.keel.gateway.auth.Principal;
import dev.keel.gateway.trace.CallRecorder;
import dev.keel.providers.WireFormat;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The OpenAI- and Anthropic-compatible routes under {@code /v1}. Parses and authenticates, then
 * hands the call to the {@link Gateway}; renders errors in the caller's API shape.
 */
final class GatewayRoutes {

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(GatewayRoutes.class);
  static final String MODEL_ATTRIBUTE = "keel.model";
  static final String TRACE_ATTRIBUTE = "keel.trace-id";
  /** Same rule as ingestion ({@code Fields.id}): 1 to 800 characters, here printable ASCII. */
  private static final Pattern TRACE_ID = Pattern.compile("[\\x20-\\x7e]{1,"
      + dev.keel.tracing.ingest.Fields.MAX_ID_LENGTH + "}");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Gateway gateway;
  private final KeyService keys;
  private final long maxBodyBytes;

  GatewayRoutes(Gateway gateway, KeyService keys, long maxBodyBytes) {
    this.gateway = gateway;
    this.keys = keys;
    this.maxBodyBytes = maxBodyBytes;
  }

  void register(HttpRouting.Builder r) {
    r.post("/v1/chat/completions", (req, res) -> handle(req, res, HttpErrors.Shape.OPENAI,
        () -> gateway.chat(WireFormat.OPENAI, RequestBodies.object(
            RequestBodies.read(req, maxBodyBytes)), meta(req), channel(res))));
    r.post("/v1/messages", (req, res) -> handle(req, res, HttpErrors.Shape.ANTHROPIC,
        () -> gateway.chat(WireFormat.ANTHROPIC, RequestBodies.object(
            RequestBodies.read(req, maxBodyBytes)), meta(req), channel(res))));
    r.post("/v1/embeddings", (req, res) -> handle(req, res, HttpErrors.Shape.OPENAI,
        () -> gateway.embeddings(RequestBodies.object(RequestBodies.read(req, maxBodyBytes)),
            meta(req), channel(res))));
    r.get("/v1/models", (req, res) -> {
      boolean anthropic = anthropicClient(req);
      handle(req, res, shape(anthropic), () -> {
        Principal p = authenticate(req);
        res.header("content-type", "application/json");
        res.send(JSON.writeValueAsBytes(anthropic ? gateway.anthropicModels(p,
            limit(req), query(req, "after_id"), query(req, "before_id")) : gateway.models(p)));
        return null;
      });
    });
    r.get("/v1/models/{id}", (req, res) -> {
      boolean anthropic = anthropicClient(req);
      handle(req, res, shape(anthropic), () -> {
        Principal p = authenticate(req);
        res.header("content-type", "application/json");
        res.send(JSON.writeValueAsBytes(gateway.model(p,
            req.path().pathParameters().get("id"), anthropic)));
        return null;
      });
    });
  }

  /**
   * An Anthropic SDK sends {@code anthropic-version} and authenticates with {@code x-api-key};
   * either one makes the models routes answer in Anthropic's shape.
   */
  private static boolean anthropicClient(ServerRequest req) {
    return req.headers().contains(HeaderNames.create("anthropic-version"))
        || req.headers().contains(HeaderNames.create("x-api-key"));
  }

  private static HttpErrors.Shape shape(boolean anthropic) {
    return anthropic ? HttpErrors.Shape.ANTHROPIC : HttpErrors.Shape.OPENAI;
  }

  private static String query(ServerRequest req, String name) {
    return req.query().first(name).map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
  }

  private static Integer limit(ServerRequest req) {
    String v = query(req, "limit");
    if (v == null) {
      return null;
    }
    try {
      return Integer.valueOf(v);
    } catch (NumberFormatException e) {
      throw new KeelException(ErrorCode.INVALID_REQUEST, "limit must be an integer between 1 "
          + "and 1000, got: " + v, "limit", null);
    }
  }

  private interface Call {
    String run() throws IOException;
  }

  private void handle(ServerRequest req, ServerResponse res, HttpErrors.Shape shape, Call call) {
    try {
      String model = call.run();
      if (model != null) {
        req.context().register(MODEL_ATTRIBUTE, model);
      }
    } catch (KeelException e) {
      // A failed call still has a trace (its attempts at level ERROR): say which.
      req.context().get(TRACE_ATTRIBUTE, String.class)
          .ifPresent(id -> res.header("x-keel-trace-id", id));
      sendError(res, HttpErrors.render(shape, e));
    } catch (IOException e) {
      // The client went away mid-answer; the gateway has recorded the trace.
    } catch (RuntimeException e) {
      LOG.error("unexpected failure on {}: {}", req.path().path(), e.toString(), e);
      sendError(res, HttpErrors.render(shape, ErrorCode.INTERNAL,
          "internal error in Keel; the server log has the details", null));
    }
  }

  static void sendError(ServerResponse res, HttpErrors.Rendered err) {
    if (res.isSent()) {
      return;
    }
    res.status(Status.create(err.status()));
    res.header("content-type", "application/json");
    if (err.retryAfterSeconds() != null) {
      res.header("retry-after", String.valueOf(err.retryAfterSeconds()));
    }
    err.headers().forEach(res::header);
    res.send(err.body());
  }

  private Principal authenticate(ServerRequest req) {
    Optional<String> apiKey = req.headers().first(HeaderNames.create("x-api-key"));
    Optional<String> auth = req.headers().first(HeaderNames.AUTHORIZATION);
    if (apiKey.isEmpty() && auth.isEmpty()) {
      throw new KeelException(ErrorCode.UNAUTHORIZED, "missing API key: send it as "
          + "'Authorization: Bearer <key>' or 'x-api-key: <key>'");
    }
    Optional<Principal> p = apiKey.isPresent() ? keys.authenticateKey(apiKey.get().strip())
        : keys.authenticateHeader(auth.get());
    if (p.isEmpty()) {
      String token = apiKey.isPresent() ? apiKey.get().strip() : bearerToken(auth.get());
      throw new KeelException(ErrorCode.UNAUTHORIZED, keys.refusal(token)
          .map(why -> "API key " + why).orElse("invalid API key"));
    }
    Principal.Kind kind = p.get().kind();
    if (kind != Principal.Kind.MASTER && kind != Principal.Kind.VIRTUAL) {
      throw new KeelException(ErrorCode.FORBIDDEN, "project keys cannot call the gateway; use "
          + "the master key or a virtual key");
    }
    return p.get();
  }

  private static String bearerToken(String authorization) {
    String v = authorization.strip();
    return v.regionMatches(true, 0, "Bearer ", 0, 7) ? v.substring(7).strip() : null;
  }

  private RequestMeta meta(ServerRequest req) {
    Principal p = authenticate(req);
    String traceId = header(req, "x-keel-trace-id");
    if (traceId == null) {
      traceId = CallRecorder.newTraceId();
    } else if (!TRACE_ID.matcher(traceId).matches()) {
      throw new KeelException(ErrorCode.INVALID_REQUEST, "x-keel-trace-id must be 1 to "
          + dev.keel.tracing.ingest.Fields.MAX_ID_LENGTH + " characters, got "
          + traceId.length() + ": " + shorten(traceId), "x-keel-trace-id", null);
    }
    req.context().register(TRACE_ATTRIBUTE, traceId);
    String tagsHeader = header(req, "x-keel-tags");
    List<String> tags = tagsHeader == null ? List.of()
        : Arrays.stream(tagsHeader.split(",")).map(t -> percentDecoded(t.strip()))
            .filter(s -> !s.isEmpty()).distinct().toList();
    return new RequestMeta(p, traceId, text(req, "x-keel-trace-name"),
        text(req, "x-keel-user-id"), text(req, "x-keel-session-id"), tags,
        metadataHeader(req), promptHeaders(req),
        RequestMeta.CachePolicy.of(header(req, "cache-control")), parentObservation(req));
  }

  /** {@code x-keel-prompt} with {@code x-keel-prompt-label} or {@code -version}, or null. */
  private static RequestMeta.PromptRef promptHeaders(ServerRequest req) {
    String name = header(req, "x-keel-prompt");
    String label = header(req, "x-keel-prompt-label");
    String version = header(req, "x-keel-prompt-version");
    if (name == null) {
      if (label != null || version != null) {
        throw new KeelException(ErrorCode.INVALID_REQUEST, "x-keel-prompt-label and "
            + "x-keel-prompt-version need x-keel-prompt (the prompt's name)", "x-keel-prompt",
            null);
      }
      return null;
    }
    Integer v = null;
    if (version != null) {
      try {
        v = Integer.parseInt(version);
      } catch (NumberFormatException e) {
        v = -1;
      }
      if (v <= 0) {
        throw new KeelException(ErrorCode.INVALID_REQUEST, "x-keel-prompt-version must be a "
            + "positive integer, got: " + version, "x-keel-prompt-version", null);
      }
    }
    return new RequestMeta.PromptRef(name, label, v);
  }

  private static String parentObservation(ServerRequest req) {
    String v = header(req, "x-keel-parent-observation-id");
    if (v != null && !TRACE_ID.matcher(v).matches()) {
      throw new KeelException(ErrorCode.INVALID_REQUEST, "x-keel-parent-observation-id must be "
          + "1 to " + dev.keel.tracing.ingest.Fields.MAX_ID_LENGTH + " characters, got "
          + v.length() + ": " + shorten(v), "x-keel-parent-observation-id", null);
    }
    if (v != null && header(req, "x-keel-trace-id") == null) {
      throw new KeelException(ErrorCode.INVALID_REQUEST, "x-keel-parent-observation-id needs "
          + "x-keel-trace-id (the trace the observation belongs to)",
          "x-keel-parent-observation-id", null);
    }
    return v;
  }

  private static String metadataHeader(ServerRequest req) {
    String v = header(req, "x-keel-metadata");
    if (v == null) {
      return null;
    }
    try {
      JsonNode n = JSON.readTree(v);
      if (n != null && n.isObject()) {
        return n.toString();
      }
    } catch (IOException e) {
      // reported below
    }
    throw new KeelException(ErrorCode.INVALID_REQUEST, "x-keel-metadata must be a JSON object",
        "x-keel-metadata", null);
  }

  /**
   * A header's value, stripped, or null. Helidon reads header bytes as US-ASCII and replaces
   * every other byte, so a raw UTF-8 value cannot be recovered: it is refused with a 400 naming
   * the header (send it percent-encoded, see {@link #percentDecoded}).
   */
  private static String header(ServerRequest req, String name) {
    String v = req.headers().first(HeaderNames.create(name)).map(String::strip)
        .filter(s -> !s.isEmpty()).orElse(null);
    if (v != null) {
      for (int i = 0; i < v.length(); i++) {
        if (v.charAt(i) > 0x7e) {
          throw new KeelException(ErrorCode.INVALID_REQUEST, name + " holds non-ASCII bytes, "
              + "which HTTP headers cannot carry intact; send the value percent-encoded as "
              + "UTF-8 (RFC 3986), e.g. j%C3%B6rg for j\u00f6rg", name, null);
        }
      }
    }
    return v;
  }

  /** A free-text header (trace name, user id, session id): percent-decoded. */
  private static String text(ServerRequest req, String name) {
    String v = header(req, name);
    return v == null ? null : percentDecoded(v);
  }

  /**
   * Decodes RFC 3986 percent-encoding ({@code %C3%B6} is "\u00f6") when every {@code %} starts
   * a two-digit hex escape and the bytes are valid UTF-8; anything else ("100%") is kept as sent.
   */
  static String percentDecoded(String v) {
    if (v.indexOf('%') < 0) {
      return v;
    }
    byte[] out = new byte[v.length()];
    int n = 0;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '%') {
        if (i + 2 >= v.length()) {
          return v;
        }
        int hi = Character.digit(v.charAt(i + 1), 16);
        int lo = Character.digit(v.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return v;
        }
        out[n++] = (byte) (hi * 16 + lo);
        i += 2;
      } else {
        out[n++] = (byte) c;
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(out, 0, n)).toString();
    } catch (CharacterCodingException notUtf8) {
      return v;
    }
  }

  private static String shorten(String v) {
    return v.length() <= 60 ? v : v.substring(0, 60) + "...";
  }

  private static ResponseChannel channel(ServerResponse res) {
    return new ResponseChannel() {
      @Override
      public void sendJson(int status, Map<String, String> headers, byte[] body) {
        res.status(Status.create(status));
        headers.forEach(res::header);
        res.header("content-type", "application/json");
        res.send(body);
      }

      @Override
      public OutputStream startStream(Map<String, String> headers) {
        res.status(Status.OK_200);
        headers.forEach(res::header);
        res.header("content-type", "text/event-stream; charset=utf-8");
        res.header("cache-control", "no-cache");
        return res.outputStream();
      }

      @Override
      public void errorHeader(String name, String value) {
        res.header(name, value);
      }
    };
  }
}
