package dev.gyre.api;

/** A server API call that ends with an error in the response. */
public final class ApiException extends RuntimeException {
  private final ApiError error;

  public ApiException(ApiError error) {
    super(error.message(), null, false, false);
    this.error = error;
  }

  public ApiError error() { return error; }
}
