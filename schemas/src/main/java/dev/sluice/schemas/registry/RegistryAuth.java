package dev.sluice.schemas.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * How the client authenticates to the registry: not at all, HTTP basic, or a bearer token.
 * The records mask their secrets in {@code toString()}.
 */
public sealed interface RegistryAuth {

  /** The value of the {@code Authorization} header, if one is to be sent. */
  Optional<String> authorizationHeader();

  /** No authentication. */
  record None() implements RegistryAuth {
    @Override
    public Optional<String> authorizationHeader() {
      return Optional.empty();
    }
  }

  /**
   * HTTP basic authentication.
   *
   * @param username the user
   * @param password the password
   */
  record Basic(String username, String password) implements RegistryAuth {
    /** Checks both are present. */
    public Basic {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(password, "password");
    }

    @Override
    public Optional<String> authorizationHeader() {
      String token = Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
      return Optional.of("Basic " + token);
    }

    @Override
    public String toString() {
      return "Basic[username=" + username + ", password=[hidden]]";
    }
  }

  /**
   * A static bearer token.
   *
   * @param token the token
   */
  record Bearer(String token) implements RegistryAuth {
    /** Checks the token is present. */
    public Bearer {
      Objects.requireNonNull(token, "token");
    }

    @Override
    public Optional<String> authorizationHeader() {
      return Optional.of("Bearer " + token);
    }

    @Override
    public String toString() {
      return "Bearer[token=[hidden]]";
    }
  }
}
