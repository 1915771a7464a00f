package dev.sluice.worker.runtime;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.util.PairList;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.sluice.avro.FeatureStats;
import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.ModelLimits;
import dev.sluice.avro.Task;
import dev.sluice.worker.model.ModelInfo;
import dev.sluice.worker.model.TokenCounter;
import dev.sluice.worker.model.ModelLoadException;
import dev.sluice.worker.model.ModelLoader;
import dev.sluice.worker.model.ModelRunException;
import dev.sluice.worker.model.ModelRunner;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads deployments through DJL: ONNX Runtime by default, PyTorch when the worker is built with
 * {@code -Ppytorch}. The artifact is materialized as files ({@link ModelArtifacts}), loaded once
 * into one engine session on the configured device, and served by {@link RuntimeConfig#predictors}
 * predictors over that session.
 *
 * <p>The model is loaded with {@code Model.newInstance} and {@code Model.load}, the two steps DJL's
 * {@code Criteria} performs, because Criteria's options are strings only and cannot carry the ONNX
 * Runtime session options this needs (thread counts and {@code session.intra_op.allow_spinning}).
 *
 * <p>Create the loader before anything else in the JVM creates an ONNX Runtime environment.
 */
public final class DjlModelLoader implements ModelLoader {
  /** Deployment property: the text model's input names, comma-separated, for engines that do not report them. */
  public static final String INPUT_NAMES = "input.names";
  /**
   * Deployment property: most rows per model call for this model, over {@link RuntimeConfig#SUB_BATCH_SIZE}.
   * ONNX models that quantize activations per batch ({@code DynamicQuantizeLinear}, e.g. the bundled
   * all-minilm-l6-v2-q) default to 1, so that a text's vector does not depend on its batch companions.
   */
  public static final String SUB_BATCH_SIZE = "sub.batch.size";

  private static final Logger LOG = LoggerFactory.getLogger(DjlModelLoader.class);

  private static final List<String> DEFAULT_TEXT_INPUTS =
      List.of(EncoderTranslator.INPUT_IDS, EncoderTranslator.ATTENTION_MASK);
  private static final List<String> WARM_UP = List.of("Warm up.", "A slightly longer sentence to warm up the model.");

  private final RuntimeConfig config;
  private final EngineBootstrap engines;
  private final ModelArtifacts artifacts;

  /** Sets DJL offline and starts ONNX Runtime; a failure to start is reported by {@link #load}. */
  public DjlModelLoader(RuntimeConfig config) {
    this.config = config;
    this.engines = EngineBootstrap.start(config.intraOpThreads().orElse(1));
    this.artifacts = new ModelArtifacts(config.scratchDir(),
        new HttpArtifactFetcher(config.scratchDir(), config.downloadTimeout(), config.downloadRetries()));
  }

  @Override
  public ModelRunner load(ModelDeployment deployment) throws ModelLoadException {
    long start = System.nanoTime();
    String id = deployment.getModel() + "/" + deployment.getVersion();
    String engineName = EngineBootstrap.engineName(deployment.getEngine());
    Engine engine = engines.requireEngine(engineName);
    Task task = deployment.getTask();
    boolean onnx = engineName.equals(EngineBootstrap.ONNX_RUNTIME);
    ModelFiles files = artifacts.resolve(deployment.getArtifactUri(), ArtifactLayout.of(deployment));
    Device device = EngineBootstrap.resolve(config.device(), engine);
    Plan plan = plan(device, deployment, files, onnx);
    OrtSession.SessionOptions sessionOptions = null;
    Model model = null;
    TaskHandler handler = null;
    try {
      Map<String, Object> loadOptions = new HashMap<>();
      if (onnx) {
        sessionOptions = sessionOptions(plan.intraOpThreads());
        loadOptions.put("sessionOptions", sessionOptions);
      }
      model = Model.newInstance(id, device, engineName);
      model.load(files.directory(), files.modelName(), loadOptions);
      handler = handler(deployment, model, files, plan, id);
      Duration loadTime = Duration.ofNanos(System.nanoTime() - start);
      ModelInfo info = new ModelInfo(deployment.getModel(), deployment.getVersion(), task, engineName,
          EngineBootstrap.deviceName(device), plan.predictors(), loadTime);
      LOG.info("Loaded {} ({}, {}) from {} on {}: {} predictor(s) x {} intra-op thread(s), up to {} rows per call,"
          + " in {} ms", id, task, engineName, deployment.getArtifactUri(), info.device(), plan.predictors(),
          plan.intraOpThreads(), plan.rowsPerCall(), loadTime.toMillis());
      return new DjlModelRunner(info, model, handler, sessionOptions == null ? () -> { } : sessionOptions);
    } catch (IOException | MalformedModelException | OrtException | RuntimeException e) {
      closeAfterFailure(e, handler, model, sessionOptions);
      throw new ModelLoadException("Cannot load model " + id + " from " + deployment.getArtifactUri() + " on "
          + EngineBootstrap.deviceName(device) + ": " + describe(e), e);
    } catch (ModelLoadException e) {
      closeAfterFailure(e, handler, model, sessionOptions);
      throw e;
    }
  }

  /**
   * How a model runs on its device.
   *
   * @param predictors predictors over the model's session
   * @param intraOpThreads engine threads inside one predictor
   * @param rowsPerCall most rows per model call
   */
  private record Plan(int predictors, int intraOpThreads, int rowsPerCall) {}

  private Plan plan(Device device, ModelDeployment deployment, ModelFiles files, boolean onnx)
      throws ModelLoadException {
    boolean gpu = device.isGpu();
    int predictors = config.predictors().orElse(gpu ? 1 : Runtime.getRuntime().availableProcessors());
    int intraOpThreads = config.intraOpThreads().orElse(1);
    int rowsPerCall = config.rowsPerCall().orElse(gpu ? RuntimeConfig.GPU_ROWS_PER_CALL : RuntimeConfig.CPU_ROWS_PER_CALL);
    String declared = deployment.getProperties().get(SUB_BATCH_SIZE);
    if (declared != null) {
      rowsPerCall = positiveInt(SUB_BATCH_SIZE, declared);
    } else if (onnx && quantizesPerBatch(files)) {
      LOG.info("{}/{} quantizes activations per batch (DynamicQuantizeLinear): its inputs run one per model call so"
          + " that a result does not depend on its batch companions; deployment property {} overrides this",
          deployment.getModel(), deployment.getVersion(), SUB_BATCH_SIZE);
      rowsPerCall = 1;
    }
    return new Plan(predictors, intraOpThreads, rowsPerCall);
  }

  private static boolean quantizesPerBatch(ModelFiles files) throws ModelLoadException {
    try {
      return OnnxGraphScan.quantizesPerBatch(files.modelFile());
    } catch (IOException e) {
      throw new ModelLoadException("Cannot read model file " + files.modelFile() + ": " + e.getMessage(), e);
    }
  }

  private static int positiveInt(String property, String value) throws ModelLoadException {
    try {
      int parsed = Integer.parseInt(value.trim());
      if (parsed >= 1) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      throw new ModelLoadException("Invalid value " + value + " for deployment property " + property + ": must be >= 1", e);
    }
    throw new ModelLoadException("Invalid value " + value + " for deployment property " + property + ": must be >= 1", null);
  }

  private OrtSession.SessionOptions sessionOptions(int intraOpThreads) throws OrtException {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    try {
      options.setInterOpNumThreads(1);
      options.setIntraOpNumThreads(intraOpThreads);
      if (!config.allowSpinning()) {
        options.addConfigEntry("session.intra_op.allow_spinning", "0");
        options.addConfigEntry("session.inter_op.allow_spinning", "0");
      }
      return options;
    } catch (OrtException | RuntimeException e) {
      options.close();
      throw e;
    }
  }

  private TaskHandler handler(ModelDeployment deployment, Model model, ModelFiles files, Plan plan, String id)
      throws IOException, ModelLoadException {
    Task task = deployment.getTask();
    String threadName = "sluice-model-" + id;
    if (task == Task.TENSOR) {
      List<String> inputs = inputNames(model);
      if (inputs.size() > 1) {
        throw new ModelLoadException("A TENSOR model must have one input; " + id + " has " + inputs, null);
      }
      TensorTranslator translator = new TensorTranslator(inputs.stream().findFirst());
      Optional<ModelLimits> limits = Optional.ofNullable(deployment.getLimits());
      return new TensorHandler(new PredictorPool<>(model, translator, plan.predictors(), threadName),
          limits.map(ModelLimits::getTensorShape), featureNames(deployment), plan.rowsPerCall());
    }
    EncoderTranslator translator = encoderTranslator(deployment, model, id);
    HuggingFaceTokenizer tokenizer = tokenizer(files);
    ModelCallPlanner planner = new ModelCallPlanner(plan.rowsPerCall(), config.maxBatchTokens(), plan.predictors());
    TextEncoder encoder = new TextEncoder(tokenizer, new PredictorPool<>(model, translator, plan.predictors(), threadName),
        planner);
    try {
      if (task == Task.TEXT_CLASSIFICATION) {
        return ZeroShotClassificationHandler.create(encoder, deployment.getLabels(), deployment.getProperties());
      }
      encoder.encode(WARM_UP);
      return new TextEmbeddingHandler(encoder);
    } catch (ModelRunException e) {
      encoder.close();
      throw new ModelLoadException("The model failed its first run: " + e.getMessage(), e);
    } catch (ModelLoadException | RuntimeException e) {
      encoder.close();
      throw e;
    }
  }

  /**
   * The tokenizer of a text deployment's artifact, to count the tokens of a version that runs on
   * remote endpoints as a local run of the artifact would make them; empty when the deployment
   * names no artifact or it has no tokenizer.
   *
   * @throws ModelLoadException when the artifact is named but cannot be had
   */
  public Optional<TokenCounter> tokenCounter(ModelDeployment deployment) throws ModelLoadException {
    String uri = deployment.getArtifactUri();
    if (uri == null || uri.isBlank() || deployment.getTask() == Task.TENSOR) {
      return Optional.empty();
    }
    ModelFiles files = artifacts.resolve(uri, ArtifactLayout.of(deployment));
    if (files.tokenizer().isEmpty()) {
      return Optional.empty();
    }
    try {
      HuggingFaceTokenizer tokenizer = tokenizer(files);
      return Optional.of(new TokenCounter() {
        @Override
        public int tokens(String text) {
          return tokenizer.encode(text).getIds().length;
        }

        @Override
        public void close() {
          tokenizer.close();
        }
      });
    } catch (IOException | RuntimeException e) {
      throw new ModelLoadException("Cannot load the tokenizer of " + deployment.getModel() + "/" + deployment.getVersion() + " from " + uri + ": "
          + describe(e), e);
    }
  }

  private HuggingFaceTokenizer tokenizer(ModelFiles files) throws IOException {
    String maxLength = String.valueOf(config.maxSequenceLength());
    return HuggingFaceTokenizer.newInstance(files.tokenizer().orElseThrow(), Map.of(
        "padding", "false", "truncation", "true", "maxLength", maxLength, "modelMaxLength", maxLength));
  }

  private static EncoderTranslator encoderTranslator(ModelDeployment deployment, Model model, String id)
      throws ModelLoadException {
    String declared = deployment.getProperties().get(INPUT_NAMES);
    List<String> names = declared != null
        ? Arrays.stream(declared.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()
        : inputNames(model);
    if (names.isEmpty()) {
      names = DEFAULT_TEXT_INPUTS;
    }
    List<String> unknown = names.stream().filter(name -> !EncoderTranslator.KNOWN_INPUTS.contains(name)).toList();
    if (!unknown.isEmpty() || !names.contains(EncoderTranslator.INPUT_IDS)) {
      throw new ModelLoadException("Model " + id + " takes inputs " + names + "; a text model takes input_ids and"
          + " optionally attention_mask and token_type_ids (deployment property " + INPUT_NAMES + " names them)", null);
    }
    return new EncoderTranslator(names);
  }

  private static List<String> inputNames(Model model) {
    PairList<String, ?> described = model.describeInput();
    if (described == null) {
      return List.of();
    }
    List<String> names = new ArrayList<>(described.size());
    for (String key : described.keys()) {
      if (key != null && !key.isEmpty()) {
        names.add(key);
      }
    }
    return names;
  }

  private static List<String> featureNames(ModelDeployment deployment) {
    ModelLimits limits = deployment.getLimits();
    if (limits != null && limits.getFeatureNames() != null && !limits.getFeatureNames().isEmpty()) {
      return limits.getFeatureNames();
    }
    return deployment.getFeatureStats().stream().map(FeatureStats::getName).toList();
  }

  /** A failure's message followed by its causes' messages, where they add something. */
  private static String describe(Throwable failure) {
    StringBuilder text = new StringBuilder(String.valueOf(failure.getMessage()));
    for (Throwable cause = failure.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
      String message = cause.getMessage();
      if (message != null && !text.toString().contains(message)) {
        text.append(": ").append(message);
      }
    }
    return text.toString();
  }

  private static void closeAfterFailure(Exception failure, AutoCloseable... resources) {
    List<AutoCloseable> open = Arrays.stream(resources).filter(r -> r != null).toList();
    try {
      ModelResources.closeAll(open);
    } catch (IllegalStateException e) {
      failure.addSuppressed(e);
    }
  }
}
