package dev.sluice.schemaregistry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * {@code /compatibility/subjects/{subject}/versions[/{version}]}: would this schema be accepted?
 * Answers {@code {"is_compatible": bool}}, with {@code "messages"} when {@code ?verbose=true}.
 */
final class CompatibilityResource {

  private static final int INVALID_SCHEMA = 42201;

  private final SchemaRegistryService service;
  private final ObjectMapper mapper;

  CompatibilityResource(SchemaRegistryService service, ObjectMapper mapper) {
    this.service = service;
    this.mapper = mapper;
  }

  /** Routes a request whose path started with {@code compatibility}; {@code rest} is the remainder. */
  RegistryResponse route(RegistryRequest request, List<String> rest) {
    if (rest.size() < 3 || rest.size() > 4 || !rest.get(0).equals("subjects") || !rest.get(2).equals("versions")) {
      throw RegistryApiException.notFound();
    }
    SubjectsResource.requireMethod(request.method(), "POST");
    String subject = rest.get(1);
    VersionId version = rest.size() == 4 ? VersionId.parse(rest.get(3)) : null;
    SchemaRequest body = SchemaRequest.from(request.jsonObject(mapper));
    boolean verbose = request.flag("verbose");
    List<String> messages;
    try {
      messages = version == null
          ? service.checkAgainstSubject(subject, body.schema())
          : service.checkAgainstVersion(subject, version, body.schema());
    } catch (RegistryApiException e) {
      if (!verbose || e.errorCode() != INVALID_SCHEMA) {
        throw e;
      }
      messages = List.of(e.getMessage());
    }
    ObjectNode answer = JsonNodeFactory.instance.objectNode().put("is_compatible", messages.isEmpty());
    if (verbose) {
      ArrayNode array = answer.putArray("messages");
      messages.forEach(array::add);
    }
    return RegistryResponse.ok(answer);
  }
}
