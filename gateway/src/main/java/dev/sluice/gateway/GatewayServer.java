package dev.sluice.gateway;

import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The API's HTTP server: Jetty 12, HTTP/1.1 and cleartext HTTP/2 (h2c, by upgrade or prior
 * knowledge) on one port, bounded headers, an idle timeout and a minimum request data rate so a
 * slow client cannot hold a connection for ever; a small thread pool, since no call waits on a thread.
 */
final class GatewayServer implements AutoCloseable {
  static final int MAX_HEADER_BYTES = 16 * 1024;
  static final long IDLE_TIMEOUT_MS = 30_000;
  /** Bytes per second a client must keep sending a request body at. */
  static final long MIN_REQUEST_DATA_RATE = 1024;

  private final Server server;
  private final ServerConnector connector;

  private GatewayServer(Server server, ServerConnector connector) {
    this.server = server;
    this.connector = connector;
  }

  /**
   * Binds and starts.
   *
   * @throws Exception when the address cannot be bound or Jetty does not start
   */
  static GatewayServer start(String host, int port, Handler handler) throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool(64, 4);
    threads.setName("sluice-gateway-http");
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setRequestHeaderSize(MAX_HEADER_BYTES);
    http.setResponseHeaderSize(MAX_HEADER_BYTES);
    http.setSendServerVersion(false);
    http.setSendDateHeader(true);
    http.setMinRequestDataRate(MIN_REQUEST_DATA_RATE);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http), new HTTP2CServerConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    connector.setIdleTimeout(IDLE_TIMEOUT_MS);
    server.addConnector(connector);
    server.setHandler(handler);
    server.setStopTimeout(5_000);
    try {
      server.start();
    } catch (Exception e) {
      server.stop();
      throw e;
    }
    return new GatewayServer(server, connector);
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
