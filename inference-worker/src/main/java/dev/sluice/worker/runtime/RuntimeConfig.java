package dev.sluice.worker.runtime;

import dev.sluice.schemas.config.ConfigReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Configuration of the model runtime ({@link DjlModelLoader}), read from the worker's properties.
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@value #DEVICE}</td><td>auto</td><td>{@code auto} (a GPU when the engine sees one,
 *       else the CPU), {@code cpu}, {@code gpu} or {@code gpu:N}</td></tr>
 *   <tr><td>{@value #PREDICTORS}</td><td>CPU: the number of cores; GPU: 1</td><td>predictors
 *       (device threads) a batch is spread over; each runs one model call at a time</td></tr>
 *   <tr><td>{@value #INTRA_OP_THREADS}</td><td>1</td><td>ONNX Runtime threads inside one
 *       predictor; one predictor per core with one thread each was fastest on CPU</td></tr>
 *   <tr><td>{@value #MAX_SEQUENCE_LENGTH}</td><td>256</td><td>tokens a text is truncated to
 *       (special tokens included); 256 is what sentence-transformers uses for all-MiniLM-L6-v2,
 *       whose tokenizer json alone would truncate at 128</td></tr>
 *   <tr><td>{@value #SUB_BATCH_SIZE}</td><td>CPU: 8; GPU: 128</td><td>most rows in one model call;
 *       a batch is sorted by length and cut into such model calls</td></tr>
 *   <tr><td>{@value #MAX_BATCH_TOKENS}</td><td>16384</td><td>most padded tokens (rows x padded
 *       length) in one model call; bounds memory for long texts</td></tr>
 *   <tr><td>{@value #ALLOW_SPINNING}</td><td>false</td><td>let ONNX Runtime's idle threads spin
 *       (same throughput here, about 20% more CPU)</td></tr>
 *   <tr><td>{@value #SCRATCH_DIR}</td><td>{@code java.io.tmpdir}/sluice-models</td><td>where
 *       classpath and downloaded models are written, since the engines need files</td></tr>
 *   <tr><td>{@value #DOWNLOAD_TIMEOUT_MS}</td><td>300000</td><td>timeout of one model download</td></tr>
 *   <tr><td>{@value #DOWNLOAD_RETRIES}</td><td>3</td><td>retries of a download after I/O errors and
 *       5xx answers</td></tr>
 * </table>
 *
 * @param device where models run
 * @param predictors predictors per model; empty for the device's default
 * @param intraOpThreads ONNX Runtime intra-op threads per predictor; empty for the device's default
 * @param maxSequenceLength tokens a text is truncated to
 * @param rowsPerCall rows per model call; empty for the device's default
 * @param maxBatchTokens padded tokens per model call
 * @param allowSpinning whether ONNX Runtime's idle threads may spin
 * @param scratchDir where model files are materialized
 * @param downloadTimeout timeout of one http(s) download
 * @param downloadRetries retries of a failed download
 */
public record RuntimeConfig(
    DeviceSpec device,
    OptionalInt predictors,
    OptionalInt intraOpThreads,
    int maxSequenceLength,
    OptionalInt rowsPerCall,
    int maxBatchTokens,
    boolean allowSpinning,
    Path scratchDir,
    Duration downloadTimeout,
    int downloadRetries) {

  public static final String DEVICE = "worker.model.device";
  public static final String PREDICTORS = "worker.model.predictors";
  public static final String INTRA_OP_THREADS = "worker.model.intra.op.threads";
  public static final String MAX_SEQUENCE_LENGTH = "worker.model.max.sequence.length";
  public static final String SUB_BATCH_SIZE = "worker.model.sub.batch.size";
  public static final String MAX_BATCH_TOKENS = "worker.model.max.batch.tokens";
  public static final String ALLOW_SPINNING = "worker.model.allow.spinning";
  public static final String SCRATCH_DIR = "worker.model.scratch.dir";
  public static final String DOWNLOAD_TIMEOUT_MS = "worker.model.download.timeout.ms";
  public static final String DOWNLOAD_RETRIES = "worker.model.download.retries";

  static final int DEFAULT_MAX_SEQUENCE_LENGTH = 256;
  static final int DEFAULT_MAX_BATCH_TOKENS = 16_384;
  static final int CPU_ROWS_PER_CALL = 8;
  static final int GPU_ROWS_PER_CALL = 128;

  public RuntimeConfig {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(predictors, "predictors");
    Objects.requireNonNull(intraOpThreads, "intraOpThreads");
    Objects.requireNonNull(rowsPerCall, "rowsPerCall");
    Objects.requireNonNull(scratchDir, "scratchDir");
    Objects.requireNonNull(downloadTimeout, "downloadTimeout");
  }

  /** Every default; the scratch directory under {@code java.io.tmpdir}. */
  public static RuntimeConfig defaults() {
    return from(Map.of());
  }

  /**
   * Reads the runtime's keys out of the worker's properties; other keys are ignored.
   *
   * @throws org.apache.kafka.common.config.ConfigException listing every problem, one per line,
   *     each in Kafka's shape ({@code Invalid value 0 for configuration worker.model.predictors:
   *     must be >= 1})
   */
  public static RuntimeConfig from(Map<String, ?> properties) {
    ConfigReader reader = new ConfigReader(properties);
    DeviceSpec device = reader.string(DEVICE).map(text -> DeviceSpec.parse(text).orElseGet(() -> {
      reader.invalid(DEVICE, text, "must be auto, cpu, gpu or gpu:N");
      return DeviceSpec.AUTO;
    })).orElse(DeviceSpec.AUTO);
    OptionalInt predictors = optionalInt(reader, PREDICTORS, 1);
    OptionalInt intraOpThreads = optionalInt(reader, INTRA_OP_THREADS, 1);
    int maxSequenceLength = reader.intAtLeast(MAX_SEQUENCE_LENGTH, DEFAULT_MAX_SEQUENCE_LENGTH, 2);
    OptionalInt rowsPerCall = optionalInt(reader, SUB_BATCH_SIZE, 1);
    int maxBatchTokens = reader.intAtLeast(MAX_BATCH_TOKENS, DEFAULT_MAX_BATCH_TOKENS, 1);
    if (reader.has(MAX_BATCH_TOKENS) && maxBatchTokens < maxSequenceLength) {
      reader.invalid(MAX_BATCH_TOKENS, maxBatchTokens,
          "must be >= " + MAX_SEQUENCE_LENGTH + " (" + maxSequenceLength + ") so that one text fits");
    }
    boolean allowSpinning = reader.bool(ALLOW_SPINNING, false);
    Path scratchDir = reader.string(SCRATCH_DIR).map(Path::of)
        .orElseGet(() -> Path.of(System.getProperty("java.io.tmpdir"), "sluice-models"));
    Duration downloadTimeout = Duration.ofMillis(reader.longAtLeast(DOWNLOAD_TIMEOUT_MS, 300_000, 1));
    int downloadRetries = reader.intAtLeast(DOWNLOAD_RETRIES, 3, 0);
    reader.throwIfInvalid();
    return new RuntimeConfig(device, predictors, intraOpThreads, maxSequenceLength, rowsPerCall, maxBatchTokens,
        allowSpinning, scratchDir, downloadTimeout, downloadRetries);
  }

  /** This configuration with another device. */
  public RuntimeConfig withDevice(DeviceSpec newDevice) {
    return new RuntimeConfig(newDevice, predictors, intraOpThreads, maxSequenceLength, rowsPerCall, maxBatchTokens,
        allowSpinning, scratchDir, downloadTimeout, downloadRetries);
  }

  /** This configuration with another number of predictors and rows per model call. */
  public RuntimeConfig withParallelism(int newPredictors, int newRowsPerCall) {
    return new RuntimeConfig(device, OptionalInt.of(newPredictors), intraOpThreads, maxSequenceLength,
        OptionalInt.of(newRowsPerCall), maxBatchTokens, allowSpinning, scratchDir, downloadTimeout, downloadRetries);
  }

  /** This configuration with another scratch directory. */
  public RuntimeConfig withScratchDir(Path newScratchDir) {
    return new RuntimeConfig(device, predictors, intraOpThreads, maxSequenceLength, rowsPerCall, maxBatchTokens,
        allowSpinning, newScratchDir, downloadTimeout, downloadRetries);
  }

  private static OptionalInt optionalInt(ConfigReader reader, String key, int min) {
    if (!reader.has(key)) {
      return OptionalInt.empty();
    }
    int before = reader.problems().size();
    int value = reader.intAtLeast(key, min, min);
    return reader.problems().size() == before ? OptionalInt.of(value) : OptionalInt.empty();
  }
}
