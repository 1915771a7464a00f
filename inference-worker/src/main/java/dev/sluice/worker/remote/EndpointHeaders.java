package dev.sluice.worker.remote;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which headers of an endpoint may be written in a deployment record. Credentials may not: the
 * record lives on a compacted topic every reader of the model registry sees, so a key goes in an
 * environment variable or a mounted file ({@code api_key_env}, {@code api_key_file}).
 */
public final class EndpointHeaders {
  private static final Set<String> SECRET = Set.of("authorization", "proxy-authorization", "api-key", "x-api-key", "cookie");

  private EndpointHeaders() {}

  /** Why a header may not be in a deployment record, or empty when it may. */
  public static Optional<String> refused(String name) {
    if (SECRET.contains(name.toLowerCase(Locale.ROOT).strip())) {
      return Optional.of("header " + name + " carries a credential, which must not be written in the model registry: name the"
          + " environment variable holding the key with api-key-env, or the file (a mounted Secret) with api-key-file");
    }
    return Optional.empty();
  }
}
