package dev.sluice.schemaregistry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.sluice.platform.http.HealthAnswer;
import java.util.List;

/**
 * Maps a request's first path segment to its resource, and answers the small ones itself: {@code
 * GET /} ({@code {}}), {@code /mode} (always {@code READWRITE}) and {@code /health/live|ready}.
 * Unknown paths are 404 with error code 404, known paths with another method 405.
 */
final class RegistryRouter {
  private final SchemaRegistryService service;

  private static final String READWRITE = "READWRITE";

  private final SubjectsResource subjects;
  private final SchemasResource schemas;
  private final ConfigResource config;
  private final CompatibilityResource compatibility;
  private final ObjectMapper mapper;

  RegistryRouter(SchemaRegistryService service, ObjectMapper mapper) {
    this.service = service;
    this.subjects = new SubjectsResource(service, mapper);
    this.schemas = new SchemasResource(service);
    this.config = new ConfigResource(service, mapper);
    this.compatibility = new CompatibilityResource(service, mapper);
    this.mapper = mapper;
  }

  RegistryResponse route(RegistryRequest request) {
    List<String> path = request.path();
    if (path.isEmpty()) {
      SubjectsResource.requireMethod(request.method(), "GET");
      return RegistryResponse.ok(JsonNodeFactory.instance.objectNode());
    }
    List<String> rest = path.subList(1, path.size());
    return switch (path.get(0)) {
      case "subjects" -> subjects.route(request, rest);
      case "schemas" -> schemas.route(request, rest);
      case "config" -> config.route(request, rest);
      case "compatibility" -> compatibility.route(request, rest);
      case "mode" -> mode(request, rest);
      case "health" -> health(request, rest);
      default -> throw RegistryApiException.notFound();
    };
  }

  private RegistryResponse mode(RegistryRequest request, List<String> rest) {
    if (rest.size() > 1) {
      throw RegistryApiException.notFound();
    }
    switch (request.method()) {
      case "GET" -> {
        if (!rest.isEmpty() && !request.flag("defaultToGlobal")) {
          throw RegistryApiException.modeNotConfigured(rest.get(0));
        }
        return RegistryResponse.ok(modeBody());
      }
      case "PUT" -> {
        JsonNode mode = request.jsonObject(mapper).path("mode");
        if (!mode.isTextual() || !mode.asText().equalsIgnoreCase(READWRITE)) {
          throw RegistryApiException.invalidMode(mode.isMissingNode() ? "null" : mode.asText());
        }
        return RegistryResponse.ok(modeBody());
      }
      default -> throw RegistryApiException.methodNotAllowed();
    }
  }

  /**
   * {@code GET /health/live} and {@code /health/ready}, in every component's one shape: the
   * registry answers once its store is read, so both are ok while it serves.
   */
  private RegistryResponse health(RegistryRequest request, List<String> rest) {
    if (rest.size() != 1 || !List.of("live", "ready").contains(rest.get(0))) {
      throw RegistryApiException.notFound();
    }
    SubjectsResource.requireMethod(request.method(), "GET");
    HealthAnswer.Check check = rest.get(0).equals("live") ? HealthAnswer.Check.LIVE : HealthAnswer.Check.READY;
    HealthAnswer answer = HealthAnswer.of("registry", check, true, false, "serving " + service.subjects(false).size() + " subjects");
    return new RegistryResponse.Raw(answer.ok() ? 200 : 503, answer.body());
  }

  private static JsonNode modeBody() {
    return JsonNodeFactory.instance.objectNode().put("mode", READWRITE);
  }
}
