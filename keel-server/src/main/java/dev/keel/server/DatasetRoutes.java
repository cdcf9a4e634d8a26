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
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
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
    for (String base : List.of("/api/public/datasets", "/api/public/v2/datasets")) {
      r.post(base, (req, res) -> IngestionRoutes.handle(res, () -> upsert(req)));
      r.get(base, (req, res) -> IngestionRoutes.handle(res, () -> list(req)));
    }
    r.get("/api/public/v2/datasets/{name}", (req, res) -> IngestionRoutes.handle(res,
        () -> DatasetJson.dataset(principal(req).projectId(), dataset(req))));
    r.get("/api/public/datasets/{name}", (req, res) -> IngestionRoutes.handle(res,
        () -> datasetWithItems(req)));
    r.post(ITEMS, (req, res) -> IngestionRoutes.handle(res, () -> upsertItem(req)));
    r.get(ITEMS, (req, res) -> IngestionRoutes.handle(res, () -> items(req)));
    r.get(ITEMS + "/{id}", (req, res) -> IngestionRoutes.handle(res,
        () -> DatasetJson.item(item(req))));
    r.delete(ITEMS + "/{id}", (req, res) -> IngestionRoutes.handle(res, () -> deleteItem(req)));
    r.post(RUN_ITEMS, (req, res) -> IngestionRoutes.handle(res, () -> DatasetJson.runItem(
        store.addRunItem(principal(req).projectId(), DatasetJson.runItem(object(req)),
            ctx.clock().instant()))));
    r.get(RUN_ITEMS, (req, res) -> IngestionRoutes.handle(res, () -> runItems(req)));
    r.get("/api/public/datasets/{name}/runs", (req, res) -> IngestionRoutes.handle(res,
        () -> runs(req)));
    r.get("/api/public/datasets/{name}/runs/{run}", (req, res) -> IngestionRoutes.handle(res,
        () -> run(req)));
    r.delete("/api/public/datasets/{name}/runs/{run}", (req, res) -> IngestionRoutes.handle(
        res, () -> deleteRun(req)));
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

  // The v1 form also lists the items and the run names, as Langfuse's v1 endpoint does.
  private ObjectNode datasetWithItems(ServerRequest req) {
    Principal p = principal(req);
    DatasetRecord d = dataset(req);
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
    if (version.chars().allMatch(Character::isDigit)) {
      int v = Integer.parseInt(version);
      int latest = store.find(projectId, name).orElseThrow().version();
      if (v < 1 || v > latest) {
        throw new KeelException(ErrorCode.NOT_FOUND, "dataset " + name + " has no version " + v
            + "; its versions are 1 to " + latest);
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

  private ObjectNode runs(ServerRequest req) {
    Principal p = principal(req);
    DatasetRecord d = dataset(req);
    var q = req.query().toMap();
    Page<DatasetRun> page = store.runs(p.projectId(), d.name(), PublicApiJson.page(q),
        PublicApiJson.limit(q));
    return PublicApiJson.page(page.items().stream().map(DatasetJson::run).toList(), page);
  }

  private ObjectNode run(ServerRequest req) {
    Principal p = principal(req);
    DatasetRun run = findRun(req, p);
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
    DatasetRun run = findRun(req, p);
    store.deleteRun(p.projectId(), run.datasetName(), run.name());
    return IngestionRoutes.JSON.createObjectNode().put("message",
        "Dataset run successfully deleted");
  }

  private DatasetRun findRun(ServerRequest req, Principal p) {
    DatasetRecord d = dataset(req);
    String name = req.path().pathParameters().get("run");
    return store.run(p.projectId(), d.name(), name).orElseThrow(
        () -> new KeelException(ErrorCode.NOT_FOUND, "dataset run not found: " + name));
  }

  private DatasetItemRecord item(ServerRequest req) {
    String id = req.path().pathParameters().get("id");
    return store.item(principal(req).projectId(), id).orElseThrow(
        () -> new KeelException(ErrorCode.NOT_FOUND, "dataset item not found: " + id));
  }

  private DatasetRecord dataset(ServerRequest req) {
    String name = req.path().pathParameters().get("name");
    return store.find(principal(req).projectId(), name).orElseThrow(
        () -> new KeelException(ErrorCode.NOT_FOUND, "dataset not found: " + name));
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
