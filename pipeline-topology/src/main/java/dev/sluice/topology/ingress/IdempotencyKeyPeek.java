package dev.sluice.topology.ingress;

import dev.sluice.schemas.registry.SchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryException;
import dev.sluice.schemas.registry.SchemaRegistryNotFoundException;
import dev.sluice.schemas.registry.UnsupportedSchemaTypeException;
import dev.sluice.schemas.serde.WireFormat;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * Reads the idempotency key of a request from its wire bytes without decoding the rest, so the
 * task that read a request owned by another task passes it on for the price of five field reads.
 * It works for writer schemas whose first five fields are InferenceRequest's ({@code request_id},
 * {@code model}: strings; {@code model_version}, {@code tenant}, {@code idempotency_key}: unions of
 * null and string, in that order), which every version of the contract has; for any other record
 * (another writer layout, an unknown schema id, bytes that are not what they claim) it says it
 * cannot tell, and the request path decodes the record in full. One per processor; not thread-safe.
 */
final class IdempotencyKeyPeek {
  private static final List<String> LEADING_FIELDS = List.of("request_id", "model", "model_version", "tenant", "idempotency_key");

  private final SchemaRegistryClient registry;
  private final Map<Integer, Boolean> knownLayout = new HashMap<>();
  private BinaryDecoder decoder;

  /** @param registry resolves writer schema ids (its own cache makes repeats free) */
  IdempotencyKeyPeek(SchemaRegistryClient registry) {
    this.registry = registry;
  }

  /**
   * What the bytes say of the idempotency key.
   *
   * @param readable whether the bytes could be read this way; when false, decode in full
   * @param key the idempotency key, null when the request has none
   */
  record Peek(boolean readable, String key) {
    static final Peek UNREADABLE = new Peek(false, null);
  }

  /** Peeks at a record value. */
  Peek peek(byte[] value) {
    if (value == null || value.length < WireFormat.HEADER_SIZE || value[0] != WireFormat.MAGIC_BYTE) {
      return Peek.UNREADABLE;
    }
    int schemaId = WireFormat.schemaId("", value);
    Boolean known = knownLayout.get(schemaId);
    if (known == null) {
      known = hasLeadingFields(schemaId);
      if (known == null) {
        return Peek.UNREADABLE;
      }
      knownLayout.put(schemaId, known);
    }
    if (!known) {
      return Peek.UNREADABLE;
    }
    try {
      decoder = DecoderFactory.get().binaryDecoder(value, WireFormat.HEADER_SIZE, value.length - WireFormat.HEADER_SIZE, decoder);
      decoder.skipString();
      decoder.skipString();
      skipOptionalString(decoder);
      skipOptionalString(decoder);
      return switch (decoder.readIndex()) {
        case 0 -> new Peek(true, null);
        case 1 -> new Peek(true, decoder.readString());
        default -> Peek.UNREADABLE;
      };
    } catch (IOException | RuntimeException e) {
      return Peek.UNREADABLE;
    }
  }

  private static void skipOptionalString(BinaryDecoder decoder) throws IOException {
    int branch = decoder.readIndex();
    if (branch == 1) {
      decoder.skipString();
    } else if (branch != 0) {
      throw new IOException("union branch " + branch + " out of range");
    }
  }

  /** Whether the writer schema starts with the five fields; null when the registry cannot say now (not remembered). */
  private Boolean hasLeadingFields(int schemaId) {
    Schema writer;
    try {
      writer = registry.getById(schemaId);
    } catch (SchemaRegistryNotFoundException | UnsupportedSchemaTypeException e) {
      return false;
    } catch (SchemaRegistryException e) {
      return null;
    }
    if (writer.getType() != Schema.Type.RECORD || writer.getFields().size() < LEADING_FIELDS.size()) {
      return false;
    }
    for (int i = 0; i < LEADING_FIELDS.size(); i++) {
      Schema.Field field = writer.getFields().get(i);
      if (!field.name().equals(LEADING_FIELDS.get(i)) || !(i < 2 ? isString(field.schema()) : isNullThenString(field.schema()))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isString(Schema schema) {
    return schema.getType() == Schema.Type.STRING;
  }

  private static boolean isNullThenString(Schema schema) {
    return schema.getType() == Schema.Type.UNION && schema.getTypes().size() == 2
        && schema.getTypes().get(0).getType() == Schema.Type.NULL && isString(schema.getTypes().get(1));
  }
}
