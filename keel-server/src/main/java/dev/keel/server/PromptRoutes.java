package dev.keel.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.trace.QueryTime;
import dev.keel.gateway.auth.Principal;
import dev.keel.prompts.PromptException;
import dev.keel.prompts.PromptRules;
import dev.keel.prompts.PromptService;
import dev.keel.prompts.PromptVersion;
import dev.keel.store.PromptListQuery;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prompts over HTTP: Langfuse's {@code /api/public/v2/prompts} (master key or project pair)
 * and Keel's {@code /api/keel/prompts/{name}/...} for versions, diff, promote and rollback
 * (master key). Names may hold folders, sent URL-encoded or not, so the name is read from the
 * raw path here rather than matched as one path segment.
 */
final class PromptRoutes {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(
      PromptRoutes.class);
  private static final String PUBLIC = "/api/public/v2/prompts";
  private static final String KEEL = "/api/keel/prompts";
  private static final Pattern VERSION_PATH = Pattern.compile("(.+)/versions/([^/]+)");
  private static final Pattern KEEL_PATH = Pattern.compile(
      "(.+)/(versions|diff|promote|rollback)");
  private static final int DEFAULT_LIMIT = 50;
  private static final int MAX_LIMIT = 100;

  private final PromptService prompts;
  private final ServerContext ctx;

  PromptRoutes(ServerContext ctx) {
    this.ctx = ctx;
    this.prompts = new PromptService(ctx.store().prompts(), ctx.clock());
  }

  void register(HttpRouting.Builder r) {
    r.get(PUBLIC, (req, res) -> handle(req, res, false, p -> ok(list(p, query(req)))));
    r.post(PUBLIC, (req, res) -> handle(req, res, false, p -> {
      var v = prompts.create(p.projectId(), PromptJson.newVersion(body(req)));
      return new Answer(Status.CREATED_201, render(p, v));
    }));
    r.get(PUBLIC + "/*", (req, res) -> handle(req, res, false, p -> {
      Map<String, List<String>> q = query(req);
      Integer version = q.containsKey("version") ? positive(one(q, "version"), "version")
          : null;
      return ok(render(p, prompts.require(p.projectId(), name(rest(req, PUBLIC)),
          one(q, "label"), version)));
    }));
    r.patch(PUBLIC + "/*", (req, res) -> handle(req, res, false, p -> {
      Matcher m = match(VERSION_PATH, rest(req, PUBLIC), "/{name}/versions/{version}");
      List<String> labels = PromptJson.strings(body(req), "newLabels");
      return ok(render(p, prompts.setLabels(p.projectId(), name(m.group(1)),
          positive(m.group(2), "version"), labels == null ? List.of() : labels)));
    }));
    r.get(KEEL + "/*", (req, res) -> handle(req, res, true, p -> keelGet(req, p)));
    r.post(KEEL + "/*", (req, res) -> handle(req, res, true, p -> keelPost(req, p)));
  }

  private Answer keelGet(ServerRequest req, Principal p) {
    Matcher m = match(KEEL_PATH, rest(req, KEEL), "/{name}/versions or /{name}/diff");
    String name = name(m.group(1));
    if (m.group(2).equals("versions")) {
      List<PromptVersion> all = prompts.versions(p.projectId(), name);
      if (all.isEmpty()) {
        throw PromptException.notFound("Prompt not found: '" + name + "'");
      }
      List<String> tags = prompts.tags(p.projectId(), name);
      ObjectNode root = PromptJson.JSON.createObjectNode();
      all.forEach(v -> root.withArray("data").add(PromptJson.prompt(p.projectId(), v, tags)));
      return ok(root);
    }
    if (!m.group(2).equals("diff")) {
      throw new KeelException(ErrorCode.NOT_FOUND, "use POST for " + m.group(2));
    }
    Map<String, List<String>> q = query(req);
    return ok(PromptJson.diff(prompts.diff(p.projectId(), name,
        positive(required(q, "from"), "from"), positive(required(q, "to"), "to"))));
  }

  private Answer keelPost(ServerRequest req, Principal p) {
    Matcher m = match(KEEL_PATH, rest(req, KEEL), "/{name}/promote or /{name}/rollback");
    String name = name(m.group(1));
    ObjectNode body = body(req);
    String label = PromptJson.text(body, "label", false);
    return switch (m.group(2)) {
      case "promote" -> {
        JsonNode version = body.get("version");
        if (version == null || !version.canConvertToInt() || version.asInt() < 1) {
          throw PromptException.invalid("version must be a positive integer: " + version,
              "version");
        }
        yield ok(render(p, prompts.promote(p.projectId(), name, version.asInt(), label)));
      }
      case "rollback" -> ok(render(p, prompts.rollback(p.projectId(), name, label)));
      default -> throw new KeelException(ErrorCode.NOT_FOUND, "use GET for " + m.group(2));
    };
  }

