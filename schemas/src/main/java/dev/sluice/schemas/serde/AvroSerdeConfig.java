package dev.sluice.schemas.serde;

import dev.sluice.schemas.config.ConfigReader;
import java.util.Map;
import java.util.Set;

/**
 * Configuration of {@link AvroSerializer}, {@link AvroDeserializer} and {@link AvroSerde}, with
 * Confluent's key names:
 *
 * <ul>
 *   <li>{@value #AUTO_REGISTER_SCHEMAS} (default true): the serializer registers the record's
 *       schema under the subject; when false it looks the schema up and fails if it is absent.
 *   <li>{@value #USE_LATEST_VERSION} (default false): the serializer writes with the subject's
 *       latest registered schema instead of the record's own, after checking that the latest one
 *       can read the record's. Never registers; so, unlike Confluent's serializer, which then
 *       ignores it, it may not be combined with an explicit {@code auto.register.schemas=true}.
 *   <li>{@value #LATEST_CACHE_TTL_SEC} (default -1, for ever): how long the serializer keeps a
 *       subject's latest version before asking again.
 *   <li>{@value #SPECIFIC_AVRO_READER} (default false): the deserializer returns the generated
 *       {@code SpecificRecord} class named by the writer schema instead of a {@code GenericRecord}.
 *       A deserializer built for a class reads that class regardless.
 *   <li>{@value #KEY_SUBJECT_NAME_STRATEGY} and {@value #VALUE_SUBJECT_NAME_STRATEGY}: only
 *       TopicNameStrategy ({@code <topic>-key}, {@code <topic>-value}) is supported; any other
 *       value is reported as a configuration problem.
 * </ul>
 *
 * @param autoRegisterSchemas register the record's schema when serializing
 * @param useLatestVersion serialize with the subject's latest registered schema
 * @param latestCacheTtlSeconds seconds a latest version is cached; -1 for ever
 * @param specificAvroReader deserialize into generated SpecificRecord classes
 */
public record AvroSerdeConfig(boolean autoRegisterSchemas, boolean useLatestVersion, long latestCacheTtlSeconds, boolean specificAvroReader) {
  public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
  public static final String USE_LATEST_VERSION = "use.latest.version";
  public static final String LATEST_CACHE_TTL_SEC = "latest.cache.ttl.sec";
  public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
  public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
  public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";

  private static final Set<String> TOPIC_NAME_STRATEGY = Set.of(
      "io.confluent.kafka.serializers.subject.TopicNameStrategy", "TopicNameStrategy");

  /** Checks the values. */
  public AvroSerdeConfig {
    if (autoRegisterSchemas && useLatestVersion) {
      throw new IllegalArgumentException(USE_LATEST_VERSION + " requires " + AUTO_REGISTER_SCHEMAS + "=false");
    }
    if (latestCacheTtlSeconds < -1) {
      throw new IllegalArgumentException(LATEST_CACHE_TTL_SEC + " must be >= -1");
    }
  }

  /** Auto-register, write with the record's own schema, read generic records. */
  public static AvroSerdeConfig defaults() {
    return new AvroSerdeConfig(true, false, -1, false);
  }

  /** This config with auto-registration on or off (and {@code use.latest.version} off). */
  public AvroSerdeConfig withAutoRegisterSchemas(boolean on) {
    return new AvroSerdeConfig(on, false, latestCacheTtlSeconds, specificAvroReader);
  }

  /** This config writing with the latest registered version (which turns auto-registration off). */
  public AvroSerdeConfig withUseLatestVersion() {
    return new AvroSerdeConfig(false, true, latestCacheTtlSeconds, specificAvroReader);
  }

  /** This config reading SpecificRecord classes or not. */
  public AvroSerdeConfig withSpecificAvroReader(boolean on) {
    return new AvroSerdeConfig(autoRegisterSchemas, useLatestVersion, latestCacheTtlSeconds, on);
  }

  /**
   * Parses the keys above; other keys are ignored.
   *
   * @throws org.apache.kafka.common.config.ConfigException listing every problem, one per line
   */
  public static AvroSerdeConfig parse(Map<String, ?> props) {
    ConfigReader reader = new ConfigReader(props);
    AvroSerdeConfig config = read(reader);
    reader.throwIfInvalid();
    return config;
  }

  /** Reads the keys above, recording problems in the reader instead of throwing. */
  public static AvroSerdeConfig read(ConfigReader reader) {
    boolean useLatest = reader.bool(USE_LATEST_VERSION, false);
    boolean autoRegister = reader.bool(AUTO_REGISTER_SCHEMAS, !useLatest);
    if (useLatest && autoRegister) {
      reader.invalid(AUTO_REGISTER_SCHEMAS, true, "must be false when " + USE_LATEST_VERSION + " is true");
      autoRegister = false;
    }
    long ttl = reader.longAtLeast(LATEST_CACHE_TTL_SEC, -1, -1);
    boolean specific = reader.bool(SPECIFIC_AVRO_READER, false);
    for (String key : new String[] {KEY_SUBJECT_NAME_STRATEGY, VALUE_SUBJECT_NAME_STRATEGY}) {
      reader.raw(key)
          .map(value -> value instanceof Class<?> type ? type.getName() : String.valueOf(value).trim())
          .filter(name -> !TOPIC_NAME_STRATEGY.contains(name))
          .ifPresent(name -> reader.invalid(key, name, "only TopicNameStrategy is supported"));
    }
    return new AvroSerdeConfig(autoRegister, useLatest, ttl, specific);
  }
}
