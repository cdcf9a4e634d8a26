package dev.keel.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.tokens.TokenCounter;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code POST /v1/embeddings}: deterministic unit vectors seeded by a hash of model and text,
 * as floats or as base64 little-endian float32 (what the OpenAI SDKs ask for by default).
 */
final class EmbeddingsEndpoint implements Handler {

  @Override
  public void handle(ServerRequest req, ServerResponse res) {
    if (ApiKeys.of(req) == null) {
      error(res, ApiError.of(ApiError.Kind.UNAUTHORIZED, "No API key provided."));
      return;
    }
    try {
      JsonNode body = ChatEndpoint.readBody(req);
      String model = body.path("model").asText("");
      if (!Catalog.serves(model, SimulatedModel.EMBEDDING)) {
        error(res, new ApiError(ApiError.Kind.NOT_FOUND, "The model '" + model
            + "' does not exist or is not served by the simulator.", "model"));
        return;
      }
      ChatEndpoint.send(res, 200, "application/json", OpenAiWire.bytes(answer(body, model)));
    } catch (InvalidDirectiveException e) {
      error(res, ApiError.of(ApiError.Kind.INVALID, e.getMessage()));
    }
  }

  private static ObjectNode answer(JsonNode body, String model) {
    List<String> inputs = inputs(body.path("input"));
    int dims = dimensions(body.path("dimensions"), model);
    boolean base64 = "base64".equals(body.path("encoding_format").asText("float"));
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    int tokens = 0;
    for (int i = 0; i < inputs.size(); i++) {
      float[] v = vector(model, inputs.get(i), dims);
      ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
      if (base64) {
        item.put("embedding", toBase64(v));
      } else {
        ArrayNode arr = item.putArray("embedding");
        for (float f : v) {
          arr.add(f);
        }
      }
      tokens += TokenCounter.count(model, inputs.get(i));
    }
    root.put("model", model);
    root.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
    return root;
  }

  /** A unit vector: Gaussian components from a generator seeded by the text, normalized. */
  static float[] vector(String model, String text, int dims) {
    SplittableRandom random = new SplittableRandom(hash(model + '\u0000' + text));
    double[] raw = new double[dims];
    double norm = 0;
    for (int i = 0; i < dims; i++) {
      raw[i] = random.nextGaussian();
      norm += raw[i] * raw[i];
    }
    norm = Math.sqrt(norm);
    float[] out = new float[dims];
    for (int i = 0; i < dims; i++) {
      out[i] = (float) (raw[i] / norm);
    }
    return out;
  }

  private static List<String> inputs(JsonNode input) {
    List<String> out = new ArrayList<>();
    if (input.isTextual()) {
      out.add(input.asText());
    } else if (input.isArray() && !input.isEmpty() && input.get(0).isNumber()) {
      out.add(input.toString());
    } else if (input.isArray()) {
      input.forEach(i -> out.add(i.isTextual() ? i.asText() : i.toString()));
    }
    if (out.isEmpty()) {
      throw new InvalidDirectiveException("input must be a non-empty string or array");
    }
    return out;
  }

  private static int dimensions(JsonNode requested, String model) {
    int max = model.endsWith("large") ? 3072 : 1536;
    if (requested.isMissingNode() || requested.isNull()) {
      return max;
    }
    int dims = requested.asInt(-1);
    if (dims < 1 || dims > max) {
      throw new InvalidDirectiveException("dimensions must be between 1 and " + max + " for "
          + model + ": " + requested);
    }
    return dims;
  }

  private static String toBase64(float[] v) {
    ByteBuffer buf = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) {
      buf.putFloat(f);
    }
    return Base64.getEncoder().encodeToString(buf.array());
  }

  /** 64-bit FNV-1a over UTF-8: stable across JVMs, unlike String.hashCode's 32 bits. */
  private static long hash(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }

  private static void error(ServerResponse res, ApiError e) {
    ChatEndpoint.send(res, e.kind().status, "application/json", OpenAiWire.openAiError(e));
  }
}
