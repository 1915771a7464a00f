package dev.sluice.schemaregistry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * {@code /subjects}: list subjects, look a schema up under a subject, register, read and delete
 * versions.
 */
final class SubjectsResource {

  private final SchemaRegistryService service;
  private final ObjectMapper mapper;
  private final JsonNodeFactory json = JsonNodeFactory.instance;

  SubjectsResource(SchemaRegistryService service, ObjectMapper mapper) {
    this.service = service;
    this.mapper = mapper;
  }

  /** Routes a request whose path started with {@code subjects}; {@code rest} is the remainder. */
  RegistryResponse route(RegistryRequest request, List<String> rest) {
    String method = request.method();
    if (rest.isEmpty()) {
      requireMethod(method, "GET");
      return RegistryResponse.ok(strings(service.subjects(request.flag("deleted"))));
    }
    String subject = rest.get(0);
    if (rest.size() == 1) {
      return switch (method) {
        case "POST" -> lookup(request, subject);
        case "DELETE" -> RegistryResponse.ok(ints(service.deleteSubject(subject, request.flag("permanent"))));
        default -> throw RegistryApiException.methodNotAllowed();
      };
    }
    if (!rest.get(1).equals("versions") || rest.size() > 4) {
      throw RegistryApiException.notFound();
    }
    if (rest.size() == 2) {
      return switch (method) {
        case "GET" -> RegistryResponse.ok(ints(service.versions(subject, request.flag("deleted"))));
        case "POST" -> register(request, subject);
        default -> throw RegistryApiException.methodNotAllowed();
      };
    }
    VersionId version = VersionId.parse(rest.get(2));
    if (rest.size() == 3) {
      return switch (method) {
        case "GET" -> RegistryResponse.ok(versionBody(service.version(subject, version, request.flag("deleted"))));
        case "DELETE" -> RegistryResponse.ok(json.numberNode(service.deleteVersion(subject, version, request.flag("permanent"))));
        default -> throw RegistryApiException.methodNotAllowed();
      };
    }
    switch (rest.get(3)) {
      case "schema" -> {
        requireMethod(method, "GET");
        return new RegistryResponse.Raw(200, service.version(subject, version, request.flag("deleted")).schema());
      }
      case "referencedby" -> {
        requireMethod(method, "GET");
        service.version(subject, version, true);
        return RegistryResponse.ok(json.arrayNode());
      }
      default -> throw RegistryApiException.notFound();
    }
  }

  private RegistryResponse register(RegistryRequest request, String subject) {
    SchemaRequest body = SchemaRequest.from(request.jsonObject(mapper));
    int id = service.register(subject, body.schema());
    return RegistryResponse.ok(json.objectNode().put("id", id));
  }

  private RegistryResponse lookup(RegistryRequest request, String subject) {
    SchemaRequest body = SchemaRequest.from(request.jsonObject(mapper));
    return RegistryResponse.ok(versionBody(service.lookup(subject, body.schema(), request.flag("deleted"))));
  }

  /** Confluent's Schema entity for an Avro schema: schemaType and references are omitted. */
  static ObjectNode versionBody(SubjectVersion version) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("subject", version.subject());
    node.put("version", version.version());
    node.put("id", version.id());
    node.put("schema", version.schema());
    return node;
  }

  static void requireMethod(String method, String allowed) {
    if (!method.equals(allowed)) {
      throw RegistryApiException.methodNotAllowed();
    }
  }

  private JsonNode strings(List<String> values) {
    ArrayNode array = json.arrayNode();
    values.forEach(array::add);
    return array;
  }

  private JsonNode ints(List<Integer> values) {
    ArrayNode array = json.arrayNode();
    values.forEach(array::add);
    return array;
  }
}
