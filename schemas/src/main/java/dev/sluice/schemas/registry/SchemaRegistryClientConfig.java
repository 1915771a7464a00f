package dev.sluice.schemas.registry;

import dev.sluice.schemas.config.ConfigReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * Configuration of a {@link RestSchemaRegistryClient}. Parsed from the same property map as the
 * Kafka client it serves, with Confluent's key names where Confluent has one:
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@value #URL}</td><td>(required)</td><td>comma-separated base URLs, tried in turn</td></tr>
 *   <tr><td>{@value #BASIC_AUTH_CREDENTIALS_SOURCE}</td><td>USER_INFO when {@value #BASIC_AUTH_USER_INFO}
 *       is set, else URL</td><td>USER_INFO, or URL for {@code http://user:password@host}</td></tr>
 *   <tr><td>{@value #BASIC_AUTH_USER_INFO}</td><td></td><td>{@code user:password}</td></tr>
 *   <tr><td>{@value #BEARER_AUTH_CREDENTIALS_SOURCE}</td><td>STATIC_TOKEN</td><td>only STATIC_TOKEN</td></tr>
 *   <tr><td>{@value #BEARER_AUTH_TOKEN}</td><td></td><td>the bearer token</td></tr>
 *   <tr><td>{@value #CONNECT_TIMEOUT_MS}</td><td>10000</td><td>connect timeout</td></tr>
 *   <tr><td>{@value #REQUEST_TIMEOUT_MS}</td><td>30000</td><td>timeout of one HTTP request</td></tr>
 *   <tr><td>{@value #RETRIES}</td><td>3</td><td>retries after I/O failures, 5xx and 429</td></tr>
 *   <tr><td>{@value #RETRY_BACKOFF_MS}</td><td>100</td><td>first backoff, doubled per retry</td></tr>
 *   <tr><td>{@value #RETRY_BACKOFF_MAX_MS}</td><td>5000</td><td>largest backoff</td></tr>
 *   <tr><td>{@value #CACHE_CAPACITY}</td><td>1000</td><td>entries per cache</td></tr>
 *   <tr><td>{@value #SSL_CONTEXT}</td><td></td><td>an {@link SSLContext} object</td></tr>
 *   <tr><td>{@code schema.registry.ssl.truststore.*}, {@code schema.registry.ssl.keystore.*},
 *       {@value #SSL_KEY_PASSWORD}</td><td></td><td>Confluent's trust/key store keys</td></tr>
 * </table>
 *
 * <p>Without TLS settings, https URLs use the JDK's default {@link SSLContext}.
 *
 * @param urls base URLs, without user info or trailing slash
 * @param auth authentication
 * @param connectTimeout connect timeout
 * @param requestTimeout timeout of one HTTP request
 * @param retries retries after I/O failures, 5xx and 429 answers; 4xx answers are never retried
 * @param retryBackoff backoff before the first retry, doubled for each further one
 * @param retryBackoffMax largest backoff
 * @param cacheCapacity entries kept in each of the client's caches
 * @param sslContext TLS context for https URLs; empty for the JDK default
 */
public record SchemaRegistryClientConfig(
    List<URI> urls,
    RegistryAuth auth,
    Duration connectTimeout,
    Duration requestTimeout,
    int retries,
    Duration retryBackoff,
    Duration retryBackoffMax,
    int cacheCapacity,
    Optional<SSLContext> sslContext) {

  public static final String URL = "schema.registry.url";
  public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
  public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
  public static final String BEARER_AUTH_CREDENTIALS_SOURCE = "bearer.auth.credentials.source";
  public static final String BEARER_AUTH_TOKEN = "bearer.auth.token";
  public static final String CONNECT_TIMEOUT_MS = "schema.registry.connect.timeout.ms";
  public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
  public static final String RETRIES = "schema.registry.retries";
  public static final String RETRY_BACKOFF_MS = "schema.registry.retry.backoff.ms";
  public static final String RETRY_BACKOFF_MAX_MS = "schema.registry.retry.backoff.max.ms";
  public static final String CACHE_CAPACITY = "schema.registry.cache.capacity";
  public static final String SSL_CONTEXT = "schema.registry.ssl.context";
  public static final String SSL_TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
  public static final String SSL_TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
  public static final String SSL_TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
  public static final String SSL_KEYSTORE_LOCATION = "schema.registry.ssl.keystore.location";
  public static final String SSL_KEYSTORE_PASSWORD = "schema.registry.ssl.keystore.password";
  public static final String SSL_KEYSTORE_TYPE = "schema.registry.ssl.keystore.type";
  public static final String SSL_KEY_PASSWORD = "schema.registry.ssl.key.password";

  private static final String HIDDEN = "[hidden]";

  /** Checks the values; {@link #parse(Map)} reports bad input in Kafka's shape instead. */
  public SchemaRegistryClientConfig {
    urls = List.copyOf(urls);
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("at least one registry URL is needed");
    }
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(retryBackoff, "retryBackoff");
    Objects.requireNonNull(retryBackoffMax, "retryBackoffMax");
    Objects.requireNonNull(sslContext, "sslContext");
    if (retries < 0 || cacheCapacity < 1) {
      throw new IllegalArgumentException("retries must be >= 0 and cacheCapacity >= 1");
    }
  }

  /** A config for one URL (user info in it is used for basic auth) with every default. */
  public static SchemaRegistryClientConfig forUrl(String url) {
    return parse(Map.of(URL, url));
  }

  /** This config with other authentication. */
  public SchemaRegistryClientConfig withAuth(RegistryAuth newAuth) {
    return new SchemaRegistryClientConfig(urls, newAuth, connectTimeout, requestTimeout, retries, retryBackoff, retryBackoffMax, cacheCapacity, sslContext);
  }

  /** This config with other retry settings. */
  public SchemaRegistryClientConfig withRetries(int newRetries, Duration backoff, Duration backoffMax) {
    return new SchemaRegistryClientConfig(urls, auth, connectTimeout, requestTimeout, newRetries, backoff, backoffMax, cacheCapacity, sslContext);
  }

  /** This config with a TLS context for https URLs. */
  public SchemaRegistryClientConfig withSslContext(SSLContext context) {
    return new SchemaRegistryClientConfig(urls, auth, connectTimeout, requestTimeout, retries, retryBackoff, retryBackoffMax, cacheCapacity, Optional.of(context));
  }

  /**
   * Parses the keys above out of a property map; other keys are ignored.
   *
   * @throws org.apache.kafka.common.config.ConfigException listing every problem, one per line
   */
  public static SchemaRegistryClientConfig parse(Map<String, ?> props) {
    ConfigReader reader = new ConfigReader(props);
    SchemaRegistryClientConfig config = read(reader);
    reader.throwIfInvalid();
    return config;
  }

  /**
   * Reads the keys above, recording problems in the reader instead of throwing, so a caller can
   * report them together with its own. The result is only meaningful when no problem was found.
   *
   * @return the config, or null when the problems leave nothing to build one from
   */
  public static SchemaRegistryClientConfig read(ConfigReader reader) {
    List<URI> urls = new ArrayList<>();
    List<String> urlUserInfos = new ArrayList<>();
    List<String> given = reader.list(URL);
    if (given.isEmpty()) {
      reader.missing(URL);
    }
    for (String text : given) {
      parseUrl(reader, text, urls, urlUserInfos);
    }
    RegistryAuth auth = readAuth(reader, urlUserInfos);
    Duration connect = Duration.ofMillis(reader.longAtLeast(CONNECT_TIMEOUT_MS, 10_000, 1));
    Duration request = Duration.ofMillis(reader.longAtLeast(REQUEST_TIMEOUT_MS, 30_000, 1));
    int retries = reader.intAtLeast(RETRIES, 3, 0);
    long backoff = reader.longAtLeast(RETRY_BACKOFF_MS, 100, 0);
    long backoffMax = reader.longAtLeast(RETRY_BACKOFF_MAX_MS, Math.max(5_000, backoff), 0);
    if (backoffMax < backoff) {
      reader.invalid(RETRY_BACKOFF_MAX_MS, backoffMax, "must be >= " + RETRY_BACKOFF_MS + " (" + backoff + ")");
      backoffMax = backoff;
    }
    int capacity = reader.intAtLeast(CACHE_CAPACITY, 1000, 1);
    Optional<SSLContext> ssl = readSsl(reader);
    if (urls.isEmpty()) {
      return null;
    }
    return new SchemaRegistryClientConfig(urls, auth, connect, request, retries, Duration.ofMillis(backoff), Duration.ofMillis(backoffMax), capacity, ssl);
  }

  private static void parseUrl(ConfigReader reader, String text, List<URI> urls, List<String> userInfos) {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      reader.invalid(URL, text, "not a valid URL: " + e.getReason());
      return;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      reader.invalid(URL, uri.getRawUserInfo() == null ? text : HIDDEN, "must be an http or https URL with a host, e.g. http://localhost:8081");
      return;
    }
    if (uri.getRawUserInfo() != null) {
      userInfos.add(URLDecoder.decode(uri.getRawUserInfo(), StandardCharsets.UTF_8));
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
    urls.add(URI.create(scheme + "://" + uri.getRawAuthority().replaceFirst("^.*@", "") + path));
  }

  private static RegistryAuth readAuth(ConfigReader reader, List<String> urlUserInfos) {
    Optional<String> userInfo = reader.string(BASIC_AUTH_USER_INFO);
    String source = reader.string(BASIC_AUTH_CREDENTIALS_SOURCE).map(s -> s.toUpperCase(Locale.ROOT)).orElse(userInfo.isPresent() ? "USER_INFO" : "URL");
    RegistryAuth basic = new RegistryAuth.None();
    switch (source) {
      case "USER_INFO" -> {
        if (userInfo.isEmpty()) {
          reader.invalid(BASIC_AUTH_USER_INFO, null, "required when " + BASIC_AUTH_CREDENTIALS_SOURCE + " is USER_INFO");
        } else {
          basic = basic(reader, BASIC_AUTH_USER_INFO, userInfo.get());
        }
      }
      case "URL" -> {
        if (!urlUserInfos.isEmpty()) {
          basic = basic(reader, URL, urlUserInfos.get(0));
        }
      }
      default -> reader.invalid(BASIC_AUTH_CREDENTIALS_SOURCE, source, "must be USER_INFO or URL");
    }
    reader.string(BEARER_AUTH_CREDENTIALS_SOURCE)
        .filter(s -> !s.equalsIgnoreCase("STATIC_TOKEN"))
        .ifPresent(s -> reader.invalid(BEARER_AUTH_CREDENTIALS_SOURCE, s, "only STATIC_TOKEN is supported"));
    Optional<String> token = reader.string(BEARER_AUTH_TOKEN);
    if (token.isEmpty() && reader.has(BEARER_AUTH_CREDENTIALS_SOURCE)) {
      reader.invalid(BEARER_AUTH_TOKEN, null, "required when " + BEARER_AUTH_CREDENTIALS_SOURCE + " is set");
    }
    if (token.isPresent() && !(basic instanceof RegistryAuth.None)) {
      reader.invalid(BEARER_AUTH_TOKEN, HIDDEN, "cannot be combined with basic authentication");
    }
    return token.<RegistryAuth>map(RegistryAuth.Bearer::new).orElse(basic);
  }

  private static RegistryAuth basic(ConfigReader reader, String key, String userInfo) {
    int colon = userInfo.indexOf(':');
    if (colon < 1) {
      reader.invalid(key, HIDDEN, "credentials must be given as user:password");
      return new RegistryAuth.None();
    }
    return new RegistryAuth.Basic(userInfo.substring(0, colon), userInfo.substring(colon + 1));
  }

  private static Optional<SSLContext> readSsl(ConfigReader reader) {
    Optional<Object> given = reader.raw(SSL_CONTEXT);
    boolean stores = reader.has(SSL_TRUSTSTORE_LOCATION) || reader.has(SSL_KEYSTORE_LOCATION);
    if (given.isPresent()) {
      if (!(given.get() instanceof SSLContext context)) {
        reader.invalid(SSL_CONTEXT, given.get().getClass().getName(), "must be a javax.net.ssl.SSLContext instance");
        return Optional.empty();
      }
      if (stores) {
        reader.invalid(SSL_CONTEXT, context.getProtocol(), "cannot be combined with trust or key store locations");
      }
      return Optional.of(context);
    }
    return stores ? SslContextLoader.load(reader) : Optional.empty();
  }
}
