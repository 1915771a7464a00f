package dev.sluice.schemas.serde;

import dev.sluice.schemas.registry.LruCache;
import dev.sluice.schemas.registry.SchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryNotFoundException;
import dev.sluice.schemas.registry.UnsupportedSchemaTypeException;
import dev.sluice.schemas.serde.WireFormatException.Kind;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.Utf8;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka {@link Deserializer} reading Avro in the Confluent wire format. Fetches the writer
 * schema by the id in the header (cached by the client) and decodes with a reader schema:
 *
 * <ul>
 *   <li>built for a generated class ({@code new AvroDeserializer<>(InferenceRequest.class,
 *       client)}): that class's schema, returning instances of it;
 *   <li>else with {@code specific.avro.reader=true}: the generated class named by the writer
 *       schema's full name;
 *   <li>else: the writer schema, returning {@code GenericRecord}s (or Strings and other
 *       primitives for primitive schemas).
 * </ul>
 *
 * <p>A null array is a tombstone and gives null. Anything else that is not a well-formed
 * record, an empty array included, raises a {@link WireFormatException} naming what was wrong and
 * the topic; never a silent null. Registry outages propagate as
 * {@link dev.sluice.schemas.registry.SchemaRegistryException}s, since they are not bad data.
 *
 * <p>Built by Kafka from its class name, it reads {@code schema.registry.url} and the other
 * registry keys in {@link #configure} and owns that client; built with a client, it never closes
 * it. Subjects play no part in reading.
 *
 * @param <T> the value type
 */
public final class AvroDeserializer<T> implements Deserializer<T> {
  private static final int READER_CACHE_CAPACITY = 1000;

  private final Class<T> type;
  private final RegistryClientHolder client;
  private final ClassLoader classLoader;
  private final LruCache<Integer, DatumReader<Object>> readers = new LruCache<>(READER_CACHE_CAPACITY);
  private volatile AvroSerdeConfig config;

  /** For Kafka: {@link #configure} must be called with {@code schema.registry.url}. */
  public AvroDeserializer() {
    this(null, null, AvroSerdeConfig.defaults());
  }

  /** A deserializer of generic records on a client the caller owns. */
  public AvroDeserializer(SchemaRegistryClient client) {
    this(null, Objects.requireNonNull(client, "client"), AvroSerdeConfig.defaults());
  }

  /** A deserializer into a generated class; {@link #configure} supplies the registry. */
  public AvroDeserializer(Class<T> type) {
    this(Objects.requireNonNull(type, "type"), null, AvroSerdeConfig.defaults());
  }

  /** A deserializer into a generated class, on a client the caller owns. */
  public AvroDeserializer(Class<T> type, SchemaRegistryClient client) {
    this(Objects.requireNonNull(type, "type"), Objects.requireNonNull(client, "client"), AvroSerdeConfig.defaults());
  }

  /**
   * A deserializer on a client the caller owns, usable without {@link #configure}.
   *
   * @param type the class to read into, or null to follow {@code specific.avro.reader}
   * @param client the registry client, or null to build one in {@link #configure}
   * @param config the serde config
   */
  public AvroDeserializer(Class<T> type, SchemaRegistryClient client, AvroSerdeConfig config) {
    this.type = type;
    this.client = new RegistryClientHolder(client);
    this.config = Objects.requireNonNull(config, "config");
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    this.classLoader = loader != null ? loader : AvroDeserializer.class.getClassLoader();
  }

  /**
   * Reads the {@link AvroSerdeConfig} keys (and, without an injected client, the registry keys).
   *
   * @throws org.apache.kafka.common.config.ConfigException listing every problem
   */
  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    this.config = client.configure(configs);
    readers.clear();
  }

  @Override
  @SuppressWarnings("unchecked")
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    int id = WireFormat.schemaId(topic, data);
    DatumReader<Object> reader = readers.computeIfAbsent(id, key -> newReader(topic, key));
    BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE, null);
    Object value;
    try {
      value = reader.read(null, decoder);
      if (!decoder.isEnd()) {
        throw malformed(topic, id, "trailing bytes after the record", null);
      }
    } catch (WireFormatException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // Decoding is a pure function of the bytes: whatever Avro throws on them (a corrupt length,
      // an instant out of Java's range in a logical type, ...) means the bytes are bad.
      throw malformed(topic, id, e.toString(), e);
    }
    return (T) (value instanceof Utf8 text ? text.toString() : value);
  }

  private DatumReader<Object> newReader(String topic, int id) {
    Schema writer;
    try {
      writer = client.get().getById(id);
    } catch (SchemaRegistryNotFoundException e) {
      throw new WireFormatException(Kind.UNKNOWN_SCHEMA_ID, topic, "Unknown schema id " + id, "the schema registry has no schema with that id", e);
    } catch (UnsupportedSchemaTypeException e) {
      throw new WireFormatException(Kind.READER_INCOMPATIBLE, topic, "Schema id " + id + " is a " + e.schemaType() + " schema",
          "this deserializer reads Avro only", e);
    }
    Class<?> target = type != null && SpecificRecord.class.isAssignableFrom(type) ? type : null;
    if (target == null && config.specificAvroReader() && isNamed(writer)) {
      target = DeclaredSpecificData.findRecordClass(writer.getFullName(), classLoader).orElse(null);
      if (target == null) {
        throw new WireFormatException(Kind.READER_INCOMPATIBLE, topic,
            "No generated class " + writer.getFullName() + " for schema id " + id,
            "specific.avro.reader is true, so the writer schema's class must be on the classpath", null);
      }
    }
    if (target == null) {
      return new GenericDatumReader<>(writer, writer, GenericData.get());
    }
    DeclaredSpecificData model = new DeclaredSpecificData(target);
    Schema readerSchema = model.readerSchema();
    SchemaCompatibility.SchemaPairCompatibility compatibility = SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writer);
    if (compatibility.getType() != SchemaCompatibilityType.COMPATIBLE) {
      throw new WireFormatException(Kind.READER_INCOMPATIBLE, topic,
          "Writer schema id " + id + " (" + writer.getFullName() + ") cannot be read as " + target.getName(), describe(compatibility), null);
    }
    return new SpecificDatumReader<>(writer, readerSchema, model);
  }

  private static boolean isNamed(Schema schema) {
    return schema.getType() == Schema.Type.RECORD || schema.getType() == Schema.Type.ENUM || schema.getType() == Schema.Type.FIXED;
  }

  private static String describe(SchemaCompatibility.SchemaPairCompatibility compatibility) {
    return compatibility.getResult().getIncompatibilities().stream()
        .map(i -> i.getType() + " at " + i.getLocation() + ": " + i.getMessage())
        .reduce((a, b) -> a + "; " + b)
        .orElse(compatibility.getDescription());
  }

  private WireFormatException malformed(String topic, int id, String detail, Throwable cause) {
    return new WireFormatException(Kind.MALFORMED_PAYLOAD, topic, "Malformed Avro payload for schema id " + id, detail, cause);
  }

  /** Closes the registry client if this deserializer built it. */
  @Override
  public void close() {
    client.close();
    readers.clear();
  }
}
