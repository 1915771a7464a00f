package dev.sluice.schemaregistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** Starting, addressing and closing the registry. */
class EmbeddedSchemaRegistryTest {

  private final EmbeddedSchemaRegistryConfig config = EmbeddedSchemaRegistryConfig.defaults("unused:9092").withPort(0);

  @Test
  void portZeroPicksAFreePortAndTheUrlNamesIt() {
    try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(config, new InMemorySchemaStore())) {
      assertThat(registry.port()).isPositive();
      assertThat(registry.url()).isEqualTo("http://localhost:" + registry.port());
      assertThat(new RegistryTestClient(registry.url()).get("/").status()).isEqualTo(200);
    }
  }

  @Test
  void aTakenPortFailsWithATypedExceptionAndOneClearMessage() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("localhost"))) {
      int port = taken.getLocalPort();

      assertThatThrownBy(() -> EmbeddedSchemaRegistry.start(config.withPort(port), new InMemorySchemaStore()))
          .isInstanceOf(RegistryPortInUseException.class)
          .hasMessage("port " + port + " is already in use; pass --registry-port or stop the other process")
          .satisfies(e -> assertThat(((RegistryPortInUseException) e).port()).isEqualTo(port));
    }
  }

  @Test
  void closeStopsServingAndIsIdempotent() {
    EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(config, new InMemorySchemaStore());
    RegistryTestClient client = new RegistryTestClient(registry.url());

    registry.close();
    registry.close();

    assertThatThrownBy(() -> client.get("/")).isInstanceOf(UncheckedIOException.class);
  }

  @Test
  void theSamePortCanBeReboundAfterClose() {
    int port;
    try (EmbeddedSchemaRegistry first = EmbeddedSchemaRegistry.start(config, new InMemorySchemaStore())) {
      port = first.port();
    }
    try (EmbeddedSchemaRegistry second = EmbeddedSchemaRegistry.start(config.withPort(port), new InMemorySchemaStore())) {
      assertThat(second.port()).isEqualTo(port);
    }
  }
}
