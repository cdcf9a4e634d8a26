package dev.keel.simulator;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the simulator listens and which scenario it plays.
 *
 * @param host interface to bind; {@value #DEFAULT_HOST} unless told otherwise
 * @param port TCP port; 0 picks a free one
 * @param scenarioFile YAML scenario with latency, fault rates and quality per model, or null
 * @param answersFile JSONL answer book ({@code question}, {@code answer}, optional
 *     {@code contexts}), or null for the built-in one built from ClapNQ
 */
public record SimulatorConfig(String host, int port, Path scenarioFile, Path answersFile) {

  /** Loopback only, so a simulator never answers anyone but this machine by default. */
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 4010;

  public SimulatorConfig {
    Objects.requireNonNull(host, "host");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank: '" + host + "'");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
    }
  }

  /** No answer book of the caller's: the built-in one. */
  public SimulatorConfig(String host, int port, Path scenarioFile) {
    this(host, port, scenarioFile, null);
  }

  /** Default host and port, no scenario. */
  public static SimulatorConfig defaults() {
    return new SimulatorConfig(DEFAULT_HOST, DEFAULT_PORT, null);
  }

  /** Loopback on a free port, no scenario: what tests want. */
  public static SimulatorConfig anyPort() {
    return new SimulatorConfig(DEFAULT_HOST, 0, null);
  }

  /** This config with {@code file} as the scenario. */
  public SimulatorConfig withScenario(Path file) {
    return new SimulatorConfig(host, port, file, answersFile);
  }

  /** This config with {@code file} as the answer book. */
  public SimulatorConfig withAnswers(Path file) {
    return new SimulatorConfig(host, port, scenarioFile, file);
  }
}
