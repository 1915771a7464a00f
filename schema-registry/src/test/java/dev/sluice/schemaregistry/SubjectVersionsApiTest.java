package dev.sluice.schemaregistry;

import static dev.sluice.schemaregistry.TestSchemas.OTHER;
import static dev.sluice.schemaregistry.TestSchemas.V1;
import static dev.sluice.schemaregistry.TestSchemas.V1_PRETTY;
import static dev.sluice.schemaregistry.TestSchemas.V2_WITHOUT_DEFAULT;
import static dev.sluice.schemaregistry.TestSchemas.V2_WITH_DEFAULT;
import static dev.sluice.schemaregistry.TestSchemas.quoted;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.schemaregistry.RegistryTestClient.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** POST/GET {@code /subjects/{subject}/versions...}, {@code GET /subjects} and {@code POST /subjects/{subject}}. */
class SubjectVersionsApiTest extends InMemoryRegistryTest {

  @Test
  void registersFirstSchemaWithIdOneInConfluentsResponseShape() {
    Reply reply = client.register("requests-value", V1_PRETTY);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.contentType()).isEqualTo(RegistryTestClient.V1_JSON);
    assertThat(reply.json()).isEqualTo(client.parse("{\"id\":1}"));
  }

  @Test
  void registeringTheSameSchemaAgainReturnsTheExistingIdWithoutANewVersion() {
    int first = client.registerOk("requests-value", V1);

    assertThat(client.registerOk("requests-value", V1_PRETTY)).isEqualTo(first);
    assertThat(client.get("/subjects/requests-value/versions").json()).isEqualTo(client.parse("[1]"));
  }

  @Test
  void sameSchemaUnderAnotherSubjectGetsTheSameGlobalId() {
    int underA = client.registerOk("a-value", V1);
    client.registerOk("b-value", OTHER);

    assertThat(client.registerOk("c-value", V1)).isEqualTo(underA);
    assertThat(client.get("/subjects/c-value/versions/1").json())
        .isEqualTo(client.parse("{\"subject\":\"c-value\",\"version\":1,\"id\":" + underA + ",\"schema\":" + quoted(V1) + "}"));
  }

  @Test
  void compatibleEvolutionBecomesVersionTwoWithANewId() {
    client.registerOk("requests-value", V1);

    assertThat(client.registerOk("requests-value", V2_WITH_DEFAULT)).isEqualTo(2);
    assertThat(client.get("/subjects/requests-value/versions").json()).isEqualTo(client.parse("[1,2]"));
  }

  @Test
  void rejectsFieldWithoutDefaultUnderBackwardWith409AndDetails() {
    client.registerOk("requests-value", V1);

    Reply reply = client.register("requests-value", V2_WITHOUT_DEFAULT);

    assertThat(reply.status()).isEqualTo(409);
    assertThat(reply.json().size()).isEqualTo(2);
    assertThat(reply.errorCode()).isEqualTo(409);
    assertThat(reply.message())
        .startsWith("Schema being registered is incompatible with an earlier schema for subject \"requests-value\", details: [")
        .contains("READER_FIELD_MISSING_DEFAULT_VALUE", "{oldSchemaVersion: 1}", "{oldSchema: '" + V1 + "'}", "{compatibility: 'BACKWARD'}");
    assertThat(client.get("/subjects/requests-value/versions").json()).isEqualTo(client.parse("[1]"));
  }

  @Test
  void rejectsMalformedSchemaJsonWith42201() {
    Reply reply = client.register("requests-value", "{\"type\":\"record\",");

    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.errorCode()).isEqualTo(42201);
    assertThat(reply.message()).startsWith("Invalid schema of type AVRO, details: ");
  }

  @Test
  void rejectsUnknownFieldTypeWith42201() {
    Reply reply = client.register("requests-value", "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"strng\"}]}");

    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.errorCode()).isEqualTo(42201);
  }

  @Test
  void rejectsMissingSchemaWith42201() {
    Reply reply = client.post("/subjects/requests-value/versions", "{\"schemaType\":\"AVRO\"}");

    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.json()).isEqualTo(client.parse("{\"error_code\":42201,\"message\":\"Empty schema\"}"));
  }

  @Test
  void acceptsExplicitAvroSchemaTypeAndEmptyReferences() {
    String body = "{\"schemaType\":\"AVRO\",\"references\":[],\"schema\":" + quoted(V1) + "}";

    assertThat(client.post("/subjects/requests-value/versions", body).json()).isEqualTo(client.parse("{\"id\":1}"));
  }

  @Test
  void rejectsSchemaTypesOtherThanAvroWith42201SayingOnlyAvroIsSupported() {
    Reply reply = client.post("/subjects/requests-value/versions", "{\"schemaType\":\"PROTOBUF\",\"schema\":\"syntax = \\\"proto3\\\";\"}");

    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.errorCode()).isEqualTo(42201);
    assertThat(reply.message()).isEqualTo("Invalid schema type PROTOBUF; this registry supports only AVRO");
  }

  @Test
  void rejectsSchemaReferencesWith42201() {
    String body = "{\"schema\":" + quoted(V1) + ",\"references\":[{\"name\":\"x.Y\",\"subject\":\"y-value\",\"version\":1}]}";

    Reply reply = client.post("/subjects/requests-value/versions", body);

    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.errorCode()).isEqualTo(42201);
  }

  @ParameterizedTest
  @ValueSource(strings = {"2", "latest", "-1"})
  void servesAVersionByNumberOrLatestAsSubjectVersionIdSchema(String version) {
    client.registerOk("requests-value", V1);
    client.registerOk("requests-value", V2_WITH_DEFAULT);

    Reply reply = client.get("/subjects/requests-value/versions/" + version);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json())
        .isEqualTo(client.parse("{\"subject\":\"requests-value\",\"version\":2,\"id\":2,\"schema\":" + quoted(V2_WITH_DEFAULT) + "}"));
  }

  @Test
  void servesTheRawSchemaOfAVersion() {
    client.registerOk("requests-value", V1_PRETTY);

    Reply reply = client.get("/subjects/requests-value/versions/1/schema");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body()).isEqualTo(V1);
  }

  @Test
  void unknownSubjectIs40401() {
    Reply versions = client.get("/subjects/nope/versions");
    Reply version = client.get("/subjects/nope/versions/1");

    assertThat(versions.status()).isEqualTo(404);
    assertThat(versions.json()).isEqualTo(client.parse("{\"error_code\":40401,\"message\":\"Subject 'nope' not found.\"}"));
    assertThat(version.errorCode()).isEqualTo(40401);
  }

  @Test
  void unknownVersionIs40402() {
    client.registerOk("requests-value", V1);

    Reply reply = client.get("/subjects/requests-value/versions/7");

    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.json()).isEqualTo(client.parse("{\"error_code\":40402,\"message\":\"Version 7 not found.\"}"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "0", "-2", "2147483648"})
  void invalidVersionIs42202(String version) {
    client.registerOk("requests-value", V1);

    Reply reply = client.get("/subjects/requests-value/versions/" + version);

    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.json()).isEqualTo(client.parse("{\"error_code\":42202,\"message\":\"The specified version '" + version
        + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \\\"latest\\\"\"}"));
  }

  @Test
  void listsSubjectsSortedAndDecodesUrlEncodedNames() {
    client.registerOk("team/b value", V1);
    client.registerOk("a-value", OTHER);

    assertThat(client.get("/subjects").json()).isEqualTo(client.parse("[\"a-value\",\"team/b value\"]"));
    assertThat(client.get("/subjects/" + RegistryTestClient.encode("team/b value") + "/versions/latest").json().get("subject").asText())
        .isEqualTo("team/b value");
  }

  @Test
  void lookupFindsTheRegisteredVersionOfASchema() {
    client.registerOk("requests-value", V1);
    client.registerOk("requests-value", V2_WITH_DEFAULT);

    Reply reply = client.post("/subjects/requests-value", client.schemaBody(V1_PRETTY));

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json()).isEqualTo(client.parse("{\"subject\":\"requests-value\",\"version\":1,\"id\":1,\"schema\":" + quoted(V1) + "}"));
  }

  @Test
  void lookupUnderUnknownSubjectIs40401AndOfUnregisteredSchemaIs40403() {
    client.registerOk("requests-value", V1);

    Reply unknownSubject = client.post("/subjects/nope", client.schemaBody(V1));
    Reply unknownSchema = client.post("/subjects/requests-value", client.schemaBody(OTHER));

    assertThat(unknownSubject.status()).isEqualTo(404);
    assertThat(unknownSubject.errorCode()).isEqualTo(40401);
    assertThat(unknownSchema.status()).isEqualTo(404);
    assertThat(unknownSchema.json()).isEqualTo(client.parse("{\"error_code\":40403,\"message\":\"Schema not found\"}"));
  }
}
