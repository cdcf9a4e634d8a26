package dev.keel.sdk;

import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prompts from Keel's registry ({@code GET /api/public/v2/prompts/{name}}), with a local cache
 * that follows Langfuse's SDKs.
 *
 * <p>A fresh cached copy is served without a request. An expired one is served at once while a
 * single background fetch replaces it, so a label moved in Keel reaches the application within
 * one time to live plus one request. A miss fetches and waits. When a fetch fails the last copy
 * keeps being served; with no copy the request's fallback is served; with neither the call
 * throws {@link PromptException}.
 */
public final class Prompts {

  private static final Logger LOG = LoggerFactory.getLogger(Prompts.class);

  private final ClientSettings settings;
  private final PromptFetcher fetcher;
  private final Warnings warnings = new Warnings(LOG);
  private final Map<String, Entry> cache = new ConcurrentHashMap<>();
  private volatile boolean closed;

  Prompts(ClientSettings settings, HttpClient http, String authorization) {
    this.settings = settings;
    this.fetcher = new PromptFetcher(settings, http, authorization);
  }

  /** The {@code production} version of {@code name}. */
  public Prompt get(String name) {
    return get(PromptRequest.of(name));
  }

  /** The version of {@code name} that carries {@code label}. */
  public Prompt get(String name, String label) {
    return get(PromptRequest.of(name).label(label));
  }

  /** Version {@code version} of {@code name}. */
  public Prompt get(String name, int version) {
    return get(PromptRequest.of(name).version(version));
  }

  /** The prompt the request names, from the cache when fresh; see the class comment. */
  public Prompt get(PromptRequest request) {
    String key = request.cacheKey();
    Duration ttl = request.cacheTtl() == null ? settings.promptCacheTtl() : request.cacheTtl();
    Entry entry = cache.get(key);
    Instant now = settings.clock().instant();
    if (entry != null && !ttl.isZero()) {
      if (now.isBefore(entry.fetchedAt.plus(ttl))) {
        return entry.prompt;
      }
      refreshInBackground(key, request, entry);
      return entry.prompt;
    }
    try {
      return store(key, fetcher.fetch(request)).prompt;
    } catch (PromptException e) {
      if (entry != null) {
        return entry.prompt;
      }
      if (request.fallback() != null) {
        warnings.once("fallback:" + key, "Keel SDK serves the fallback for prompt {}: {}", key,
            e.getMessage());
        return request.fallback();
      }
      throw e;
    }
  }

  /** Forgets every cached version of {@code name}, so the next get fetches. */
  public void invalidate(String name) {
    cache.keySet().removeIf(k -> k.startsWith(name + "-label:")
        || k.startsWith(name + "-version:"));
  }

  void close() {
    closed = true;
  }

  private void refreshInBackground(String key, PromptRequest request, Entry stale) {
    if (closed || !stale.refreshing.compareAndSet(false, true)) {
      return;
    }
    Thread.ofVirtual().name("keel-sdk-prompt-refresh").start(() -> {
      try {
        store(key, fetcher.fetch(request));
      } catch (PromptException e) {
        warnings.once("refresh:" + key, "Keel SDK could not refresh prompt {} and keeps "
            + "serving the cached version: {}", key, e.getMessage());
      } finally {
        stale.refreshing.set(false);
      }
    });
  }

  private Entry store(String key, Prompt prompt) {
    Entry entry = new Entry(prompt, settings.clock().instant());
    cache.put(key, entry);
    return entry;
  }

  /** A cached prompt; {@code refreshing} lets only one background fetch run for it. */
  private static final class Entry {
    final Prompt prompt;
    final Instant fetchedAt;
    final AtomicBoolean refreshing = new AtomicBoolean();

    Entry(Prompt prompt, Instant fetchedAt) {
      this.prompt = prompt;
      this.fetchedAt = fetchedAt;
    }
  }
}