  private ObjectNode list(Principal p, Map<String, List<String>> q) {
    int page = q.containsKey("page") ? positive(one(q, "page"), "page") : 1;
    int limit = q.containsKey("limit") ? positive(one(q, "limit"), "limit") : DEFAULT_LIMIT;
    if (limit > MAX_LIMIT) {
      throw PromptException.invalid("limit must be at most " + MAX_LIMIT + ": " + limit,
          "limit");
    }
    String label = one(q, "label");
    try {
      QueryTime.ordered("fromUpdatedAt", instant(q, "fromUpdatedAt"), "toUpdatedAt",
          instant(q, "toUpdatedAt"));
    } catch (IllegalArgumentException e) {
      throw PromptException.invalid(e.getMessage(), "fromUpdatedAt");
    }
    return PromptJson.list(prompts.list(new PromptListQuery(p.projectId(), one(q, "name"),
        label == null ? null : PromptRules.checkLabel(label), one(q, "tag"),
        instant(q, "fromUpdatedAt"), instant(q, "toUpdatedAt"), page, limit)));
  }

  private ObjectNode render(Principal p, PromptVersion v) {
    return PromptJson.prompt(p.projectId(), v, prompts.tags(p.projectId(), v.name()));
  }

  private ObjectNode body(ServerRequest req) {
    return RequestBodies.object(RequestBodies.read(req, ctx.config().limits().maxBodyBytes()));
  }

  private void handle(ServerRequest req, ServerResponse res, boolean masterOnly, Handler h) {
    try {
      Answer a = h.handle(authenticate(req, masterOnly));
      res.status(a.status());
      res.header("content-type", "application/json");
      res.send(PromptJson.JSON.writeValueAsBytes(a.body()));
    } catch (KeelException e) {
      GatewayRoutes.sendError(res, HttpErrors.render(HttpErrors.Shape.LANGFUSE, e));
    } catch (IllegalArgumentException e) {
      GatewayRoutes.sendError(res, HttpErrors.render(HttpErrors.Shape.LANGFUSE,
          ErrorCode.INVALID_REQUEST, e.getMessage(), null));
    } catch (IOException | RuntimeException e) {
      LOG.error("unexpected failure on {} {}: {}", req.prologue().method().text(),
          req.path().path(), e.toString(), e);
      GatewayRoutes.sendError(res, HttpErrors.render(HttpErrors.Shape.LANGFUSE,
          ErrorCode.INTERNAL, "internal error in Keel; the server log has the details", null));
    }
  }

  private Principal authenticate(ServerRequest req, boolean masterOnly) {
    Optional<String> auth = req.headers().first(HeaderNames.AUTHORIZATION);
    if (auth.isEmpty()) {
      throw new KeelException(ErrorCode.UNAUTHORIZED, "missing credentials: send Basic auth "
          + "with the project's public and secret key, or 'Authorization: Bearer <master key>'");
    }
    Principal p = ctx.keys().authenticateHeader(auth.get()).orElseThrow(
        () -> new KeelException(ErrorCode.UNAUTHORIZED, "invalid credentials"));
    if (p.kind() == Principal.Kind.MASTER) {
      return p;
    }
    if (masterOnly || p.kind() != Principal.Kind.PROJECT_PAIR) {
      throw new KeelException(ErrorCode.FORBIDDEN, masterOnly
          ? "/api/keel needs the master key"
          : "this key may not use the prompts API; use Basic auth with the project's public"
              + " and secret key, or the master key");
    }
    return p;
  }

  /** The raw path after {@code prefix/}, still URL-encoded. */
  private static String rest(ServerRequest req, String prefix) {
    String raw = req.path().rawPathNoParams();
    return raw.length() > prefix.length() + 1 ? raw.substring(prefix.length() + 1) : "";
  }

  private static String name(String encoded) {
    // A path keeps '+' literal; URLDecoder would turn it into a space.
    return PromptRules.checkName(URLDecoder.decode(encoded.replace("+", "%2B"),
        StandardCharsets.UTF_8));
  }

  private static Matcher match(Pattern p, String rest, String shape) {
    Matcher m = p.matcher(rest);
    if (!m.matches()) {
      throw new KeelException(ErrorCode.NOT_FOUND, "no such prompt route; expected " + shape);
    }
    return m;
  }

  private static Map<String, List<String>> query(ServerRequest req) {
    return req.query().toMap();
  }

  private static String one(Map<String, List<String>> q, String name) {
    List<String> values = q.get(name);
    return values == null || values.isEmpty() || values.get(0).isEmpty() ? null
        : values.get(0);
  }

  private static String required(Map<String, List<String>> q, String name) {
    String v = one(q, name);
    if (v == null) {
      throw PromptException.invalid(name + " is required", name);
    }
    return v;
  }

  private static int positive(String value, String field) {
    try {
      int n = Integer.parseInt(value);
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below with the value
    }
    throw PromptException.invalid(field + " must be a positive integer: " + value, field);
  }

  private static Instant instant(Map<String, List<String>> q, String field) {
    try {
      return QueryTime.parse(field, one(q, field));
    } catch (IllegalArgumentException e) {
      throw PromptException.invalid(e.getMessage(), field);
    }
  }

  private static Answer ok(ObjectNode body) {
    return new Answer(Status.OK_200, body);
  }

  private interface Handler {
    Answer handle(Principal p) throws IOException;
  }

  private record Answer(Status status, ObjectNode body) {}
}
