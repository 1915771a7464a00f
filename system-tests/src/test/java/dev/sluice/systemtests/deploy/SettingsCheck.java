package dev.sluice.systemtests.deploy;

import dev.sluice.cli.CommandLines;
import dev.sluice.gateway.GatewayConfig;
import dev.sluice.schemas.registry.SchemaRegistryClientConfig;
import dev.sluice.topology.ingress.IngressConfig;
import dev.sluice.topology.monitor.MonitorConfig;
import dev.sluice.worker.WorkerConfig;
import dev.sluice.worker.runtime.RuntimeConfig;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine;

/**
 * Whether the environment a manifest gives a sluice command is one the command reads: every
 * variable is read by the command (or by the JVM), every setting it becomes is a key of that
 * component or one that reaches a Kafka client, and the component accepts the whole set (its own
 * parser, with every problem it reports).
 */
final class SettingsCheck {
  /** Variables the JVM reads itself. */
  private static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS");
  private static final Set<String> SHARED_KEYS = Set.of("bootstrap.servers", SchemaRegistryClientConfig.URL, "topic.prefix");
  private static final List<String> COMPONENT_PREFIXES = List.of("ingress.", "monitor.", "worker.", "gateway.");
  private static final Set<String> REGISTRY_KEYS = registryKeys();

  private SettingsCheck() {}

  /** Every problem, each naming the variable or key; empty when the environment is sound. */
  static List<String> problems(CommandLine command, Map<String, String> environment) {
    List<String> problems = new ArrayList<>();
    String name = CommandLines.commandName(command);
    environment.keySet().stream()
        .filter(variable -> !JVM_VARIABLES.contains(variable) && !CommandLines.readsVariable(command, variable))
        .forEach(variable -> problems.add(variable + " is read by no part of `sluice " + name + "`"));
    if (CommandLines.isComponent(command)) {
      componentProblems(name, CommandLines.componentSettings(command, environment), problems);
    }
    return problems;
  }

  private static void componentProblems(String component, Map<String, String> settings, List<String> problems) {
    Set<String> reachesKafka;
    try {
      reachesKafka = switch (component) {
        case "ingress" -> IngressConfig.parse(settings).streamsProperties().stringPropertyNames();
        case "monitor" -> MonitorConfig.parse(settings).streamsProperties().stringPropertyNames();
        case "worker" -> workerClientKeys(settings);
        case "gateway" -> gatewayClientKeys(settings);
        default -> throw new IllegalArgumentException(component);
      };
    } catch (KafkaException e) {
      problems.add("sluice " + component + " refuses its settings: " + e.getMessage());
      return;
    }
    for (String key : settings.keySet()) {
      String owner = COMPONENT_PREFIXES.stream().filter(key::startsWith).findFirst().orElse(null);
      if (owner != null) {
        if (!owner.equals(component + ".")) {
          problems.add(key + " is a setting of another component than " + component);
        }
      } else if (!SHARED_KEYS.contains(key) && !REGISTRY_KEYS.contains(key) && !(reachesKafka.contains(key) && isKafkaKey(key))) {
        problems.add(key + " reaches no Kafka client of " + component + " (or is no Kafka setting)");
      }
    }
  }

  /** The keys the worker passes to one of its clients, prefixed as given (consumer.x, producer.x or x). */
  private static Set<String> workerClientKeys(Map<String, String> settings) {
    WorkerConfig config = WorkerConfig.parse(settings);
    RuntimeConfig.from(settings);
    Set<String> keys = new HashSet<>();
    keys.addAll(config.producerProperties().keySet());
    keys.addAll(config.consumerProperties().keySet());
    keys.addAll(config.registryReaderProperties().keySet());
    config.consumerProperties().keySet().forEach(key -> keys.add(WorkerConfig.CONSUMER_PREFIX + key));
    config.producerProperties().keySet().forEach(key -> keys.add(WorkerConfig.PRODUCER_PREFIX + key));
    return keys;
  }

  /** The keys the gateway passes to its producer and readers. */
  private static Set<String> gatewayClientKeys(Map<String, String> settings) {
    GatewayConfig config = GatewayConfig.parse(settings);
    Set<String> keys = new HashSet<>(config.producerProperties().keySet());
    keys.addAll(config.readerProperties("replies").keySet());
    return keys;
  }

  private static boolean isKafkaKey(String key) {
    String bare = key.startsWith(WorkerConfig.CONSUMER_PREFIX) ? key.substring(WorkerConfig.CONSUMER_PREFIX.length())
        : key.startsWith(WorkerConfig.PRODUCER_PREFIX) ? key.substring(WorkerConfig.PRODUCER_PREFIX.length()) : key;
    return StreamsConfig.configDef().names().contains(bare) || ConsumerConfig.configNames().contains(bare)
        || ProducerConfig.configNames().contains(bare) || AdminClientConfig.configNames().contains(bare);
  }

  private static Set<String> registryKeys() {
    Set<String> keys = new HashSet<>();
    for (Field field : SchemaRegistryClientConfig.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
        try {
          keys.add((String) field.get(null));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return keys;
  }
}
