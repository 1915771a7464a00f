package dev.sluice.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.List;
import java.util.Map;

/**
 * What the gateway answers one HTTP call with.
 *
 * @param status the HTTP status
 * @param body the JSON body
 * @param headers extra response headers (e.g. {@code Retry-After})
 * @param reason for a refusal, the reason counted in the metrics and the audit trail; null when served
 * @param requestIds the pipeline requests the call sent, for the audit trail
 */
public record ApiResponse(int status, byte[] body, Map<String, String> headers, String reason, List<String> requestIds) {
  /**
   * The gateway's JSON: floats written with Jackson's fast writer (Schubfach). On JDK 17 the
   * default {@code Float.toString} took a quarter of the gateway's CPU writing embeddings.
   */
  static final ObjectMapper JSON = JsonMapper.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

  public ApiResponse {
    headers = Map.copyOf(headers);
    requestIds = List.copyOf(requestIds);
  }

  /** A JSON answer of a tree or any value Jackson writes. */
  static ApiResponse json(int status, Object value) {
    try {
      return new ApiResponse(status, JSON.writeValueAsBytes(value), Map.of(), null, List.of());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a response body", e);
    }
  }

  /** The same answer with one more header. */
  ApiResponse withHeader(String name, String value) {
    java.util.Map<String, String> more = new java.util.LinkedHashMap<>(headers);
    more.put(name, value);
    return new ApiResponse(status, body, more, reason, requestIds);
  }

  /** The same answer, counted as refused for the given reason. */
  ApiResponse refused(String why) {
    return new ApiResponse(status, body, headers, why, requestIds);
  }

  /** The same answer, naming the pipeline requests the call sent. */
  ApiResponse sent(List<String> ids) {
    return new ApiResponse(status, body, headers, reason, ids);
  }
}
