package dev.sluice.worker.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.avro.Embedding;
import dev.sluice.avro.Engine;
import dev.sluice.avro.ModelLimits;
import dev.sluice.avro.Task;
import dev.sluice.avro.Tensor;
import dev.sluice.avro.TensorInput;
import dev.sluice.worker.model.ModelLoadException;
import dev.sluice.worker.model.ModelRunner;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Where a model can come from, and what a bad artifact URI, engine or device says. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ArtifactSourcesTest {
  private static final String CAT = "The cat sits on the mat";

  private Path root;
  private HttpServer server;
  private final AtomicInteger flakyRequests = new AtomicInteger();
  private DjlModelLoader loader;
  private String base;

  @BeforeAll
  void start(@TempDir Path temp) throws IOException {
    root = temp.resolve("www");
    Files.createDirectories(root.resolve("models"));
    Files.createSymbolicLink(root.resolve("models").resolve("all-minilm-l6-v2"), Deployments.MINILM_DIR);
    Path tiny = TinyOnnxModel.writeTo(temp.resolve("tiny"));
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(root.resolve("tiny.zip")))) {
      zip.putNextEntry(new ZipEntry("tiny/model.onnx"));
      zip.write(Files.readAllBytes(tiny));
      zip.closeEntry();
    }
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::serveFile);
    server.createContext("/flaky/", exchange -> {
      flakyRequests.incrementAndGet();
      respond(exchange, 503, new byte[0]);
    });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
    RuntimeConfig config = RuntimeConfig.defaults().withScratchDir(temp.resolve("scratch")).withParallelism(1, 8);
    loader = new DjlModelLoader(new RuntimeConfig(config.device(), config.predictors(), config.intraOpThreads(),
        config.maxSequenceLength(), config.rowsPerCall(), config.maxBatchTokens(), false, config.scratchDir(),
        Duration.ofSeconds(30), 1));
  }

  @AfterAll
  void stop() {
    server.stop(0);
  }

  @Test
  void loadsAModelDirectoryFromALocalPath() throws Exception {
    assertEmbedsLikeTheBundledModel(Deployments.MINILM_DIR.toString());
  }

  @Test
  void loadsAModelFileFromAFileUri() throws Exception {
    assertEmbedsLikeTheBundledModel(Deployments.MINILM_DIR.resolve("model.onnx").toUri().toString());
  }

  @Test
  void downloadsAModelDirectoryOverHttp() throws Exception {
    assertEmbedsLikeTheBundledModel(base + "/models/all-minilm-l6-v2");
  }

  @Test
  void downloadsAndUnpacksAZippedModelOverHttp() throws Exception {
    ModelLimits limits = ModelLimits.newBuilder().setTensorShape(List.of(-1, 3)).build();
    try (ModelRunner runner = loader.load(Deployments.builder(base + "/tiny.zip", Task.TENSOR).setLimits(limits).build())) {
      Object output = runner.run(List.of(TensorInput.newBuilder().setShape(List.of(1, 3))
          .setValues(List.of(1f, 1f, 1f)).build())).outputs().get(0);

      assertThat(((Tensor) output).getValues()).containsExactly(3f, 4f, 5f);
    }
  }

  @Test
  void reportsAMissingRemoteFileWithItsHttpStatus() {
    assertLoadFails(Deployments.embedding(base + "/models/nothing-here"),
        "Downloading model file " + base + "/models/nothing-here/model.onnx failed: HTTP 404");
  }

  @Test
  void retriesServerErrorsThenGivesUp() {
    flakyRequests.set(0);

    assertLoadFails(Deployments.embedding(base + "/flaky/model"), "failed after 2 attempts: HTTP 503");
    assertThat(flakyRequests).hasValue(2);
  }

  @Test
  void reportsAMissingLocalDirectory() {
    assertLoadFails(Deployments.embedding("/no/such/model"), "Model artifact /no/such/model not found: /no/such/model does not exist");
  }

  @Test
  void reportsATextModelWithoutItsTokenizer(@TempDir Path dir) throws IOException {
    Files.copy(Deployments.MINILM_DIR.resolve("model.onnx"), dir.resolve("model.onnx"));

    assertLoadFails(Deployments.embedding(dir.toString()), "has no tokenizer.json in " + dir);
  }

  @Test
  void reportsADirectoryWithoutAModelFile(@TempDir Path dir) {
    assertLoadFails(Deployments.embedding(dir.toString()), "has no model.onnx in " + dir);
  }

  @Test
  void reportsAnUnknownClasspathResource() {
    assertLoadFails(Deployments.embedding("classpath:models/no-such-model"),
        "Model artifact classpath:models/no-such-model not found: no resource models/no-such-model/model.onnx");
  }

  @Test
  void reportsAnUnsupportedUriScheme() {
    assertLoadFails(Deployments.embedding("ftp://example.com/model"), "Unsupported scheme 'ftp' in artifact URI ftp://example.com/model");
  }

  @Test
  void reportsAMalformedUrl() {
    assertLoadFails(Deployments.embedding("http://exa mple.com/model"), "is not a valid URL");
  }

  @Test
  void reportsAFileThatIsNoOnnxModel(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("model.onnx"), "not a model");
    Files.copy(Deployments.MINILM_DIR.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));

    assertThatThrownBy(() -> loader.load(Deployments.embedding(dir.toString())))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("Cannot load model minilm/v1 from " + dir + " on cpu: ONNX Model cannot be loaded: ")
        .hasMessageContaining("INVALID_PROTOBUF");
  }

  @Test
  void pyTorchDeploymentsNeedThePyTorchProfileAndThenATorchScriptFile() {
    if (ai.djl.engine.Engine.hasEngine("PyTorch")) {
      // Built with -Ppytorch: the engine starts offline and asks for the TorchScript file.
      assertLoadFails(Deployments.builder(Deployments.MINILM_DIR.toString(), Task.TEXT_EMBEDDING).setEngine(Engine.PYTORCH).build(),
          "has no model.pt in " + Deployments.MINILM_DIR);
    } else {
      assertLoadFails(Deployments.builder(Deployments.MINILM, Task.TEXT_EMBEDDING).setEngine(Engine.PYTORCH).build(),
          "Engine PyTorch is not on this worker's classpath");
    }
  }

  @Test
  void reportsAGpuThatIsNotThere(@TempDir Path scratch) {
    DjlModelLoader gpuLoader = new DjlModelLoader(RuntimeConfig.defaults().withScratchDir(scratch).withDevice(DeviceSpec.gpu(0)));

    assertThatThrownBy(() -> gpuLoader.load(Deployments.embedding(Deployments.MINILM)))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("Device gpu:0 was asked for, but OnnxRuntime sees 0 GPU(s)")
        .hasMessageContaining("-Pgpu");
  }

  @Test
  void removesOnnxRuntimesNativeLibraryCopiesFromTheTempDirectory() throws IOException {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
    Path maps = Path.of("/proc/self/maps");
    if (!Files.isReadable(maps)) {
      return;
    }
    List<Path> loadedFrom = Files.readAllLines(maps).stream()
        .filter(line -> line.contains("/onnxruntime-java"))
        .map(line -> Path.of(line.substring(line.indexOf('/')).replace(" (deleted)", "")).getParent())
        .filter(folder -> tmp.equals(folder.getParent()))
        .distinct().toList();

    assertThat(loadedFrom).as("this JVM loaded ONNX Runtime from the temp directory").isNotEmpty();
    assertThat(loadedFrom).allSatisfy(folder -> assertThat(folder).doesNotExist());
  }

  private void assertEmbedsLikeTheBundledModel(String uri) throws Exception {
    try (ModelRunner runner = loader.load(Deployments.embedding(uri))) {
      List<Object> outputs = runner.run(List.of(TextEmbeddingRunnerTest.text(CAT),
          TextEmbeddingRunnerTest.text("A cat is sitting on a mat"))).outputs();
      float[] cat = Vectors.toArray((Embedding) outputs.get(0));

      assertThat(cat).hasSize(384);
      assertThat(Vectors.cosine(cat, Vectors.toArray((Embedding) outputs.get(1)))).isGreaterThan(0.7);
    }
  }

  private void assertLoadFails(dev.sluice.avro.ModelDeployment deployment, String message) {
    assertThatThrownBy(() -> loader.load(deployment))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(message);
  }

  private void serveFile(HttpExchange exchange) throws IOException {
    Path file = root.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
    if (!file.startsWith(root) || !Files.isRegularFile(file)) {
      respond(exchange, 404, new byte[0]);
      return;
    }
    exchange.sendResponseHeaders(200, Files.size(file));
    try (OutputStream body = exchange.getResponseBody()) {
      Files.copy(file, body);
    }
  }

  private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    exchange.close();
  }
}
