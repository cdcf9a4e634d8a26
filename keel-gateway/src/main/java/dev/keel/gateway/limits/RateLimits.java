package dev.keel.gateway.limits;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.LimitExceededException;
import dev.keel.gateway.auth.Principal;
import dev.keel.gateway.config.RateLimitSettings;
import dev.keel.gateway.routing.Deployment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Requests and tokens per minute, per key and per deployment, in fixed one-minute windows, and
 * the {@code x-ratelimit-*} headers (OpenAI's names) that tell a client where it stands.
 */
final class RateLimits {

  static final long WINDOW_MILLIS = 60_000;

  private final RateLimitSettings settings;

  RateLimits(RateLimitSettings settings) {
    this.settings = settings;
  }

  static long window(Instant now) {
    return Math.floorDiv(now.toEpochMilli(), WINDOW_MILLIS);
  }

  /** The limits that apply to this caller and deployment; empty when none do. */
  List<Counters.RateSlot> slots(Principal p, String model, Deployment d) {
    var out = new ArrayList<Counters.RateSlot>(2);
    Long rpm = p.settings().rpm();
    Long tpm = p.settings().tpm();
    if (p.kind() == Principal.Kind.MASTER && settings.masterKey() != null) {
      rpm = settings.masterKey().rpm();
      tpm = settings.masterKey().tpm();
    }
    if (rpm != null || tpm != null) {
      out.add(new Counters.RateSlot("key:" + p.subject(), zeroIfNull(rpm), zeroIfNull(tpm)));
    }
    RateLimitSettings.Limit dl = settings.deployments().get(d.label());
    if (dl == null) {
      dl = settings.deployments().get(model);
    }
    if (dl != null) {
      out.add(new Counters.RateSlot("deployment:" + d.label(), zeroIfNull(dl.rpm()),
          zeroIfNull(dl.tpm())));
    }
    return out;
  }

  /** Headers for the tightest request and token limits among {@code slots}. */
  static Map<String, String> headers(List<Counters.RateSlot> slots, Counters.RateVerdict v,
      Instant now) {
    var h = new LinkedHashMap<String, String>();
    String reset = resetIn(now);
    int req = tightest(slots, v.requests(), true);
    if (req >= 0) {
      long limit = slots.get(req).rpm();
      h.put("x-ratelimit-limit-requests", Long.toString(limit));
      h.put("x-ratelimit-remaining-requests",
          Long.toString(Math.max(0, limit - v.requests()[req])));
      h.put("x-ratelimit-reset-requests", reset);
    }
    int tok = tightest(slots, v.tokens(), false);
    if (tok >= 0) {
      long limit = slots.get(tok).tpm();
      h.put("x-ratelimit-limit-tokens", Long.toString(limit));
      h.put("x-ratelimit-remaining-tokens", Long.toString(Math.max(0, limit - v.tokens()[tok])));
      h.put("x-ratelimit-reset-tokens", reset);
    }
    return h;
  }

  /** The 429 for a full slot: which limit, how much, and when to retry. */
  static LimitExceededException exceeded(List<Counters.RateSlot> slots, Counters.RateVerdict v,
      Instant now) {
    Counters.RateSlot s = slots.get(v.full());
    long waitMillis = (window(now) + 1) * WINDOW_MILLIS - now.toEpochMilli();
    long retryAfter = Math.max(1, (waitMillis + 999) / 1000);
    long[] requests = v.requests().clone();
    long[] tokens = v.tokens().clone();
    requests[v.full()] = s.rpm();
    tokens[v.full()] = s.tpm();
    var h = headers(slots, new Counters.RateVerdict(-1, false, requests, tokens), now);
    String what = v.tokensFull() ? s.tpm() + " tokens per minute"
        : s.rpm() + " requests per minute";
    String who = s.name().replaceFirst("^key:", "key ").replaceFirst("^deployment:",
        "deployment ");
    return new LimitExceededException(ErrorCode.RATE_LIMITED, "rate limit reached: " + who
        + " allows " + what + "; retry in " + retryAfter + " s", retryAfter, h);
  }

  private static int tightest(List<Counters.RateSlot> slots, long[] used, boolean requests) {
    int best = -1;
    long bestLeft = Long.MAX_VALUE;
    for (int i = 0; i < slots.size(); i++) {
      long limit = requests ? slots.get(i).rpm() : slots.get(i).tpm();
      if (limit > 0 && limit - used[i] < bestLeft) {
        best = i;
        bestLeft = limit - used[i];
      }
    }
    return best;
  }

  // OpenAI's style: "12s", "1.5s", "250ms".
  private static String resetIn(Instant now) {
    long millis = (window(now) + 1) * WINDOW_MILLIS - now.toEpochMilli();
    if (millis < 1000) {
      return millis + "ms";
    }
    String s = String.format(Locale.ROOT, "%.3f", millis / 1000.0).replaceAll("0+$", "")
        .replaceAll("\\.$", "");
    return s + "s";
  }

  private static long zeroIfNull(Long v) {
    return v == null ? 0 : v;
  }
}
