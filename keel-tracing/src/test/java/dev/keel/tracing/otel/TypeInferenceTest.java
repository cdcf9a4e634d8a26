package dev.keel.tracing.otel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.core.trace.ObservationType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The inference table of reference/langfuse-compat.md section 4.4, one row per rule. */
class TypeInferenceTest {

  @ParameterizedTest(name = "{0}={1} on span ''{2}'' -> {3}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      langfuse.observation.type     | span            | x                    | SPAN
      langfuse.observation.type     | generation      | x                    | GENERATION
      langfuse.observation.type     | agent           | x                    | AGENT
      langfuse.observation.type     | tool            | x                    | TOOL
      langfuse.observation.type     | chain           | x                    | CHAIN
      langfuse.observation.type     | retriever       | x                    | RETRIEVER
      langfuse.observation.type     | evaluator       | x                    | EVALUATOR
      langfuse.observation.type     | embedding       | x                    | EMBEDDING
      langfuse.observation.type     | guardrail       | x                    | GUARDRAIL
      langfuse.observation.type     | event           | x                    | EVENT
      openinference.span.kind       | LLM             | x                    | GENERATION
      openinference.span.kind       | RETRIEVER       | x                    | RETRIEVER
      openinference.span.kind       | TOOL            | x                    | TOOL
      gen_ai.operation.name         | chat            | x                    | GENERATION
      gen_ai.operation.name         | text_completion | x                    | GENERATION
      gen_ai.operation.name         | generate_content| x                    | GENERATION
      gen_ai.operation.name         | embeddings      | x                    | EMBEDDING
      gen_ai.operation.name         | invoke_agent    | x                    | AGENT
      gen_ai.operation.name         | create_agent    | x                    | AGENT
      gen_ai.operation.name         | execute_tool    | x                    | TOOL
      ai.model.id                   | gpt-4o          | ai.generateText.doGenerate | GENERATION
      ai.model.id                   | gpt-4o          | ai.streamText.doStream | GENERATION
      ai.telemetry.functionId       | f               | ai.embedMany.doEmbed | EMBEDDING
      ai.telemetry.functionId       | f               | ai.toolCall          | TOOL
      gen_ai.tool.name              | search          | x                    | TOOL
      gen_ai.tool.call.id           | call_1          | x                    | TOOL
      langfuse.observation.model.name | gpt-4o        | x                    | GENERATION
      gen_ai.request.model          | gpt-4o          | x                    | GENERATION
      gen_ai.response.model         | gpt-4o          | x                    | GENERATION
      llm.model_name                | gpt-4o          | x                    | GENERATION
      model                         | gpt-4o          | x                    | GENERATION
      gen_ai.operation.name         | unknown_op      | x                    | SPAN
      http.method                   | GET             | x                    | SPAN
      """)
  void infer_singleAttribute(String key, String value, String spanName, ObservationType want) {
    var a = Attributes.of(Otlp.attrs(key, value));

    assertThat(TypeInference.infer(a, spanName)).isEqualTo(want);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      declared type beats operation | langfuse.observation.type | tool | gen_ai.operation.name \
        | chat | TOOL
      openinference beats operation | openinference.span.kind | CHAIN | gen_ai.operation.name \
        | chat | CHAIN
      operation beats model | gen_ai.operation.name | embeddings | gen_ai.request.model \
        | text-embedding-3-small | EMBEDDING
      tool name beats model | gen_ai.tool.name | search | gen_ai.request.model | gpt-4o | TOOL
      span with generation attributes (Python SDK) | langfuse.observation.type | span \
        | langfuse.observation.model.name | gpt-4o | GENERATION
      unknown declared type falls through | langfuse.observation.type | banana \
        | gen_ai.request.model | gpt-4o | GENERATION
      """)
  void infer_firstMatchingRuleWins(String rule, String k1, String v1, String k2, String v2,
      ObservationType want) {
    var a = Attributes.of(Otlp.attrs(k1, v1, k2, v2));

    assertThat(TypeInference.infer(a, "x")).as(rule).isEqualTo(want);
  }
}
