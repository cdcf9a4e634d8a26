package dev.keel.cli;

import dev.keel.simulator.Simulator;
import dev.keel.simulator.SimulatorConfig;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keel simulate}: a fake OpenAI and Anthropic provider for tests, demos and drills. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = "Run the provider simulator (OpenAI and Anthropic wire formats, scripted "
        + "latency and faults; see docs/simulator.md).")
final class SimulateCommand implements Runnable {

  @Option(names = "--port", defaultValue = "4010", description = "HTTP port (default: 4010)")
  int port;

  @Option(names = "--host", defaultValue = "127.0.0.1",
      description = "address to bind (default: 127.0.0.1)")
  String host;

  @Option(names = "--scenario",
      description = "scenario YAML: per-model latency, fault rates and quality")
  Path scenario;

  @Option(names = "--answers", description = "answer book JSONL (question, answer, optional "
      + "contexts); default: the built-in ClapNQ book")
  Path answers;

  @Override
  public void run() {
    var sim = Simulator.start(new SimulatorConfig(host, port, scenario, answers));
    LoggerFactory.getLogger("keel.simulate").info("simulator listening on {} (OpenAI base URL {}"
        + "/v1, Anthropic base URL {}); models: {}", sim.baseUrl(), sim.baseUrl(),
        sim.baseUrl(), Simulator.models().stream().map(m -> m.id()).toList());
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      sim.close();
      stopped.countDown();
    }, "simulator-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
