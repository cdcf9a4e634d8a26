package dev.keel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.keel.agent.example.Orders;
import dev.keel.agent.example.SupportAgent;
import dev.keel.agent.example.SupportAgentMain;
import dev.keel.sdk.KeelClient;
import dev.keel.server.KeelServer;
import dev.keel.server.ServerSettings;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The example support agent evaluated end to end through {@code keel eval run}: Keel and the
 * agent's endpoint run in this JVM, the evaluation file is the repository's own.
 */
class AgentEvalCommandIT {

  private static final String KEY = "sk-keel-agentevalcli0123456789abcdefghijklmno";
  private static final Path EXAMPLE = Path.of("..", "examples", "support-agent");

  @TempDir
  Path tmp;

  @Test
  void evalRun_supportAgent_gatePassesOnGoalToolCallsAndTrajectory() throws Exception {
    try (KeelServer keel = KeelServer.start(new ServerSettings("127.0.0.1", 0,
        tmp.resolve("data"), null, null, Map.of("KEEL_MASTER_KEY", KEY,
        "KEEL_INIT_PROJECT_PUBLIC_KEY", "pk-lf-agentcli", "KEEL_INIT_PROJECT_SECRET_KEY",
        "sk-lf-agentcli")))) {
      String url = "http://127.0.0.1:" + keel.port();
      KeelClient sdk = KeelClient.builder().baseUrl(url).publicKey("pk-lf-agentcli")
          .secretKey("sk-lf-agentcli").build();
      Orders orders = Orders.bundled();
      HttpServer agent = SupportAgentMain.serve(SupportAgent.create(sdk, URI.create(url), KEY,
          "gpt-4o-mini", orders), orders, 0);
      try {
        String yaml = Files.readString(EXAMPLE.resolve("eval.yaml"))
            .replace("http://127.0.0.1:8090/run", "http://127.0.0.1:"
                + agent.getAddress().getPort() + "/run")
            .replace("dataset: support.jsonl", "dataset: "
                + EXAMPLE.resolve("support.jsonl").toAbsolutePath());
        Path file = Files.writeString(tmp.resolve("support-agent.yaml"), yaml);
        var out = new StringWriter();
        PrintStream savedErr = System.err;
        System.setErr(new PrintStream(new java.io.ByteArrayOutputStream(), true));
        int code;
        try {
          code = new CommandLine(new KeelCommand()).setOut(new PrintWriter(out))
              .setErr(new PrintWriter(new StringWriter()))
              .execute("eval", "run", file.toString(), "--out", tmp.resolve("out").toString(),
                  "--url", url, "--key", KEY);
        } finally {
          System.setErr(savedErr);
        }

        assertThat(code).as(out.toString()).isZero();
        assertThat(out.toString()).contains("gate: passed").contains("tool_call_f1")
            .contains("trajectory_in_order").contains("goal_state");
      } finally {
        agent.stop(0);
        sdk.close();
      }
    }
  }
}
