package dev.keel.simulator;

import java.nio.file.Path;

/**
 * Runs the simulator until the process is stopped: {@code SimulatorMain [--host H] [--port N]
 * [--scenario FILE] [--answers FILE]}. {@code keel simulate} is the user-facing command; this entry
 * point serves development and benchmarks without the CLI.
 */
public final class SimulatorMain {

  private SimulatorMain() {}

  public static void main(String[] args) throws InterruptedException {
    SimulatorConfig config = parse(args);
    Simulator sim = Simulator.start(config);
    Runtime.getRuntime().addShutdownHook(new Thread(sim::close, "simulator-stop"));
    Thread.currentThread().join();
  }

  static SimulatorConfig parse(String[] args) {
    String host = SimulatorConfig.DEFAULT_HOST;
    int port = SimulatorConfig.DEFAULT_PORT;
    Path scenario = null;
    Path answers = null;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--host" -> host = require(args[i], value);
        case "--port" -> port = Integer.parseInt(require(args[i], value));
        case "--scenario" -> scenario = Path.of(require(args[i], value));
        case "--answers" -> answers = Path.of(require(args[i], value));
        default -> throw new IllegalArgumentException("unknown option: " + args[i]
            + " (expected --host, --port, --scenario or --answers)");
      }
      i++;
    }
    return new SimulatorConfig(host, port, scenario, answers);
  }

  private static String require(String option, String value) {
    if (value == null) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return value;
  }
}
