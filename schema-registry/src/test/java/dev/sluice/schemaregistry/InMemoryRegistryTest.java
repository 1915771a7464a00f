package dev.sluice.schemaregistry;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the HTTP-level API tests: a real registry HTTP server on an ephemeral port over the
 * in-memory store, fresh for each test, and a plain HTTP client for it.
 */
abstract class InMemoryRegistryTest {
  EmbeddedSchemaRegistry registry;
  RegistryTestClient client;

  @BeforeEach
  void startRegistry() {
    registry = EmbeddedSchemaRegistry.start(EmbeddedSchemaRegistryConfig.defaults("unused:9092").withPort(0), new InMemorySchemaStore());
    client = new RegistryTestClient(registry.url());
  }

  @AfterEach
  void stopRegistry() {
    registry.close();
  }
}
