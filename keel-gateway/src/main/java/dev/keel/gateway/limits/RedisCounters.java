package dev.keel.gateway.limits;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counters in Redis, shared by every Keel instance that names the same Redis and prefix. Each
 * check-and-add is one Lua script, which Redis runs atomically, so a cluster-wide limit is
 * enforced once, not once per instance.
 *
 * <p>A budget's period is a hash {@code <prefix>b:<budget>:<periodStartMillis>} with fields
 * {@code s} (settled pico-dollars) and {@code r} (reserved), expiring a day after the period
 * ends. When it is missing (a new period, or Redis lost it) the script says so and the
 * instance seeds {@code s} from the store with HSETNX, so the first instance to seed wins and
 * the others' seeds are ignored. A minute's rate counters are a hash
 * {@code <prefix>r:<name>:<minute>} with {@code q} (requests) and {@code t} (tokens), expiring
 * after two minutes.
 *
 * <p>Lua numbers are doubles: comparisons are exact up to 2^53 pico-dollars (about $9,000) and
 * off by at most a few pico-dollars above; the counts themselves are exact 64-bit integers.
 */
final class RedisCounters implements Counters {

  private static final String RESERVE = """
      local est = ARGV[1]
      for i = 1, #KEYS do
        if redis.call('EXISTS', KEYS[i]) == 0 then return {-2, i - 1, 0, 0} end
      end
      for i = 1, #KEYS do
        local s = tonumber(redis.call('HGET', KEYS[i], 's') or '0')
        local r = tonumber(redis.call('HGET', KEYS[i], 'r') or '0')
        if s + r >= tonumber(ARGV[i + 1]) then return {-1, i - 1, s, r} end
      end
      for i = 1, #KEYS do redis.call('HINCRBY', KEYS[i], 'r', est) end
      return {0, 0, 0, 0}
      """;
  private static final String SETTLE = """
      for i = 1, #KEYS do
        if redis.call('EXISTS', KEYS[i]) == 1 then
          if redis.call('HINCRBY', KEYS[i], 'r', ARGV[1]) < 0 then
            redis.call('HSET', KEYS[i], 'r', 0)
          end
          redis.call('HINCRBY', KEYS[i], 's', ARGV[2])
        end
      end
      return 0
      """;
  private static final String TAKE = """
      local out = {-1, 0}
      for i = 1, #KEYS do
        local q = tonumber(redis.call('HGET', KEYS[i], 'q') or '0')
        local t = tonumber(redis.call('HGET', KEYS[i], 't') or '0')
        local rl = tonumber(ARGV[2 * i])
        local tl = tonumber(ARGV[2 * i + 1])
        if rl > 0 and q >= rl then return {i - 1, 0} end
        if tl > 0 and t >= tl then return {i - 1, 1} end
      end
      for i = 1, #KEYS do
        local q = redis.call('HINCRBY', KEYS[i], 'q', 1)
        redis.call('PEXPIRE', KEYS[i], ARGV[1])
        out[#out + 1] = q
        out[#out + 1] = tonumber(redis.call('HGET', KEYS[i], 't') or '0')
      end
      return out
      """;
  private static final String TOKENS = """
      for i = 1, #KEYS do
        redis.call('HINCRBY', KEYS[i], 't', ARGV[1])
        redis.call('PEXPIRE', KEYS[i], ARGV[2])
      end
      return 0
      """;
  private static final long RATE_TTL_MILLIS = 120_000;
  private static final long DAY_MILLIS = 86_400_000;

  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final RedisCommands<String, String> redis;
  private final String prefix;
  private final Seed seed;
  private final Clock clock;
  private final ConcurrentHashMap<String, String> shas = new ConcurrentHashMap<>();

  RedisCounters(String url, String prefix, Seed seed, Clock clock) {
    RedisURI uri = RedisURI.create(url);
    uri.setTimeout(Duration.ofSeconds(2));
    this.client = RedisClient.create(uri);
    // While the connection is down, commands fail at once (FailoverCounters then counts in
    // process) instead of queueing until the timeout; it reconnects in the background.
    client.setOptions(ClientOptions.builder().autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
    try {
      this.connection = client.connect();
    } catch (RuntimeException e) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      throw e;
    }
    this.redis = connection.sync();
    this.prefix = prefix;
    this.seed = seed;
    this.clock = clock;
  }

