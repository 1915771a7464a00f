package dev.sluice.schemas.serde;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * The {@link SpecificData} model of one generated reader class that resolves the named types of
 * that class's own schema (its nested records, enums and fixed types) to their generated classes
 * itself.
 *
 * <p>Why: since Avro 1.12.2 (AVRO-4189) every class Avro resolves by name must be on the global
 * {@code org.apache.avro.util.ClassSecurityValidator} allow-list, which by default holds no
 * application package, so a plain {@code SpecificDatumReader} refuses the application's own
 * generated classes unless {@code -Dorg.apache.avro.SERIALIZABLE_PACKAGES} is set. The classes
 * resolved here are named by the schema compiled into the reader class, not by the (untrusted)
 * writer schema, and each must be a generated record, enum or fixed type; anything else falls
 * through to Avro's own, validated lookup. No global state is touched.
 */
final class DeclaredSpecificData extends SpecificData {
  private final Map<String, Class<?>> declared = new HashMap<>();
  private final Schema readerSchema;

  /**
   * Builds the model of a generated SpecificRecord class, with its logical-type conversions.
   *
   * @param readerClass a generated SpecificRecord class
   */
  DeclaredSpecificData(Class<?> readerClass) {
    super(readerClass.getClassLoader());
    SpecificData original = SpecificData.getForClass(readerClass);
    original.getConversions().forEach(this::addLogicalTypeConversion);
    this.readerSchema = original.getSchema(readerClass);
    collect(readerSchema);
  }

  /**
   * The generated SpecificRecord class with the given full name, loaded without initializing it
   * and only if it is one, for readers chosen by the writer schema's name.
   */
  static Optional<Class<?>> findRecordClass(String fullName, ClassLoader loader) {
    try {
      Class<?> found = Class.forName(fullName, false, loader);
      return SpecificRecord.class.isAssignableFrom(found) ? Optional.of(found) : Optional.empty();
    } catch (ClassNotFoundException | LinkageError e) {
      return Optional.empty();
    }
  }

  /** The schema compiled into the reader class. */
  Schema readerSchema() {
    return readerSchema;
  }

  @Override
  @SuppressWarnings("rawtypes")
  public Class getClass(Schema schema) {
    Class<?> known = declared.get(schema.getFullName());
    return known != null ? known : super.getClass(schema);
  }

  private void collect(Schema schema) {
    switch (schema.getType()) {
      case RECORD, ENUM, FIXED -> {
        if (declared.containsKey(schema.getFullName())) {
          return;
        }
        Optional<Class<?>> generated = load(schema);
        generated.ifPresent(c -> declared.put(schema.getFullName(), c));
        if (generated.isPresent() && schema.getType() == Schema.Type.RECORD) {
          schema.getFields().forEach(field -> collect(field.schema()));
        }
      }
      case ARRAY -> collect(schema.getElementType());
      case MAP -> collect(schema.getValueType());
      case UNION -> schema.getTypes().forEach(this::collect);
      default -> {
        // primitives name no class
      }
    }
  }

  private Optional<Class<?>> load(Schema schema) {
    try {
      Class<?> found = Class.forName(SpecificData.getClassName(schema), false, getClassLoader());
      boolean generated = switch (schema.getType()) {
        case RECORD -> SpecificRecord.class.isAssignableFrom(found);
        case ENUM -> found.isEnum();
        default -> GenericFixed.class.isAssignableFrom(found);
      };
      return generated ? Optional.of(found) : Optional.empty();
    } catch (ClassNotFoundException | LinkageError e) {
      // Not generated into this class loader: Avro's own lookup decides (and may refuse).
      return Optional.empty();
    }
  }
}
