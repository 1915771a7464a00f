package dev.sluice.schemaregistry;

import static dev.sluice.schemaregistry.TestSchemas.OTHER;
import static dev.sluice.schemaregistry.TestSchemas.V1;
import static dev.sluice.schemaregistry.TestSchemas.quoted;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.schemaregistry.RegistryTestClient.Reply;
import org.junit.jupiter.api.Test;

/** {@code GET /schemas/ids/{id}...}, {@code GET /schemas} and {@code GET /schemas/types}. */
class SchemaIdsApiTest extends InMemoryRegistryTest {

  @Test
  void servesASchemaByIdWithoutSchemaTypeForAvro() {
    int id = client.registerOk("requests-value", V1);

    Reply reply = client.get("/schemas/ids/" + id);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.contentType()).isEqualTo(RegistryTestClient.V1_JSON);
    assertThat(reply.json()).isEqualTo(client.parse("{\"schema\":" + quoted(V1) + "}"));
  }

  @Test
  void unknownIdIs40403NamingTheId() {
    Reply reply = client.get("/schemas/ids/99");

    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.json()).isEqualTo(client.parse("{\"error_code\":40403,\"message\":\"Schema 99 not found\"}"));
  }

  @Test
  void nonNumericIdMatchesNoResource() {
    Reply reply = client.get("/schemas/ids/abc");

    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.json()).isEqualTo(client.parse("{\"error_code\":404,\"message\":\"HTTP 404 Not Found\"}"));
  }

  @Test
  void listsTheSubjectVersionsAndSubjectsUsingAnId() {
    int id = client.registerOk("a-value", V1);
    client.registerOk("b-value", OTHER);
    client.registerOk("c-value", V1);

    assertThat(client.get("/schemas/ids/" + id + "/versions").json())
        .isEqualTo(client.parse("[{\"subject\":\"a-value\",\"version\":1},{\"subject\":\"c-value\",\"version\":1}]"));
    assertThat(client.get("/schemas/ids/" + id + "/subjects").json()).isEqualTo(client.parse("[\"a-value\",\"c-value\"]"));
    assertThat(client.get("/schemas/ids/99/subjects").errorCode()).isEqualTo(40403);
  }

  @Test
  void servesTheRawSchemaById() {
    int id = client.registerOk("a-value", TestSchemas.V1_PRETTY);

    assertThat(client.get("/schemas/ids/" + id + "/schema").body()).isEqualTo(V1);
  }

  @Test
  void listsEveryLiveSchemaVersion() {
    client.registerOk("a-value", V1);
    client.registerOk("b-value", OTHER);

    assertThat(client.get("/schemas").json()).isEqualTo(client.parse("["
        + "{\"subject\":\"a-value\",\"version\":1,\"id\":1,\"schema\":" + quoted(V1) + "},"
        + "{\"subject\":\"b-value\",\"version\":1,\"id\":2,\"schema\":" + quoted(OTHER) + "}]"));
  }

  @Test
  void supportsOnlyTheAvroSchemaType() {
    assertThat(client.get("/schemas/types").json()).isEqualTo(client.parse("[\"AVRO\"]"));
  }
}
