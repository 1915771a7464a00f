package dev.sluice.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.util.List;
import java.util.Map;

/**
 * What a tool call answers: a short text for people and the same facts as a JSON object for
 * programs ({@code structuredContent}); or, for a call that cannot be served, a tool error whose
 * text says what to do.
 */
record ToolAnswer(String text, ObjectNode structured) {
  private static final ObjectMapper JSON = new ObjectMapper();

  @SuppressWarnings("unchecked")
  CallToolResult toResult() {
    return CallToolResult.builder().content(List.of(new TextContent(text))).structuredContent(JSON.convertValue(structured, Map.class))
        .isError(false).build();
  }

  /** A tool error: the call was understood but cannot be served, for the reason given. */
  static CallToolResult error(String message) {
    return CallToolResult.builder().content(List.of(new TextContent(message))).isError(true).build();
  }

  /** A call that cannot be served as asked; its message says why and what to do instead. */
  static final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Refusal(String message) {
      super(message);
    }
  }
}
