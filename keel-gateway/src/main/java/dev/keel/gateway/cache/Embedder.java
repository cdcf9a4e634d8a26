package dev.keel.gateway.cache;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

/**
 * The in-process all-MiniLM-L6-v2 (quantised) sentence embedder, loaded on first use only, so
 * a Keel without the semantic cache never pays its second of loading and tens of MB.
 */
final class Embedder {

  private Embedder() {}

  private static final class Holder {
    static final AllMiniLmL6V2QuantizedEmbeddingModel MODEL =
        new AllMiniLmL6V2QuantizedEmbeddingModel();
  }

  /** The L2-normalised embedding of a non-blank {@code text}, so a dot product is a cosine. */
  static float[] embed(String text) {
    float[] v = Holder.MODEL.embed(text).content().vector();
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) {
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (v[i] / norm);
      }
    }
    return v;
  }

  static double cosine(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
