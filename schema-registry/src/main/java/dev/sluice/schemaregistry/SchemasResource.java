package dev.sluice.schemaregistry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;

/** {@code /schemas}: schemas by global id, and the schema types this registry supports. */
final class SchemasResource {

  private final SchemaRegistryService service;
  private final JsonNodeFactory json = JsonNodeFactory.instance;

  SchemasResource(SchemaRegistryService service) {
    this.service = service;
  }

  /** Routes a request whose path started with {@code schemas}; {@code rest} is the remainder. */
  RegistryResponse route(RegistryRequest request, List<String> rest) {
    if (rest.isEmpty()) {
      SubjectsResource.requireMethod(request.method(), "GET");
      ArrayNode all = json.arrayNode();
      service.liveVersions().forEach(v -> all.add(SubjectsResource.versionBody(v)));
      return RegistryResponse.ok(all);
    }
    if (rest.size() == 1 && rest.get(0).equals("types")) {
      SubjectsResource.requireMethod(request.method(), "GET");
      return RegistryResponse.ok(json.arrayNode().add(CanonicalSchema.AVRO));
    }
    if (!rest.get(0).equals("ids") || rest.size() < 2 || rest.size() > 3) {
      throw RegistryApiException.notFound();
    }
    int id = parseId(rest.get(1));
    SubjectsResource.requireMethod(request.method(), "GET");
    if (rest.size() == 2) {
      return RegistryResponse.ok(json.objectNode().put("schema", service.schema(id)));
    }
    return switch (rest.get(2)) {
      case "schema" -> new RegistryResponse.Raw(200, service.schema(id));
      case "subjects" -> {
        ArrayNode subjects = json.arrayNode();
        service.usages(id, request.flag("deleted")).stream().map(SubjectVersion::subject).distinct().forEach(subjects::add);
        yield RegistryResponse.ok(subjects);
      }
      case "versions" -> {
        ArrayNode versions = json.arrayNode();
        service.usages(id, request.flag("deleted"))
            .forEach(v -> versions.addObject().put("subject", v.subject()).put("version", v.version()));
        yield RegistryResponse.ok(versions);
      }
      default -> throw RegistryApiException.notFound();
    };
  }

  /** A path id that is not an integer matches no resource, as in Confluent's registry. */
  private static int parseId(String raw) {
    try {
      return Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      throw RegistryApiException.notFound();
    }
  }
}
