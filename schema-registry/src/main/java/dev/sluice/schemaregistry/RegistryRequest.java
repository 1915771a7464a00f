package dev.sluice.schemaregistry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP request, reduced to what the routes need: the method, the decoded path segments (so a
 * subject sent as {@code my%2Fsubject} arrives as one segment {@code my/subject}), the query
 * parameters and the body.
 *
 * @param method the HTTP method, upper case
 * @param path the non-empty path segments, percent-decoded
 * @param query the query parameters, decoded; the last value wins
 * @param body the request body, possibly empty
 */
record RegistryRequest(String method, List<String> path, Map<String, String> query, byte[] body) {

  /** Splits and decodes a raw path and raw query as they arrive on the wire. */
  static RegistryRequest of(String method, String rawPath, String rawQuery, byte[] body) {
    List<String> segments = new ArrayList<>();
    for (String segment : (rawPath == null ? "" : rawPath).split("/")) {
      if (!segment.isEmpty()) {
        segments.add(decode(segment.replace("+", "%2B")));
      }
    }
    Map<String, String> query = new HashMap<>();
    if (rawQuery != null && !rawQuery.isEmpty()) {
      for (String pair : rawQuery.split("&")) {
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq));
        query.put(name, eq < 0 ? "" : decode(pair.substring(eq + 1)));
      }
    }
    return new RegistryRequest(method.toUpperCase(Locale.ROOT), List.copyOf(segments), Map.copyOf(query), body);
  }

  /** Whether boolean query parameter {@code name} is {@code true} (case-insensitive); absent is false. */
  boolean flag(String name) {
    return Boolean.parseBoolean(query.get(name));
  }

  /**
   * The body as a JSON object.
   *
   * @throws RegistryApiException 422 when the body is empty, 400 when it is not a JSON object
   */
  JsonNode jsonObject(ObjectMapper mapper) {
    if (body.length == 0) {
      throw RegistryApiException.unprocessable("Request body must not be empty");
    }
    JsonNode node;
    try {
      node = mapper.readTree(body);
    } catch (JsonProcessingException e) {
      throw RegistryApiException.malformedJson(e.getOriginalMessage());
    } catch (IOException e) {
      throw RegistryApiException.malformedJson(e.getMessage());
    }
    if (node == null || !node.isObject()) {
      throw RegistryApiException.malformedJson("Request body must be a JSON object");
    }
    return node;
  }

  private static String decode(String raw) {
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw RegistryApiException.notFound();
    }
  }
}
