package dev.sluice.schemas.registry;

/**
 * A failure reported by (or on the way to) a schema registry. Unchecked; the subclasses form a
 * closed set so callers can tell "not found" from "incompatible" from "registry down":
 *
 * <ul>
 *   <li>{@link SchemaRegistryNotFoundException}: HTTP 404 (subject, version or schema not found;
 *       subject compatibility not configured)
 *   <li>{@link IncompatibleSchemaException}: HTTP 409
 *   <li>{@link InvalidSchemaRegistryRequestException}: HTTP 422 (invalid schema, version or
 *       compatibility level) and other refused requests (400, 405, ...)
 *   <li>{@link SchemaRegistryAuthException}: HTTP 401 and 403
 *   <li>{@link SchemaRegistryServerException}: HTTP 5xx and 429 once the retries are spent
 *   <li>{@link SchemaRegistryUnavailableException}: no answer at all once the retries are spent
 *   <li>{@link SchemaRegistryProtocolException}: an answer this client cannot understand
 *   <li>{@link UnsupportedSchemaTypeException}: a schema that is not Avro
 * </ul>
 *
 * <p>{@link #errorCode()} is the registry's {@code error_code} (e.g. {@value #SUBJECT_NOT_FOUND}),
 * or the HTTP status when the body carried none; {@link #httpStatus()} is {@value #NO_STATUS}
 * when no HTTP answer was received.
 */
public abstract sealed class SchemaRegistryException extends RuntimeException
    permits SchemaRegistryNotFoundException,
        IncompatibleSchemaException,
        InvalidSchemaRegistryRequestException,
        SchemaRegistryAuthException,
        SchemaRegistryServerException,
        SchemaRegistryUnavailableException,
        SchemaRegistryProtocolException,
        UnsupportedSchemaTypeException {

  /** {@link #httpStatus()} when no HTTP answer was received. */
  public static final int NO_STATUS = -1;
  /** Subject not found. */
  public static final int SUBJECT_NOT_FOUND = 40401;
  /** Version not found. */
  public static final int VERSION_NOT_FOUND = 40402;
  /** Schema not found. */
  public static final int SCHEMA_NOT_FOUND = 40403;
  /** Subject-level compatibility level not configured. */
  public static final int SUBJECT_COMPATIBILITY_NOT_CONFIGURED = 40408;
  /** Schema incompatible with an earlier version of its subject. */
  public static final int INCOMPATIBLE_SCHEMA = 409;
  /** Invalid schema. */
  public static final int INVALID_SCHEMA = 42201;
  /** Invalid version. */
  public static final int INVALID_VERSION = 42202;
  /** Invalid compatibility level. */
  public static final int INVALID_COMPATIBILITY_LEVEL = 42203;
  /** Error in the registry's backend data store. */
  public static final int BACKEND_STORE_ERROR = 50001;
  /** Operation timed out in the registry. */
  public static final int OPERATION_TIMEOUT = 50002;
  /** Error while forwarding the request to the registry's primary. */
  public static final int FORWARDING_ERROR = 50003;

  private final int httpStatus;
  private final int errorCode;

  SchemaRegistryException(String message, int httpStatus, int errorCode, Throwable cause) {
    super(message, cause);
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
  }

  /** The HTTP status of the registry's answer, or {@value #NO_STATUS} when there was none. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The registry's {@code error_code}, or the HTTP status when its body carried none. */
  public int errorCode() {
    return errorCode;
  }

  /**
   * Maps a registry error answer to its exception type.
   *
   * @param httpStatus the HTTP status, 400 or above
   * @param errorCode the body's {@code error_code}, or the status when it had none
   * @param message the body's {@code message}, or a description of the request
   */
  public static SchemaRegistryException fromResponse(int httpStatus, int errorCode, String message) {
    if (httpStatus == 404) {
      return new SchemaRegistryNotFoundException(message, errorCode);
    }
    if (httpStatus == 409) {
      return new IncompatibleSchemaException(message, errorCode);
    }
    if (httpStatus == 401 || httpStatus == 403) {
      return new SchemaRegistryAuthException(message, httpStatus, errorCode);
    }
    if (httpStatus == 429 || httpStatus >= 500) {
      return new SchemaRegistryServerException(message, httpStatus, errorCode);
    }
    return new InvalidSchemaRegistryRequestException(message, httpStatus, errorCode);
  }
}
