package dev.sluice.local.kafka;

import dev.sluice.local.kafka.LocalKafkaException.Reason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.server.ServerSocketFactory;

/**
 * Binds the broker's listener sockets before Kafka starts and hands them to Kafka's socket
 * servers. Binding first turns port 0 into a known port (needed for the controller quorum and the
 * advertised listener) and reports a taken port as a clear {@link LocalKafkaException} instead of a
 * failure deep inside broker startup.
 */
final class PreboundSockets implements ServerSocketFactory, AutoCloseable {
  private final Map<String, ServerSocketChannel> unclaimed = new HashMap<>();
  private final Map<String, Integer> ports = new HashMap<>();

  private PreboundSockets() {}

  /**
   * Binds one socket per listener.
   *
   * @param host the address to bind
   * @param listenerPorts listener name to requested port (0 = ephemeral) and the setting that
   *     chose it, for the error message
   * @throws LocalKafkaException if a port is taken or the host does not resolve
   */
  static PreboundSockets bind(String host, Map<String, PortSetting> listenerPorts) {
    PreboundSockets sockets = new PreboundSockets();
    try {
      listenerPorts.forEach((listener, setting) -> sockets.bindOne(host, listener, setting));
      return sockets;
    } catch (RuntimeException e) {
      sockets.close();
      throw e;
    }
  }

  /** The port actually bound for a listener. */
  int port(String listener) {
    Integer port = ports.get(listener);
    if (port == null) {
      throw new IllegalArgumentException("No socket was bound for listener " + listener);
    }
    return port;
  }

  @Override
  public synchronized ServerSocketChannel openServerSocket(String listenerName,
      InetSocketAddress socketAddress, int listenBacklogSize, int recvBufferSize)
      throws IOException {
    ServerSocketChannel channel = unclaimed.remove(listenerName);
    if (channel == null) {
      return ServerSocketFactory.INSTANCE.openServerSocket(
          listenerName, socketAddress, listenBacklogSize, recvBufferSize);
    }
    if (recvBufferSize > 0) {
      channel.socket().setReceiveBufferSize(recvBufferSize);
    }
    return channel;
  }

  /** Closes the sockets Kafka did not claim; Kafka closes the ones it did. */
  @Override
  public synchronized void close() {
    IOException first = null;
    for (ServerSocketChannel channel : unclaimed.values()) {
      try {
        channel.close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    unclaimed.clear();
    if (first != null) {
      throw new UncheckedIOException("Could not release a listener socket", first);
    }
  }

  private void bindOne(String host, String listener, PortSetting setting) {
    InetSocketAddress address = new InetSocketAddress(host, setting.port());
    if (address.isUnresolved()) {
      throw new LocalKafkaException(Reason.HOST_UNRESOLVED, "Host " + host + " ("
          + LocalKafkaConfig.HOST + ") does not resolve to an address. Use localhost or a name "
          + "or address of this machine.");
    }
    ServerSocketChannel channel = null;
    try {
      channel = ServerSocketChannel.open();
      channel.configureBlocking(false);
      channel.bind(address);
      unclaimed.put(listener, channel);
      ports.put(listener, ((InetSocketAddress) channel.getLocalAddress()).getPort());
    } catch (IOException e) {
      closeAfterFailure(channel, e);
      if (e instanceof BindException) {
        throw new LocalKafkaException(Reason.PORT_IN_USE, "Port " + setting.port() + " on " + host
            + " (" + setting.name() + ") is already in use. Stop the process that holds it, or "
            + "choose another port with " + setting.name() + " (0 picks a free one).", e);
      }
      throw new LocalKafkaException(Reason.BROKER_FAILED, "Could not open port " + setting.port()
          + " on " + host + " (" + setting.name() + "): " + e.getMessage(), e);
    }
  }

  private static void closeAfterFailure(ServerSocketChannel channel, IOException failure) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException closeFailure) {
      failure.addSuppressed(closeFailure);
    }
  }

  /**
   * A requested port and the setting it came from.
   *
   * @param name the setting name, e.g. {@code broker.port}
   * @param port the requested port, 0 for ephemeral
   */
  record PortSetting(String name, int port) {}
}
