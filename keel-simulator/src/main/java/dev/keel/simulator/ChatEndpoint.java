package dev.keel.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.core.tokens.TokenCounter;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One chat endpoint ({@code /v1/chat/completions} or {@code /v1/messages}): authenticate,
 * parse, resolve the plan, then stage its fault or send the answer, paced as the plan says.
 *
 * <p>Handlers run on Helidon's virtual threads, so the sleeps that pace answers and hold
 * timeouts cost no platform thread and never block other requests.
 */
final class ChatEndpoint implements Handler {

  /** Longest a {@code fault=timeout} holds a request open. */
  static final long TIMEOUT_HOLD_MINUTES = 10;

  private final ChatWire wire;
  private final PlanResolver resolver;
  private final CountDownLatch closing;
  private final Answering answering;

  ChatEndpoint(ChatWire wire, PlanResolver resolver, CountDownLatch closing,
      Answering answering) {
    this.answering = answering;
    this.wire = wire;
    this.resolver = resolver;
    this.closing = closing;
  }

  @Override
  public void handle(ServerRequest req, ServerResponse res) {
    String apiKey = ApiKeys.of(req);
    if (apiKey == null) {
      sendError(res, ApiError.of(ApiError.Kind.UNAUTHORIZED, "No API key provided. Send"
          + " 'Authorization: Bearer <key>' or 'x-api-key: <key>'; the simulator accepts any."));
      return;
    }
    ChatRequest request;
    Plan plan;
    try {
      request = wire.parse(readBody(req), apiKey);
      if (!Catalog.serves(request.model(), wire.format())) {
        sendError(res, new ApiError(ApiError.Kind.NOT_FOUND, "The model '" + request.model()
            + "' does not exist or is not served by the simulator.", "model"));
        return;
      }
      plan = resolver.resolve(request.model(), apiKey, request.directives());
      respond(res, request, plan);
    } catch (InvalidDirectiveException e) {
      sendError(res, ApiError.of(ApiError.Kind.INVALID, e.getMessage()));
    }
  }

  private void respond(ServerResponse res, ChatRequest r, Plan plan) {
    switch (plan.fault()) {
      case RATE_LIMIT -> {
        res.header("retry-after", String.valueOf(plan.retryAfterSeconds()));
        sendError(res, wire.faultError(plan.fault(), r, 0));
      }
      case SERVER_ERROR, UNAVAILABLE, CONTENT_POLICY -> sendError(res,
          wire.faultError(plan.fault(), r, 0));
      case CONTEXT_LENGTH -> sendError(res, wire.faultError(plan.fault(), r,
          TokenCounter.count(r.model(), r.promptText())));
      case TIMEOUT -> holdThenDrop();
      default -> answer(res, r, plan);
    }
  }

  private void answer(ServerResponse res, ChatRequest r, Plan plan) {
    Answer answer = Answers.compose(r, plan, answering);
    // A null usage makes the OpenAI wire leave usage out (usage=none); Anthropic always has it.
    TokenUsage usage = plan.usage().omitted() && wire instanceof OpenAiWire ? null
        : plan.usage().resolve(
            () -> TokenCounter.count(r.model(), r.promptText()),
            () -> TokenCounter.count(r.model(), answer.generatedText()));
    if (r.stream()) {
      stream(res, r, plan, answer, usage);
      return;
    }
    sleep(plan.ttftMs() + plan.tokenMs() * answer.chunkCount());
    if (plan.fault() == Fault.DISCONNECT) {
      throw new CloseConnectionException("simulated disconnect before the response");
    }
    byte[] body = plan.fault() == Fault.MALFORMED ? wire.malformedBody(r)
        : wire.answerBody(r, answer, usage);
    send(res, 200, "application/json", body);
  }

  private void stream(ServerResponse res, ChatRequest r, Plan plan, Answer a, TokenUsage u) {
    List<byte[]> frames = plan.fault() == Fault.MALFORMED ? wire.malformedFrames(r, a, u)
        : wire.answerFrames(r, a, u);
    int cutAt = plan.fault() == Fault.DISCONNECT ? plan.disconnectAfter() : Integer.MAX_VALUE;
    res.status(Status.OK_200);
    res.header("content-type", "text/event-stream; charset=utf-8");
    res.header("cache-control", "no-cache");
    sleep(plan.ttftMs());
    // Not try-with-resources: closing the stream would end the chunked body cleanly, and a
    // disconnect must leave it unterminated.
    OutputStream os = res.outputStream();
    try {
      for (int i = 0; i < frames.size(); i++) {
        if (i == cutAt) {
          throw new CloseConnectionException("simulated disconnect after " + cutAt + " events");
        }
        if (i > 0) {
          sleep(plan.tokenMs());
        }
        os.write(frames.get(i));
        os.flush();
      }
      os.close();
    } catch (IOException e) {
      throw new CloseConnectionException("client went away mid-stream", e);
    }
  }

  /** Holds the connection open without a byte, until the client gives up or we stop. */
  private void holdThenDrop() {
    try {
      closing.await(TIMEOUT_HOLD_MINUTES, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new CloseConnectionException("simulated timeout ended");
  }

  private void sendError(ServerResponse res, ApiError error) {
    send(res, error.kind().status, "application/json", wire.errorBody(error));
  }

  static void send(ServerResponse res, int status, String contentType, byte[] body) {
    res.status(Status.create(status));
    res.header("content-type", contentType);
    res.send(body);
  }

  static JsonNode readBody(ServerRequest req) {
    if (!req.content().hasEntity()) {
      throw new InvalidDirectiveException("request body is missing; send a JSON object");
    }
    try {
      JsonNode body = Json.MAPPER.readTree(req.content().as(byte[].class));
      if (body == null || !body.isObject()) {
        throw new InvalidDirectiveException("request body must be a JSON object");
      }
      return body;
    } catch (IOException e) {
      throw new InvalidDirectiveException("request body is not valid JSON: "
          + firstLine(e.getMessage()));
    }
  }

  private void sleep(long ms) {
    if (ms <= 0) {
      return;
    }
    try {
      // Waiting on the latch rather than sleeping lets close() cut every pause short.
      if (closing.await(ms, TimeUnit.MILLISECONDS)) {
        throw new CloseConnectionException("simulator closing");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CloseConnectionException("interrupted", e);
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
