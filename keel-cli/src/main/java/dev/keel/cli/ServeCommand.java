package dev.keel.cli;

import dev.keel.server.KeelServer;
import dev.keel.server.ServerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keel serve}: runs the gateway, the APIs and the trace writer until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Run Keel: the OpenAI/Anthropic-compatible gateway and the APIs.")
final class ServeCommand implements Runnable {

  @Option(names = "--port", defaultValue = "4000", description = "HTTP port (default: 4000)")
  int port;

  @Option(names = "--host", defaultValue = "127.0.0.1",
      description = "address to bind (default: 127.0.0.1; 0.0.0.0 for every interface)")
  String host;

  @Option(names = "--data", defaultValue = "keel-data",
      description = "folder for the SQLite store and local state (default: ./keel-data)")
  Path data;

  @Option(names = "--database-url",
      description = "PostgreSQL URL (else KEEL_DATABASE_URL, else SQLite in --data)")
  String databaseUrl;

  @Option(names = "--config", description = "keel.yaml (default: ./keel.yaml when present)")
  Path config;

  @Override
  public void run() {
    Path cfg = config;
    if (cfg == null && Files.isRegularFile(Path.of("keel.yaml"))) {
      cfg = Path.of("keel.yaml");
    }
    var server = KeelServer.start(new ServerSettings(host, port, data, databaseUrl, cfg,
        System.getenv()));
    server.generatedMasterKey().ifPresent(key -> {
      System.out.println();
      System.out.println("  Generated master key (shown once; only its hash is stored):");
      System.out.println("    " + key);
      String base = "http://" + host + ":" + server.port();
      System.out.println("  Use it as the API key of any OpenAI client with base URL " + base
          + "/v1, or of any Anthropic client with base URL " + base);
      System.out.println();
      System.out.flush();
    });
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "keel-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
