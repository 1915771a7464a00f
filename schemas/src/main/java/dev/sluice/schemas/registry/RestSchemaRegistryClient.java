package dev.sluice.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * {@link SchemaRegistryClient} over the Confluent Schema Registry REST API v1, on the JDK's
 * {@link java.net.http.HttpClient} and Jackson.
 *
 * <p>Keeps three bounded LRU caches per instance (capacity
 * {@link SchemaRegistryClientConfig#cacheCapacity()} each): schemas by id, ids by subject and
 * schema (from {@link #register}), and lookups by subject and schema. Those answers never change
 * for a live subject; {@link #deleteSubject} drops the subject's entries. Latest versions,
 * listings and configs are always asked for. Thread-safe.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {
  private static final String AVRO = "AVRO";

  private final ObjectMapper json = new ObjectMapper();
  private final RegistryHttpTransport http;
  private final LruCache<Integer, Schema> schemasById;
  private final LruCache<SubjectSchema, Integer> registeredIds;
  private final LruCache<SubjectSchema, RegisteredSchema> lookups;
  private volatile boolean closed;

  /** Creates a client; no connection is made until the first call. */
  public RestSchemaRegistryClient(SchemaRegistryClientConfig config) {
    Objects.requireNonNull(config, "config");
    this.http = new RegistryHttpTransport(config, json);
    this.schemasById = new LruCache<>(config.cacheCapacity());
    this.registeredIds = new LruCache<>(config.cacheCapacity());
    this.lookups = new LruCache<>(config.cacheCapacity());
  }

  /**
   * Creates a client from properties; see {@link SchemaRegistryClientConfig} for the keys.
   *
   * @throws org.apache.kafka.common.config.ConfigException listing every problem
   */
  public static RestSchemaRegistryClient fromProperties(Map<String, ?> props) {
    return new RestSchemaRegistryClient(SchemaRegistryClientConfig.parse(props));
  }

  @Override
  public int register(String subject, Schema schema) {
    SubjectSchema key = new SubjectSchema(subject, schema);
    Integer cached = registeredIds.get(key);
    if (cached != null) {
      return cached;
    }
    JsonNode answer = send("POST", subjectPath(subject) + "/versions", schemaBody(schema));
    int id = requiredInt(answer, "id", "register");
    registeredIds.put(key, id);
    schemasById.put(id, schema);
    return id;
  }

  @Override
  public RegisteredSchema lookup(String subject, Schema schema) {
    SubjectSchema key = new SubjectSchema(subject, schema);
    RegisteredSchema cached = lookups.get(key);
    if (cached != null) {
      return cached;
    }
    JsonNode answer = send("POST", subjectPath(subject), schemaBody(schema));
    RegisteredSchema found = new RegisteredSchema(subject, requiredInt(answer, "id", "lookup"), requiredInt(answer, "version", "lookup"), schema);
    lookups.put(key, found);
    schemasById.put(found.id(), schema);
    return found;
  }

  @Override
  public Schema getById(int id) {
    Schema cached = schemasById.get(id);
    if (cached != null) {
      return cached;
    }
    Schema schema = avroSchema(send("GET", "/schemas/ids/" + id, null), "schema id " + id);
    schemasById.put(id, schema);
    return schema;
  }

  @Override
  public RegisteredSchema getLatest(String subject) {
    return version(subject, "latest");
  }

  @Override
  public RegisteredSchema getVersion(String subject, int version) {
    return version(subject, Integer.toString(version));
  }

  private RegisteredSchema version(String subject, String version) {
    JsonNode answer = send("GET", subjectPath(subject) + "/versions/" + version, null);
    String what = "subject " + subject + " version " + version;
    RegisteredSchema found = new RegisteredSchema(
        subject, requiredInt(answer, "id", what), requiredInt(answer, "version", what), avroSchema(answer, what));
    schemasById.put(found.id(), found.schema());
    return found;
  }

  @Override
  public List<String> listSubjects() {
    List<String> subjects = new ArrayList<>();
    requiredArray(send("GET", "/subjects", null), "subjects").forEach(node -> subjects.add(node.asText()));
    return List.copyOf(subjects);
  }

  @Override
  public List<Integer> listVersions(String subject) {
    return ints(send("GET", subjectPath(subject) + "/versions", null), "versions of " + subject);
  }

  @Override
  public CompatibilityVerdict checkCompatibility(String subject, Schema schema) {
    JsonNode answer = send("POST", "/compatibility" + subjectPath(subject) + "/versions/latest?verbose=true", schemaBody(schema));
    JsonNode verdict = answer.path("is_compatible");
    if (!verdict.isBoolean()) {
      throw protocol("compatibility check of " + subject + " answered without a boolean is_compatible: " + answer);
    }
    List<String> messages = new ArrayList<>();
    answer.path("messages").forEach(node -> messages.add(node.asText()));
    return new CompatibilityVerdict(verdict.asBoolean(), messages);
  }

  @Override
  public CompatibilityLevel getGlobalConfig() {
    return level(send("GET", "/config", null), "global config");
  }

  @Override
  public void putGlobalConfig(CompatibilityLevel level) {
    send("PUT", "/config", levelBody(level));
  }

  @Override
  public Optional<CompatibilityLevel> getSubjectConfig(String subject) {
    try {
      return Optional.of(level(send("GET", "/config/" + encode(subject), null), "config of " + subject));
    } catch (SchemaRegistryNotFoundException e) {
      if (e.errorCode() == SchemaRegistryException.SUBJECT_COMPATIBILITY_NOT_CONFIGURED || e.subjectNotFound()) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public CompatibilityLevel getEffectiveConfig(String subject) {
    return level(send("GET", "/config/" + encode(subject) + "?defaultToGlobal=true", null), "config of " + subject);
  }

  @Override
  public void putSubjectConfig(String subject, CompatibilityLevel level) {
    send("PUT", "/config/" + encode(subject), levelBody(level));
  }

  @Override
  public List<Integer> deleteSubject(String subject, boolean permanent) {
    List<Integer> deleted = ints(send("DELETE", subjectPath(subject) + (permanent ? "?permanent=true" : ""), null), "deleted versions of " + subject);
    registeredIds.removeIf((key, id) -> key.subject().equals(subject));
    lookups.removeIf((key, found) -> key.subject().equals(subject));
    return deleted;
  }

  /**
   * Drops the caches; later calls fail with {@link IllegalStateException}. (The JDK 17 HTTP
   * client has no close of its own; its connections and selector thread go with it once it is
   * unreachable.)
   */
  @Override
  public void close() {
    closed = true;
    schemasById.clear();
    registeredIds.clear();
    lookups.clear();
  }

  private JsonNode send(String method, String path, JsonNode body) {
    if (closed) {
      throw new IllegalStateException("schema registry client is closed");
    }
    return http.send(method, path, body);
  }

  private static String subjectPath(String subject) {
    return "/subjects/" + encode(subject);
  }

  private static String encode(String subject) {
    if (subject == null || subject.isEmpty()) {
      throw new IllegalArgumentException("subject must not be empty");
    }
    return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private ObjectNode schemaBody(Schema schema) {
    return json.createObjectNode().put("schema", Objects.requireNonNull(schema, "schema").toString());
  }

  private ObjectNode levelBody(CompatibilityLevel level) {
    return json.createObjectNode().put("compatibility", Objects.requireNonNull(level, "level").name());
  }

  private static Schema avroSchema(JsonNode answer, String what) {
    String type = answer.path("schemaType").asText(AVRO);
    if (!AVRO.equalsIgnoreCase(type)) {
      throw new UnsupportedSchemaTypeException("The registry's " + what + " is a " + type + " schema; only Avro is supported", type);
    }
    JsonNode text = answer.path("schema");
    if (!text.isTextual()) {
      throw protocol("the registry's answer for " + what + " has no schema text: " + answer);
    }
    if (answer.path("references").size() > 0) {
      throw protocol("the registry's " + what + " uses schema references, which this client does not resolve");
    }
    try {
      return new Schema.Parser().setValidateDefaults(false).parse(text.asText());
    } catch (SchemaParseException e) {
      throw new SchemaRegistryProtocolException("The registry's " + what + " is not a valid Avro schema: " + e.getMessage(), 200, e);
    }
  }

  private static CompatibilityLevel level(JsonNode answer, String what) {
    JsonNode value = answer.has("compatibilityLevel") ? answer.get("compatibilityLevel") : answer.path("compatibility");
    return CompatibilityLevel.parse(value.asText(null))
        .orElseThrow(() -> protocol("the registry's " + what + " has no known compatibility level: " + answer));
  }

  private static int requiredInt(JsonNode answer, String field, String what) {
    JsonNode value = answer.path(field);
    if (!value.canConvertToInt() || !value.isIntegralNumber()) {
      throw protocol("the registry's answer for " + what + " has no integer " + field + ": " + answer);
    }
    return value.asInt();
  }

  private static JsonNode requiredArray(JsonNode answer, String what) {
    if (!answer.isArray()) {
      throw protocol("the registry answered a non-array for " + what + ": " + answer);
    }
    return answer;
  }

  private static List<Integer> ints(JsonNode answer, String what) {
    List<Integer> values = new ArrayList<>();
    for (JsonNode node : requiredArray(answer, what)) {
      if (!node.isIntegralNumber()) {
        throw protocol("the registry answered a non-integer among the " + what + ": " + answer);
      }
      values.add(node.asInt());
    }
    return List.copyOf(values);
  }

  private static SchemaRegistryProtocolException protocol(String message) {
    return new SchemaRegistryProtocolException(Character.toUpperCase(message.charAt(0)) + message.substring(1), 200, null);
  }

  private record SubjectSchema(String subject, Schema schema) {}
}
