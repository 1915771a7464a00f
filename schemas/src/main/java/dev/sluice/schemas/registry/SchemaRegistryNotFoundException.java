package dev.sluice.schemas.registry;

/**
 * The registry answered 404: the subject ({@value #SUBJECT_NOT_FOUND}), version
 * ({@value #VERSION_NOT_FOUND}) or schema ({@value #SCHEMA_NOT_FOUND}) does not exist, or the
 * subject has no compatibility level of its own ({@value #SUBJECT_COMPATIBILITY_NOT_CONFIGURED}).
 */
public final class SchemaRegistryNotFoundException extends SchemaRegistryException {
  /** Creates one for a 404 answer with the given {@code error_code}. */
  public SchemaRegistryNotFoundException(String message, int errorCode) {
    super(message, 404, errorCode, null);
  }

  /** Whether the subject does not exist. */
  public boolean subjectNotFound() {
    return errorCode() == SUBJECT_NOT_FOUND;
  }

  /** Whether the version does not exist under an existing subject. */
  public boolean versionNotFound() {
    return errorCode() == VERSION_NOT_FOUND;
  }

  /** Whether the schema (by id, or under the subject) does not exist. */
  public boolean schemaNotFound() {
    return errorCode() == SCHEMA_NOT_FOUND;
  }
}
