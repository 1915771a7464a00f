package dev.sluice.schemaregistry;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An in-process schema registry speaking Confluent Schema Registry's REST API v1 for Avro schemas,
 * so Confluent's serializers, {@code CachedSchemaRegistryClient} and plain HTTP clients work
 * against it unchanged.
 *
 * <p>Schemas, compatibility settings and deletes live in a single-partition compacted Kafka topic
 * (default {@code _schemas}, Confluent's layout), which is created when missing and read to its end
 * before the server answers, so global ids, versions and settings survive restarts. Writes are
 * acknowledged by Kafka ({@code acks=all}) before they are applied and answered.
 *
 * <p>Scope: one registry instance per topic. Id allocation is safe within an instance (writes are
 * serialized), but there is no leader election between instances and the topic is not tailed after
 * start, so two instances writing one topic would diverge. Only Avro is supported; schema
 * references are rejected. Mode is always READWRITE.
 *
 * <pre>{@code
 * try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(
 *     EmbeddedSchemaRegistryConfig.defaults(broker.bootstrapServers()).withPort(0))) {
 *   String url = registry.url();  // http://localhost:PORT
 * }
 * }</pre>
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {

  private final EmbeddedSchemaRegistryConfig config;
  private final RegistryHttpServer http;
  private final SchemaStore store;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedSchemaRegistry(EmbeddedSchemaRegistryConfig config, RegistryHttpServer http, SchemaStore store) {
    this.config = config;
    this.http = http;
    this.store = store;
  }

  /**
   * Binds the port, prepares and reads the Kafka topic, then starts serving.
   *
   * @throws RegistryPortInUseException when the port is taken
   * @throws RegistryStartupException when Kafka or the topic cannot be used in time
   */
  public static EmbeddedSchemaRegistry start(EmbeddedSchemaRegistryConfig config) {
    RegistryHttpServer http = RegistryHttpServer.bind(config.host(), config.port());
    SchemaStore store;
    try {
      store = KafkaSchemaStore.open(config);
    } catch (RuntimeException e) {
      http.close();
      throw e;
    }
    return serve(config, http, store);
  }

  /**
   * Starts a registry on another store, e.g. an {@link InMemorySchemaStore}; the config's Kafka
   * settings are not used. The registry closes the store when it closes.
   *
   * @throws RegistryPortInUseException when the port is taken
   * @throws RegistryStartupException when the store cannot be read
   */
  public static EmbeddedSchemaRegistry start(EmbeddedSchemaRegistryConfig config, SchemaStore store) {
    RegistryHttpServer http;
    try {
      http = RegistryHttpServer.bind(config.host(), config.port());
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    return serve(config, http, store);
  }

  private static EmbeddedSchemaRegistry serve(EmbeddedSchemaRegistryConfig config, RegistryHttpServer http, SchemaStore store) {
    try {
      SchemaRegistryService service = SchemaRegistryService.load(store);
      ObjectMapper mapper = JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();
      http.start(new RegistryHttpHandler(new RegistryRouter(service, mapper), mapper));
      return new EmbeddedSchemaRegistry(config, http, store);
    } catch (SchemaStoreException e) {
      http.close();
      store.close();
      throw new RegistryStartupException("cannot load the registry's state: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      http.close();
      store.close();
      throw e;
    }
  }

  /** The base URL clients use, e.g. {@code http://localhost:8081}; a wildcard bind address reads as localhost. */
  public String url() {
    String host = config.host();
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      host = "localhost";
    } else if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return "http://" + host + ":" + port();
  }

  /** The port the registry listens on; the chosen one when configured with port 0. */
  public int port() {
    return http.port();
  }

  /** Stops the HTTP server and closes the Kafka clients; idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      try {
        http.close();
      } finally {
        store.close();
      }
    }
  }
}
