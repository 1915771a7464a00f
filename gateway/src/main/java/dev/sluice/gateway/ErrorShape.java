package dev.sluice.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * How an API spells an error: OpenAI's {@code {"error": {"message", "type", "param", "code"}}}
 * (the type follows from the status as OpenAI's does), or the Open Inference Protocol's
 * {@code {"error": "<message>"}}. The code is stable for programs (for a dead letter, its reason
 * code) and is what the metrics count a refusal by.
 */
enum ErrorShape {
  OPENAI {
    @Override
    ApiResponse error(int status, String code, String param, String message) {
      ObjectNode body = ApiResponse.JSON.createObjectNode();
      ObjectNode error = body.putObject("error");
      error.put("message", message);
      error.put("type", status == 401 ? "authentication_error" : status == 429 ? "rate_limit_error"
          : status >= 500 ? "server_error" : "invalid_request_error");
      if (param == null) {
        error.putNull("param");
      } else {
        error.put("param", param);
      }
      error.put("code", code);
      return ApiResponse.json(status, body).refused(code);
    }
  },
  OPEN_INFERENCE {
    @Override
    ApiResponse error(int status, String code, String param, String message) {
      ObjectNode body = ApiResponse.JSON.createObjectNode();
      body.put("error", param == null ? message : param + ": " + message);
      return ApiResponse.json(status, body).refused(code);
    }
  };

  /** An error answer. */
  abstract ApiResponse error(int status, String code, String param, String message);

  ApiResponse badRequest(String param, String message) {
    return error(400, "invalid_request", param, message);
  }

  ApiResponse unauthorized(String message) {
    return error(401, "invalid_api_key", null, message).withHeader("WWW-Authenticate", "Bearer");
  }

  ApiResponse modelNotFound(String message) {
    return error(404, "model_not_found", "model", message);
  }

  ApiResponse notFound(String path) {
    return error(404, "not_found", null, "no such endpoint: " + path
        + " (the gateway serves POST /v1/embeddings, GET /v1/models and the Open Inference Protocol under /v2)");
  }

  ApiResponse methodNotAllowed(String method, String path, String allowed) {
    return error(405, "method_not_allowed", null, method + " is not served on " + path + "; use " + allowed).withHeader("Allow", allowed);
  }

  ApiResponse tooLarge(String message) {
    return error(413, "request_too_large", null, message);
  }

  ApiResponse internal(String message) {
    return error(500, "internal_error", null, message);
  }

  /** The error of an input without an output; 429 carries {@code Retry-After}. */
  ApiResponse failure(CallFailure failure, String param) {
    ApiResponse response = error(failure.status(), failure.code(), param, failure.message());
    return failure.retryAfterSeconds() > 0 ? response.withHeader("Retry-After", Long.toString(failure.retryAfterSeconds())) : response;
  }
}
