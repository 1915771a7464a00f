package dev.sluice.schemas.serde;

import dev.sluice.schemas.registry.LruCache;
import dev.sluice.schemas.registry.RegisteredSchema;
import dev.sluice.schemas.registry.SchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryNotFoundException;
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Serializes with a subject's latest registered schema ({@code use.latest.version}). The record
 * is written with its own schema, checked to be readable by the latest one, and resolved into it,
 * so a producer compiled against an older (or newer but compatible) contract writes what the
 * registry's latest version says. Latest versions are cached for the configured TTL.
 */
final class LatestVersionWriter {
  private static final int CAPACITY = 1000;

  private final long ttlNanos;
  private final LruCache<String, Fetched> latest = new LruCache<>(CAPACITY);
  private final LruCache<Pair, List<String>> problems = new LruCache<>(CAPACITY);

  /** Creates one caching latest versions for the given seconds, or for ever when negative. */
  LatestVersionWriter(long ttlSeconds) {
    this.ttlNanos = ttlSeconds < 0 ? Long.MAX_VALUE : ttlSeconds * 1_000_000_000L;
  }

  byte[] serialize(SchemaRegistryClient client, String topic, String subject, Object datum, Schema schema) {
    RegisteredSchema target = latest(client, subject, schema);
    if (target.schema().equals(schema)) {
      return AvroDatums.encodeFramed(target.id(), datum, schema, AvroDatums.writerFor(datum, schema), topic);
    }
    List<String> found = problems.computeIfAbsent(new Pair(target.id(), schema), pair -> check(target.schema(), schema));
    if (!found.isEmpty()) {
      throw new SerializationException("Cannot write " + schema.getFullName() + " for topic " + topic + " with the latest schema of subject "
          + subject + " (id " + target.id() + ", version " + target.version() + "), which cannot read it: " + String.join("; ", found));
    }
    byte[] own = AvroDatums.encode(datum, schema, topic);
    Object resolved;
    try {
      resolved = new GenericDatumReader<>(schema, target.schema(), GenericData.get()).read(null, DecoderFactory.get().binaryDecoder(own, null));
    } catch (IOException | AvroRuntimeException e) {
      throw new SerializationException("Cannot resolve " + schema.getFullName() + " into the latest schema of subject " + subject + ": " + e.getMessage(), e);
    }
    return AvroDatums.encodeFramed(target.id(), resolved, target.schema(), AvroDatums.writerFor(resolved, target.schema()), topic);
  }

  private RegisteredSchema latest(SchemaRegistryClient client, String subject, Schema schema) {
    Fetched cached = latest.get(subject);
    long now = System.nanoTime();
    if (cached != null && now - cached.atNanos() < ttlNanos) {
      return cached.schema();
    }
    try {
      RegisteredSchema fresh = client.getLatest(subject);
      latest.put(subject, new Fetched(fresh, now));
      return fresh;
    } catch (SchemaRegistryNotFoundException e) {
      throw new SerializationException("Cannot serialize " + schema.getFullName() + " with use.latest.version=true: subject " + subject
          + " has no registered version (" + e.getMessage() + ")", e);
    }
  }

  private static List<String> check(Schema reader, Schema writer) {
    SchemaCompatibility.SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
      return List.of();
    }
    return result.getResult().getIncompatibilities().stream()
        .map(i -> i.getType() + " at " + i.getLocation() + ": " + i.getMessage())
        .collect(Collectors.toUnmodifiableList());
  }

  private record Fetched(RegisteredSchema schema, long atNanos) {}

  private record Pair(int latestId, Schema schema) {}
}
