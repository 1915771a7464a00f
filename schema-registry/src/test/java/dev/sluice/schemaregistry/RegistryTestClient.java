package dev.sluice.schemaregistry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Plain {@link HttpClient} calls against a registry, shaped like Confluent's REST documentation. */
final class RegistryTestClient {

  static final String V1_JSON = "application/vnd.schemaregistry.v1+json";

  private final ObjectMapper mapper = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String baseUrl;

  RegistryTestClient(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /**
   * An HTTP response.
   *
   * @param status the status code
   * @param contentType the Content-Type header
   * @param body the body text
   * @param mapper parses the body
   */
  record Reply(int status, String contentType, String body, ObjectMapper mapper) {
    JsonNode json() {
      try {
        return mapper.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }

    int errorCode() {
      return json().path("error_code").asInt();
    }

    String message() {
      return json().path("message").asText();
    }
  }

  /** Percent-encodes a subject for a path segment. */
  static String encode(String subject) {
    return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
  }

  JsonNode parse(String json) {
    try {
      return mapper.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code {"schema": "<schema>"}} with the schema JSON-escaped. */
  String schemaBody(String schema) {
    return mapper.createObjectNode().put("schema", schema).toString();
  }

  Reply register(String subject, String schema) {
    return post("/subjects/" + encode(subject) + "/versions", schemaBody(schema));
  }

  /** Registers and returns the id, failing the test on anything but 200. */
  int registerOk(String subject, String schema) {
    Reply reply = register(subject, schema);
    if (reply.status() != 200) {
      throw new AssertionError("registration failed: " + reply);
    }
    return reply.json().get("id").asInt();
  }

  Reply get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  Reply delete(String path) {
    return send(HttpRequest.newBuilder(uri(path)).DELETE());
  }

  Reply post(String path, String body) {
    return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", V1_JSON).POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  Reply put(String path, String body) {
    return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", V1_JSON).PUT(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** Sends a request the caller built fully, headers included. */
  Reply send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body(), mapper);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  URI uri(String path) {
    return URI.create(baseUrl + path);
  }
}
