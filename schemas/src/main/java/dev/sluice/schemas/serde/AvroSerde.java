package dev.sluice.schemas.serde;

import dev.sluice.schemas.registry.SchemaRegistryClient;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka {@link Serde} of an {@link AvroSerializer} and an {@link AvroDeserializer} sharing one
 * registry client, in the Confluent wire format with TopicNameStrategy subjects.
 *
 * <p>Built with a client ({@link #specific(Class, SchemaRegistryClient)},
 * {@link #generic(SchemaRegistryClient)}) it is usable at once, as a value serde with the default
 * {@link AvroSerdeConfig}, and never closes that client. Built by Kafka from its class name (as
 * {@code default.value.serde}), {@link #configure} reads {@code schema.registry.url} and the other
 * registry keys, builds one client for both halves and closes it in {@link #close()}; it then
 * reads generic records unless {@code specific.avro.reader=true}. {@link #configure} replaces the
 * halves, so call {@link #serializer()} and {@link #deserializer()} after it.
 *
 * @param <T> the value type
 */
public final class AvroSerde<T> implements Serde<T> {
  private final Class<T> type;
  private final RegistryClientHolder client;
  private volatile AvroSerializer<T> serializer;
  private volatile AvroDeserializer<T> deserializer;

  /** For Kafka: {@link #configure} must be called with {@code schema.registry.url}. */
  public AvroSerde() {
    this(null, null, AvroSerdeConfig.defaults(), false);
  }

  /**
   * A serde on a client the caller owns, usable without {@link #configure}.
   *
   * @param type the class to read into, or null to follow {@code specific.avro.reader}
   * @param client the registry client, not closed by this serde
   * @param config the serde config
   * @param isKey true to use {@code <topic>-key} subjects
   */
  public AvroSerde(Class<T> type, SchemaRegistryClient client, AvroSerdeConfig config, boolean isKey) {
    this.type = type;
    this.client = new RegistryClientHolder(client);
    this.serializer = client == null ? new AvroSerializer<>() : new AvroSerializer<>(client, config, isKey);
    this.deserializer = new AvroDeserializer<>(type, client, config);
  }

  /** A value serde of a generated SpecificRecord class, on a client the caller owns. */
  public static <T extends SpecificRecord> AvroSerde<T> specific(Class<T> type, SchemaRegistryClient client) {
    return new AvroSerde<>(Objects.requireNonNull(type, "type"), Objects.requireNonNull(client, "client"), AvroSerdeConfig.defaults(), false);
  }

  /** A value serde of generic records, on a client the caller owns. */
  public static AvroSerde<GenericRecord> generic(SchemaRegistryClient client) {
    return new AvroSerde<>(GenericRecord.class, Objects.requireNonNull(client, "client"), AvroSerdeConfig.defaults(), false);
  }

  /**
   * A serde of a generated SpecificRecord class whose registry client comes from
   * {@link #configure} (which must be called, with {@code schema.registry.url}).
   */
  public static <T extends SpecificRecord> AvroSerde<T> specific(Class<T> type) {
    return new AvroSerde<>(Objects.requireNonNull(type, "type"), null, AvroSerdeConfig.defaults(), false);
  }

  /**
   * Configures both halves; without an injected client, builds the one client they share.
   *
   * @throws org.apache.kafka.common.config.ConfigException listing every problem
   */
  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    AvroSerdeConfig config = client.configure(configs);
    SchemaRegistryClient shared = client.get();
    serializer = new AvroSerializer<>(shared, config, isKey);
    deserializer = new AvroDeserializer<>(type, shared, config);
  }

  @Override
  public Serializer<T> serializer() {
    return serializer;
  }

  @Override
  public Deserializer<T> deserializer() {
    return deserializer;
  }

  /** Closes both halves, and the registry client if this serde built it. */
  @Override
  public void close() {
    serializer.close();
    deserializer.close();
    client.close();
  }
}