  @Override
  public Verdict reserve(List<BudgetSlot> slots, long estimatePico) {
    String[] keys = slots.stream().map(this::key).toArray(String[]::new);
    String[] args = new String[slots.size() + 1];
    args[0] = Long.toString(estimatePico);
    for (int i = 0; i < slots.size(); i++) {
      args[i + 1] = Long.toString(slots.get(i).limitPico());
    }
    for (int attempt = 0; ; attempt++) {
      List<Long> r = run(RESERVE, keys, args);
      int status = r.get(0).intValue();
      if (status == 0) {
        return Verdict.ADMITTED;
      }
      if (status == -1) {
        return new Verdict(r.get(1).intValue(), r.get(2), r.get(3));
      }
      if (attempt > 2) {
        throw new IllegalStateException("Redis keeps losing budget counters: " + keys[0]);
      }
      seedMissing(slots);
    }
  }

  @Override
  public void settle(List<BudgetSlot> slots, long estimatePico, long actualPico) {
    run(SETTLE, slots.stream().map(this::key).toArray(String[]::new),
        Long.toString(-estimatePico), Long.toString(actualPico));
  }

  @Override
  public long[] read(BudgetSlot slot) {
    if (redis.exists(key(slot)) == 0) {
      seedMissing(List.of(slot));
    }
    List<String> v = redis.hmget(key(slot), "s", "r").stream()
        .map(kv -> kv.getValueOrElse("0")).toList();
    return new long[] {Long.parseLong(v.get(0)), Long.parseLong(v.get(1))};
  }

  @Override
  public RateVerdict take(List<RateSlot> slots, long window) {
    String[] keys = slots.stream().map(s -> rateKey(s, window)).toArray(String[]::new);
    String[] args = new String[slots.size() * 2 + 1];
    args[0] = Long.toString(RATE_TTL_MILLIS);
    for (int i = 0; i < slots.size(); i++) {
      args[2 * i + 1] = Long.toString(slots.get(i).rpm());
      args[2 * i + 2] = Long.toString(slots.get(i).tpm());
    }
    List<Long> r = run(TAKE, keys, args);
    long[] requests = new long[slots.size()];
    long[] tokens = new long[slots.size()];
    if (r.get(0) >= 0) {
      return new RateVerdict(r.get(0).intValue(), r.get(1) == 1, requests, tokens);
    }
    for (int i = 0; i < slots.size(); i++) {
      requests[i] = r.get(2 + 2 * i);
      tokens[i] = r.get(3 + 2 * i);
    }
    return new RateVerdict(-1, false, requests, tokens);
  }

  @Override
  public void addTokens(List<RateSlot> slots, long window, long tokens) {
    run(TOKENS, slots.stream().map(s -> rateKey(s, window)).toArray(String[]::new),
        Long.toString(tokens), Long.toString(RATE_TTL_MILLIS));
  }

  /** Throws a {@link io.lettuce.core.RedisException} unless Redis answers. */
  void ping() {
    redis.ping();
  }

  /** Deletes these budget counters, so the next use seeds them from the store again. */
  void drop(List<BudgetSlot> slots) {
    if (!slots.isEmpty()) {
      redis.del(slots.stream().map(this::key).toArray(String[]::new));
    }
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }

  private void seedMissing(List<BudgetSlot> slots) {
    for (BudgetSlot s : slots) {
      String key = key(s);
      if (redis.exists(key) == 0) {
        long spent = seed.spent(s.budgetId(), s.periodStart());
        redis.hsetnx(key, "s", Long.toString(spent));
        redis.hsetnx(key, "r", "0");
        // Relative to Keel's clock, so the counter lives as long as its period does.
        long left = s.periodEnd().toEpochMilli() - clock.millis();
        redis.pexpire(key, Math.max(0, left) + DAY_MILLIS);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private <T> T run(String script, String[] keys, String... args) {
    ScriptOutputType type = script == RESERVE || script == TAKE ? ScriptOutputType.MULTI
        : ScriptOutputType.INTEGER;
    String sha = shas.computeIfAbsent(script, redis::scriptLoad);
    try {
      return (T) redis.evalsha(sha, type, keys, args);
    } catch (RedisNoScriptException e) {
      // Redis restarted or its script cache was flushed: load it again.
      shas.put(script, redis.scriptLoad(script));
      return (T) redis.evalsha(shas.get(script), type, keys, args);
    }
  }

  private String key(BudgetSlot s) {
    return prefix + "b:" + s.budgetId() + ":" + s.periodStart().toEpochMilli();
  }

  private String rateKey(RateSlot s, long window) {
    return prefix + "r:" + s.name() + ":" + window;
  }
}
