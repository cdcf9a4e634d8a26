package dev.keel.simulator;

import io.helidon.webserver.WebServer;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fake LLM provider on one port, speaking OpenAI's and Anthropic's wire formats, with
 * answers, usage, latency and faults scripted by {@code [[sim ...]]} directives and an optional
 * scenario file. See the module README for the directive reference.
 *
 * <pre>{@code
 * try (Simulator sim = Simulator.start(SimulatorConfig.anyPort())) {
 *   String openAiBase = sim.baseUrl() + "/v1";
 * }
 * }</pre>
 */
public final class Simulator implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Simulator.class);

  private final WebServer server;
  private final CountDownLatch closing;

  private Simulator(WebServer server, CountDownLatch closing) {
    this.server = server;
    this.closing = closing;
  }

  /** Starts listening and returns once the port is bound. */
  public static Simulator start(SimulatorConfig config) {
    Scenario scenario = config.scenarioFile() == null ? Scenario.none()
        : Scenario.load(config.scenarioFile());
    CountDownLatch closing = new CountDownLatch(1);
    PlanResolver resolver = new PlanResolver(scenario);
    AnswerBook book = config.answersFile() == null ? AnswerBook.builtIn()
        : AnswerBook.load(config.answersFile());
    Answering answering = Answering.of(book, scenario);
    ChatEndpoint openAi = new ChatEndpoint(new OpenAiWire(), resolver, closing, answering);
    ChatEndpoint anthropic = new ChatEndpoint(new AnthropicWire(), resolver, closing, answering);
    ModelsEndpoint models = new ModelsEndpoint();
    WebServer server = WebServer.builder()
        .host(config.host())
        .port(config.port())
        .shutdownHook(false)
        .routing(r -> r
            .post("/v1/chat/completions", openAi)
            .post("/v1/messages", anthropic)
            .post("/v1/embeddings", new EmbeddingsEndpoint())
            .get("/v1/models", models)
            .get("/v1/models/{id}", models))
        .build()
        .start();
    LOG.info("Simulator listening on http://{}:{}{}; answer book: {} ({} questions)",
        config.host(), server.port(),
        config.scenarioFile() == null ? "" : " with scenario " + config.scenarioFile(),
        config.answersFile() == null ? "built-in ClapNQ" : config.answersFile(), book.size());
    return new Simulator(server, closing);
  }

  /** The bound port (the chosen one when the config asked for port 0). */
  public int port() {
    return server.port();
  }

  /** {@code http://127.0.0.1:<port>}, without {@code /v1}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  /** The models served, with the wire format each speaks. */
  public static List<SimulatedModel> models() {
    return Catalog.MODELS;
  }

  /** Releases held timeouts and paced answers, then stops the server. */
  @Override
  public void close() {
    closing.countDown();
    server.stop();
  }
}
