package dev.sluice.gateway;

import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/** Who makes a call to the gateway, from its {@code Authorization: Bearer <key>} header: one rule for every route. */
final class Callers {
  private static final String BEARER = "Bearer ";

  private Callers() {}

  /**
   * Who calls: with no keys configured everyone is anonymous (the default tenant); with keys, a
   * call without one is anonymous only when anonymous calls are allowed, and a key given must be valid.
   */
  static Optional<ApiKeys.Caller> authenticate(GatewayConfig config, Request request) {
    ApiKeys.Caller anonymous = new ApiKeys.Caller(null, null);
    if (config.apiKeys().isEmpty()) {
      return Optional.of(anonymous);
    }
    String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    if (header == null) {
      return config.allowAnonymous() ? Optional.of(anonymous) : Optional.empty();
    }
    if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return Optional.empty();
    }
    return config.apiKeys().authenticate(header.substring(BEARER.length()).strip());
  }

  /** Why a call was not authenticated, as the caller should read it. */
  static String refusal(Request request) {
    return request.getHeaders().get(HttpHeader.AUTHORIZATION) == null ? "no API key: send Authorization: Bearer <key>" : "the API key is not valid";
  }
}
