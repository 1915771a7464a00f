package dev.sluice.systemtests.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.cli.CommandLines;
import dev.sluice.platform.http.HealthAnswer;
import dev.sluice.platform.http.OpsHttpServer;
import dev.sluice.schemaregistry.EmbeddedSchemaRegistry;
import dev.sluice.schemaregistry.EmbeddedSchemaRegistryConfig;
import dev.sluice.schemaregistry.InMemorySchemaStore;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;

/**
 * deploy/compose.yaml: Apache Kafka at the version the code is built against, and every Sluice
 * service built from its Dockerfile target, running a real command with settings it reads, its
 * health check on a path and port the app serves, writing only to its volumes.
 */
class ComposeFileTest {
  private static final Path COMPOSE = Manifests.DEPLOY.resolve("compose.yaml");
  private static final Pattern HEALTH_CHECK = Pattern.compile("/dev/tcp/localhost/(\\d+) .*GET (\\S+) HTTP");

  /** compose.yaml with its anchors and merge keys resolved, as Docker Compose reads it. */
  private static JsonNode compose() throws IOException {
    try (Reader reader = Files.newBufferedReader(COMPOSE)) {
      Object loaded = new Yaml().load(reader);
      return new ObjectMapper().valueToTree(loaded);
    }
  }

  @Test
  void runsApacheKafkaAtTheVersionTheCodeUses() throws IOException {
    String pom = Files.readString(Manifests.DEPLOY.resolveSibling("pom.xml"));
    Matcher version = Pattern.compile("<kafka.version>([^<]+)</kafka.version>").matcher(pom);
    assertThat(version.find()).isTrue();
    assertThat(compose().path("services").path("kafka").path("image").asText()).isEqualTo("apache/kafka:" + version.group(1));
  }

  @Test
  void everySluiceServiceRunsItsImagesCommandWithSettingsItReads() throws IOException {
    JsonNode services = compose().path("services");
    ContainerFile dockerfile = ContainerFile.read();
    List<String> commands = new ArrayList<>();
    for (Map.Entry<String, JsonNode> service : sluiceServices(services).entrySet()) {
      String what = "compose service " + service.getKey();
      JsonNode spec = service.getValue();
      String target = Manifests.imageBaseName(spec.path("image").asText()).substring("sluice-".length());
      dockerfile.stage(target);
      CommandLine command = CommandLines.parse(words(spec.path("command")));
      String name = CommandLines.commandName(command);
      commands.add(name);
      if (!target.equals("cli")) {
        List<String> cmd = ContainerFile.execForm(dockerfile.effective(target, "CMD").orElseThrow());
        assertThat(CommandLines.commandName(CommandLines.parse(cmd))).as(what).isEqualTo(name);
      }
      assertThat(SettingsCheck.problems(command, environment(spec))).as(what).isEmpty();
      assertThat(spec.path("read_only").asBoolean()).as(what + " read-only root").isTrue();
      assertThat(spec.path("tmpfs").toString()).as(what).contains("/tmp");
      if (List.of("ingress", "monitor").contains(name)) {
        String stateDir = CommandLines.componentSettings(command, environment(spec)).get("state.dir");
        assertThat(spec.path("volumes").toString()).as(what + " keeps " + stateDir + " on a volume")
            .contains(":" + stateDir.substring(0, stateDir.lastIndexOf('/')));
      }
      spec.path("depends_on").properties()
          .forEach(dependency -> assertThat(services.has(dependency.getKey())).as(what + " depends on " + dependency.getKey()).isTrue());
    }
    assertThat(commands).contains("ingress", "monitor", "gateway", "worker", "registry", "topics create", "models deploy");
    for (JsonNode built : services) {
      if (built.has("build")) {
        Path context = Manifests.DEPLOY.resolve(built.path("build").path("context").asText()).normalize();
        assertThat(context.resolve(built.path("build").path("dockerfile").asText()).normalize()).isEqualTo(ContainerFile.PATH.normalize());
        assertThat(Manifests.imageBaseName(built.path("image").asText())).isEqualTo("sluice-" + built.path("build").path("target").asText());
      }
    }
  }

  @Test
  void healthChecksAndPublishedPortsAreWhereTheAppsListen() throws IOException {
    JsonNode services = compose().path("services");
    try (OpsHttpServer ops = OpsHttpServer.start(0, () -> "",
        () -> HealthAnswer.of("test", HealthAnswer.Check.LIVE, true, false, ""), () -> HealthAnswer.of("test", HealthAnswer.Check.READY, true, false, ""));
         EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(EmbeddedSchemaRegistryConfig.defaults("unused:9092").withPort(0),
             new InMemorySchemaStore())) {
      for (Map.Entry<String, JsonNode> service : sluiceServices(services).entrySet()) {
        JsonNode spec = service.getValue();
        CommandLine command = CommandLines.parse(words(spec.path("command")));
        String name = CommandLines.commandName(command);
        if (!List.of("ingress", "monitor", "gateway", "worker", "registry").contains(name)) {
          continue;
        }
        int port = AppPorts.httpPort(command, environment(spec));
        String what = "compose service " + service.getKey();
        assertThat(spec.path("ports").get(0).asText()).as(what).endsWith(":" + port);
        Matcher check = HEALTH_CHECK.matcher(String.join(" ", words(spec.path("healthcheck").path("test"))));
        assertThat(check.find()).as(what + " has an HTTP health check").isTrue();
        assertThat(Integer.parseInt(check.group(1))).as(what).isEqualTo(port);
        int served = name.equals("registry") ? registry.port() : ops.port();
        assertThat(HttpCheck.status(served, check.group(2))).as(what + " GET " + check.group(2)).isEqualTo(200);
      }
    }
  }

  @Test
  void theServicesFindKafkaAndTheRegistryWhereComposeRunsThem() throws IOException {
    JsonNode services = compose().path("services");
    String advertised = services.path("kafka").path("environment").path("KAFKA_ADVERTISED_LISTENERS").asText();
    for (Map.Entry<String, JsonNode> service : sluiceServices(services).entrySet()) {
      Map<String, String> environment = environment(service.getValue());
      assertThat(advertised).contains("//" + environment.get("SLUICE_BOOTSTRAP_SERVERS"));
      if (environment.containsKey("SLUICE_SCHEMA_REGISTRY_URL")) {
        URI url = URI.create(environment.get("SLUICE_SCHEMA_REGISTRY_URL"));
        JsonNode registry = services.path(url.getHost());
        assertThat(words(registry.path("command"))).containsSubsequence("--port", Integer.toString(url.getPort()));
      }
    }
  }

  private static Map<String, JsonNode> sluiceServices(JsonNode services) {
    Map<String, JsonNode> sluice = new LinkedHashMap<>();
    services.properties().forEach(service -> {
      if (Manifests.imageBaseName(service.getValue().path("image").asText()).startsWith("sluice-")) {
        sluice.put(service.getKey(), service.getValue());
      }
    });
    return sluice;
  }

  private static Map<String, String> environment(JsonNode service) {
    Map<String, String> environment = new LinkedHashMap<>();
    service.path("environment").properties().forEach(variable -> environment.put(variable.getKey(), variable.getValue().asText()));
    return environment;
  }

  private static List<String> words(JsonNode list) {
    List<String> words = new ArrayList<>();
    list.forEach(word -> words.add(word.asText()));
    return words;
  }
}
