package dev.keel.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.trace.Trace;
import dev.keel.gateway.auth.Principal;
import dev.keel.store.DatasetDraft;
import dev.keel.store.DatasetItemDraft;
import dev.keel.store.DatasetStore;
import dev.keel.store.TraceSummary;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Keel's dataset batch routes (master key): {@code POST /api/keel/datasets/{name}/items} with
 * {@code {items: [...], replace?: bool, description?}} applies many items as one version
 * (creating the dataset if needed; {@code replace} removes the items not given), and
 * {@code POST /api/keel/datasets/{name}/items-from-traces} with {@code {traceIds: [...]}} adds
 * each trace's input and output as an item's input and expected output.
 */
final class DatasetBatches {

  private static final String PREFIX = "/api/keel/datasets";
  private static final String ITEMS = "/items";
  private static final String FROM_TRACES = "/items-from-traces";

  private final ServerContext ctx;
  private final DatasetStore store;

  DatasetBatches(ServerContext ctx) {
    this.ctx = ctx;
    this.store = ctx.store().datasets();
  }

  void register(HttpRouting.Builder r) {
    r.post(PREFIX + "/*", (req, res) -> KeelApi.handle(req, res, ctx.keys(), p -> {
      String rest = DatasetRoutes.rest(req, PREFIX);
      if (rest.endsWith(FROM_TRACES) && rest.length() > FROM_TRACES.length()) {
        String name = DatasetRoutes.decode(rest.substring(0, rest.length() - FROM_TRACES.length()));
        return KeelApi.Answer.ok(fromTraces(req, p, name));
      }
      if (rest.endsWith(ITEMS) && rest.length() > ITEMS.length()) {
        String name = DatasetRoutes.decode(rest.substring(0, rest.length() - ITEMS.length()));
        return KeelApi.Answer.ok(items(req, p, name));
      }
      throw KeelApi.notFound("no such route; expected " + PREFIX + "/{name}/items or "
          + PREFIX + "/{name}/items-from-traces");
    }));
  }

  private ObjectNode items(ServerRequest req, Principal p, String path) {
    ObjectNode body = KeelApi.body(req, ctx.config().limits().maxBodyBytes());
    JsonNode items = body.get("items");
    if (items == null || !items.isArray()) {
      throw new IllegalArgumentException("items must be a list of items");
    }
    var drafts = new ArrayList<DatasetItemDraft>();
    for (int i = 0; i < items.size(); i++) {
      try {
        drafts.add(DatasetJson.item(items.get(i)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("items[" + i + "]: " + e.getMessage());
      }
    }
    String name = ensure(p, path, body);
    boolean replace = body.path("replace").asBoolean(false);
    return DatasetJson.change(store.apply(p.projectId(), name, drafts, replace,
        ctx.clock().instant()));
  }

  private ObjectNode fromTraces(ServerRequest req, Principal p, String name) {
    ObjectNode body = KeelApi.body(req, ctx.config().limits().maxBodyBytes());
    List<String> ids = DatasetRoutes.strings(body.get("traceIds"), "traceIds");
    var drafts = new ArrayList<DatasetItemDraft>();
    var missing = new ArrayList<String>();
    for (String id : ids) {
      ctx.store().traces().findTrace(p.projectId(), id).map(TraceSummary::trace).ifPresentOrElse(
          t -> drafts.add(draft(name, t)), () -> missing.add(id));
    }
    if (!missing.isEmpty()) {
      throw new KeelException(ErrorCode.NOT_FOUND, "trace not found: "
          + String.join(", ", missing));
    }
    ensure(p, name, body);
    return DatasetJson.change(store.apply(p.projectId(), name, drafts, false,
        ctx.clock().instant()));
  }

  // The id derives from dataset and trace, so adding a trace twice is a no-op.
  private static DatasetItemDraft draft(String dataset, Trace t) {
    if (t.input() == null) {
      throw new IllegalArgumentException("trace " + t.id() + " has no input to use");
    }
    return new DatasetItemDraft("t-" + sha256(dataset + "\n" + t.id()).substring(0, 16), null,
        DatasetJson.jsonText(t.input()), DatasetJson.jsonText(t.output()), null, null, t.id(),
        null);
  }

  // The batch routes create the dataset when it does not exist yet.
  private String ensure(Principal p, String name, ObjectNode body) {
    String description = body.hasNonNull("description") ? body.get("description").asText()
        : null;
    store.upsert(p.projectId(), new DatasetDraft(name, description, null, null, null),
        ctx.clock().instant());
    return name;
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
