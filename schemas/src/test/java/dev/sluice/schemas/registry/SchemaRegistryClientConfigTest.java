package dev.sluice.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class SchemaRegistryClientConfigTest {

  @Test
  void defaultsApplyWhenOnlyUrlIsGiven() {
    SchemaRegistryClientConfig config = SchemaRegistryClientConfig.parse(Map.of("schema.registry.url", "http://localhost:8081"));

    assertThat(config.urls()).containsExactly(URI.create("http://localhost:8081"));
    assertThat(config.auth()).isEqualTo(new RegistryAuth.None());
    assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.retries()).isEqualTo(3);
    assertThat(config.retryBackoff()).isEqualTo(Duration.ofMillis(100));
    assertThat(config.retryBackoffMax()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.cacheCapacity()).isEqualTo(1000);
    assertThat(config.sslContext()).isEmpty();
  }

  @Test
  void readsSluiceKeysAsStringsOrTypedValues() {
    SchemaRegistryClientConfig config = SchemaRegistryClientConfig.parse(Map.of(
        "schema.registry.url", List.of("https://a.example:8081/", "https://b.example/registry/"),
        "schema.registry.request.timeout.ms", "2500",
        "schema.registry.retries", 0,
        "schema.registry.retry.backoff.ms", 5L,
        "schema.registry.cache.capacity", "16"));

    assertThat(config.urls()).containsExactly(URI.create("https://a.example:8081"), URI.create("https://b.example/registry"));
    assertThat(config.requestTimeout()).isEqualTo(Duration.ofMillis(2500));
    assertThat(config.retries()).isZero();
    assertThat(config.retryBackoff()).isEqualTo(Duration.ofMillis(5));
    assertThat(config.cacheCapacity()).isEqualTo(16);
  }

  @Test
  void splitsCommaSeparatedUrlsAndMovesUrlCredentialsIntoBasicAuth() {
    SchemaRegistryClientConfig config = SchemaRegistryClientConfig.parse(Map.of(
        "schema.registry.url", " http://u:p@one:8081 ,http://u:p@two:8081 "));

    assertThat(config.urls()).containsExactly(URI.create("http://one:8081"), URI.create("http://two:8081"));
    assertThat(config.auth()).isEqualTo(new RegistryAuth.Basic("u", "p"));
  }

  @Test
  void reportsEveryProblemAtOnceInKafkasShape() {
    Map<String, Object> props = Map.of(
        "schema.registry.url", "ftp://registry",
        "schema.registry.retries", "-1",
        "schema.registry.cache.capacity", 0,
        "schema.registry.request.timeout.ms", "soon",
        "basic.auth.credentials.source", "SASL_INHERIT");

    assertThatThrownBy(() -> SchemaRegistryClientConfig.parse(props))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(e.getMessage().lines()).containsExactlyInAnyOrder(
            "Invalid value ftp://registry for configuration schema.registry.url: must be an http or https URL with a host, e.g. http://localhost:8081",
            "Invalid value SASL_INHERIT for configuration basic.auth.credentials.source: must be USER_INFO or URL",
            "Invalid value soon for configuration schema.registry.request.timeout.ms: Not a number of type LONG",
            "Invalid value -1 for configuration schema.registry.retries: must be >= 0",
            "Invalid value 0 for configuration schema.registry.cache.capacity: must be >= 1"));
  }

  @Test
  void reportsMissingUrlInKafkasWords() {
    assertThatThrownBy(() -> SchemaRegistryClientConfig.parse(Map.of("schema.registry.retries", 1)))
        .isInstanceOf(ConfigException.class)
        .hasMessage("Missing required configuration \"schema.registry.url\" which has no default value.");
  }

  @Test
  void userInfoSourceRequiresUserAndPasswordWithoutEchoingThem() {
    assertThatThrownBy(() -> SchemaRegistryClientConfig.parse(Map.of(
            "schema.registry.url", "http://localhost:8081",
            "basic.auth.credentials.source", "USER_INFO",
            "basic.auth.user.info", "secretwithoutcolon")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("Invalid value [hidden] for configuration basic.auth.user.info: credentials must be given as user:password")
        .message().doesNotContain("secretwithoutcolon");
    assertThatThrownBy(() -> SchemaRegistryClientConfig.parse(Map.of(
            "schema.registry.url", "http://localhost:8081", "basic.auth.credentials.source", "USER_INFO")))
        .hasMessage("Invalid value null for configuration basic.auth.user.info: required when basic.auth.credentials.source is USER_INFO");
  }

  @Test
  void refusesBasicAndBearerTogether() {
    assertThatThrownBy(() -> SchemaRegistryClientConfig.parse(Map.of(
            "schema.registry.url", "http://localhost:8081",
            "basic.auth.user.info", "u:p",
            "bearer.auth.token", "tok")))
        .hasMessage("Invalid value [hidden] for configuration bearer.auth.token: cannot be combined with basic authentication");
  }

  @Test
  void userInfoImpliesUserInfoSourceAndBearerTokenGivesBearerAuth() {
    assertThat(SchemaRegistryClientConfig.parse(Map.of("schema.registry.url", "http://h:1", "basic.auth.user.info", "u:p")).auth())
        .isEqualTo(new RegistryAuth.Basic("u", "p"));
    assertThat(SchemaRegistryClientConfig.parse(Map.of("schema.registry.url", "http://h:1",
            "bearer.auth.credentials.source", "STATIC_TOKEN", "bearer.auth.token", "tok")).auth())
        .isEqualTo(new RegistryAuth.Bearer("tok"));
  }

  @Test
  void toStringHidesSecrets() {
    SchemaRegistryClientConfig basic = SchemaRegistryClientConfig.parse(Map.of("schema.registry.url", "http://h:1", "basic.auth.user.info", "u:topsecret"));
    SchemaRegistryClientConfig bearer = SchemaRegistryClientConfig.parse(Map.of("schema.registry.url", "http://h:1", "bearer.auth.token", "toptoken"));

    assertThat(basic.toString()).doesNotContain("topsecret").contains("[hidden]");
    assertThat(bearer.toString()).doesNotContain("toptoken").contains("[hidden]");
  }

  @Test
  void acceptsAnSslContextObjectAndRefusesAnythingElse() throws Exception {
    SSLContext context = SSLContext.getDefault();
    assertThat(SchemaRegistryClientConfig.parse(Map.of("schema.registry.url", "https://h:1", "schema.registry.ssl.context", context)).sslContext())
        .contains(context);
    assertThatThrownBy(() -> SchemaRegistryClientConfig.parse(Map.of("schema.registry.url", "https://h:1", "schema.registry.ssl.context", "tls")))
        .hasMessage("Invalid value java.lang.String for configuration schema.registry.ssl.context: must be a javax.net.ssl.SSLContext instance");
  }

  @Test
  void unreadableTrustStoreIsAConfigurationProblem() {
    assertThatThrownBy(() -> SchemaRegistryClientConfig.parse(Map.of(
            "schema.registry.url", "https://h:1",
            "schema.registry.ssl.truststore.location", "/nonexistent/truststore.jks",
            "schema.registry.ssl.truststore.password", "changeit")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("Invalid value /nonexistent/truststore.jks for configuration schema.registry.ssl.truststore.location: cannot load JKS store");
  }

  @Test
  void backoffMaxBelowBackoffIsReported() {
    assertThatThrownBy(() -> SchemaRegistryClientConfig.parse(Map.of(
            "schema.registry.url", "http://h:1", "schema.registry.retry.backoff.ms", 500, "schema.registry.retry.backoff.max.ms", 100)))
        .hasMessage("Invalid value 100 for configuration schema.registry.retry.backoff.max.ms: must be >= schema.registry.retry.backoff.ms (500)");
  }
}
