package dev.sluice.schemaregistry;

import static dev.sluice.schemaregistry.TestSchemas.OTHER;
import static dev.sluice.schemaregistry.TestSchemas.V1;
import static dev.sluice.schemaregistry.TestSchemas.V2_WITHOUT_DEFAULT;
import static dev.sluice.schemaregistry.TestSchemas.V2_WITH_DEFAULT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.schemaregistry.RegistryTestClient.Reply;
import org.junit.jupiter.api.Test;

/** {@code POST /compatibility/subjects/{subject}/versions[/{version}]} and the levels it applies. */
class CompatibilityApiTest extends InMemoryRegistryTest {

  /** Field b with a default: compatible with {a}. */
  private static final String AB_DEFAULT = "{\"type\":\"record\",\"name\":\"T\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"},"
      + "{\"name\":\"b\",\"type\":\"string\",\"default\":\"x\"}]}";
  /** Field b without a default: reads AB_DEFAULT data, but not data written with {a}. */
  private static final String AB = "{\"type\":\"record\",\"name\":\"T\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"},"
      + "{\"name\":\"b\",\"type\":\"string\"}]}";
  private static final String A = "{\"type\":\"record\",\"name\":\"T\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}";

  @Test
  void compatibleSchemaAgainstLatestAnswersIsCompatibleTrue() {
    client.registerOk("requests-value", V1);

    Reply reply = client.post("/compatibility/subjects/requests-value/versions/latest", client.schemaBody(V2_WITH_DEFAULT));

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json()).isEqualTo(client.parse("{\"is_compatible\":true}"));
  }

  @Test
  void incompatibleSchemaAnswersFalseAndVerboseListsTheMessages() {
    client.registerOk("requests-value", V1);

    Reply plain = client.post("/compatibility/subjects/requests-value/versions/1", client.schemaBody(V2_WITHOUT_DEFAULT));
    Reply verbose = client.post("/compatibility/subjects/requests-value/versions/1?verbose=true", client.schemaBody(V2_WITHOUT_DEFAULT));

    assertThat(plain.json()).isEqualTo(client.parse("{\"is_compatible\":false}"));
    assertThat(verbose.json().get("is_compatible").asBoolean()).isFalse();
    assertThat(verbose.json().get("messages").toString()).contains("READER_FIELD_MISSING_DEFAULT_VALUE", "{oldSchemaVersion: 1}");
  }

  @Test
  void verboseCompatibleAnswerCarriesAnEmptyMessageList() {
    client.registerOk("requests-value", V1);

    Reply reply = client.post("/compatibility/subjects/requests-value/versions/latest?verbose=true", client.schemaBody(V2_WITH_DEFAULT));

    assertThat(reply.json()).isEqualTo(client.parse("{\"is_compatible\":true,\"messages\":[]}"));
  }

  @Test
  void latestOfASubjectWithoutVersionsIsCompatible() {
    Reply reply = client.post("/compatibility/subjects/new-value/versions/latest", client.schemaBody(V1));

    assertThat(reply.json()).isEqualTo(client.parse("{\"is_compatible\":true}"));
  }

  @Test
  void specificVersionOfUnknownSubjectIs40401AndUnknownVersionIs40402() {
    client.registerOk("requests-value", V1);

    Reply unknownSubject = client.post("/compatibility/subjects/nope/versions/1", client.schemaBody(V1));
    Reply unknownVersion = client.post("/compatibility/subjects/requests-value/versions/5", client.schemaBody(V1));
    Reply invalidVersion = client.post("/compatibility/subjects/requests-value/versions/first", client.schemaBody(V1));

    assertThat(unknownSubject.status()).isEqualTo(404);
    assertThat(unknownSubject.errorCode()).isEqualTo(40401);
    assertThat(unknownVersion.json()).isEqualTo(client.parse("{\"error_code\":40402,\"message\":\"Version 5 not found.\"}"));
    assertThat(invalidVersion.errorCode()).isEqualTo(42202);
  }

  @Test
  void invalidCandidateIs42201OrAVerboseMessage() {
    client.registerOk("requests-value", V1);

    Reply plain = client.post("/compatibility/subjects/requests-value/versions/latest", client.schemaBody("{not avro"));
    Reply verbose = client.post("/compatibility/subjects/requests-value/versions/latest?verbose=true", client.schemaBody("{not avro"));

    assertThat(plain.status()).isEqualTo(422);
    assertThat(plain.errorCode()).isEqualTo(42201);
    assertThat(verbose.json().get("is_compatible").asBoolean()).isFalse();
    assertThat(verbose.json().get("messages").get(0).asText()).startsWith("Invalid schema of type AVRO");
  }

  @Test
  void checkAgainstAllVersionsFollowsTheSubjectLevel() {
    client.registerOk("t-value", A);
    client.registerOk("t-value", AB_DEFAULT);

    assertThat(isCompatible("/compatibility/subjects/t-value/versions", AB)).isTrue();
    setLevel("t-value", "BACKWARD_TRANSITIVE");
    assertThat(isCompatible("/compatibility/subjects/t-value/versions", AB)).isFalse();
  }

  @Test
  void backwardChecksOnlyTheLatestVersionButBackwardTransitiveChecksAll() {
    client.registerOk("plain-value", A);
    client.registerOk("plain-value", AB_DEFAULT);
    client.registerOk("transitive-value", A);
    client.registerOk("transitive-value", AB_DEFAULT);
    setLevel("transitive-value", "BACKWARD_TRANSITIVE");

    Reply plain = client.register("plain-value", AB);
    Reply transitive = client.register("transitive-value", AB);

    assertThat(plain.status()).isEqualTo(200);
    assertThat(transitive.status()).isEqualTo(409);
    assertThat(transitive.message()).contains("{oldSchemaVersion: 1}", "{compatibility: 'BACKWARD_TRANSITIVE'}")
        .doesNotContain("{oldSchemaVersion: 2}");
  }

  @Test
  void forwardRejectsASchemaTheOldOneCannotRead() {
    setLevel("f-value", "FORWARD");
    client.registerOk("f-value", AB);

    // The old schema (a, b without default) cannot read data that lacks b.
    assertThat(client.register("f-value", A).status()).isEqualTo(409);
    assertThat(client.register("f-value", AB_DEFAULT).status()).isEqualTo(200);
  }

  @Test
  void fullRejectsWhatEitherDirectionRejectsAndNoneAcceptsAnything() {
    setLevel("full-value", "FULL");
    setLevel("none-value", "NONE");
    client.registerOk("full-value", V1);
    client.registerOk("none-value", V1);

    assertThat(client.register("full-value", V2_WITHOUT_DEFAULT).status()).isEqualTo(409);
    assertThat(client.register("full-value", V2_WITH_DEFAULT).status()).isEqualTo(200);
    assertThat(client.register("none-value", OTHER).status()).isEqualTo(200);
  }

  private boolean isCompatible(String path, String schema) {
    JsonNode answer = client.post(path, client.schemaBody(schema)).json();
    return answer.get("is_compatible").asBoolean();
  }

  private void setLevel(String subject, String level) {
    Reply reply = client.put("/config/" + subject, "{\"compatibility\":\"" + level + "\"}");
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
  }
}
