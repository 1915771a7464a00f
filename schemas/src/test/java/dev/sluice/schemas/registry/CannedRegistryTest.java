package dev.sluice.schemas.registry;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the client tests over real HTTP: a {@link CannedRegistryServer} on an ephemeral port,
 * fresh for each test, and a client for it with fast retries.
 */
abstract class CannedRegistryTest {
  static final Schema PING = SchemaBuilder.record("Ping").namespace("dev.sluice.test").fields().requiredString("id").endRecord();
  static final String SUBJECT = "sluice.requests-value";

  CannedRegistryServer server;
  RestSchemaRegistryClient client;

  @BeforeEach
  void startServer() throws IOException {
    server = CannedRegistryServer.start();
    client = clientFor(Map.of());
  }

  @AfterEach
  void stopServer() {
    client.close();
    server.close();
  }

  /** A client of the canned server with two fast retries, plus the given properties. */
  RestSchemaRegistryClient clientFor(Map<String, Object> extra) {
    Map<String, Object> props = new HashMap<>(Map.of(
        SchemaRegistryClientConfig.URL, server.url(),
        SchemaRegistryClientConfig.RETRIES, 2,
        SchemaRegistryClientConfig.RETRY_BACKOFF_MS, 1));
    props.putAll(extra);
    return RestSchemaRegistryClient.fromProperties(props);
  }
}
