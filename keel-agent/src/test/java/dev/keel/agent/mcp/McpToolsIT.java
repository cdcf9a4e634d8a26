package dev.keel.agent.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.agent.Agent;
import dev.keel.agent.AgentResult;
import dev.keel.agent.AgentTool;
import dev.keel.agent.KeelHarnessAccess;
import dev.keel.agent.ToolCallRecord.Outcome;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator.ValidationResponse;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tools from a real MCP server (a child JVM on stdio) used by an agent through Keel. */
class McpToolsIT {

  @TempDir
  Path dir;

  @Test
  void mcpServerTools_calledByAnAgent_resultsAndErrorsReachTheModel() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    var params = ServerParameters.builder(java).args("-cp",
        System.getProperty("java.class.path"), AdderMcpServer.class.getName()).build();
    var transport = new StdioClientTransport(params, new JacksonMcpJsonMapper(
        new ObjectMapper()));
    try (McpSyncClient client = McpClient.sync(transport)
        .requestTimeout(Duration.ofSeconds(20))
        .jsonSchemaValidator((schema, content) -> ValidationResponse.asValid(null)).build();
        KeelHarnessAccess keel = new KeelHarnessAccess(dir)) {
      client.initialize();
      List<AgentTool> tools = McpTools.from(client);
      Agent agent = Agent.builder("calc").keel(keel.sdk())
          .gateway(URI.create(keel.baseUrl()), keel.masterKey()).model("gpt-4o-mini")
          .tools(tools).instructions("[[sim tools=add({\"a\":2,\"b\":3.5}),fail]]").build();

      AgentResult r = agent.run("What is 2 + 3.5?");

      assertThat(tools).extracting(AgentTool::name).containsExactlyInAnyOrder("add", "fail");
      assertThat(r.status()).as(r.reason()).isEqualTo(AgentResult.Status.COMPLETED);
      assertThat(r.toolCalls()).extracting(c -> c.outcome())
          .containsExactly(Outcome.OK, Outcome.ERROR);
      assertThat(r.toolCalls().get(0).result()).isEqualTo("5.5");
      assertThat(r.toolCalls().get(1).result())
          .isEqualTo("error: McpToolException: MCP tool fail failed: the disk is full");
    } finally {
      // Closing the client does not end the server process it started; leave none behind
      // (AdderMcpServer also exits when this JVM does).
      ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
    }
  }
}
