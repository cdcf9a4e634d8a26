package dev.keel.server;

import dev.keel.gateway.Pricing;
import dev.keel.gateway.auth.KeyService;
import dev.keel.gateway.config.KeelConfig;
import dev.keel.gateway.limits.CostControl;
import dev.keel.gateway.metrics.Metrics;
import dev.keel.gateway.routing.ModelRouter;
import dev.keel.store.Store;
import dev.keel.store.TraceWriter;
import java.time.Clock;

/**
 * What route classes may use: the features' entry points, built once at start by
 * {@link KeelServer}. Routes parse, authenticate and call these; they hold no state of their own.
 */
record ServerContext(
    KeelConfig config,
    Store store,
    KeyService keys,
    Metrics metrics,
    TraceWriter writer,
    Pricing pricer,
    Clock clock,
    CostControl costControl,
    dev.keel.eval.online.OnlineRules onlineRules,
    ModelRouter router) {}
