package dev.sluice.worker.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.util.cuda.CudaUtils;
import dev.sluice.worker.model.ModelLoadException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts DJL the way the worker needs it: offline, with the ONNX Runtime engine created before
 * anything else in the JVM makes an {@code OrtEnvironment} (the engine must be the one to create
 * it, with its threading options, or it fails with "Tried to specify the thread pool ... one
 * already exists"), and resolves configured devices against the engines.
 */
final class EngineBootstrap {
  static final String ONNX_RUNTIME = "OnnxRuntime";
  static final String PYTORCH = "PyTorch";
  static final String OFFLINE_PROPERTY = "ai.djl.offline";
  static final String PYTORCH_INTRA_OP_THREADS = "ai.djl.pytorch.num_threads";
  static final String PYTORCH_INTER_OP_THREADS = "ai.djl.pytorch.num_interop_threads";

  private static final Logger LOG = LoggerFactory.getLogger(EngineBootstrap.class);

  private final Optional<RuntimeException> onnxRuntimeFailure;

  private EngineBootstrap(Optional<RuntimeException> onnxRuntimeFailure) {
    this.onnxRuntimeFailure = onnxRuntimeFailure;
  }

  /**
   * Sets DJL offline (unless {@code ai.djl.offline} was set explicitly: without it DJL's
   * telemetry reaches for a cloud metadata address at start-up) and starts ONNX Runtime. A
   * failure to start is kept and reported by every {@link #requireEngine} for ONNX Runtime.
   * PyTorch, when present, reads its thread counts from system properties when it starts; they
   * are set to one inter-op thread and {@code intraOpThreads} intra-op threads per process
   * unless given explicitly.
   */
  static EngineBootstrap start(int intraOpThreads) {
    setIfAbsent(PYTORCH_INTRA_OP_THREADS, String.valueOf(intraOpThreads));
    setIfAbsent(PYTORCH_INTER_OP_THREADS, "1");
    if (System.getProperty(OFFLINE_PROPERTY) == null) {
      System.setProperty(OFFLINE_PROPERTY, "true");
    } else if (!Boolean.getBoolean(OFFLINE_PROPERTY)) {
      LOG.warn("{}={} lets DJL reach the network; the worker loads only local, classpath and http(s) artifacts",
          OFFLINE_PROPERTY, System.getProperty(OFFLINE_PROPERTY));
    }
    try {
      Engine engine = Engine.getEngine(ONNX_RUNTIME);
      LOG.debug("Started {} {}", engine.getEngineName(), engine.getVersion());
      OrtNativeTempDirs.removeLoadedFrom(Path.of(System.getProperty("java.io.tmpdir")));
      return new EngineBootstrap(Optional.empty());
    } catch (RuntimeException | UnsatisfiedLinkError | ExceptionInInitializerError e) {
      return new EngineBootstrap(Optional.of(e instanceof RuntimeException runtime ? runtime
          : new IllegalStateException(e.toString(), e)));
    }
  }

  private static void setIfAbsent(String property, String value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, value);
    }
  }

  /** The DJL engine name for a deployment's engine. */
  static String engineName(dev.sluice.avro.Engine engine) {
    return switch (engine) {
      case ONNX_RUNTIME -> ONNX_RUNTIME;
      case PYTORCH -> PYTORCH;
    };
  }

  /** The started engine, or a {@link ModelLoadException} that says how to get it. */
  Engine requireEngine(String name) throws ModelLoadException {
    if (name.equals(ONNX_RUNTIME) && onnxRuntimeFailure.isPresent()) {
      RuntimeException failure = onnxRuntimeFailure.get();
      throw new ModelLoadException("The ONNX Runtime engine failed to start: " + failure.getMessage()
          + (String.valueOf(failure.getMessage()).contains("already exists")
              ? " (something created an OrtEnvironment before the DjlModelLoader; create the loader first)" : ""),
          failure);
    }
    if (!Engine.hasEngine(name)) {
      String profile = name.equals(PYTORCH) ? "; build the worker with -Ppytorch" : "";
      throw new ModelLoadException("Engine " + name + " is not on this worker's classpath (engines here: "
          + Engine.getAllEngines() + ")" + profile, null);
    }
    try {
      return Engine.getEngine(name);
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      throw new ModelLoadException("Engine " + name + " failed to start: " + e.getMessage(), e);
    }
  }

  /**
   * The device a configured device means for an engine: {@code auto} is GPU 0 when the engine
   * sees a GPU, else the CPU. GPUs are counted through the CUDA runtime first, so that machines
   * without one never ask the engine (which logs CUDA warnings when it cannot find CUDA).
   */
  static Device resolve(DeviceSpec spec, Engine engine) throws ModelLoadException {
    switch (spec.kind()) {
      case CPU:
        return Device.cpu();
      case GPU:
        int gpus = gpuCount(engine);
        if (spec.gpuIndex() >= gpus) {
          throw new ModelLoadException("Device " + spec + " was asked for, but " + engine.getEngineName()
              + " sees " + gpus + " GPU(s)" + (engine.getEngineName().equals(ONNX_RUNTIME)
                  ? " (a GPU needs the worker built with -Pgpu, and CUDA 12 with cuDNN 9 on the host)" : ""), null);
        }
        return Device.gpu(spec.gpuIndex());
      case AUTO:
      default:
        return gpuCount(engine) > 0 ? Device.gpu(0) : Device.cpu();
    }
  }

  /** The name the worker reports for a device: {@code cpu} or {@code gpu:N}. */
  static String deviceName(Device device) {
    return device.isGpu() ? "gpu:" + device.getDeviceId() : device.getDeviceType().toLowerCase(Locale.ROOT);
  }

  private static int gpuCount(Engine engine) {
    if (CudaUtils.getGpuCount() == 0) {
      return 0;
    }
    return engine.getGpuCount();
  }
}
