package dev.sluice.schemas.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;

/**
 * Test double: a registry in memory with Confluent's semantics (ids shared across subjects for
 * equal schemas, versions from 1, compatibility checked on registration with
 * {@link CompatibilityLevel}) and Confluent's error codes. Counts calls so tests can check caching.
 */
public final class InMemorySchemaRegistryClient implements SchemaRegistryClient {
  private final Map<String, List<RegisteredSchema>> subjects = new LinkedHashMap<>();
  private final Map<Integer, Schema> byId = new HashMap<>();
  private final Map<String, Integer> idsByText = new HashMap<>();
  private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
  private CompatibilityLevel globalLevel = CompatibilityLevel.BACKWARD;
  private int nextId = 1;
  private final AtomicInteger getByIdCalls = new AtomicInteger();
  private boolean closed;

  @Override
  public synchronized int register(String subject, Schema schema) {
    List<RegisteredSchema> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
    for (RegisteredSchema existing : versions) {
      if (existing.schema().equals(schema)) {
        return existing.id();
      }
    }
    List<String> problems = effective(subject).check(schema, versions.stream().map(RegisteredSchema::schema).toList());
    if (!problems.isEmpty()) {
      throw new IncompatibleSchemaException("Schema being registered is incompatible with an earlier schema for subject \"" + subject + "\": " + problems, 409);
    }
    int id = idsByText.computeIfAbsent(schema.toString(), text -> nextId++);
    byId.put(id, schema);
    versions.add(new RegisteredSchema(subject, id, versions.size() + 1, schema));
    return id;
  }

  @Override
  public synchronized RegisteredSchema lookup(String subject, Schema schema) {
    return versions(subject).stream().filter(v -> v.schema().equals(schema)).findFirst()
        .orElseThrow(() -> new SchemaRegistryNotFoundException("Schema not found", SchemaRegistryException.SCHEMA_NOT_FOUND));
  }

  @Override
  public synchronized Schema getById(int id) {
    checkOpen();
    getByIdCalls.incrementAndGet();
    Schema schema = byId.get(id);
    if (schema == null) {
      throw new SchemaRegistryNotFoundException("Schema " + id + " not found", SchemaRegistryException.SCHEMA_NOT_FOUND);
    }
    return schema;
  }

  @Override
  public synchronized RegisteredSchema getLatest(String subject) {
    List<RegisteredSchema> versions = versions(subject);
    return versions.get(versions.size() - 1);
  }

  @Override
  public synchronized RegisteredSchema getVersion(String subject, int version) {
    List<RegisteredSchema> versions = versions(subject);
    if (version < 1 || version > versions.size()) {
      throw new SchemaRegistryNotFoundException("Version " + version + " not found.", SchemaRegistryException.VERSION_NOT_FOUND);
    }
    return versions.get(version - 1);
  }

  @Override
  public synchronized List<String> listSubjects() {
    return List.copyOf(subjects.keySet());
  }

  @Override
  public synchronized List<Integer> listVersions(String subject) {
    return versions(subject).stream().map(RegisteredSchema::version).toList();
  }

  @Override
  public synchronized CompatibilityVerdict checkCompatibility(String subject, Schema schema) {
    List<String> problems = effective(subject).check(schema, versions(subject).stream().map(RegisteredSchema::schema).toList());
    return new CompatibilityVerdict(problems.isEmpty(), problems);
  }

  @Override
  public synchronized CompatibilityLevel getGlobalConfig() {
    return globalLevel;
  }

  @Override
  public synchronized void putGlobalConfig(CompatibilityLevel level) {
    globalLevel = level;
  }

  @Override
  public synchronized Optional<CompatibilityLevel> getSubjectConfig(String subject) {
    return Optional.ofNullable(subjectLevels.get(subject));
  }

  @Override
  public synchronized CompatibilityLevel getEffectiveConfig(String subject) {
    return effective(subject);
  }

  @Override
  public synchronized void putSubjectConfig(String subject, CompatibilityLevel level) {
    subjectLevels.put(subject, level);
  }

  @Override
  public synchronized List<Integer> deleteSubject(String subject, boolean permanent) {
    List<Integer> versions = listVersions(subject);
    subjects.remove(subject);
    return versions;
  }

  @Override
  public synchronized void close() {
    closed = true;
  }

  /** Whether {@link #close()} was called. */
  public synchronized boolean isClosed() {
    return closed;
  }

  /** How often {@link #getById(int)} was called. */
  public int getByIdCalls() {
    return getByIdCalls.get();
  }

  private CompatibilityLevel effective(String subject) {
    return subjectLevels.getOrDefault(subject, globalLevel);
  }

  private List<RegisteredSchema> versions(String subject) {
    checkOpen();
    List<RegisteredSchema> versions = subjects.get(subject);
    if (versions == null || versions.isEmpty()) {
      throw new SchemaRegistryNotFoundException("Subject '" + subject + "' not found.", SchemaRegistryException.SUBJECT_NOT_FOUND);
    }
    return versions;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("closed");
    }
  }
}
