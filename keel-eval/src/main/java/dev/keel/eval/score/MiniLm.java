package dev.keel.eval.score;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

/**
 * The in-process all-MiniLM-L6-v2 (quantised) model, loaded once on first use: loading takes a
 * second or two and a few tens of MB, so runs without embedding scorers never pay it.
 */
public final class MiniLm {

  /** all-MiniLM-L6-v2 embeds into 384 dimensions. */
  public static final int DIMENSION = 384;

  private MiniLm() {}

  private static final class Holder {
    static final AllMiniLmL6V2QuantizedEmbeddingModel MODEL =
        new AllMiniLmL6V2QuantizedEmbeddingModel();
  }

  /**
   * The L2-normalised embedding of {@code text}. A blank text has no embedding (the model
   * refuses it), so it is the zero vector: similar to nothing.
   */
  public static float[] embed(String text) {
    if (text.isBlank()) {
      return new float[DIMENSION];
    }
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

  /** Cosine similarity; two blank texts are identical (1), one blank text is 0. */
  public static double cosine(String a, String b) {
    if (a.isBlank() && b.isBlank()) {
      return 1.0;
    }
    return dot(embed(a), embed(b));
  }

  public static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
