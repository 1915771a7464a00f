package dev.sluice.schemaregistry;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The media types the REST API speaks, as Confluent's registry declares them: it produces {@value
 * #V1_JSON} (preferred), {@value #DEFAULT_JSON} and {@value #JSON}, and consumes those plus {@value
 * #OCTET_STREAM} or no content type at all.
 */
final class ContentNegotiation {

  static final String V1_JSON = "application/vnd.schemaregistry.v1+json";
  static final String DEFAULT_JSON = "application/vnd.schemaregistry+json";
  static final String JSON = "application/json";
  static final String OCTET_STREAM = "application/octet-stream";

  /** Produced types with their server-side quality, best first. */
  private static final List<Produced> PRODUCED = List.of(new Produced(V1_JSON, 1.0), new Produced(DEFAULT_JSON, 0.9), new Produced(JSON, 0.5));
  private static final Set<String> CONSUMED = Set.of(V1_JSON, DEFAULT_JSON, JSON, OCTET_STREAM);

  private ContentNegotiation() {}

  /**
   * The response type for a request's {@code Accept} header: the produced type with the highest
   * client quality times server quality; {@value #V1_JSON} when the header is absent; empty when
   * the client accepts none of them.
   */
  static Optional<String> responseType(String accept) {
    if (accept == null || accept.isBlank()) {
      return Optional.of(V1_JSON);
    }
    String best = null;
    double bestScore = 0;
    for (String range : accept.split(",")) {
      String[] parts = range.split(";");
      String type = parts[0].trim().toLowerCase(Locale.ROOT);
      double q = quality(parts);
      for (Produced produced : PRODUCED) {
        double score = q * produced.quality();
        if (matches(type, produced.type()) && score > bestScore) {
          best = produced.type();
          bestScore = score;
        }
      }
    }
    return Optional.ofNullable(best);
  }

  /** Whether a request body of this {@code Content-Type} is accepted; absent is. */
  static boolean acceptsBody(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return true;
    }
    return CONSUMED.contains(contentType.split(";")[0].trim().toLowerCase(Locale.ROOT));
  }

  private static boolean matches(String range, String type) {
    return range.equals("*/*") || range.equals("application/*") || range.equals(type);
  }

  private static double quality(String[] parts) {
    for (int i = 1; i < parts.length; i++) {
      String param = parts[i].trim();
      if (param.startsWith("q=")) {
        try {
          return Double.parseDouble(param.substring(2));
        } catch (NumberFormatException e) {
          return 0;
        }
      }
    }
    return 1;
  }

  private record Produced(String type, double quality) {}
}
