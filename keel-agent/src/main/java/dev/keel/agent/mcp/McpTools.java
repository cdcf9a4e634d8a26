package dev.keel.agent.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.agent.AgentTool;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Tools of a Model Context Protocol server as {@link AgentTool}s: each MCP tool keeps its name
 * (characters a function name may not hold become {@code _}), description and input schema, and
 * a call goes to the server through the given client. The MCP SDK is an optional dependency of
 * keel-agent: add {@code io.modelcontextprotocol.sdk:mcp-core} (and a JSON module) to use this.
 */
public final class McpTools {

  private static final ObjectMapper JSON = new ObjectMapper();

  private McpTools() {}

  /** Every tool the server lists (all pages), for a client already initialized. */
  public static List<AgentTool> from(McpSyncClient client) {
    List<AgentTool> tools = new ArrayList<>();
    String cursor = null;
    do {
      McpSchema.ListToolsResult page = cursor == null ? client.listTools()
          : client.listTools(cursor);
      page.tools().forEach(t -> tools.add(tool(client, t)));
      cursor = page.nextCursor();
    } while (cursor != null);
    return List.copyOf(tools);
  }

  private static AgentTool tool(McpSyncClient client, McpSchema.Tool t) {
    ObjectNode schema = t.inputSchema() == null ? JSON.createObjectNode()
        : JSON.valueToTree(t.inputSchema());
    if (!schema.has("type")) {
      schema.put("type", "object");
    }
    String name = t.name().replaceAll("[^a-zA-Z0-9_-]", "_");
    return new AgentTool(name.length() > 64 ? name.substring(0, 64) : name, t.description(),
        schema, args -> call(client, t.name(), args));
  }

  @SuppressWarnings("unchecked")
  private static Object call(McpSyncClient client, String name, JsonNode args) {
    McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest(name,
        JSON.convertValue(args, Map.class)));
    StringBuilder text = new StringBuilder();
    for (McpSchema.Content c : r.content() == null ? List.<McpSchema.Content>of() : r.content()) {
      text.append(text.isEmpty() ? "" : "\n").append(c instanceof McpSchema.TextContent tc
          ? tc.text() : JSON.valueToTree(c).toString());
    }
    if (Boolean.TRUE.equals(r.isError())) {
      throw new McpToolException(name, text.toString());
    }
    return r.structuredContent() != null ? r.structuredContent() : text.toString();
  }

  /** The MCP server answered the call with {@code isError}; the message is its content. */
  public static final class McpToolException extends RuntimeException {
    public McpToolException(String tool, String message) {
      super("MCP tool " + tool + " failed: " + message);
    }
  }
}
