package dev.sluice.schemas.serde;

import dev.sluice.schemas.registry.IncompatibleSchemaException;
import dev.sluice.schemas.registry.InvalidSchemaRegistryRequestException;
import dev.sluice.schemas.registry.LruCache;
import dev.sluice.schemas.registry.SchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryNotFoundException;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka {@link Serializer} writing Avro in the Confluent wire format: magic byte 0, the 4-byte
 * schema id, then the Avro binary. Takes generated {@code SpecificRecord}s, {@code GenericRecord}s
 * (any {@code GenericContainer}) and Avro primitives (String, Integer, Long, Float, Double,
 * Boolean, byte[]).
 *
 * <p>The subject follows TopicNameStrategy only: {@code <topic>-value}, or {@code <topic>-key}
 * when configured as a key serializer. Which schema id is written depends on
 * {@link AvroSerdeConfig}: the record's schema registered ({@code auto.register.schemas}, the
 * default), the record's schema looked up (registration off), or the subject's latest version
 * ({@code use.latest.version}). A null value is written as null (a tombstone).
 *
 * <p>Built by Kafka from its class name, it reads {@code schema.registry.url} and the other
 * {@link dev.sluice.schemas.registry.SchemaRegistryClientConfig} keys in {@link #configure} and
 * owns the client it builds. Built with a client, it uses that one and never closes it.
 *
 * <p>Failures: a {@link SerializationException} when the datum cannot be written or its schema
 * is refused (incompatible, invalid, or not registered while registration is off); registry
 * outages propagate as {@link dev.sluice.schemas.registry.SchemaRegistryUnavailableException}
 * and {@link dev.sluice.schemas.registry.SchemaRegistryServerException}.
 *
 * @param <T> the value type
 */
public final class AvroSerializer<T> implements Serializer<T> {
  /** Writers of the generated classes serialized so far: one per class, never more than a few. */
  private final LruCache<Class<?>, DatumWriter<Object>> specificWriters = new LruCache<>(64);
  private final RegistryClientHolder client;
  private volatile AvroSerdeConfig config;
  private volatile boolean isKey;
  private volatile LatestVersionWriter latestWriter;

  /** For Kafka: {@link #configure} must be called with {@code schema.registry.url}. */
  public AvroSerializer() {
    this.client = new RegistryClientHolder(null);
    this.config = AvroSerdeConfig.defaults();
    this.latestWriter = new LatestVersionWriter(config.latestCacheTtlSeconds());
  }

  /** A value serializer with the default config, on a client the caller owns. */
  public AvroSerializer(SchemaRegistryClient client) {
    this(client, AvroSerdeConfig.defaults(), false);
  }

  /**
   * A serializer on a client the caller owns; usable without {@link #configure}.
   *
   * @param client the registry client, not closed by this serializer
   * @param config the serde config
   * @param isKey true to use the {@code <topic>-key} subject
   */
  public AvroSerializer(SchemaRegistryClient client, AvroSerdeConfig config, boolean isKey) {
    this.client = new RegistryClientHolder(Objects.requireNonNull(client, "client"));
    this.config = Objects.requireNonNull(config, "config");
    this.isKey = isKey;
    this.latestWriter = new LatestVersionWriter(config.latestCacheTtlSeconds());
  }

  /**
   * Reads the {@link AvroSerdeConfig} keys (and, without an injected client, the registry keys).
   *
   * @throws org.apache.kafka.common.config.ConfigException listing every problem
   */
  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    AvroSerdeConfig parsed = client.configure(configs);
    this.config = parsed;
    this.isKey = isKey;
    this.latestWriter = new LatestVersionWriter(parsed.latestCacheTtlSeconds());
  }

  @Override
  public byte[] serialize(String topic, T data) {
    if (data == null) {
      return null;
    }
    Schema schema = AvroDatums.schemaOf(data);
    String subject = subject(topic);
    SchemaRegistryClient registry = client.get();
    AvroSerdeConfig current = config;
    if (current.useLatestVersion()) {
      return latestWriter.serialize(registry, topic, subject, data, schema);
    }
    int id = current.autoRegisterSchemas() ? register(registry, subject, schema) : lookUp(registry, subject, schema);
    return AvroDatums.encodeFramed(id, data, schema, writerFor(data, schema), topic);
  }

  /** A generated class's writer is built once; other datums get a fresh one. */
  private DatumWriter<Object> writerFor(T data, Schema schema) {
    return data instanceof SpecificRecord
        ? specificWriters.computeIfAbsent(data.getClass(), type -> AvroDatums.writerFor(data, schema))
        : AvroDatums.writerFor(data, schema);
  }

  /** The subject for a topic under TopicNameStrategy. */
  public String subject(String topic) {
    return topic + (isKey ? "-key" : "-value");
  }

  private static int register(SchemaRegistryClient registry, String subject, Schema schema) {
    try {
      return registry.register(subject, schema);
    } catch (IncompatibleSchemaException | InvalidSchemaRegistryRequestException e) {
      throw new SerializationException("Cannot register schema " + schema.getFullName() + " under subject " + subject + ": " + e.getMessage(), e);
    }
  }

  private static int lookUp(SchemaRegistryClient registry, String subject, Schema schema) {
    try {
      return registry.lookup(subject, schema).id();
    } catch (SchemaRegistryNotFoundException e) {
      throw new SerializationException("Schema " + schema.getFullName() + " is not registered under subject " + subject
          + " and auto.register.schemas is false: register it first (" + e.getMessage() + ")", e);
    }
  }

  /** Closes the registry client if this serializer built it. */
  @Override
  public void close() {
    client.close();
  }
}
