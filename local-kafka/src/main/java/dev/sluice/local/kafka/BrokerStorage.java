package dev.sluice.local.kafka;

import dev.sluice.local.kafka.LocalKafkaException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.properties.MetaProperties;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's on-disk storage: one log directory that also holds the KRaft metadata log. Checks
 * the directory before start and formats it on first use, as {@code kafka-storage format} does.
 */
final class BrokerStorage {
  private static final Logger LOG = LoggerFactory.getLogger(BrokerStorage.class);
  private static final String LOCK_FILE = ".lock";

  private final LocalKafkaConfig config;
  private final String logDirectory;
  private final String clusterId;
  private final boolean formatted;

  private BrokerStorage(LocalKafkaConfig config, String logDirectory, String clusterId,
      boolean formatted) {
    this.config = config;
    this.logDirectory = logDirectory;
    this.clusterId = clusterId;
    this.formatted = formatted;
  }

  /**
   * Makes sure the directory exists, is writable and not used by another broker, and reads the
   * identity stored in it.
   *
   * @throws LocalKafkaException if the directory cannot be used as configured
   */
  static BrokerStorage inspect(LocalKafkaConfig config) {
    Path dir = config.logDirectory().toAbsolutePath().normalize();
    ensureWritable(dir);
    ensureNotInUse(dir);
    String dirName = dir.toString();
    Optional<MetaProperties> stored = readMetaProperties(dirName);
    if (stored.isEmpty()) {
      String clusterId = config.clusterId().orElseGet(() -> Uuid.randomUuid().toString());
      return new BrokerStorage(config, dirName, clusterId, false);
    }
    String storedCluster = stored.get().clusterId().orElseThrow(() -> new LocalKafkaException(
        Reason.BROKER_FAILED, "The meta.properties in " + dirName + " has no cluster.id. Move "
        + "the directory away or point " + LocalKafkaConfig.DATA_DIR + " at an empty one."));
    config.clusterId().filter(wanted -> !wanted.equals(storedCluster)).ifPresent(wanted -> {
      throw new LocalKafkaException(Reason.CLUSTER_ID_MISMATCH, "Data directory " + dirName
          + " was formatted for cluster " + storedCluster + ", but " + LocalKafkaConfig.CLUSTER_ID
          + " is " + wanted + ". Remove " + LocalKafkaConfig.CLUSTER_ID + " to keep the existing "
          + "cluster, or point " + LocalKafkaConfig.DATA_DIR
          + " at an empty directory for a new one.");
    });
    OptionalInt storedNode = stored.get().nodeId();
    if (storedNode.isPresent() && storedNode.getAsInt() != config.nodeId()) {
      throw new LocalKafkaException(Reason.NODE_ID_MISMATCH, "Data directory " + dirName
          + " belongs to node " + storedNode.getAsInt() + ", but " + LocalKafkaConfig.NODE_ID
          + " is " + config.nodeId() + ". Set " + LocalKafkaConfig.NODE_ID + "="
          + storedNode.getAsInt() + ", or point " + LocalKafkaConfig.DATA_DIR
          + " at an empty directory.");
    }
    return new BrokerStorage(config, dirName, storedCluster, true);
  }

  /** The absolute path of the log directory, as Kafka is configured with it. */
  String logDirectory() {
    return logDirectory;
  }

  /** The cluster id stored in the directory, or the one it will be formatted with. */
  String clusterId() {
    return clusterId;
  }

  /** Whether the directory held formatted storage before this start. */
  boolean alreadyFormatted() {
    return formatted;
  }

  /**
   * Formats the directory with the latest production metadata version and a static controller
   * quorum, unless it was formatted before.
   *
   * @param controllerListener the controller listener name
   */
  void formatIfNeeded(String controllerListener) {
    if (formatted) {
      return;
    }
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    try (PrintStream printStream = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      new Formatter()
          .setPrintStream(printStream)
          .setNodeId(config.nodeId())
          .setClusterId(clusterId)
          .setDirectories(List.of(logDirectory))
          .setMetadataLogDirectory(logDirectory)
          .setControllerListenerName(controllerListener)
          .setReleaseVersion(MetadataVersion.latestProduction())
          .run();
    } catch (Exception e) {
      throw new LocalKafkaException(Reason.BROKER_FAILED, "Could not format Kafka storage in "
          + logDirectory + ": " + e.getMessage() + ". Point " + LocalKafkaConfig.DATA_DIR
          + " at an empty directory.", e);
    }
    LOG.info("Formatted {} for cluster {} at metadata.version {}", logDirectory, clusterId,
        MetadataVersion.latestProduction());
    LOG.debug("kafka-storage format output: {}", output.toString(StandardCharsets.UTF_8).strip());
  }

  private static void ensureWritable(Path dir) {
    try {
      Files.createDirectories(dir);
      Path probe = Files.createTempFile(dir, ".write-probe", ".tmp");
      Files.delete(probe);
    } catch (IOException | SecurityException e) {
      throw new LocalKafkaException(Reason.DATA_DIR_NOT_WRITABLE, "Cannot write to data "
          + "directory " + dir + " (" + e + "). Fix its permissions or choose another directory "
          + "with " + LocalKafkaConfig.DATA_DIR + ".", e);
    }
  }

  private static void ensureNotInUse(Path dir) {
    Path lockFile = dir.resolve(LOCK_FILE);
    if (!Files.exists(lockFile)) {
      return;
    }
    LocalKafkaException inUse = new LocalKafkaException(Reason.DATA_DIR_IN_USE, "Data directory "
        + dir + " is in use by another Kafka broker. Stop that broker first, or choose another "
        + "directory with " + LocalKafkaConfig.DATA_DIR + ".");
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw inUse;
      }
      lock.release();
    } catch (OverlappingFileLockException heldInThisProcess) {
      inUse.initCause(heldInThisProcess);
      throw inUse;
    } catch (IOException e) {
      throw new LocalKafkaException(Reason.DATA_DIR_NOT_WRITABLE, "Cannot lock data directory "
          + dir + " (" + e + "). Fix its permissions or choose another directory with "
          + LocalKafkaConfig.DATA_DIR + ".", e);
    }
  }

  private static Optional<MetaProperties> readMetaProperties(String dir) {
    MetaPropertiesEnsemble ensemble;
    try {
      ensemble = new MetaPropertiesEnsemble.Loader()
          .addLogDirs(List.of(dir))
          .addMetadataLogDir(dir)
          .load();
    } catch (IOException e) {
      throw new LocalKafkaException(Reason.DATA_DIR_NOT_WRITABLE, "Cannot read "
          + MetaPropertiesEnsemble.META_PROPERTIES_NAME + " in " + dir + " (" + e + ").", e);
    }
    if (ensemble.errorLogDirs().contains(dir)) {
      throw new LocalKafkaException(Reason.DATA_DIR_NOT_WRITABLE, "Cannot read "
          + MetaPropertiesEnsemble.META_PROPERTIES_NAME + " in " + dir + ". Fix its permissions, "
          + "or move the directory away to start a new cluster.");
    }
    return Optional.ofNullable(ensemble.logDirProps().get(dir));
  }
}
