package dev.keel.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.gateway.auth.Principal;
import dev.keel.store.DatasetChange;
import dev.keel.store.DatasetDraft;
import dev.keel.store.DatasetItemDraft;
import dev.keel.store.DatasetItemQuery;
import dev.keel.store.DatasetItemRecord;
import dev.keel.store.DatasetRecord;
import dev.keel.store.DatasetRun;
import dev.keel.store.DatasetStore;
import dev.keel.store.Page;
import dev.keel.store.publicapi.PublicApiJson;
import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Langfuse-compatible datasets ({@code /api/public/datasets}, {@code /api/public/v2/datasets}),
 * dataset items, dataset runs and run items, plus Keel's own batch routes under
 * {@code /api/keel/datasets/{name}}: {@code items} (many items as one version, optionally
 * replacing the rest, for import and sync) and {@code items-from-traces}.
 */
final class DatasetRoutes {

  private static final String V1 = "/api/public/datasets";
  private static final String V2 = "/api/public/v2/datasets";
  private static final String ITEMS = "/api/public/dataset-items";
  private static final String RUN_ITEMS = "/api/public/dataset-run-items";

  private final ServerContext ctx;
  private final DatasetStore store;
  private final DatasetBatches batches;

  DatasetRoutes(ServerContext ctx) {
    this.ctx = ctx;
    this.store = ctx.store().datasets();
    this.batches = new DatasetBatches(ctx);
  }

  void register(HttpRouting.Builder r) {
    for (String base : List.of(V1, V2)) {
      r.post(base, (req, res) -> IngestionRoutes.handle(res, () -> upsert(req)));
      r.get(base, (req, res) -> IngestionRoutes.handle(res, () -> list(req)));
    }
    r.get(V2 + "/*", (req, res) -> IngestionRoutes.handle(res, () -> {
      Principal p = principal(req);
      return DatasetJson.dataset(p.projectId(), dataset(p, decode(rest(req, V2))));
    }));
    r.get(V1 + "/*", (req, res) -> IngestionRoutes.handle(res, () -> v1Get(req)));
    r.delete(V1 + "/*", (req, res) -> IngestionRoutes.handle(res, () -> deleteRun(req)));
    r.post(ITEMS, (req, res) -> IngestionRoutes.handle(res, () -> upsertItem(req)));
    r.get(ITEMS, (req, res) -> IngestionRoutes.handle(res, () -> items(req)));
    // Matched raw: an item id may hold a slash, sent as %2F.
    r.route(Method.GET, RawPathPattern.of(ITEMS + "/{id}"), (req, res) ->
        IngestionRoutes.handle(res, () -> DatasetJson.item(item(req))));
    r.route(Method.DELETE, RawPathPattern.of(ITEMS + "/{id}"), (req, res) ->
        IngestionRoutes.handle(res, () -> deleteItem(req)));
    r.post(RUN_ITEMS, (req, res) -> IngestionRoutes.handle(res, () -> DatasetJson.runItem(
        store.addRunItem(principal(req).projectId(), DatasetJson.runItem(object(req)),
            ctx.clock().instant()))));
    r.get(RUN_ITEMS, (req, res) -> IngestionRoutes.handle(res, () -> runItems(req)));
    batches.register(r);
  }

  private ObjectNode upsert(ServerRequest req) {
    Principal p = principal(req);
    DatasetDraft draft = DatasetJson.draft(object(req));
    return DatasetJson.dataset(p.projectId(), store.upsert(p.projectId(), draft,
        ctx.clock().instant()));
  }

  private ObjectNode list(ServerRequest req) {
    Principal p = principal(req);
    var q = req.query().toMap();
    Page<DatasetRecord> page = store.list(p.projectId(), PublicApiJson.page(q),
        PublicApiJson.limit(q));
    return PublicApiJson.page(page.items().stream()
        .map(d -> DatasetJson.dataset(p.projectId(), d)).toList(), page);
  }

  // The v1 paths: {name} (with its items and run names, as Langfuse's v1 endpoint answers),
  // {name}/runs and {name}/runs/{run}. Names are matched on the raw path, so an encoded '/'
  // in a name (Langfuse folders) stays part of it.
  private ObjectNode v1Get(ServerRequest req) {
    Principal p = principal(req);
    String[] parts = v1Parts(req);
    DatasetRecord d = dataset(p, parts[0]);
    if (parts.length == 1) {
      return datasetWithItems(p, d);
    }
    if (parts.length == 2) {
      return runs(req, p, d);
    }
    return run(p, findRun(p, d, parts[2]));
  }

