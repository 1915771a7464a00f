package dev.sluice.schemaregistry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;

/**
 * Maps a request's first path segment to its resource, and answers the small ones itself: {@code
 * GET /} ({@code {}}) and {@code /mode} (always {@code READWRITE}). Unknown paths are 404 with
 * error code 404, known paths with another method 405.
 */
final class RegistryRouter {

  private static final String READWRITE = "READWRITE";

  private final SubjectsResource subjects;
  private final SchemasResource schemas;
  private final ConfigResource config;
  private final CompatibilityResource compatibility;
  private final ObjectMapper mapper;

  RegistryRouter(SchemaRegistryService service, ObjectMapper mapper) {
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

  private static JsonNode modeBody() {
    return JsonNodeFactory.instance.objectNode().put("mode", READWRITE);
  }
}
