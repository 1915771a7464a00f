package dev.sluice.schemaregistry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.schemas.registry.CompatibilityLevel;
import java.io.IOException;
import java.util.Optional;

/**
 * Writes {@link StoreRecord}s as Kafka key/value JSON in the layout Confluent's registry uses in
 * its {@code _schemas} topic, and reads them back:
 *
 * <ul>
 *   <li>{@code {"keytype":"SCHEMA","subject":s,"version":v,"magic":1}} → {@code
 *       {"subject":s,"version":v,"id":n,"schema":"...","deleted":false}}; a null value erases the version
 *   <li>{@code {"keytype":"DELETE_SUBJECT","subject":s,"magic":0}} → {@code {"subject":s,"version":v}}
 *   <li>{@code {"keytype":"CONFIG","subject":s|null,"magic":0}} → {@code {"compatibilityLevel":"FULL"}};
 *       a null value clears the level
 * </ul>
 *
 * Keys of other types (NOOP, MODE, ...) decode to nothing. Equal keys serialize to equal bytes, so
 * compaction keeps the latest change per key.
 */
final class StoreRecordCodec {

  private final ObjectMapper mapper;
  private final JsonNodeFactory json = JsonNodeFactory.instance;

  StoreRecordCodec(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  byte[] key(StoreRecord record) {
    ObjectNode key = json.objectNode();
    if (record instanceof SubjectVersion v) {
      schemaKey(key, v.subject(), v.version());
    } else if (record instanceof StoreRecord.VersionErased e) {
      schemaKey(key, e.subject(), e.version());
    } else if (record instanceof StoreRecord.SubjectDeleted d) {
      key.put("keytype", "DELETE_SUBJECT").put("subject", d.subject()).put("magic", 0);
    } else if (record instanceof StoreRecord.CompatibilitySet c) {
      key.put("keytype", "CONFIG").put("subject", c.subject().orElse(null)).put("magic", 0);
    } else if (record instanceof StoreRecord.CompatibilityCleared c) {
      key.put("keytype", "CONFIG").put("subject", c.subject().orElse(null)).put("magic", 0);
    }
    return write(key);
  }

  /** The value bytes, or null for the tombstones (erased versions, cleared levels). */
  byte[] value(StoreRecord record) {
    if (record instanceof SubjectVersion v) {
      return write(json.objectNode().put("subject", v.subject()).put("version", v.version()).put("id", v.id())
          .put("schema", v.schema()).put("deleted", v.deleted()));
    }
    if (record instanceof StoreRecord.SubjectDeleted d) {
      return write(json.objectNode().put("subject", d.subject()).put("version", d.version()));
    }
    if (record instanceof StoreRecord.CompatibilitySet c) {
      return write(json.objectNode().put("subject", c.subject().orElse(null)).put("compatibilityLevel", c.level().name()));
    }
    return null;
  }

  /**
   * Reads one topic record.
   *
   * @return the change it holds, or empty for key types this registry does not use
   * @throws SchemaStoreException when the bytes are not a record this registry can apply
   */
  Optional<StoreRecord> decode(byte[] keyBytes, byte[] valueBytes) {
    JsonNode key = read(keyBytes, "key");
    JsonNode value = valueBytes == null ? null : read(valueBytes, "value");
    String subjectOrNull = key.path("subject").isTextual() ? key.get("subject").asText() : null;
    switch (key.path("keytype").asText()) {
      case "SCHEMA" -> {
        String subject = require(subjectOrNull, key);
        int version = key.path("version").asInt();
        if (value == null) {
          return Optional.of(new StoreRecord.VersionErased(subject, version));
        }
        String type = value.path("schemaType").asText(CanonicalSchema.AVRO);
        if (!type.equals(CanonicalSchema.AVRO)) {
          throw new SchemaStoreException("the schemas topic holds a " + type + " schema (subject " + subject
              + ", version " + version + "); this registry serves only AVRO", null);
        }
        return Optional.of(new SubjectVersion(subject, version, value.path("id").asInt(), value.path("schema").asText(),
            value.path("deleted").asBoolean(false)));
      }
      case "DELETE_SUBJECT" -> {
        return value == null ? Optional.empty()
            : Optional.of(new StoreRecord.SubjectDeleted(require(subjectOrNull, key), value.path("version").asInt()));
      }
      case "CONFIG" -> {
        Optional<String> subject = Optional.ofNullable(subjectOrNull);
        Optional<CompatibilityLevel> level = value == null ? Optional.empty() : CompatibilityLevel.parse(value.path("compatibilityLevel").asText(null));
        return Optional.of(level.<StoreRecord>map(l -> new StoreRecord.CompatibilitySet(subject, l))
            .orElseGet(() -> new StoreRecord.CompatibilityCleared(subject)));
      }
      default -> {
        return Optional.empty();
      }
    }
  }

  private static void schemaKey(ObjectNode key, String subject, int version) {
    key.put("keytype", "SCHEMA").put("subject", subject).put("version", version).put("magic", 1);
  }

  private static String require(String subject, JsonNode key) {
    if (subject == null) {
      throw new SchemaStoreException("schemas topic record key without a subject: " + key, null);
    }
    return subject;
  }

  private byte[] write(JsonNode node) {
    try {
      return mapper.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialize " + node, e);
    }
  }

  private JsonNode read(byte[] bytes, String part) {
    try {
      return mapper.readTree(bytes);
    } catch (IOException e) {
      throw new SchemaStoreException("unreadable schemas topic record " + part + ": " + e.getMessage(), e);
    }
  }
}