  private ObjectNode datasetWithItems(Principal p, DatasetRecord d) {
    ObjectNode n = DatasetJson.dataset(p.projectId(), d);
    var items = n.putArray("items");
    for (int page = 1; ; page++) {
      Page<DatasetItemRecord> got = store.items(new DatasetItemQuery(p.projectId(), d.name(),
          null, null, null, page, 100));
      got.items().forEach(i -> items.add(DatasetJson.item(i)));
      if (page >= got.totalPages()) {
        break;
      }
    }
    var runs = n.putArray("runs");
    store.runs(p.projectId(), d.name(), 1, 100).items().forEach(r -> runs.add(r.name()));
    return n;
  }

  private ObjectNode upsertItem(ServerRequest req) {
    Principal p = principal(req);
    ObjectNode body = object(req);
    String name = DatasetJson.text(body, "datasetName", true);
    DatasetItemDraft draft = DatasetJson.item(body);
    if (draft.id() != null) {
      // As in Langfuse, an upsert changes the fields it names and keeps the others.
      var existing = store.item(p.projectId(), draft.id());
      if (existing.isPresent()) {
        draft = DatasetJson.merge(body, draft, existing.get());
      }
    }
    DatasetChange c = store.apply(p.projectId(), name, List.of(draft), false,
        ctx.clock().instant());
    return DatasetJson.item(store.item(p.projectId(), c.itemIds().get(0)).orElseThrow());
  }

  private ObjectNode items(ServerRequest req) {
    Principal p = principal(req);
    Map<String, List<String>> q = req.query().toMap();
    String name = ScoreRoutes.one(q, "datasetName");
    String version = ScoreRoutes.one(q, "version");
    if (version != null && name == null) {
      throw new IllegalArgumentException("version needs datasetName");
    }
    if (name != null && store.find(p.projectId(), name).isEmpty()) {
      throw new KeelException(ErrorCode.NOT_FOUND, "dataset not found: " + name);
    }
    Integer v = version == null ? null : version(p.projectId(), name, version);
    var query = new DatasetItemQuery(p.projectId(), name, v, ScoreRoutes.one(q,
        "sourceTraceId"), ScoreRoutes.one(q, "sourceObservationId"), PublicApiJson.page(q),
        PublicApiJson.limit(q));
    Page<DatasetItemRecord> page = store.items(query);
    return PublicApiJson.page(page.items().stream().map(DatasetJson::item).toList(), page);
  }

  // Keel's versions are numbers; Langfuse's are date-times (the items as of then). Both work.
  private Integer version(String projectId, String name, String version) {
    if (version.length() <= 9 && version.chars().allMatch(Character::isDigit)) {
      int v = Integer.parseInt(version);
      int latest = store.find(projectId, name).orElseThrow().version();
      // Version 0 is the empty dataset before its first change.
      if (v > latest) {
        throw new KeelException(ErrorCode.NOT_FOUND, "dataset " + name + " has no version " + v
            + "; its latest version is " + latest);
      }
      return v;
    }
    OptionalInt at = store.versionAt(projectId, name, ScoreRoutes.time(
        Map.of("version", List.of(version)), "version"));
    return at.isPresent() ? at.getAsInt() : 0;
  }

  private ObjectNode deleteItem(ServerRequest req) {
    Principal p = principal(req);
    String id = req.path().pathParameters().get("id");
    if (!store.deleteItem(p.projectId(), id, ctx.clock().instant())) {
      throw new KeelException(ErrorCode.NOT_FOUND, "dataset item not found: " + id);
    }
    return IngestionRoutes.JSON.createObjectNode().put("message",
        "Dataset item successfully deleted");
  }

  private ObjectNode runItems(ServerRequest req) {
    Principal p = principal(req);
    Map<String, List<String>> q = req.query().toMap();
    String datasetId = ScoreRoutes.one(q, "datasetId");
    String runName = ScoreRoutes.one(q, "runName");
    if (datasetId == null || runName == null) {
      throw new IllegalArgumentException("datasetId and runName are required");
    }
    DatasetRecord d = byId(p.projectId(), datasetId);
    DatasetRun run = store.run(p.projectId(), d.name(), runName).orElseThrow(
        () -> new KeelException(ErrorCode.NOT_FOUND, "dataset run not found: " + runName));
    var page = store.runItems(p.projectId(), run.id(), PublicApiJson.page(q),
        PublicApiJson.limit(q));
    return PublicApiJson.page(page.items().stream().map(DatasetJson::runItem).toList(), page);
  }

