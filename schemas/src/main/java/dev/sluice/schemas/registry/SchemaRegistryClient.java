package dev.sluice.schemas.registry;

import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * A client of a Confluent-compatible schema registry (REST API v1), for Avro schemas. Works with
 * Confluent Schema Registry, Karapace, Redpanda, Apicurio's ccompat API and Sluice's local stack.
 *
 * <p>Failures are {@link SchemaRegistryException}s: {@link SchemaRegistryNotFoundException} for
 * missing subjects, versions and schemas, {@link IncompatibleSchemaException} when a registration
 * is refused, {@link SchemaRegistryUnavailableException} and {@link SchemaRegistryServerException}
 * when the registry cannot be reached or keeps failing. Implementations are thread-safe.
 */
public interface SchemaRegistryClient extends AutoCloseable {

  /**
   * Registers a schema under a subject, or finds it registered already
   * ({@code POST /subjects/{subject}/versions}).
   *
   * @return the schema's registry-wide id
   * @throws IncompatibleSchemaException when the subject's compatibility level refuses it
   * @throws InvalidSchemaRegistryRequestException when the registry finds the schema invalid
   */
  int register(String subject, Schema schema);

  /**
   * Finds a schema among a subject's versions ({@code POST /subjects/{subject}}).
   *
   * @throws SchemaRegistryNotFoundException when the subject does not exist (40401) or does not
   *     hold this schema (40403)
   */
  RegisteredSchema lookup(String subject, Schema schema);

  /**
   * Fetches a schema by its id ({@code GET /schemas/ids/{id}}).
   *
   * @throws SchemaRegistryNotFoundException when no schema has that id (40403)
   * @throws UnsupportedSchemaTypeException when the schema is not Avro
   */
  Schema getById(int id);

  /**
   * Fetches a subject's latest version ({@code GET /subjects/{subject}/versions/latest}).
   *
   * @throws SchemaRegistryNotFoundException when the subject does not exist (40401)
   */
  RegisteredSchema getLatest(String subject);

  /**
   * Fetches one version of a subject ({@code GET /subjects/{subject}/versions/{version}}).
   *
   * @throws SchemaRegistryNotFoundException when the subject (40401) or version (40402) does not
   *     exist
   */
  RegisteredSchema getVersion(String subject, int version);

  /** Lists the registry's subjects ({@code GET /subjects}). */
  List<String> listSubjects();

  /**
   * Lists a subject's versions, oldest first ({@code GET /subjects/{subject}/versions}).
   *
   * @throws SchemaRegistryNotFoundException when the subject does not exist (40401)
   */
  List<Integer> listVersions(String subject);

  /**
   * Asks whether a schema is compatible with a subject's latest version under the subject's
   * compatibility level ({@code POST /compatibility/subjects/{subject}/versions/latest?verbose=true}).
   *
   * @return the verdict with the registry's explanations
   * @throws SchemaRegistryNotFoundException when the subject does not exist (registries differ:
   *     some answer compatible instead)
   */
  CompatibilityVerdict checkCompatibility(String subject, Schema schema);

  /**
   * Whether a schema is compatible with a subject's latest version; see
   * {@link #checkCompatibility(String, Schema)} for the registry's explanations.
   */
  default boolean testCompatibility(String subject, Schema schema) {
    return checkCompatibility(subject, schema).compatible();
  }

  /** The registry-wide compatibility level ({@code GET /config}). */
  CompatibilityLevel getGlobalConfig();

  /** Sets the registry-wide compatibility level ({@code PUT /config}). */
  void putGlobalConfig(CompatibilityLevel level);

  /**
   * The subject's own compatibility level ({@code GET /config/{subject}}).
   *
   * @return empty when the subject has none of its own (40408) or does not exist (40401)
   */
  Optional<CompatibilityLevel> getSubjectConfig(String subject);

  /**
   * The level that applies to a subject: its own, else the global one
   * ({@code GET /config/{subject}?defaultToGlobal=true}).
   */
  CompatibilityLevel getEffectiveConfig(String subject);

  /** Sets a subject's own compatibility level ({@code PUT /config/{subject}}). */
  void putSubjectConfig(String subject, CompatibilityLevel level);

  /**
   * Deletes a subject ({@code DELETE /subjects/{subject}}, with {@code ?permanent=true} for a hard
   * delete, which Confluent allows only after a soft one).
   *
   * @return the versions deleted
   * @throws SchemaRegistryNotFoundException when the subject does not exist (40401)
   */
  List<Integer> deleteSubject(String subject, boolean permanent);

  /** Releases the client's resources; a client handed in by a caller is closed by that caller. */
  @Override
  void close();
}
