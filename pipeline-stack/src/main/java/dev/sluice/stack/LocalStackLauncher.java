package dev.sluice.stack;

import dev.sluice.local.kafka.LocalKafkaConfig;
import dev.sluice.local.kafka.LocalKafkaConfigException;
import dev.sluice.local.kafka.LocalKafkaException;
import dev.sluice.platform.SettingFlags;
import dev.sluice.platform.UserError;
import dev.sluice.schemaregistry.EmbeddedSchemaRegistryConfig;
import dev.sluice.schemaregistry.RegistryConfigException;
import dev.sluice.schemaregistry.RegistryPortInUseException;
import dev.sluice.schemaregistry.RegistryStartupException;
import java.nio.file.Path;
import java.util.Map;

/** Starts the local broker and registry, turning what the user can fix into one-line {@link UserError}s in flag names. */
public final class LocalStackLauncher {
  private static final Map<String, String> SETTING_FLAGS = Map.of(
      LocalKafkaConfig.BROKER_PORT, "--broker-port",
      LocalKafkaConfig.DATA_DIR, "--data-dir",
      EmbeddedSchemaRegistryConfig.PORT, "--registry-port");

  private LocalStackLauncher() {}

  /** Starts a broker on the settings' data directory, host and port, and a registry on it. */
  public static LocalStack start(StackSettings settings) {
    return start(settings.dataDir(), settings.host(), settings.ports().broker(), settings.ports().registry());
  }

  /** Starts a broker with data in {@code dataDir} on {@code host:brokerPort}, and a registry on {@code registryPort}. */
  public static LocalStack start(Path dataDir, String host, int brokerPort, int registryPort) {
    try {
      LocalKafkaConfig kafka = LocalKafkaConfig.defaults(dataDir).withHost(host).withBrokerPort(brokerPort);
      return LocalStack.start(kafka, registryPort);
    } catch (LocalKafkaException | LocalKafkaConfigException | RegistryPortInUseException | RegistryStartupException
        | RegistryConfigException e) {
      throw new UserError(inFlagNames(e.getMessage()), e);
    }
  }

  /** The local stack names its settings as properties; on the command line they are flags. */
  public static String inFlagNames(String message) {
    return SettingFlags.rename(message, SETTING_FLAGS);
  }
}
