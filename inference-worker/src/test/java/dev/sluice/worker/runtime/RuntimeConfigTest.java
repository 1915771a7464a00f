package dev.sluice.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class RuntimeConfigTest {

  @Test
  void defaultsToAutoDeviceAndDeviceDependentParallelism() {
    RuntimeConfig config = RuntimeConfig.defaults();

    assertThat(config.device()).isEqualTo(DeviceSpec.AUTO);
    assertThat(config.predictors()).isEmpty();
    assertThat(config.intraOpThreads()).isEmpty();
    assertThat(config.rowsPerCall()).isEmpty();
    assertThat(config.maxSequenceLength()).isEqualTo(256);
    assertThat(config.maxBatchTokens()).isEqualTo(16_384);
    assertThat(config.allowSpinning()).isFalse();
    assertThat(config.scratchDir()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir"), "sluice-models"));
    assertThat(config.downloadTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.downloadRetries()).isEqualTo(3);
  }

  @Test
  void readsEveryKey() {
    RuntimeConfig config = RuntimeConfig.from(Map.of(
        RuntimeConfig.DEVICE, "gpu:1",
        RuntimeConfig.PREDICTORS, "3",
        RuntimeConfig.INTRA_OP_THREADS, 2,
        RuntimeConfig.MAX_SEQUENCE_LENGTH, "128",
        RuntimeConfig.SUB_BATCH_SIZE, "16",
        RuntimeConfig.MAX_BATCH_TOKENS, "4096",
        RuntimeConfig.ALLOW_SPINNING, "true",
        RuntimeConfig.SCRATCH_DIR, "/data/models",
        RuntimeConfig.DOWNLOAD_TIMEOUT_MS, "1000",
        RuntimeConfig.DOWNLOAD_RETRIES, "0"));

    assertThat(config.device()).isEqualTo(DeviceSpec.gpu(1));
    assertThat(config.predictors()).isEqualTo(OptionalInt.of(3));
    assertThat(config.intraOpThreads()).isEqualTo(OptionalInt.of(2));
    assertThat(config.maxSequenceLength()).isEqualTo(128);
    assertThat(config.rowsPerCall()).isEqualTo(OptionalInt.of(16));
    assertThat(config.maxBatchTokens()).isEqualTo(4096);
    assertThat(config.allowSpinning()).isTrue();
    assertThat(config.scratchDir()).isEqualTo(Path.of("/data/models"));
    assertThat(config.downloadTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.downloadRetries()).isZero();
  }

  @Test
  void reportsZeroPredictorsInKafkasWords() {
    assertThatThrownBy(() -> RuntimeConfig.from(Map.of(RuntimeConfig.PREDICTORS, "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("Invalid value 0 for configuration worker.model.predictors: must be >= 1");
  }

  @Test
  void reportsEveryProblemAtOnce() {
    assertThatThrownBy(() -> RuntimeConfig.from(Map.of(
            RuntimeConfig.DEVICE, "tpu",
            RuntimeConfig.INTRA_OP_THREADS, "many",
            RuntimeConfig.ALLOW_SPINNING, "sometimes",
            RuntimeConfig.MAX_BATCH_TOKENS, "100")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("Invalid value tpu for configuration worker.model.device: must be auto, cpu, gpu or gpu:N")
        .hasMessageContaining("Invalid value many for configuration worker.model.intra.op.threads: Not a number of type LONG")
        .hasMessageContaining("Invalid value sometimes for configuration worker.model.allow.spinning")
        .hasMessageContaining("Invalid value 100 for configuration worker.model.max.batch.tokens: must be >= "
            + "worker.model.max.sequence.length (256) so that one text fits");
  }

  @Test
  void parsesDeviceNames() {
    assertThat(DeviceSpec.parse("AUTO")).contains(DeviceSpec.AUTO);
    assertThat(DeviceSpec.parse(" cpu ")).contains(DeviceSpec.CPU);
    assertThat(DeviceSpec.parse("gpu")).contains(DeviceSpec.gpu(0));
    assertThat(DeviceSpec.parse("gpu:3")).contains(DeviceSpec.gpu(3));
    assertThat(DeviceSpec.parse("gpu:")).isEmpty();
    assertThat(DeviceSpec.parse("gpu:-1")).isEmpty();
    assertThat(DeviceSpec.parse("cuda:0")).isEmpty();
    assertThat(DeviceSpec.gpu(2)).hasToString("gpu:2");
  }
}
