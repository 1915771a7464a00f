package dev.sluice.topology.ingress;

import dev.sluice.avro.InferenceResult;
import dev.sluice.schemas.registry.SchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryNotFoundException;
import dev.sluice.schemas.serde.WireFormat;
import dev.sluice.schemas.serde.WireFormatException;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * Reads only the fields of an InferenceResult on {@code <prefix>.results} that decide whether the
 * cache feed wants it: model, version, status, the cached and shadow flags, content key, tenant
 * and completion time. The writer's output (an embedding is hundreds of floats) is skipped, not
 * built, so the ingress's own cached answers, which come back on the results topic, cost the feed
 * little. Reads the Confluent wire format with the writer schema from the registry, resolved
 * against a projection of {@link InferenceResult}'s schema. One reader per processor; not
 * thread-safe.
 */
final class ResultSummaryReader {
  private static final List<String> FIELDS = List.of("model", "model_version", "status", "cached", "shadow", "content_key", "tenant",
      "completed_at");
  private static final Schema SUMMARY = projection(InferenceResult.getClassSchema(), FIELDS);

  private final SchemaRegistryClient registry;
  private final Map<Integer, GenericDatumReader<GenericRecord>> readers = new HashMap<>();
  private BinaryDecoder decoder;

  ResultSummaryReader(SchemaRegistryClient registry) {
    this.registry = registry;
  }

  /**
   * What the feed needs to know of one result.
   *
   * @param model the model
   * @param version the model version
   * @param ok whether the status is OK
   * @param cached whether it is an answer from the cache
   * @param shadow whether it is a shadow version's result
   * @param contentKey the content key, or null
   * @param tenant the tenant, or null
   * @param completedAtMillis when it completed
   */
  record Summary(String model, String version, boolean ok, boolean cached, boolean shadow, String contentKey, String tenant,
      long completedAtMillis) {}

  /**
   * Reads the summary of one record value.
   *
   * @throws WireFormatException when the bytes are not an InferenceResult in the wire format
   */
  Summary read(String topic, byte[] data) {
    int id = WireFormat.schemaId(topic, data);
    GenericDatumReader<GenericRecord> reader = readers.computeIfAbsent(id, key -> newReader(topic, key));
    decoder = DecoderFactory.get().binaryDecoder(data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE, decoder);
    GenericRecord record;
    try {
      record = reader.read(null, decoder);
    } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException | ClassCastException e) {
      throw new WireFormatException(WireFormatException.Kind.MALFORMED_PAYLOAD, topic, "Malformed Avro payload for schema id " + id,
          e.toString(), e);
    }
    return new Summary(text(record.get("model")), text(record.get("model_version")), "OK".equals(text(record.get("status"))),
        (Boolean) record.get("cached"), (Boolean) record.get("shadow"), text(record.get("content_key")), text(record.get("tenant")),
        (Long) record.get("completed_at"));
  }

  private GenericDatumReader<GenericRecord> newReader(String topic, int id) {
    Schema writer;
    try {
      writer = registry.getById(id);
    } catch (SchemaRegistryNotFoundException e) {
      throw new WireFormatException(WireFormatException.Kind.UNKNOWN_SCHEMA_ID, topic, "Unknown schema id " + id,
          "the schema registry has no schema with that id", e);
    }
    return new GenericDatumReader<>(writer, SUMMARY, new GenericData());
  }

  private static String text(Object value) {
    return value == null ? null : value.toString();
  }

  private static Schema projection(Schema full, List<String> names) {
    List<Schema.Field> fields = names.stream().map(name -> new Schema.Field(full.getField(name), full.getField(name).schema())).toList();
    return Schema.createRecord(full.getName(), full.getDoc(), full.getNamespace(), false, fields);
  }
}
