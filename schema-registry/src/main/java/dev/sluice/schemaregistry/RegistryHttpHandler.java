package dev.sluice.schemaregistry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns HTTP exchanges into {@link RegistryRequest}s and {@link RegistryResponse}s into bytes:
 * negotiates the response type, checks the request's content type, and writes every failure as
 * Confluent's {@code {"error_code": ..., "message": ...}} body.
 */
final class RegistryHttpHandler implements HttpHandler {

  private static final Logger LOG = LoggerFactory.getLogger(RegistryHttpHandler.class);

  private final RegistryRouter router;
  private final ObjectMapper mapper;

  RegistryHttpHandler(RegistryRouter router, ObjectMapper mapper) {
    this.router = router;
    this.mapper = mapper;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      Optional<String> responseType = ContentNegotiation.responseType(exchange.getRequestHeaders().getFirst("Accept"));
      RegistryResponse response = responseType.isPresent() ? answer(exchange) : error(RegistryApiException.notAcceptable());
      send(exchange, response, responseType.orElse(ContentNegotiation.V1_JSON));
    } finally {
      exchange.close();
    }
  }

  private RegistryResponse answer(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    String method = exchange.getRequestMethod();
    URI uri = exchange.getRequestURI();
    try {
      boolean carriesEntity = method.equalsIgnoreCase("POST") || method.equalsIgnoreCase("PUT");
      if (carriesEntity && !ContentNegotiation.acceptsBody(exchange.getRequestHeaders().getFirst("Content-Type"))) {
        throw RegistryApiException.unsupportedMediaType();
      }
      return router.route(RegistryRequest.of(method, uri.getRawPath(), uri.getRawQuery(), body));
    } catch (RegistryApiException e) {
      if (e.status() >= 500) {
        LOG.error("{} {} failed: {}", method, uri, e.getMessage(), e.getCause());
      }
      return error(e);
    } catch (RuntimeException e) {
      LOG.error("{} {} failed unexpectedly", method, uri, e);
      return error(RegistryApiException.internal(e));
    }
  }

  private static RegistryResponse error(RegistryApiException e) {
    return new RegistryResponse.Json(
        e.status(), JsonNodeFactory.instance.objectNode().put("error_code", e.errorCode()).put("message", e.getMessage()));
  }

  private void send(HttpExchange exchange, RegistryResponse response, String contentType) throws IOException {
    byte[] bytes;
    if (response instanceof RegistryResponse.Json json) {
      bytes = mapper.writeValueAsBytes(json.body());
    } else if (response instanceof RegistryResponse.Raw raw) {
      bytes = raw.body().getBytes(StandardCharsets.UTF_8);
    } else {
      throw new IllegalStateException("unknown response kind " + response);
    }
    exchange.getResponseHeaders().set("Content-Type", contentType);
    if (exchange.getRequestMethod().equalsIgnoreCase("HEAD")) {
      exchange.sendResponseHeaders(response.status(), -1);
      return;
    }
    exchange.sendResponseHeaders(response.status(), bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
