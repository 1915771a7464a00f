package dev.sluice.schemas.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends JSON requests to the registry's base URLs in turn, with bounded retries and exponential
 * backoff for I/O failures, 5xx and 429 answers (never for other 4xx), and maps error answers to
 * {@link SchemaRegistryException}s.
 */
final class RegistryHttpTransport {
  static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  static final String ACCEPT =
      "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
  private static final Logger LOG = LoggerFactory.getLogger(RegistryHttpTransport.class);
  private static final int MAX_BODY_IN_MESSAGE = 300;

  private final SchemaRegistryClientConfig config;
  private final ObjectMapper json;
  private final HttpClient http;
  private final AtomicInteger preferredUrl = new AtomicInteger();

  RegistryHttpTransport(SchemaRegistryClientConfig config, ObjectMapper json) {
    this.config = config;
    this.json = json;
    HttpClient.Builder builder = HttpClient.newBuilder()
        .connectTimeout(config.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER);
    config.sslContext().ifPresent(builder::sslContext);
    this.http = builder.build();
  }

  /**
   * Sends one request and returns the answer's JSON body ({@link MissingNode} when empty).
   *
   * @param method HTTP method
   * @param pathAndQuery path below the base URL, starting with '/', already encoded
   * @param body JSON body, or null for none
   */
  JsonNode send(String method, String pathAndQuery, JsonNode body) {
    List<URI> urls = config.urls();
    String lastProblem = "no attempt made";
    HttpResponse<String> lastResponse = null;
    IOException lastIo = null;
    for (int attempt = 0; attempt <= config.retries(); attempt++) {
      if (attempt > 0) {
        backOff(attempt, lastResponse, method, pathAndQuery, lastProblem);
      }
      int first = preferredUrl.get();
      for (int i = 0; i < urls.size(); i++) {
        int index = (first + i) % urls.size();
        URI uri = URI.create(urls.get(index) + pathAndQuery);
        HttpResponse<String> response;
        try {
          response = http.send(request(method, uri, body), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
          lastIo = e;
          lastResponse = null;
          lastProblem = method + " " + uri + " failed: " + e;
          continue;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new SchemaRegistryUnavailableException("Interrupted during " + method + " " + uri, e);
        }
        int status = response.statusCode();
        if (status == 429 || status >= 500) {
          lastResponse = response;
          lastProblem = method + " " + uri + " answered HTTP " + status;
          continue;
        }
        preferredUrl.set(index);
        if (status >= 300) {
          throw error(method, uri, response);
        }
        return parse(method, uri, response);
      }
    }
    if (lastResponse != null) {
      throw error(method, lastResponse.uri(), lastResponse);
    }
    throw new SchemaRegistryUnavailableException(
        "Schema registry unavailable after " + (config.retries() + 1) + " attempt(s) at " + urls + ": " + lastProblem, lastIo);
  }

  private HttpRequest request(String method, URI uri, JsonNode body) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
        .timeout(config.requestTimeout())
        .header("Accept", ACCEPT);
    config.auth().authorizationHeader().ifPresent(value -> builder.header("Authorization", value));
    if (body == null) {
      return builder.method(method, HttpRequest.BodyPublishers.noBody()).build();
    }
    try {
      return builder.header("Content-Type", CONTENT_TYPE)
          .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
          .build();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON tree: " + e.getMessage(), e);
    }
  }

  private void backOff(int attempt, HttpResponse<String> lastResponse, String method, String path, String problem) {
    long base = config.retryBackoff().toMillis();
    long max = config.retryBackoffMax().toMillis();
    int doublings = Math.min(attempt - 1, 30);
    long delay = base > (max >> doublings) ? max : Math.min(max, base << doublings);
    Optional<Long> retryAfter = lastResponse == null
        ? Optional.empty()
        : lastResponse.headers().firstValue("Retry-After").flatMap(RegistryHttpTransport::seconds);
    if (retryAfter.isPresent()) {
      delay = Math.min(max, Math.max(delay, retryAfter.get() * 1000));
    }
    LOG.warn("Retrying {} {} in {} ms (retry {} of {}): {}", method, path, delay, attempt, config.retries(), problem);
    try {
      Thread.sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryUnavailableException("Interrupted while backing off before retrying " + method + " " + path, e);
    }
  }

  private static Optional<Long> seconds(String value) {
    try {
      return Optional.of(Math.max(0, Long.parseLong(value.trim())));
    } catch (NumberFormatException e) {
      // Retry-After may also be an HTTP date; the exponential backoff applies then.
      return Optional.empty();
    }
  }

  private JsonNode parse(String method, URI uri, HttpResponse<String> response) {
    String body = response.body();
    if (body == null || body.isBlank()) {
      return MissingNode.getInstance();
    }
    try {
      return json.readTree(body);
    } catch (JsonProcessingException e) {
      throw new SchemaRegistryProtocolException(
          method + " " + uri + " answered HTTP " + response.statusCode() + " with a body that is not JSON: " + abbreviate(body), response.statusCode(), e);
    }
  }

  private SchemaRegistryException error(String method, URI uri, HttpResponse<String> response) {
    int status = response.statusCode();
    int errorCode = status;
    String message = abbreviate(response.body());
    JsonNode node = tryParse(response.body());
    if (node != null && node.path("error_code").isInt()) {
      errorCode = node.get("error_code").asInt();
    }
    if (node != null && node.path("message").isTextual()) {
      message = node.get("message").asText();
    }
    String where = method + " " + uri + ": HTTP " + status + ", error code " + errorCode;
    return SchemaRegistryException.fromResponse(status, errorCode, (message.isEmpty() ? "" : message + " ") + "(" + where + ")");
  }

  private JsonNode tryParse(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      return json.readTree(body);
    } catch (JsonProcessingException e) {
      // Not JSON (a proxy's HTML page, say): the status alone classifies the error.
      return null;
    }
  }

  private static String abbreviate(String body) {
    if (body == null) {
      return "";
    }
    String flat = body.strip().replaceAll("\\s+", " ");
    return flat.length() <= MAX_BODY_IN_MESSAGE ? flat : flat.substring(0, MAX_BODY_IN_MESSAGE) + "...";
  }
}
