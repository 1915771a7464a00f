package dev.sluice.schemas.registry;

/**
 * The registry holds the schema, but it is not an Avro schema (its {@code schemaType} is e.g.
 * PROTOBUF or JSON). This client and Sluice's serdes speak Avro only.
 */
public final class UnsupportedSchemaTypeException extends SchemaRegistryException {
  private final String schemaType;

  /** Creates one for a schema of the given type. */
  public UnsupportedSchemaTypeException(String message, String schemaType) {
    super(message, 200, NO_STATUS, null);
    this.schemaType = schemaType;
  }

  /** The schema type the registry reported. */
  public String schemaType() {
    return schemaType;
  }
}
