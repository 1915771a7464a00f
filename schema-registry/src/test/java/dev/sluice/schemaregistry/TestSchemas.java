package dev.sluice.schemaregistry;

import com.fasterxml.jackson.databind.node.TextNode;

/** Avro schemas the API tests register, each already in Avro's canonical (compact) form. */
final class TestSchemas {

  /** {@code Request} with one string field. */
  static final String V1 = "{\"type\":\"record\",\"name\":\"Request\",\"namespace\":\"dev.sluice.test\","
      + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}";

  /** V1 plus a field with a default: BACKWARD and FORWARD compatible with V1. */
  static final String V2_WITH_DEFAULT = "{\"type\":\"record\",\"name\":\"Request\",\"namespace\":\"dev.sluice.test\","
      + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"text\",\"type\":\"string\",\"default\":\"\"}]}";

  /** V1 plus a field without a default: cannot read V1 data, so not BACKWARD compatible with V1. */
  static final String V2_WITHOUT_DEFAULT = "{\"type\":\"record\",\"name\":\"Request\",\"namespace\":\"dev.sluice.test\","
      + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"text\",\"type\":\"string\"}]}";

  /** An unrelated schema. */
  static final String OTHER = "{\"type\":\"record\",\"name\":\"Result\",\"namespace\":\"dev.sluice.test\","
      + "\"fields\":[{\"name\":\"score\",\"type\":\"double\"}]}";

  /** V1 spread over lines with extra spaces: the same schema once canonicalized. */
  static final String V1_PRETTY = "{\n  \"type\" : \"record\",\n  \"name\" : \"Request\",\n  \"namespace\" : \"dev.sluice.test\",\n"
      + "  \"fields\" : [ { \"name\" : \"id\", \"type\" : \"string\" } ]\n}";

  private TestSchemas() {}

  /** A schema as a JSON string literal, to embed in expected bodies. */
  static String quoted(String schema) {
    return new TextNode(schema).toString();
  }
}
