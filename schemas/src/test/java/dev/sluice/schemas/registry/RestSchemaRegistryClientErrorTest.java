package dev.sluice.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Error answers, retries and failover of {@link RestSchemaRegistryClient} over real HTTP. */
class RestSchemaRegistryClientErrorTest extends CannedRegistryTest {
  @Test
  void subjectNotFoundMapsToNotFoundExceptionWithoutRetry() {
    server.answer("GET", "/subjects/missing-value/versions/latest", 404, "{\"error_code\":40401,\"message\":\"Subject 'missing-value' not found.\"}");

    assertThatThrownBy(() -> client.getLatest("missing-value"))
        .isInstanceOfSatisfying(SchemaRegistryNotFoundException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(404);
          assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND);
          assertThat(e.subjectNotFound()).isTrue();
          assertThat(e.getMessage()).contains("Subject 'missing-value' not found.").contains("/subjects/missing-value/versions/latest");
        });
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void unknownSchemaIdMapsToSchemaNotFound() {
    server.answer("GET", "/schemas/ids/999", 404, "{\"error_code\":40403,\"message\":\"Schema 999 not found\"}");

    assertThatThrownBy(() -> client.getById(999))
        .isInstanceOfSatisfying(SchemaRegistryNotFoundException.class, e -> assertThat(e.schemaNotFound()).isTrue());
  }

  @Test
  void conflictMapsToIncompatibleSchemaException() {
    server.answer("POST", "/subjects/sluice.requests-value/versions", 409,
        "{\"error_code\":409,\"message\":\"Schema being registered is incompatible with an earlier schema\"}");

    assertThatThrownBy(() -> client.register(SUBJECT, PING))
        .isInstanceOfSatisfying(IncompatibleSchemaException.class, e -> {
          assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.INCOMPATIBLE_SCHEMA);
          assertThat(e.getMessage()).contains("incompatible with an earlier schema");
        });
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void unprocessableEntityMapsToInvalidRequestWithItsCode() {
    server.answer("POST", "/subjects/sluice.requests-value/versions", 422, "{\"error_code\":42201,\"message\":\"Invalid schema\"}");
    server.answer("PUT", "/config", 422, "{\"error_code\":42203,\"message\":\"Invalid compatibility level\"}");

    assertThatThrownBy(() -> client.register(SUBJECT, PING))
        .isInstanceOfSatisfying(InvalidSchemaRegistryRequestException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(422);
          assertThat(e.invalidSchema()).isTrue();
        });
    assertThatThrownBy(() -> client.putGlobalConfig(CompatibilityLevel.FULL))
        .isInstanceOfSatisfying(InvalidSchemaRegistryRequestException.class,
            e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL));
  }

  @Test
  void unauthorizedMapsToAuthExceptionEvenWithoutJsonBody() {
    server.answer("GET", "/subjects", 401, "<html>Unauthorized</html>");

    assertThatThrownBy(() -> client.listSubjects())
        .isInstanceOfSatisfying(SchemaRegistryAuthException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(401);
          assertThat(e.errorCode()).isEqualTo(401);
        });
  }

  @Test
  void retriesServiceUnavailableThenSucceeds() {
    server.answer("GET", "/subjects", 503, "{\"error_code\":50003,\"message\":\"Error while forwarding the request to the leader\"}");
    server.answer("GET", "/subjects", 503, "{\"error_code\":50003,\"message\":\"Error while forwarding the request to the leader\"}");
    server.answer("GET", "/subjects", 200, "[\"a-value\"]");

    assertThat(client.listSubjects()).containsExactly("a-value");
    assertThat(server.requests()).hasSize(3);
  }

  @Test
  void retriesTooManyRequestsHonouringRetryAfter() {
    server.answer("GET", "/subjects", 429, "{\"error_code\":42901,\"message\":\"Request rate limit exceeded\"}", Map.of("Retry-After", "0"));
    server.answer("GET", "/subjects", 200, "[]");

    assertThat(client.listSubjects()).isEmpty();
    assertThat(server.requests()).hasSize(2);
  }

  @Test
  void persistentServerErrorFailsWithServerExceptionAfterBoundedRetries() {
    server.answer("GET", "/schemas/ids/1", 500, "{\"error_code\":50001,\"message\":\"Error in the backend data store\"}");

    assertThatThrownBy(() -> client.getById(1))
        .isInstanceOfSatisfying(SchemaRegistryServerException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(500);
          assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.BACKEND_STORE_ERROR);
        });
    assertThat(server.requests()).hasSize(3);
  }

  @Test
  void unreachableRegistryFailsAsUnavailableAfterRetries() throws IOException {
    String deadUrl = deadUrl();
    try (RestSchemaRegistryClient unreachable = clientFor(Map.of(SchemaRegistryClientConfig.URL, deadUrl))) {
      assertThatThrownBy(unreachable::listSubjects)
          .isInstanceOfSatisfying(SchemaRegistryUnavailableException.class, e -> {
            assertThat(e.httpStatus()).isEqualTo(SchemaRegistryException.NO_STATUS);
            assertThat(e.getMessage()).contains("3 attempt(s)").contains(deadUrl);
          });
    }
  }

  @Test
  void failsOverToNextUrlWhenOneIsUnreachable() throws IOException {
    server.answer("GET", "/subjects", 200, "[\"x-value\"]");
    try (RestSchemaRegistryClient failover = clientFor(Map.of(SchemaRegistryClientConfig.URL, deadUrl() + ", " + server.url() + "/"))) {
      assertThat(failover.listSubjects()).containsExactly("x-value");
    }
  }

  @Test
  void answerThatIsNotJsonIsAProtocolError() {
    server.answer("GET", "/subjects", 200, "<html>not a registry</html>");

    assertThatThrownBy(() -> client.listSubjects()).isInstanceOf(SchemaRegistryProtocolException.class).hasMessageContaining("not JSON");
  }

  @Test
  void nonAvroSchemaIsRefusedAsUnsupportedType() {
    server.answer("GET", "/schemas/ids/5", 200, "{\"schemaType\":\"PROTOBUF\",\"schema\":\"syntax = \\\"proto3\\\";\"}");

    assertThatThrownBy(() -> client.getById(5))
        .isInstanceOfSatisfying(UnsupportedSchemaTypeException.class, e -> assertThat(e.schemaType()).isEqualTo("PROTOBUF"));
  }

  @Test
  void closedClientRefusesCalls() {
    client.close();

    assertThatThrownBy(() -> client.listSubjects()).isInstanceOf(IllegalStateException.class);
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void retryConfigCanBeSetProgrammatically() {
    server.answer("GET", "/subjects", 503, "{}");
    SchemaRegistryClientConfig config = SchemaRegistryClientConfig.forUrl(server.url()).withRetries(0, Duration.ZERO, Duration.ZERO);
    try (RestSchemaRegistryClient noRetries = new RestSchemaRegistryClient(config)) {
      assertThatThrownBy(noRetries::listSubjects).isInstanceOf(SchemaRegistryServerException.class);
    }
    assertThat(server.requests()).hasSize(1);
    assertThat(config.retries()).isZero();
  }

  private static String deadUrl() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "http://127.0.0.1:" + socket.getLocalPort();
    }
  }
}
