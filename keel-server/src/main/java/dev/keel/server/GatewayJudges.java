package dev.keel.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.error.KeelException;
import dev.keel.eval.Judge;
import dev.keel.eval.judge.GatewayJudge;
import dev.keel.eval.online.OnlineEvaluator;
import dev.keel.gateway.Gateway;
import dev.keel.gateway.RequestMeta;
import dev.keel.gateway.ResponseChannel;
import dev.keel.gateway.auth.KeyService;
import dev.keel.gateway.auth.Principal;
import dev.keel.gateway.routing.ModelRouter;
import dev.keel.gateway.trace.CallRecorder;
import dev.keel.providers.WireFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Online evaluation's judges: each call goes through Keel's own gateway in process, as the
 * master key, so it is routed, priced, budgeted and traced like any other call. Its trace is
 * named {@code online-eval judge}, tagged {@value OnlineEvaluator#JUDGE_TAG} (so it is never
 * evaluated itself) and its metadata names the rule and the trace being judged.
 */
final class GatewayJudges implements OnlineEvaluator.JudgeClient {

  private static final Principal MASTER = new Principal(Principal.Kind.MASTER,
      KeyService.DEFAULT_PROJECT, null);

  private final Gateway gateway;
  private final ModelRouter router;
  private final Set<String> routes;

  /**
   * @param router what the gateway routes plain model names with
   * @param routes the names of keel.yaml's routes, which the gateway also serves as models
   */
  GatewayJudges(Gateway gateway, ModelRouter router, Set<String> routes) {
    this.gateway = gateway;
    this.router = router;
    this.routes = Set.copyOf(routes);
  }

  /**
   * Accepts a route's name, a declared model, a model of a configured provider or of the
   * simulator; otherwise the router's 404 message (naming the model and what is available)
   * becomes the rule's 400. A configured OpenAI-compatible provider's model names are not
   * known to Keel, so such a name passes here and fails on its first call.
   */
  @Override
  public void check(String model) {
    if (routes.contains(model)) {
      return;
    }
    try {
      router.resolve(model);
    } catch (KeelException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  @Override
  public Judge judge(String model, String rule, String traceId, Consumer<BigDecimal> cost) {
    return new GatewayJudge(body -> send(body, rule, traceId, cost), model);
  }

  private GatewayJudge.Reply send(ObjectNode body, String rule, String traceId,
      Consumer<BigDecimal> cost) throws IOException {
    String metadata = KeelApi.JSON.createObjectNode().put("online_eval_rule", rule)
        .put("online_eval_trace", traceId).toString();
    var meta = new RequestMeta(MASTER, CallRecorder.newTraceId(), "online-eval judge", null,
        null, List.of(OnlineEvaluator.JUDGE_TAG), metadata);
    var answer = new Captured();
    try {
      gateway.chat(WireFormat.OPENAI, body, meta, answer);
    } catch (dev.keel.providers.UpstreamException e) {
      // The upstream's own status when it refused for good: a 404 for a model it does not know
      // is not asked again (the judge retries 408, 429 and 5xx only); the message is its own.
      return new GatewayJudge.Reply(!e.retriable() && e.upstreamStatus() >= 400
          ? e.upstreamStatus() : e.code().httpStatus(), e.getMessage(), null);
    } catch (KeelException e) {
      return new GatewayJudge.Reply(e.code().httpStatus(), e.getMessage(), null);
    }
    String usd = answer.headers.get("x-keel-cost-usd");
    cost.accept(usd == null || usd.equals("unknown") ? null : new BigDecimal(usd));
    return new GatewayJudge.Reply(answer.status, new String(answer.body,
        StandardCharsets.UTF_8), answer.headers.get("x-keel-model"));
  }

  /** Keeps the gateway's whole answer; a judge never asks for a stream. */
  private static final class Captured implements ResponseChannel {
    int status;
    Map<String, String> headers = Map.of();
    byte[] body = new byte[0];

    @Override
    public void sendJson(int status, Map<String, String> headers, byte[] body) {
      this.status = status;
      this.headers = new java.util.HashMap<>(headers);
      this.body = body;
    }

    @Override
    public OutputStream startStream(Map<String, String> headers) throws IOException {
      throw new IOException("online evaluation judges do not stream");
    }
  }
}
