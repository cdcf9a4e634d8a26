package dev.keel.agent.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.json.schema.JsonSchemaValidator.ValidationResponse;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;

/** A small MCP server on stdio for the tests: {@code add} and {@code fail}. */
public final class AdderMcpServer {

  private AdderMcpServer() {}

  public static void main(String[] args) throws Exception {
    var mapper = new JacksonMcpJsonMapper(new ObjectMapper());
    Map<String, Object> numbers = Map.of("type", "object", "properties", Map.of(
        "a", Map.of("type", "number"), "b", Map.of("type", "number")),
        "required", java.util.List.of("a", "b"));
    var add = SyncToolSpecification.builder().tool(McpSchema.Tool.builder().name("add")
        .description("Adds two numbers").inputSchema(numbers).build())
        .callHandler((exchange, req) -> McpSchema.CallToolResult.builder().addTextContent(
            String.valueOf(((Number) req.arguments().get("a")).doubleValue()
                + ((Number) req.arguments().get("b")).doubleValue())).build())
        .build();
    var fail = SyncToolSpecification.builder().tool(McpSchema.Tool.builder().name("fail")
        .description("Always fails").inputSchema(Map.of("type", "object")).build())
        .callHandler((exchange, req) -> McpSchema.CallToolResult.builder()
            .addTextContent("the disk is full").isError(true).build())
        .build();
    // The SDK's own validator needs json-schema-validator 1.x; Keel manages 3.x (keel-eval).
    McpServer.sync(new StdioServerTransportProvider(mapper)).serverInfo("adder", "1")
        .jsonSchemaValidator((schema, content) -> ValidationResponse.asValid(null))
        .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
        .tools(add, fail).build();
    // Ends with the test JVM that started it: closing the MCP client does not stop this process.
    ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
    while (parent != null && parent.isAlive()) {
      Thread.sleep(200);
    }
    System.exit(0);
  }
}
