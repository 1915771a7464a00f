package dev.sluice.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.mcp.SluiceMcp;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The MCP server's streamable HTTP transport at {@value #PATH}: the MCP Java SDK's
 * {@link HttpServletStreamableServerTransportProvider} in a servlet context of its own, behind the
 * gateway's rules. A call is authenticated like every API call ({@link Callers}: the same API keys,
 * and the connector's TLS), a browser origin CORS does not allow is refused (so a page cannot reach
 * a loopback gateway's tools by DNS rebinding), and every call, served or refused, is one event of
 * the gateway's {@link AuditTrail} (method, status, caller, latency; an SSE stream when it ends) and
 * is counted in its request meter under the route {@value #PATH} ({@link GatewayMetrics}; a refusal
 * by the same reason code as on the API's routes, {@code invalid_api_key} for a missing or bad key).
 * The caller rides the MCP transport context ({@link SluiceMcp#TENANT}, {@link SluiceMcp#KEY_ID},
 * {@link SluiceMcp#CLIENT_ADDRESS}) into the audit events of the tools that change traffic. Other
 * paths are left to the next handler.
 */
final class McpEndpoint extends Handler.Wrapper {
  static final String PATH = "/mcp";
  private static final String CALLER = "sluice.mcp.caller";
  private static final int UNAUTHORIZED = 401;
  private static final int FORBIDDEN = 403;

  /** The route /mcp is counted under in {@link GatewayMetrics#REQUESTS}, as the other routes are under theirs. */
  private static final String ROUTE = Route.of(PATH).label();

  private final GatewayConfig config;
  private final AuditTrail audit;
  private final GatewayMetrics metrics;
  private final HttpServletStreamableServerTransportProvider transport;
  private final McpSyncServer server;

  /**
   * @param serve starts the MCP server on the transport ({@link SluiceMcp#serve})
   * @param metrics counts every call, served or refused, in {@link GatewayMetrics#REQUESTS} (route {@value #PATH})
   */
  McpEndpoint(GatewayConfig config, Function<McpStreamableServerTransportProvider, McpSyncServer> serve, AuditTrail audit,
      GatewayMetrics metrics) {
    this.config = config;
    this.audit = audit;
    this.metrics = metrics;
    this.transport = HttpServletStreamableServerTransportProvider.builder().jsonMapper(new JacksonMcpJsonMapper(new ObjectMapper()))
        .mcpEndpoint(PATH).contextExtractor(McpEndpoint::context).keepAliveInterval(Duration.ofSeconds(20)).build();
    this.server = serve.apply(transport);
    ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
    context.setContextPath("/");
    ServletHolder holder = new ServletHolder("mcp", transport);
    holder.setAsyncSupported(true);
    context.addServlet(holder, PATH);
    setHandler(context);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (!Request.getPathInContext(request).equals(PATH)) {
      return false;
    }
    long started = System.nanoTime();
    metrics.started();
    Optional<ApiKeys.Caller> caller = Callers.authenticate(config, request);
    String origin = request.getHeaders().get(HttpHeader.ORIGIN);
    if (caller.isEmpty()) {
      refuse(request, response, callback, null, UNAUTHORIZED, "invalid_api_key", Callers.refusal(request), started);
      return true;
    }
    if (origin != null && !config.allowedOrigins().contains("*") && !config.allowedOrigins().contains(origin)) {
      refuse(request, response, callback, caller.get(), FORBIDDEN, "origin_not_allowed",
          "the origin " + origin + " is not allowed (" + GatewayConfig.ALLOWED_ORIGINS + ")", started);
      return true;
    }
    request.setAttribute(CALLER, caller.get());
    Callback audited = new Callback.Nested(callback) {
      @Override
      public void succeeded() {
        record(request, caller.get(), response.getStatus(), null, started);
        super.succeeded();
      }

      @Override
      public void failed(Throwable failure) {
        record(request, caller.get(), response.getStatus(), "failed", started);
        super.failed(failure);
      }
    };
    return super.handle(request, response, audited);
  }

  private void refuse(Request request, Response response, Callback callback, ApiKeys.Caller caller, int status, String reason,
      String message, long started) {
    record(request, caller, status, reason, started);
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    if (status == UNAUTHORIZED) {
      response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
    }
    Map<String, Object> error = Map.of("code", -32001, "message", message);
    Map<String, Object> body = new HashMap<>(Map.of("jsonrpc", "2.0", "error", error));
    body.put("id", null);
    byte[] bytes;
    try {
      bytes = ApiResponse.JSON.writeValueAsBytes(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      bytes = ("{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32001,\"message\":\"" + reason + "\"}}").getBytes(StandardCharsets.UTF_8);
    }
    response.write(true, ByteBuffer.wrap(bytes), callback);
  }

  /** Audits and counts a call; a refusal's reason is counted in {@link GatewayMetrics#REFUSALS} too, a failure's is only audited. */
  private void record(Request request, ApiKeys.Caller caller, int status, String reason, long started) {
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    metrics.answered(ROUTE, status, status == UNAUTHORIZED || status == FORBIDDEN ? reason : null, took);
    audit.record(audit.event(request, caller, status, reason, List.of(), took));
  }

  /** The authenticated caller and its address, for the tools' own audit events. */
  private static McpTransportContext context(HttpServletRequest request) {
    Map<String, Object> values = new HashMap<>();
    if (request.getAttribute(CALLER) instanceof ApiKeys.Caller caller) {
      if (caller.tenant() != null) {
        values.put(SluiceMcp.TENANT, caller.tenant());
      }
      if (caller.keyId() != null) {
        values.put(SluiceMcp.KEY_ID, caller.keyId());
      }
    }
    if (request.getRemoteAddr() != null) {
      values.put(SluiceMcp.CLIENT_ADDRESS, request.getRemoteAddr());
    }
    return McpTransportContext.create(values);
  }

  /** Ends the MCP sessions (open SSE streams close), before the server stops taking calls. */
  void closeSessions() {
    server.closeGracefully();
  }
}
