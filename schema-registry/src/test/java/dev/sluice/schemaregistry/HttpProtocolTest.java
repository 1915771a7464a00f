package dev.sluice.schemaregistry;

import static dev.sluice.schemaregistry.TestSchemas.V1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.schemaregistry.RegistryTestClient.Reply;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Media types, malformed bodies, unknown paths and methods, and the small endpoints ({@code /}, {@code /mode}). */
class HttpProtocolTest extends InMemoryRegistryTest {

  @Test
  void rootAnswersAnEmptyObject() {
    Reply reply = client.get("/");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json()).isEqualTo(client.parse("{}"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/nope", "/subjects/a/other", "/subjects/a/versions/1/schema/x", "/compatibility/x", "/config/a/b"})
  void unknownPathIs404WithErrorCode404(String path) {
    Reply reply = client.get(path);

    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.contentType()).isEqualTo(RegistryTestClient.V1_JSON);
    assertThat(reply.json()).isEqualTo(client.parse("{\"error_code\":404,\"message\":\"HTTP 404 Not Found\"}"));
  }

  @Test
  void knownPathWithAnotherMethodIs405() {
    Reply reply = client.send(HttpRequest.newBuilder(client.uri("/subjects")).POST(BodyPublishers.ofString("{}")));

    assertThat(reply.status()).isEqualTo(405);
    assertThat(reply.json()).isEqualTo(client.parse("{\"error_code\":405,\"message\":\"HTTP 405 Method Not Allowed\"}"));
  }

  @Test
  void malformedJsonBodyIs400WithErrorCode400() {
    Reply reply = client.post("/subjects/a-value/versions", "{\"schema\": ");

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.errorCode()).isEqualTo(400);
    assertThat(reply.message()).isNotBlank();
  }

  @Test
  void emptyBodyIs422WithErrorCode422() {
    Reply reply = client.post("/subjects/a-value/versions", "");

    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.errorCode()).isEqualTo(422);
  }

  @ParameterizedTest
  @ValueSource(strings = {"application/vnd.schemaregistry.v1+json", "application/vnd.schemaregistry+json",
      "application/json", "application/json; charset=utf-8", "application/octet-stream"})
  void acceptsTheRegistrysRequestMediaTypes(String contentType) {
    Reply reply = client.send(HttpRequest.newBuilder(client.uri("/subjects/a-value/versions"))
        .header("Content-Type", contentType).POST(BodyPublishers.ofString(client.schemaBody(V1))));

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json()).isEqualTo(client.parse("{\"id\":1}"));
  }

  @Test
  void acceptsARequestWithoutContentType() {
    Reply reply = client.send(HttpRequest.newBuilder(client.uri("/subjects/a-value/versions")).POST(BodyPublishers.ofString(client.schemaBody(V1))));

    assertThat(reply.status()).isEqualTo(200);
  }

  @Test
  void rejectsOtherRequestMediaTypesWith415() {
    Reply reply = client.send(HttpRequest.newBuilder(client.uri("/subjects/a-value/versions"))
        .header("Content-Type", "text/plain").POST(BodyPublishers.ofString(client.schemaBody(V1))));

    assertThat(reply.status()).isEqualTo(415);
    assertThat(reply.json()).isEqualTo(client.parse("{\"error_code\":415,\"message\":\"HTTP 415 Unsupported Media Type\"}"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "application/vnd.schemaregistry.v1+json|application/vnd.schemaregistry.v1+json",
      "application/vnd.schemaregistry+json|application/vnd.schemaregistry+json",
      "application/json|application/json",
      "*/*|application/vnd.schemaregistry.v1+json",
      "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5"
          + "|application/vnd.schemaregistry.v1+json",
      "application/json; q=0.9, application/vnd.schemaregistry+json; q=0.2|application/json",
      "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json, application/json|application/vnd.schemaregistry.v1+json"})
  void negotiatesTheResponseMediaType(String accept, String expected) {
    Reply reply = client.send(HttpRequest.newBuilder(client.uri("/config")).header("Accept", accept).GET());

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.contentType()).isEqualTo(expected);
  }

  @Test
  void unacceptableResponseMediaTypeIs406() {
    Reply reply = client.send(HttpRequest.newBuilder(client.uri("/config")).header("Accept", "text/html").GET());

    assertThat(reply.status()).isEqualTo(406);
    assertThat(reply.errorCode()).isEqualTo(406);
  }

  @Test
  void modeIsAlwaysReadWrite() {
    assertThat(client.get("/mode").json()).isEqualTo(client.parse("{\"mode\":\"READWRITE\"}"));
    assertThat(client.put("/mode", "{\"mode\":\"READWRITE\"}").json()).isEqualTo(client.parse("{\"mode\":\"READWRITE\"}"));
    assertThat(client.put("/mode", "{\"mode\":\"READONLY\"}").errorCode()).isEqualTo(42204);
    assertThat(client.get("/mode/a-value").errorCode()).isEqualTo(40409);
    assertThat(client.get("/mode/a-value?defaultToGlobal=true").json()).isEqualTo(client.parse("{\"mode\":\"READWRITE\"}"));
  }

  @Test
  void healthAnswersInEveryComponentsShape() {
    client.register("a-value", V1);

    Reply ready = client.get("/health/ready");

    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json()).isEqualTo(client.parse(
        "{\"component\":\"registry\",\"check\":\"ready\",\"ok\":true,\"degraded\":false,\"detail\":\"serving 1 subjects\"}"));
    assertThat(client.get("/health/live").json().get("check").asText()).isEqualTo("live");
    assertThat(client.get("/health/other").status()).isEqualTo(404);
    assertThat(client.post("/health/ready", "{}").status()).isEqualTo(405);
  }

  @Test
  void subjectWithControlCharactersIs42208() {
    Reply reply = client.register("bad\u0001subject", V1);

    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.errorCode()).isEqualTo(42208);
  }
}
