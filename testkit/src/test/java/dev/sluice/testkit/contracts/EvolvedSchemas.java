package dev.sluice.testkit.contracts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/** Changed versions of a contract's schema, and records written with them. */
final class EvolvedSchemas {
  private EvolvedSchemas() {}

  /** The record schema with one more field, last; same name, namespace and other fields. */
  static Schema withField(Schema record, Schema.Field added) {
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field field : record.getFields()) {
      fields.add(new Schema.Field(field, field.schema()));
    }
    fields.add(added);
    return Schema.createRecord(record.getName(), record.getDoc(), record.getNamespace(), false,
        fields);
  }

  /** A required int field: no default, so readers cannot fill it in for older records. */
  static Schema.Field requiredInt(String name) {
    return new Schema.Field(name, Schema.create(Schema.Type.INT), "added without a default",
        (Object) null);
  }

  /** An optional string field defaulting to null, which older records read as. */
  static Schema.Field optionalString(String name) {
    return new Schema.Field(name, Schema.createUnion(Schema.create(Schema.Type.NULL),
        Schema.create(Schema.Type.STRING)), "added with a default", Schema.Field.NULL_DEFAULT_VALUE);
  }

  /**
   * A generic record of {@code evolved} holding the sample's values (as its Avro encoding carries
   * them) plus {@code value} in the added last field.
   */
  static GenericRecord extend(SpecificRecord sample, Schema evolved, Object value)
      throws IOException {
    Schema schema = sample.getSchema();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new SpecificDatumWriter<SpecificRecord>(schema, SpecificData.getForClass(sample.getClass()))
        .write(sample, encoder);
    encoder.flush();
    GenericRecord plain = new GenericDatumReader<GenericRecord>(schema, schema, GenericData.get())
        .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
    GenericData.Record extended = new GenericData.Record(evolved);
    schema.getFields().forEach(field -> extended.put(field.name(), plain.get(field.name())));
    extended.put(evolved.getFields().size() - 1, value);
    return extended;
  }
}
