package dev.sluice.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Errors in OpenAI's shape, {@code {"error": {"message", "type", "param", "code"}}}, with the status
 * the field expects. The message says what to do; the code is stable for programs (for a dead
 * letter, its reason code).
 */
final class OpenAiErrors {
  static final String INVALID_REQUEST = "invalid_request_error";
  static final String AUTHENTICATION = "authentication_error";
  static final String RATE_LIMIT = "rate_limit_error";
  static final String SERVER = "server_error";

  private OpenAiErrors() {}

  static ApiResponse error(int status, String type, String code, String param, String message) {
    ObjectNode body = ApiResponse.JSON.createObjectNode();
    ObjectNode error = body.putObject("error");
    error.put("message", message);
    error.put("type", type);
    if (param == null) {
      error.putNull("param");
    } else {
      error.put("param", param);
    }
    error.put("code", code);
    return ApiResponse.json(status, body).refused(code);
  }

  static ApiResponse badRequest(String param, String message) {
    return error(400, INVALID_REQUEST, "invalid_request", param, message);
  }

  static ApiResponse unauthorized(String message) {
    return error(401, AUTHENTICATION, "invalid_api_key", null, message).withHeader("WWW-Authenticate", "Bearer");
  }

  static ApiResponse modelNotFound(String model, String message) {
    return error(404, INVALID_REQUEST, "model_not_found", "model", message);
  }

  static ApiResponse notFound(String path) {
    return error(404, INVALID_REQUEST, "not_found", null, "no such endpoint: " + path
        + " (the gateway serves POST /v1/embeddings and GET /v1/models)");
  }

  static ApiResponse methodNotAllowed(String method, String path, String allowed) {
    return error(405, INVALID_REQUEST, "method_not_allowed", null, method + " is not served on " + path + "; use " + allowed)
        .withHeader("Allow", allowed);
  }

  static ApiResponse tooLarge(String message) {
    return error(413, INVALID_REQUEST, "request_too_large", null, message);
  }

  static ApiResponse deadlinePassed(String message) {
    return error(504, SERVER, "deadline_exceeded", null, message);
  }

  static ApiResponse unavailable(String message) {
    return error(503, SERVER, "unavailable", null, message);
  }
}
