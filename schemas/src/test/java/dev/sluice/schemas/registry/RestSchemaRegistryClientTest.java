package dev.sluice.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** Paths, methods, headers, bodies and caching of {@link RestSchemaRegistryClient} over real HTTP. */
class RestSchemaRegistryClientTest extends CannedRegistryTest {
  private static final ObjectMapper JSON = new ObjectMapper();


  private static String schemaAnswer(Schema schema, Map<String, Object> more) throws IOException {
    Map<String, Object> body = new java.util.HashMap<>(more);
    body.put("schema", schema.toString());
    return JSON.writeValueAsString(body);
  }

  @Test
  void registerPostsSchemaToSubjectVersionsWithRegistryContentType() throws IOException {
    server.answer("POST", "/subjects/sluice.requests-value/versions", 200, "{\"id\":7}");

    assertThat(client.register(SUBJECT, PING)).isEqualTo(7);

    CannedRegistryServer.Recorded request = server.onlyRequest();
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.header("Content-Type")).isEqualTo("application/vnd.schemaregistry.v1+json");
    assertThat(request.header("Accept")).contains("application/vnd.schemaregistry.v1+json").contains("application/json");
    JsonNode body = JSON.readTree(request.body());
    assertThat(new Schema.Parser().parse(body.get("schema").asText())).isEqualTo(PING);
    assertThat(request.header("Authorization")).isNull();
  }

  @Test
  void repeatedRegistrationIsAnsweredFromCacheWithoutSecondCall() {
    server.answer("POST", "/subjects/sluice.requests-value/versions", 200, "{\"id\":7}");

    client.register(SUBJECT, PING);
    assertThat(client.register(SUBJECT, PING)).isEqualTo(7);
    assertThat(client.getById(7)).isEqualTo(PING);

    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void getByIdFetchesSchemaOnceThenServesItFromCache() throws IOException {
    server.answer("GET", "/schemas/ids/42", 200, schemaAnswer(PING, Map.of()));

    assertThat(client.getById(42)).isEqualTo(PING);
    assertThat(client.getById(42)).isEqualTo(PING);

    assertThat(server.onlyRequest().method()).isEqualTo("GET");
    assertThat(server.onlyRequest().header("Content-Type")).isNull();
  }

  @Test
  void lookupPostsSchemaToSubjectAndReturnsIdAndVersion() throws IOException {
    server.answer("POST", "/subjects/sluice.requests-value", 200, schemaAnswer(PING, Map.of("subject", SUBJECT, "id", 3, "version", 2)));

    RegisteredSchema found = client.lookup(SUBJECT, PING);

    assertThat(found).isEqualTo(new RegisteredSchema(SUBJECT, 3, 2, PING));
    assertThat(server.onlyRequest().body()).contains("\"schema\"");
    client.lookup(SUBJECT, PING);
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void latestAndNumberedVersionsAreReadFromSubjectVersions() throws IOException {
    server.answer("GET", "/subjects/sluice.requests-value/versions/latest", 200, schemaAnswer(PING, Map.of("subject", SUBJECT, "id", 9, "version", 4)));
    server.answer("GET", "/subjects/sluice.requests-value/versions/1", 200, schemaAnswer(PING, Map.of("subject", SUBJECT, "id", 5, "version", 1, "schemaType", "AVRO")));

    assertThat(client.getLatest(SUBJECT)).isEqualTo(new RegisteredSchema(SUBJECT, 9, 4, PING));
    assertThat(client.getVersion(SUBJECT, 1)).isEqualTo(new RegisteredSchema(SUBJECT, 5, 1, PING));
  }

  @Test
  void listsSubjectsAndVersions() {
    server.answer("GET", "/subjects", 200, "[\"a-value\",\"b-key\"]");
    server.answer("GET", "/subjects/a-value/versions", 200, "[1,2,3]");

    assertThat(client.listSubjects()).containsExactly("a-value", "b-key");
    assertThat(client.listVersions("a-value")).containsExactly(1, 2, 3);
  }

  @Test
  void compatibilityCheckAsksVerboseAndSurfacesMessages() {
    server.answer("POST", "/compatibility/subjects/sluice.requests-value/versions/latest?verbose=true", 200,
        "{\"is_compatible\":false,\"messages\":[\"READER_FIELD_MISSING_DEFAULT_VALUE at /fields/1\"]}");

    CompatibilityVerdict check = client.checkCompatibility(SUBJECT, PING);

    assertThat(check.compatible()).isFalse();
    assertThat(check.messages()).containsExactly("READER_FIELD_MISSING_DEFAULT_VALUE at /fields/1");
    assertThat(client.testCompatibility(SUBJECT, PING)).isFalse();
    assertThat(server.requests()).allSatisfy(r -> assertThat(r.method()).isEqualTo("POST"));
  }

  @Test
  void globalConfigIsReadAsCompatibilityLevelAndWrittenAsCompatibility() throws IOException {
    server.answer("GET", "/config", 200, "{\"compatibilityLevel\":\"FULL_TRANSITIVE\"}");
    server.answer("PUT", "/config", 200, "{\"compatibility\":\"BACKWARD\"}");

    assertThat(client.getGlobalConfig()).isEqualTo(CompatibilityLevel.FULL_TRANSITIVE);
    client.putGlobalConfig(CompatibilityLevel.BACKWARD);

    CannedRegistryServer.Recorded put = server.requests().get(1);
    assertThat(put.method()).isEqualTo("PUT");
    assertThat(JSON.readTree(put.body())).isEqualTo(JSON.readTree("{\"compatibility\":\"BACKWARD\"}"));
    assertThat(put.header("Content-Type")).isEqualTo("application/vnd.schemaregistry.v1+json");
  }

  @Test
  void unsetSubjectConfigIsEmptyAndEffectiveConfigDefaultsToGlobal() {
    server.answer("GET", "/config/sluice.requests-value", 404, "{\"error_code\":40408,\"message\":\"Subject 'sluice.requests-value' does not have subject-level compatibility configured\"}");
    server.answer("GET", "/config/sluice.requests-value?defaultToGlobal=true", 200, "{\"compatibilityLevel\":\"BACKWARD\"}");
    server.answer("PUT", "/config/sluice.requests-value", 200, "{\"compatibility\":\"NONE\"}");

    assertThat(client.getSubjectConfig(SUBJECT)).isEmpty();
    assertThat(client.getEffectiveConfig(SUBJECT)).isEqualTo(CompatibilityLevel.BACKWARD);
    client.putSubjectConfig(SUBJECT, CompatibilityLevel.NONE);
    assertThat(server.requests().get(2).body()).contains("\"compatibility\":\"NONE\"");
  }

  @Test
  void subjectConfigIsReadWhenSet() {
    server.answer("GET", "/config/sluice.requests-value", 200, "{\"compatibilityLevel\":\"FORWARD\"}");

    assertThat(client.getSubjectConfig(SUBJECT)).isEqualTo(Optional.of(CompatibilityLevel.FORWARD));
  }

  @Test
  void subjectNamesArePercentEncodedInPaths() {
    server.answer("GET", "/subjects/odd%20subject%2Fwith%3Fchars/versions", 200, "[1]");

    assertThat(client.listVersions("odd subject/with?chars")).containsExactly(1);
  }

  @Test
  void deleteSubjectReturnsVersionsAndForgetsCachedRegistrations() {
    server.answer("POST", "/subjects/sluice.requests-value/versions", 200, "{\"id\":7}");
    server.answer("DELETE", "/subjects/sluice.requests-value", 200, "[1]");
    server.answer("DELETE", "/subjects/sluice.requests-value?permanent=true", 200, "[1]");

    client.register(SUBJECT, PING);
    assertThat(client.deleteSubject(SUBJECT, false)).containsExactly(1);
    assertThat(client.deleteSubject(SUBJECT, true)).containsExactly(1);
    client.register(SUBJECT, PING);

    assertThat(server.requests()).extracting(CannedRegistryServer.Recorded::method).containsExactly("POST", "DELETE", "DELETE", "POST");
  }

  @Test
  void sendsBasicAuthFromUserInfo() {
    server.answer("GET", "/subjects", 200, "[]");
    try (RestSchemaRegistryClient authed = clientFor(Map.of(
        SchemaRegistryClientConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO",
        SchemaRegistryClientConfig.BASIC_AUTH_USER_INFO, "alice:s3cret:with-colon"))) {
      authed.listSubjects();
    }
    String expected = java.util.Base64.getEncoder().encodeToString("alice:s3cret:with-colon".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(server.onlyRequest().header("Authorization")).isEqualTo("Basic " + expected);
  }

  @Test
  void sendsBasicAuthFromUrlUserInfo() {
    server.answer("GET", "/subjects", 200, "[]");
    String url = server.url().replace("http://", "http://bob:pa%40ss@");
    try (RestSchemaRegistryClient authed = clientFor(Map.of(SchemaRegistryClientConfig.URL, url))) {
      authed.listSubjects();
    }
    String expected = java.util.Base64.getEncoder().encodeToString("bob:pa@ss".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(server.onlyRequest().header("Authorization")).isEqualTo("Basic " + expected);
  }

  @Test
  void sendsBearerToken() {
    server.answer("GET", "/subjects", 200, "[]");
    try (RestSchemaRegistryClient authed = clientFor(Map.of(SchemaRegistryClientConfig.BEARER_AUTH_TOKEN, "tok-123"))) {
      authed.listSubjects();
    }
    assertThat(server.onlyRequest().header("Authorization")).isEqualTo("Bearer tok-123");
  }
}