  private ObjectNode runs(ServerRequest req, Principal p, DatasetRecord d) {
    var q = req.query().toMap();
    Page<DatasetRun> page = store.runs(p.projectId(), d.name(), PublicApiJson.page(q),
        PublicApiJson.limit(q));
    return PublicApiJson.page(page.items().stream().map(DatasetJson::run).toList(), page);
  }

  private ObjectNode run(Principal p, DatasetRun run) {
    ObjectNode n = DatasetJson.run(run);
    var items = n.putArray("datasetRunItems");
    for (int page = 1; ; page++) {
      var got = store.runItems(p.projectId(), run.id(), page, 100);
      got.items().forEach(x -> items.add(DatasetJson.runItem(x)));
      if (page >= got.totalPages()) {
        return n;
      }
    }
  }

  private ObjectNode deleteRun(ServerRequest req) {
    Principal p = principal(req);
    String[] parts = v1Parts(req);
    if (parts.length != 3) {
      throw new KeelException(ErrorCode.NOT_FOUND, "no such route; expected DELETE "
          + V1 + "/{name}/runs/{run}");
    }
    DatasetRun run = findRun(p, dataset(p, parts[0]), parts[2]);
    store.deleteRun(p.projectId(), run.datasetName(), run.name());
    return IngestionRoutes.JSON.createObjectNode().put("message",
        "Dataset run successfully deleted");
  }

  private DatasetRun findRun(Principal p, DatasetRecord d, String name) {
    return store.run(p.projectId(), d.name(), name).orElseThrow(
        () -> new KeelException(ErrorCode.NOT_FOUND, "dataset run not found: " + name));
  }

  private DatasetRecord dataset(Principal p, String name) {
    return store.find(p.projectId(), name).orElseThrow(
        () -> new KeelException(ErrorCode.NOT_FOUND, "dataset not found: " + name));
  }

  private static String[] v1Parts(ServerRequest req) {
    String[] raw = rest(req, V1).split("/", -1);
    boolean ok = raw.length == 1 || (raw.length <= 3 && raw[1].equals("runs"));
    if (!ok || raw[0].isEmpty() || (raw.length == 3 && raw[2].isEmpty())) {
      throw new KeelException(ErrorCode.NOT_FOUND, "no such route; expected " + V1
          + "/{name}, /{name}/runs or /{name}/runs/{run}");
    }
    String[] out = new String[raw.length];
    for (int i = 0; i < raw.length; i++) {
      out[i] = decode(raw[i]);
    }
    return out;
  }

  /** The raw path after {@code prefix/}, still URL-encoded. */
  static String rest(ServerRequest req, String prefix) {
    String raw = req.path().rawPathNoParams();
    return raw.length() > prefix.length() + 1 ? raw.substring(prefix.length() + 1) : "";
  }

  static String decode(String encoded) {
    // A path keeps '+' literal; URLDecoder would turn it into a space.
    return URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private DatasetItemRecord item(ServerRequest req) {
    String id = req.path().pathParameters().get("id");
    return store.item(principal(req).projectId(), id).orElseThrow(
        () -> new KeelException(ErrorCode.NOT_FOUND, "dataset item not found: " + id));
  }

  // Run items are asked for by dataset id; datasets are few, so a scan of the list does.
  private DatasetRecord byId(String projectId, String id) {
    for (int page = 1; ; page++) {
      Page<DatasetRecord> got = store.list(projectId, page, 100);
      for (DatasetRecord d : got.items()) {
        if (d.id().equals(id)) {
          return d;
        }
      }
      if (page >= got.totalPages()) {
        throw new KeelException(ErrorCode.NOT_FOUND, "dataset not found: " + id);
      }
    }
  }

  private Principal principal(ServerRequest req) {
    return IngestionRoutes.principal(ctx, req, false);
  }

  private ObjectNode object(ServerRequest req) {
    JsonNode body = IngestionRoutes.body(req, ctx.config().limits().maxBodyBytes());
    if (!body.isObject()) {
      throw new IllegalArgumentException("the body must be a JSON object");
    }
    return (ObjectNode) body;
  }

  static List<String> strings(JsonNode n, String field) {
    if (n == null || !n.isArray() || n.isEmpty()) {
      throw new IllegalArgumentException(field + " must be a non-empty list of strings");
    }
    var out = new ArrayList<String>();
    n.forEach(s -> {
      if (!s.isTextual()) {
        throw new IllegalArgumentException(field + " must be a non-empty list of strings");
      }
      out.add(s.asText());
    });
    return out;
  }
}
