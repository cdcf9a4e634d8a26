package dev.keel.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.sdk.KeelClient;
import dev.keel.sdk.KeelContext;
import dev.keel.sdk.Level;
import dev.keel.sdk.Observation;
import dev.keel.sdk.ObservationType;
import dev.keel.sdk.Trace;
import dev.keel.sdk.TraceNode;
import java.net.URI;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A tool-calling agent whose model calls go through Keel's gateway. Each {@link #run} is one
 * AGENT observation (in a trace of its own, or under the calling thread's current Keel node)
 * with a GENERATION per model call and a TOOL per tool call. Immutable and thread-safe: one
 * agent serves any number of concurrent runs.
 *
 * <pre>{@code
 * Agent agent = Agent.builder("support").keel(keel).gateway(URI.create(base), key)
 *     .model("gpt-4o-mini").instructions("You help customers with orders.")
 *     .tools(new OrderTools(orders)).bounds(Bounds.DEFAULT.withMaxSteps(6)).build();
 * AgentResult r = agent.run("Where is order 1042?");
 * }</pre>
 */
public final class Agent {

  private final String name;
  private final String model;
  private final String instructions;
  private final Map<String, AgentTool> tools;
  private final Bounds bounds;
  private final ObjectNode responseSchema;
  private final Map<String, Object> modelParameters;
  private final KeelClient keel;
  private final GatewayClient gateway;
  private final ToolRunner toolRunner;

  private Agent(Builder b) {
    this.name = b.name;
    this.model = b.model;
    this.instructions = b.instructions;
    // Insertion order: the tools go to the model in the order they were added, the same on
    // every request (Map.copyOf would reorder them per JVM).
    this.tools = Collections.unmodifiableMap(new LinkedHashMap<>(b.tools));
    this.bounds = b.bounds;
    this.responseSchema = b.responseSchema;
    this.modelParameters = Map.copyOf(b.modelParameters);
    this.keel = b.keel;
    this.gateway = new GatewayClient(b.baseUrl, b.key);
    this.toolRunner = new ToolRunner(tools, b.needApproval, b.approval);
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /**
   * Runs the agent on a task. Never throws for what happens during the run: a model error or a
   * tripped bound ends it with a status, a reason and what it had so far.
   */
  public AgentResult run(String input) {
    return run(input, null);
  }

  /**
   * As {@link #run(String)}; when the calling thread has no current Keel node, the run's trace
   * gets {@code traceId} (null: a generated one), to join a trace someone else records (an
   * evaluation item's, a request's).
   */
  public AgentResult run(String input, String traceId) {
    Objects.requireNonNull(input, "input");
    // Through the client, so a current node of another client (or a closed one) is not a
    // parent: the step then gets a trace of its own that ends with it.
    Optional<TraceNode> parent = KeelContext.current();
    Trace trace = parent.isPresent() ? null : keel.trace(name, traceId).input(input);
    Observation step = parent.isPresent() ? keel.startDetached(ObservationType.AGENT, name)
        : trace.startDetached(ObservationType.AGENT, name);
    step.input(input).metadata(Map.of("model", model, "tools", tools.keySet().stream()
        .sorted().toList(), "max_steps", bounds.maxSteps()));
    AgentResult result = null;
    try {
      result = new AgentRun(this, step).run(input);
      record(step, result);
      return result;
    } finally {
      if (result == null) {
        step.level(Level.ERROR).statusMessage("the run ended by an error").end();
      }
      if (trace != null) {
        // Ended in any case: an open trace would stay this thread's current node, and every
        // later run on the thread would nest under it.
        trace.output(result == null ? null : output(result))
            .metadata("agent_status", result == null ? "ERROR" : result.status().name()).end();
      }
    }
  }

  /**
   * This agent as a tool of another: the caller's model hands it a task and reads its answer.
   * The run nests as an AGENT observation under the caller's TOOL observation, and its cost
   * counts toward the caller's run.
   */
  public AgentTool asTool(String description) {
    return AgentTool.of(name, description, Handoff.class, h -> run(h.task()));
  }

  /** What a handoff tool takes. */
  public record Handoff(@Param("the task to hand over, complete and self-contained")
      String task) {}

  public String name() {
    return name;
  }

  public String model() {
    return model;
  }

  public Bounds bounds() {
    return bounds;
  }

  String instructions() {
    return instructions;
  }

  Map<String, AgentTool> tools() {
    return tools;
  }

  ObjectNode responseSchema() {
    return responseSchema;
  }

  Map<String, Object> modelParameters() {
    return modelParameters;
  }

  GatewayClient gateway() {
    return gateway;
  }

  ToolRunner toolRunner() {
    return toolRunner;
  }

  /**
   * The run's total is recorded as metadata {@code cost_usd}, not as the AGENT observation's
   * cost: Keel sums observation costs into the trace's, and the GENERATIONs already carry it.
   */
  private static void record(Observation step, AgentResult r) {
    step.output(output(r)).metadata(Map.of("status", r.status().name(), "steps", r.steps(),
        "cost_usd", r.costUsd(), "cost_complete", r.costComplete(), "tool_calls",
        r.toolCalls().size()));
    if (!r.completed()) {
      step.level(r.status() == AgentResult.Status.FAILED ? Level.ERROR : Level.WARNING)
          .statusMessage(r.status() + ": " + r.reason());
    }
    step.end();
  }

  private static Object output(AgentResult r) {
    return r.structured() != null ? r.structured() : r.answer();
  }

  /** Collects an agent's settings; {@link #build()} checks them. */
  public static final class Builder {
    private final String name;
    private String model;
    private String instructions;
    private final Map<String, AgentTool> tools = new LinkedHashMap<>();
    private Bounds bounds = Bounds.DEFAULT;
    private ObjectNode responseSchema;
    private final Map<String, Object> modelParameters = new LinkedHashMap<>();
    private KeelClient keel;
    private URI baseUrl;
    private String key;
    private Approval approval;
    private Set<String> needApproval = Set.of();

    private Builder(String name) {
      if (name == null || !name.matches("[a-zA-Z0-9_-]{1,64}")) {
        throw new IllegalArgumentException("agent name must be 1 to 64 letters, digits, _ or"
            + " -: " + name);
      }
      this.name = name;
    }

    /** The model, as Keel's gateway routes it (any provider, Claude included). */
    public Builder model(String model) {
      this.model = model;
      return this;
    }

    /** The system message. */
    public Builder instructions(String instructions) {
      this.instructions = instructions;
      return this;
    }

    /** Adds tools; a name given twice is an error. */
    public Builder tools(Collection<AgentTool> more) {
      for (AgentTool t : more) {
        if (tools.putIfAbsent(t.name(), t) != null) {
          throw new IllegalArgumentException("two tools are named " + t.name());
        }
      }
      return this;
    }

    public Builder tool(AgentTool tool) {
      return tools(List.of(tool));
    }

    /** Adds the {@link Tool}-annotated methods of each object. */
    public Builder tools(Object... targets) {
      for (Object t : targets) {
        tools(AgentTool.fromMethods(t));
      }
      return this;
    }

    public Builder bounds(Bounds bounds) {
      this.bounds = Objects.requireNonNull(bounds, "bounds");
      return this;
    }

    /** Asks for a final answer that is JSON matching this object schema. */
    public Builder responseSchema(JsonNode schema) {
      if (schema == null || !schema.isObject()) {
        throw new IllegalArgumentException("responseSchema must be a JSON object: " + schema);
      }
      this.responseSchema = (ObjectNode) schema;
      return this;
    }

    /** Asks for a final answer shaped like {@code type} (a record). */
    public Builder responseType(Class<? extends Record> type) {
      return responseSchema(JsonSchemas.of(type));
    }

    /** Any other chat completion field: {@code temperature}, {@code max_tokens}... */
    public Builder modelParameter(String key, Object value) {
      modelParameters.put(key, value);
      return this;
    }

    /** Where traces go: the SDK client (a client without keys records nothing). */
    public Builder keel(KeelClient keel) {
      this.keel = keel;
      return this;
    }

    /** Keel's base URL and a key its gateway accepts (the master key or a virtual key). */
    public Builder gateway(URI baseUrl, String key) {
      this.baseUrl = baseUrl;
      this.key = key;
      return this;
    }

    /** Tools in {@code toolNames} run only when {@code approval} says yes. */
    public Builder requireApproval(Approval approval, String... toolNames) {
      this.approval = Objects.requireNonNull(approval, "approval");
      this.needApproval = Set.of(toolNames);
      return this;
    }

    public Agent build() {
      require(model != null && !model.isBlank(), "model must be set");
      require(keel != null, "keel must be set (the SDK client that records the traces)");
      require(baseUrl != null && baseUrl.getScheme() != null
          && baseUrl.getScheme().startsWith("http"), "gateway base URL must be http(s): "
          + baseUrl);
      require(key != null && !key.isBlank(), "gateway key must be set");
      for (String t : needApproval) {
        require(tools.containsKey(t), "requireApproval names an unknown tool: " + t);
      }
      return new Agent(this);
    }

    private static void require(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException(message);
      }
    }
  }
}
