package dev.warren.broker.management;

/**
 * A request the API refuses, with RabbitMQ's status, error and reason, e.g. 404 {@code "not_found"}
 * {@code "vhost_not_found"}.
 */
public final class ApiException extends RuntimeException {
  private final int status;
  private final String error;

  public ApiException(int status, String error, String reason) {
    super(reason);
    this.status = status;
    this.error = error;
  }

  public int status() {
    return status;
  }

  public String error() {
    return error;
  }

  public String reason() {
    return getMessage();
  }

  public static ApiException badRequest(String reason) {
    return new ApiException(400, "bad_request", reason);
  }

  /** What RabbitMQ answers for an object or path that does not exist. */
  public static ApiException objectNotFound() {
    return new ApiException(404, "Object Not Found", "Not Found");
  }

  public static ApiException notFound(String reason) {
    return new ApiException(404, "not_found", reason);
  }

  /** RabbitMQ answers a missing permission with 401, not 403 (its own TODO says so). */
  public static ApiException notAuthorised(String reason) {
    return new ApiException(401, "not_authorised", reason);
  }
}
