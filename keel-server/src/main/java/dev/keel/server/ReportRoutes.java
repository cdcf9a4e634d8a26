package dev.keel.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.store.PromptVersionStats;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import java.time.Duration;
import java.time.Instant;

/**
 * Keel's reports ({@code /api/keel/reports/*}, master key): how each version of a prompt does
 * through the gateway, so versions can be compared on errors, cost, latency and structured-output
 * failures.
 */
final class ReportRoutes {

  private static final Duration DEFAULT_RANGE = Duration.ofDays(30);
  private static final String PROMPTS = "/api/keel/reports/prompts";
  private final ServerContext ctx;

  ReportRoutes(ServerContext ctx) {
    this.ctx = ctx;
  }

  void register(HttpRouting.Builder r) {
    // "/*" and the raw path, not "{name}": prompt names may hold '/' (folders), sent as %2F.
    r.get(PROMPTS + "/*", (req, res) -> KeelApi.handle(req, res,
        ctx.keys(), p -> KeelApi.Answer.ok(promptReport(req, p.projectId()))));
  }

  private ObjectNode promptReport(ServerRequest req, String projectId) {
    String raw = req.path().rawPathNoParams();
    String name = java.net.URLDecoder.decode(raw.substring(PROMPTS.length() + 1)
        .replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    if (name.isEmpty()) {
      throw KeelApi.notFound("name the prompt: " + PROMPTS + "/{name}");
    }
    var range = CostReportRoutes.range(req, ctx.clock().instant(), DEFAULT_RANGE);
    Instant from = range.from();
    Instant to = range.to();
    ObjectNode out = KeelApi.JSON.createObjectNode().put("name", name)
        .put("fromTimestamp", from.toString()).put("toTimestamp", to.toString());
    ArrayNode versions = out.putArray("versions");
    for (PromptVersionStats s : ctx.store().reports().promptVersions(projectId, name, from, to)) {
      ObjectNode v = versions.addObject().put("version", s.version())
          .put("generations", s.generations()).put("errors", s.errors())
          .put("costUsd", s.costUsd()).put("unknownCostGenerations", s.unknownCost())
          .put("avgLatencyMs", Math.round(s.avgLatencyMs() * 10) / 10.0)
          .put("inputTokens", s.inputTokens()).put("outputTokens", s.outputTokens())
          .put("schemaChecked", s.schemaChecked()).put("schemaFailed", s.schemaFailed());
      if (Double.isNaN(s.schemaFailureRate())) {
        v.putNull("schemaFailureRate");
      } else {
        v.put("schemaFailureRate", s.schemaFailureRate());
      }
    }
    return out;
  }
}
