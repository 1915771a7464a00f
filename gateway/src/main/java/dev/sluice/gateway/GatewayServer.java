package dev.sluice.gateway;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.CrossOriginHandler;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The API's HTTP server: Jetty 12 with HTTP/1.1 and HTTP/2 on one port (h2 by ALPN over TLS, h2c
 * in plain text), bounded headers, an idle timeout and a minimum request data rate so a slow client
 * cannot hold a connection for ever; a small thread pool, since no call waits on a thread. CORS
 * is Jetty's {@link CrossOriginHandler}, installed only for the configured origins: no origin is
 * allowed by default, preflights are answered, and a disallowed origin gets no CORS headers.
 * Stopping is graceful (Jetty's {@link GracefulHandler}): the connector stops accepting, calls in
 * progress are answered for up to the drain time, new requests on open connections get 503.
 */
final class GatewayServer implements AutoCloseable {
  static final int MAX_HEADER_BYTES = 16 * 1024;
  static final long IDLE_TIMEOUT_MS = 30_000;
  /** Bytes per second a client must keep sending a request body at. */
  static final long MIN_REQUEST_DATA_RATE = 1024;
  /** Request headers a browser may send across origins. */
  static final Set<String> CORS_HEADERS = Set.of("Authorization", "Content-Type", "Idempotency-Key", GatewayHandler.TIMEOUT_HEADER, "traceparent",
      "tracestate");

  private final Server server;
  private final ServerConnector connector;

  private GatewayServer(Server server, ServerConnector connector) {
    this.server = server;
    this.connector = connector;
  }

  /**
   * Binds and starts.
   *
   * @param tls HTTPS settings, or null for plain HTTP
   * @param allowedOrigins origins CORS allows ({@code *} for any); empty for none
   * @param drain how long {@link #close} waits for the calls in progress to be answered; calls that
   *     arrive meanwhile get 503
   * @throws Exception when the address cannot be bound or Jetty does not start
   */
  static GatewayServer start(String host, int port, GatewayTls tls, List<String> allowedOrigins, Duration drain, Handler handler)
      throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool(64, 4);
    threads.setName("sluice-gateway-http");
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setRequestHeaderSize(MAX_HEADER_BYTES);
    http.setResponseHeaderSize(MAX_HEADER_BYTES);
    http.setSendServerVersion(false);
    http.setMinRequestDataRate(MIN_REQUEST_DATA_RATE);
    ServerConnector connector;
    if (tls == null) {
      connector = new ServerConnector(server, new HttpConnectionFactory(http), new HTTP2CServerConnectionFactory(http));
    } else {
      http.addCustomizer(new SecureRequestCustomizer());
      HttpConnectionFactory h1 = new HttpConnectionFactory(http);
      HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(http);
      ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
      alpn.setDefaultProtocol(h1.getProtocol());
      connector = new ServerConnector(server, new SslConnectionFactory(tls.contextFactory(), alpn.getProtocol()), alpn, h2, h1);
    }
    connector.setHost(host);
    connector.setPort(port);
    connector.setIdleTimeout(IDLE_TIMEOUT_MS);
    server.addConnector(connector);
    GracefulHandler graceful = new GracefulHandler(allowedOrigins.isEmpty() ? handler : cors(allowedOrigins, handler));
    server.setHandler(graceful);
    server.setStopTimeout(Math.max(1, drain.toMillis()));
    try {
      server.start();
    } catch (Exception e) {
      server.stop();
      throw e;
    }
    return new GatewayServer(server, connector);
  }

  private static Handler cors(List<String> origins, Handler handler) {
    CrossOriginHandler cors = new CrossOriginHandler();
    cors.setAllowedOriginPatterns(origins.stream().map(o -> o.equals("*") ? ".*" : Pattern.quote(o)).collect(Collectors.toSet()));
    cors.setAllowedMethods(Set.of("GET", "POST", "HEAD"));
    cors.setAllowedHeaders(CORS_HEADERS);
    cors.setExposedHeaders(Set.of("Retry-After"));
    cors.setAllowCredentials(false);
    cors.setPreflightMaxAge(Duration.ofMinutes(10));
    cors.setHandler(handler);
    return cors;
  }

  /** The bound port. */
  int port() {
    return connector.getLocalPort();
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
