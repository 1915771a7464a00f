package dev.sluice.schemaregistry;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JDK's built-in HTTP server on a small bounded pool: {@value #THREADS} request threads and a
 * queue of {@value #QUEUE}; beyond that the accepting thread runs the request itself, which slows
 * down accepting instead of dropping connections. Binding happens at {@link #bind}, serving only
 * at {@link #start}, so a taken port is reported before anything else is set up.
 */
final class RegistryHttpServer implements AutoCloseable {

  private static final int THREADS = 4;
  private static final int QUEUE = 64;
  private static final int BACKLOG = 64;

  private final HttpServer server;
  private final ThreadPoolExecutor executor;

  private RegistryHttpServer(HttpServer server) {
    this.server = server;
    AtomicInteger threadNumber = new AtomicInteger();
    this.executor = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), runnable -> {
      Thread thread = new Thread(runnable, "sluice-registry-http-" + threadNumber.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    }, new ThreadPoolExecutor.CallerRunsPolicy());
    this.executor.allowCoreThreadTimeOut(true);
  }

  /**
   * Binds {@code host:port} (port 0: any free port).
   *
   * @throws RegistryPortInUseException when another process holds the port
   * @throws RegistryStartupException when the address cannot be resolved or bound otherwise
   */
  static RegistryHttpServer bind(String host, int port) {
    InetSocketAddress address = new InetSocketAddress(host, port);
    if (address.isUnresolved()) {
      throw new RegistryStartupException("cannot resolve the registry host '" + host + "'", null);
    }
    try {
      return new RegistryHttpServer(HttpServer.create(address, BACKLOG));
    } catch (BindException e) {
      if (String.valueOf(e.getMessage()).contains("in use")) {
        throw new RegistryPortInUseException(port, e);
      }
      throw new RegistryStartupException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new RegistryStartupException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
    }
  }

  /** Starts serving every path with {@code handler}. */
  void start(HttpHandler handler) {
    server.createContext("/", handler);
    server.setExecutor(executor);
    server.start();
  }

  /** The bound port; the chosen one when bound to port 0. */
  int port() {
    return server.getAddress().getPort();
  }

  /** Stops accepting, closes open connections and stops the request threads. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
