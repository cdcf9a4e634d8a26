package dev.keel.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** One provider's chat wire format: request parsing, answers, stream events and errors. */
interface ChatWire {

  /** {@link SimulatedModel#OPENAI} or {@link SimulatedModel#ANTHROPIC}. */
  String format();

  /** Reads a request body; throws {@link InvalidDirectiveException} for a 400. */
  ChatRequest parse(JsonNode body, String apiKey);

  /** The error body in this provider's shape. */
  byte[] errorBody(ApiError error);

  /** The provider's message for a staged fault that is answered as an error. */
  ApiError faultError(Fault fault, ChatRequest request, int promptTokens);

  /** A complete non-streaming answer. */
  byte[] answerBody(ChatRequest request, Answer answer, TokenUsage usage);

  /** Every server-sent event of a streaming answer, each a complete frame. */
  List<byte[]> answerFrames(ChatRequest request, Answer answer, TokenUsage usage);

  /** A non-streaming body that is not valid JSON. */
  byte[] malformedBody(ChatRequest request);

  /** A stream whose second event carries broken JSON. */
  List<byte[]> malformedFrames(ChatRequest request, Answer answer, TokenUsage usage);
}
