package dev.sluice.schemaregistry;

import static dev.sluice.schemaregistry.TestSchemas.V1;
import static dev.sluice.schemaregistry.TestSchemas.V2_WITHOUT_DEFAULT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.schemaregistry.RegistryTestClient.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code /config} and {@code /config/{subject}}: GET, PUT and DELETE of compatibility levels. */
class ConfigApiTest extends InMemoryRegistryTest {

  private static final String INVALID_LEVEL = "{\"error_code\":42203,\"message\":\"Invalid compatibility level. Valid values are none, "
      + "backward, forward, full, backward_transitive, forward_transitive, and full_transitive\"}";

  @Test
  void globalLevelDefaultsToBackward() {
    Reply reply = client.get("/config");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json()).isEqualTo(client.parse("{\"compatibilityLevel\":\"BACKWARD\"}"));
  }

  @Test
  void putGlobalLevelEchoesItAsCompatibilityAndGetServesIt() {
    Reply put = client.put("/config", "{\"compatibility\":\"FULL\"}");

    assertThat(put.status()).isEqualTo(200);
    assertThat(put.json()).isEqualTo(client.parse("{\"compatibility\":\"FULL\"}"));
    assertThat(client.get("/config").json()).isEqualTo(client.parse("{\"compatibilityLevel\":\"FULL\"}"));
  }

  @Test
  void levelNamesAreCaseInsensitive() {
    assertThat(client.put("/config", "{\"compatibility\":\"forward_transitive\"}").json())
        .isEqualTo(client.parse("{\"compatibility\":\"FORWARD_TRANSITIVE\"}"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"compatibility\":\"SIDEWAYS\"}", "{\"compatibility\":3}", "{}"})
  void invalidLevelIs42203(String body) {
    Reply global = client.put("/config", body);
    Reply subject = client.put("/config/requests-value", body);

    assertThat(global.status()).isEqualTo(422);
    assertThat(global.json()).isEqualTo(client.parse(INVALID_LEVEL));
    assertThat(subject.json()).isEqualTo(client.parse(INVALID_LEVEL));
  }

  @Test
  void subjectWithoutItsOwnLevelIs40408UnlessDefaultingToGlobal() {
    Reply unset = client.get("/config/requests-value");
    Reply defaulted = client.get("/config/requests-value?defaultToGlobal=true");

    assertThat(unset.status()).isEqualTo(404);
    assertThat(unset.json()).isEqualTo(client.parse(
        "{\"error_code\":40408,\"message\":\"Subject 'requests-value' does not have subject-level compatibility configured\"}"));
    assertThat(defaulted.json()).isEqualTo(client.parse("{\"compatibilityLevel\":\"BACKWARD\"}"));
  }

  @Test
  void subjectLevelOverridesTheGlobalOneForRegistration() {
    client.registerOk("requests-value", V1);

    Reply put = client.put("/config/requests-value", "{\"compatibility\":\"NONE\"}");

    assertThat(put.json()).isEqualTo(client.parse("{\"compatibility\":\"NONE\"}"));
    assertThat(client.get("/config/requests-value").json()).isEqualTo(client.parse("{\"compatibilityLevel\":\"NONE\"}"));
    assertThat(client.get("/config").json()).isEqualTo(client.parse("{\"compatibilityLevel\":\"BACKWARD\"}"));
    assertThat(client.register("requests-value", V2_WITHOUT_DEFAULT).status()).isEqualTo(200);
  }

  @Test
  void deletingASubjectLevelReturnsItAndFallsBackToGlobal() {
    client.put("/config/requests-value", "{\"compatibility\":\"NONE\"}");

    Reply deleted = client.delete("/config/requests-value");

    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.json()).isEqualTo(client.parse("{\"compatibilityLevel\":\"NONE\"}"));
    assertThat(client.get("/config/requests-value").errorCode()).isEqualTo(40408);
    assertThat(client.delete("/config/requests-value").errorCode()).isEqualTo(40401);
  }

  @Test
  void deletingTheGlobalLevelRestoresBackward() {
    client.put("/config", "{\"compatibility\":\"NONE\"}");

    Reply deleted = client.delete("/config");

    assertThat(deleted.json()).isEqualTo(client.parse("{\"compatibilityLevel\":\"NONE\"}"));
    assertThat(client.get("/config").json()).isEqualTo(client.parse("{\"compatibilityLevel\":\"BACKWARD\"}"));
  }
}
