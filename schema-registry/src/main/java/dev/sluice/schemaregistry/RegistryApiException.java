package dev.sluice.schemaregistry;

/**
 * An error the REST API reports to its client: an HTTP status, Confluent's numeric {@code
 * error_code} and a message, written as {@code {"error_code": ..., "message": ...}}. The factory
 * methods carry Confluent's documented codes and messages.
 */
final class RegistryApiException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final int errorCode;

  private RegistryApiException(int status, int errorCode, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.errorCode = errorCode;
  }

  int status() {
    return status;
  }

  int errorCode() {
    return errorCode;
  }

  static RegistryApiException subjectNotFound(String subject) {
    return new RegistryApiException(404, 40401, "Subject '" + subject + "' not found.", null);
  }

  static RegistryApiException versionNotFound(int version) {
    return new RegistryApiException(404, 40402, "Version " + version + " not found.", null);
  }

  static RegistryApiException schemaNotFound() {
    return new RegistryApiException(404, 40403, "Schema not found", null);
  }

  static RegistryApiException schemaNotFound(int id) {
    return new RegistryApiException(404, 40403, "Schema " + id + " not found", null);
  }

  static RegistryApiException subjectSoftDeleted(String subject) {
    return new RegistryApiException(404, 40404, "Subject '" + subject + "' was soft deleted.Set permanent=true to delete permanently", null);
  }

  static RegistryApiException subjectNotSoftDeleted(String subject) {
    return new RegistryApiException(404, 40405, "Subject '" + subject + "' was not deleted first before being permanently deleted", null);
  }

  static RegistryApiException versionSoftDeleted(String subject, int version) {
    return new RegistryApiException(
        404, 40406, "Subject '" + subject + "' Version " + version + " was soft deleted.Set permanent=true to delete permanently", null);
  }

  static RegistryApiException versionNotSoftDeleted(String subject, int version) {
    return new RegistryApiException(
        404, 40407, "Subject '" + subject + "' Version " + version + " was not deleted first before being permanently deleted", null);
  }

  static RegistryApiException compatibilityNotConfigured(String subject) {
    return new RegistryApiException(404, 40408, "Subject '" + subject + "' does not have subject-level compatibility configured", null);
  }

  static RegistryApiException modeNotConfigured(String subject) {
    return new RegistryApiException(404, 40409, "Subject '" + subject + "' does not have subject-level mode configured", null);
  }

  static RegistryApiException incompatibleSchema(String subject, String details) {
    return new RegistryApiException(
        409, 409, "Schema being registered is incompatible with an earlier schema for subject \"" + subject + "\", details: " + details, null);
  }

  static RegistryApiException invalidSchema(String message) {
    return new RegistryApiException(422, 42201, message, null);
  }

  static RegistryApiException invalidVersion(String version) {
    return new RegistryApiException(422, 42202, "The specified version '" + version
        + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"", null);
  }

  static RegistryApiException invalidCompatibilityLevel() {
    return new RegistryApiException(422, 42203, "Invalid compatibility level. Valid values are none, backward, forward, full, "
        + "backward_transitive, forward_transitive, and full_transitive", null);
  }

  static RegistryApiException invalidMode(String mode) {
    return new RegistryApiException(422, 42204, "Invalid mode " + mode + "; this registry supports only READWRITE", null);
  }

  static RegistryApiException invalidSubject(String subject) {
    return new RegistryApiException(422, 42208, "The specified subject '" + subject + "' is not a valid.", null);
  }

  static RegistryApiException unprocessable(String message) {
    return new RegistryApiException(422, 422, message, null);
  }

  static RegistryApiException malformedJson(String message) {
    return new RegistryApiException(400, 400, message, null);
  }

  static RegistryApiException notFound() {
    return new RegistryApiException(404, 404, "HTTP 404 Not Found", null);
  }

  static RegistryApiException methodNotAllowed() {
    return new RegistryApiException(405, 405, "HTTP 405 Method Not Allowed", null);
  }

  static RegistryApiException notAcceptable() {
    return new RegistryApiException(406, 406, "HTTP 406 Not Acceptable", null);
  }

  static RegistryApiException unsupportedMediaType() {
    return new RegistryApiException(415, 415, "HTTP 415 Unsupported Media Type", null);
  }

  static RegistryApiException storeError(String message, Throwable cause) {
    return new RegistryApiException(500, 50001, message, cause);
  }

  static RegistryApiException operationTimeout(String message, Throwable cause) {
    return new RegistryApiException(500, 50002, message, cause);
  }

  static RegistryApiException internal(Throwable cause) {
    return new RegistryApiException(500, 500, "Internal Server Error", cause);
  }
}
