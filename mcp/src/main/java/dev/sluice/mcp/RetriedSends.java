package dev.sluice.mcp;

import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import io.modelcontextprotocol.spec.McpServerSession;
import io.modelcontextprotocol.spec.McpServerTransport;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import java.time.Duration;
import java.util.List;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * A single-session transport (the SDK's stdio) whose sends survive being made at the same time. In
 * MCP Java SDK 2.0.1 the stdio session puts each outgoing message into a unicast sink with
 * {@code tryEmitNext}; when two threads send at once (the sync server answers requests on reactor's
 * worker threads, so two calls in flight answer concurrently) one emission fails as non-serialized,
 * the SDK logs {@code Failed to enqueue message} and that answer is lost, leaving the client waiting
 * (modelcontextprotocol/java-sdk PR #283). Such a send is tried again here, up to
 * {@value #ATTEMPTS} times a millisecond apart: the other emission takes microseconds. Any other
 * failure, or a closed session, still fails the send.
 */
public final class RetriedSends implements McpServerTransportProvider {
  /** The SDK's message for an emission the sink refused. */
  static final String ENQUEUE_FAILED = "Failed to enqueue message";
  private static final int ATTEMPTS = 200;

  private final McpServerTransportProvider delegate;

  public RetriedSends(McpServerTransportProvider delegate) {
    this.delegate = delegate;
  }

  @Override
  public void setSessionFactory(McpServerSession.Factory sessionFactory) {
    delegate.setSessionFactory(transport -> sessionFactory.create(new Retrying(transport)));
  }

  @Override
  public Mono<Void> notifyClients(String method, Object params) {
    return delegate.notifyClients(method, params);
  }

  @Override
  public Mono<Void> notifyClient(String sessionId, String method, Object params) {
    return delegate.notifyClient(sessionId, method, params);
  }

  @Override
  public Mono<Void> closeGracefully() {
    return delegate.closeGracefully();
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public List<String> protocolVersions() {
    return delegate.protocolVersions();
  }

  /** One session's transport, its refused emissions tried again. */
  static final class Retrying implements McpServerTransport {
    private final McpServerTransport transport;

    Retrying(McpServerTransport transport) {
      this.transport = transport;
    }

    @Override
    public Mono<Void> sendMessage(JSONRPCMessage message) {
      return transport.sendMessage(message).retryWhen(Retry.fixedDelay(ATTEMPTS, Duration.ofMillis(1))
          .filter(e -> ENQUEUE_FAILED.equals(e.getMessage())).onRetryExhaustedThrow((spec, signal) -> signal.failure()));
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
      return transport.unmarshalFrom(data, typeRef);
    }

    @Override
    public Mono<Void> closeGracefully() {
      return transport.closeGracefully();
    }

    @Override
    public void close() {
      transport.close();
    }

    @Override
    public List<String> protocolVersions() {
      return transport.protocolVersions();
    }
  }
}
