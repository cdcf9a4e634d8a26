package dev.keel.gateway.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Where the semantic cache finds a stored answer for a request that means the same: requests
 * are bucketed by everything but the text of their last user message (tenant scope, wire
 * format, model, parameters, system prompt, earlier turns, all exactly), and within a bucket
 * the last user messages are compared by the cosine of their MiniLM embeddings.
 *
 * <p>A request's embedding is made at lookup, before the answer exists, and parked under the
 * answer's exact-cache key until the answer is stored; only then does it join its bucket.
 * Buckets are scanned linearly, newest first, and keep at most {@value #MAX_PER_BUCKET}
 * vectors: enough for the repeated questions of one tenant, not a vector database.
 */
final class SemanticIndex {

  static final int MAX_PER_BUCKET = 1000;
  /**
   * Longer last user messages are left to the exact cache: MiniLM reads 256 tokens at a time,
   * so a long text costs many model runs, and long prompts rarely recur as paraphrases.
   */
  static final int MAX_TEXT_CHARS = 4000;

  private final double threshold;
  private final Cache<String, Deque<Vector>> buckets;
  private final Cache<String, Probe> pending;

  SemanticIndex(double threshold, Duration ttl, int maxBuckets) {
    this.threshold = threshold;
    this.buckets = Caffeine.newBuilder().maximumSize(maxBuckets).expireAfterAccess(ttl).build();
    this.pending = Caffeine.newBuilder().maximumSize(maxBuckets)
        .expireAfterWrite(Duration.ofMinutes(15)).build();
  }

  /** The bucket and embedding of a request; empty when it has no user text to compare. */
  Optional<Probe> probe(String scope, String clientFormat, ObjectNode request) {
    JsonNode messages = request.path("messages");
    if (!messages.isArray()) {
      return Optional.empty();
    }
    for (int i = messages.size() - 1; i >= 0; i--) {
      JsonNode m = messages.get(i);
      if ("user".equals(m.path("role").asText())) {
        String text = text(m.path("content"));
        if (text.isBlank() || text.length() > MAX_TEXT_CHARS) {
          return Optional.empty();
        }
        ObjectNode rest = request.deepCopy();
        ((ObjectNode) ((ArrayNode) rest.get("messages")).get(i)).put("content", "");
        var sb = new StringBuilder(scope).append('\u0000').append(clientFormat).append('\u0000');
        ResponseCache.canonical(rest, sb, true);
        return Optional.of(new Probe(ResponseCache.sha256(sb.toString()), Embedder.embed(text)));
      }
    }
    return Optional.empty();
  }

  /** The most similar stored request at or above the threshold that {@code alive} accepts. */
  Optional<Match> nearest(Probe p, java.util.function.Predicate<String> alive) {
    Deque<Vector> bucket = buckets.getIfPresent(p.bucket());
    if (bucket == null) {
      return Optional.empty();
    }
    Match best = null;
    synchronized (bucket) {
      for (var it = bucket.iterator(); it.hasNext(); ) {
        Vector v = it.next();
        if (!alive.test(v.entryKey())) {
          it.remove();
          continue;
        }
        double s = Embedder.cosine(p.vector(), v.vector());
        if (s >= threshold && (best == null || s > best.similarity())) {
          best = new Match(v.entryKey(), s);
        }
      }
    }
    return Optional.ofNullable(best);
  }

  /** Parks {@code p} until the answer under {@code entryKey} is stored. */
  void expect(String entryKey, Probe p) {
    pending.put(entryKey, p);
  }

  /** The answer under {@code entryKey} was stored: its request joins its bucket. */
  void stored(String entryKey) {
    Probe p = pending.asMap().remove(entryKey);
    if (p == null) {
      return;
    }
    Deque<Vector> bucket = buckets.get(p.bucket(), b -> new ArrayDeque<>());
    synchronized (bucket) {
      bucket.removeIf(v -> v.entryKey().equals(entryKey));
      bucket.addFirst(new Vector(entryKey, p.vector()));
      while (bucket.size() > MAX_PER_BUCKET) {
        bucket.removeLast();
      }
    }
  }

  private static String text(JsonNode content) {
    if (content.isTextual()) {
      return content.asText();
    }
    var sb = new StringBuilder();
    for (JsonNode part : content) {
      if ("text".equals(part.path("type").asText())) {
        sb.append(part.path("text").asText()).append('\n');
      }
    }
    return sb.toString();
  }

  /** A request's bucket and the embedding of its last user message. */
  record Probe(String bucket, float[] vector) {}

  /** A stored answer's exact-cache key and how similar its request was. */
  record Match(String entryKey, double similarity) {}

  private record Vector(String entryKey, float[] vector) {}
}
