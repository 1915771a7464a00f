package dev.sluice.schemaregistry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.schemas.registry.CompatibilityLevel;
import java.util.List;
import java.util.Optional;

/**
 * {@code /config} and {@code /config/{subject}}: read, set and remove compatibility levels. Reads
 * answer {@code {"compatibilityLevel": "..."}}, updates echo {@code {"compatibility": "..."}}.
 */
final class ConfigResource {

  private final SchemaRegistryService service;
  private final ObjectMapper mapper;

  ConfigResource(SchemaRegistryService service, ObjectMapper mapper) {
    this.service = service;
    this.mapper = mapper;
  }

  /** Routes a request whose path started with {@code config}; {@code rest} is the remainder. */
  RegistryResponse route(RegistryRequest request, List<String> rest) {
    if (rest.size() > 1) {
      throw RegistryApiException.notFound();
    }
    Optional<String> subject = rest.stream().findFirst();
    return switch (request.method()) {
      case "GET" -> RegistryResponse.ok(levelBody(read(subject, request.flag("defaultToGlobal"))));
      case "PUT" -> update(request, subject);
      case "DELETE" -> RegistryResponse.ok(levelBody(subject.map(service::clearSubjectLevel).orElseGet(service::clearGlobalLevel)));
      default -> throw RegistryApiException.methodNotAllowed();
    };
  }

  private CompatibilityLevel read(Optional<String> subject, boolean defaultToGlobal) {
    if (subject.isEmpty()) {
      return service.globalLevel();
    }
    Optional<CompatibilityLevel> level = service.subjectLevel(subject.get());
    if (level.isPresent()) {
      return level.get();
    }
    if (defaultToGlobal) {
      return service.globalLevel();
    }
    throw RegistryApiException.compatibilityNotConfigured(subject.get());
  }

  private RegistryResponse update(RegistryRequest request, Optional<String> subject) {
    JsonNode body = request.jsonObject(mapper);
    JsonNode requested = body.has("compatibility") ? body.get("compatibility") : body.path("compatibilityLevel");
    CompatibilityLevel level = (requested.isTextual() ? CompatibilityLevel.parse(requested.asText()) : Optional.<CompatibilityLevel>empty())
        .orElseThrow(RegistryApiException::invalidCompatibilityLevel);
    service.setLevel(subject, level);
    return RegistryResponse.ok(JsonNodeFactory.instance.objectNode().put("compatibility", level.name()));
  }

  private static ObjectNode levelBody(CompatibilityLevel level) {
    return JsonNodeFactory.instance.objectNode().put("compatibilityLevel", level.name());
  }
}
