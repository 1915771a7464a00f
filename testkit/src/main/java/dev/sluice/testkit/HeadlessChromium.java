package dev.sluice.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real headless Chromium (Debian's {@code chromium} package) showing one page, driven over the
 * DevTools protocol on the JDK's WebSocket client: evaluate JavaScript in the page, take a
 * screenshot. The browser is a child process with a fresh profile, killed on close.
 */
public final class HeadlessChromium implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration STARTUP = Duration.ofSeconds(30);
  private static final Duration CALL = Duration.ofSeconds(20);

  private final Process process;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> calls = new ConcurrentHashMap<>();
  private WebSocket socket;

  private HeadlessChromium(Process process) {
    this.process = process;
  }

  /** Starts Chromium on the URL; fails with what to install when there is none. */
  public static HeadlessChromium open(String url, Path workDir) throws Exception {
    Path profile = Files.createTempDirectory(Files.createDirectories(workDir), "chromium-profile-");
    List<String> command = new ArrayList<>(List.of(binary(), "--headless=new", "--no-sandbox", "--disable-gpu",
        "--window-size=1280,900", "--no-first-run", "--no-default-browser-check", "--remote-debugging-port=0",
        "--user-data-dir=" + profile, url));
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(workDir.resolve("chromium.log").toFile()).start();
    HeadlessChromium browser = new HeadlessChromium(process);
    try {
      browser.connect(profile.resolve("DevToolsActivePort"));
      return browser;
    } catch (Exception | AssertionError e) {
      browser.close();
      throw e;
    }
  }

  private static String binary() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser")) {
        Path candidate = Path.of(dir, name);
        if (Files.isExecutable(candidate)) {
          return candidate.toString();
        }
      }
    }
    throw new AssertionError("No chromium on PATH: the dashboard's browser test needs Debian's chromium package "
        + "(run: apt-get install -y chromium)");
  }

  private void connect(Path portFile) throws Exception {
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (!Files.exists(portFile) || Files.readAllLines(portFile).isEmpty()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("Chromium did not open its DevTools port (exit " + (process.isAlive() ? "none" : process.exitValue())
            + "); see chromium.log");
      }
      Thread.sleep(50);
    }
    int port = Integer.parseInt(Files.readAllLines(portFile).get(0).strip());
    HttpClient http = HttpClient.newHttpClient();
    String pageSocket = null;
    while (pageSocket == null) {
      JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
          HttpResponse.BodyHandlers.ofString()).body());
      for (JsonNode target : targets) {
        if ("page".equals(target.path("type").asText())) {
          pageSocket = target.path("webSocketDebuggerUrl").asText();
        }
      }
      if (pageSocket == null) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("Chromium opened no page target");
        }
        Thread.sleep(50);
      }
    }
    socket = http.newWebSocketBuilder().buildAsync(URI.create(pageSocket), new Listener()).get(CALL.toSeconds(), TimeUnit.SECONDS);
  }

  /** The value of a JavaScript expression evaluated in the page (JSON-compatible values only). */
  public JsonNode evaluate(String expression) throws Exception {
    ObjectNode params = JSON.createObjectNode().put("expression", expression).put("returnByValue", true);
    JsonNode result = call("Runtime.evaluate", params);
    if (result.has("exceptionDetails")) {
      throw new AssertionError("the page threw evaluating " + expression + ": " + result.path("exceptionDetails"));
    }
    return result.path("result").path("value");
  }

  /** The settled value of a JavaScript expression that yields a promise (e.g. a {@code fetch} chain). */
  public JsonNode evaluateAsync(String expression) throws Exception {
    ObjectNode params = JSON.createObjectNode().put("expression", expression).put("returnByValue", true).put("awaitPromise", true);
    JsonNode result = call("Runtime.evaluate", params);
    if (result.has("exceptionDetails")) {
      throw new AssertionError("the page threw evaluating " + expression + ": " + result.path("exceptionDetails"));
    }
    return result.path("result").path("value");
  }

  /**
   * Moves the mouse to a point of the page (CSS pixels from the viewport's top left), as a user's
   * mouse would: the page receives real {@code mousemove} events.
   */
  public void moveMouse(double x, double y) throws Exception {
    call("Input.dispatchMouseEvent", JSON.createObjectNode().put("type", "mouseMoved").put("x", x).put("y", y));
  }

  /** A PNG of the page as the browser shows it. */
  public byte[] screenshot() throws Exception {
    JsonNode result = call("Page.captureScreenshot", JSON.createObjectNode().put("format", "png"));
    return Base64.getDecoder().decode(result.path("data").asText());
  }

  /** A PNG of the whole page, below the window's fold too. */
  public byte[] fullPageScreenshot() throws Exception {
    JsonNode size = call("Page.getLayoutMetrics", JSON.createObjectNode()).path("cssContentSize");
    ObjectNode params = JSON.createObjectNode().put("format", "png").put("captureBeyondViewport", true);
    params.putObject("clip").put("x", 0).put("y", 0).put("width", size.path("width").asDouble())
        .put("height", size.path("height").asDouble()).put("scale", 1);
    JsonNode result = call("Page.captureScreenshot", params);
    return Base64.getDecoder().decode(result.path("data").asText());
  }

  private JsonNode call(String method, ObjectNode params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    calls.put(id, answer);
    ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
    message.set("params", params);
    socket.sendText(message.toString(), true).get(CALL.toSeconds(), TimeUnit.SECONDS);
    JsonNode reply = answer.get(CALL.toSeconds(), TimeUnit.SECONDS);
    if (reply.has("error")) {
      throw new AssertionError(method + " failed: " + reply.path("error"));
    }
    return reply.path("result");
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        String message = text.toString();
        text.setLength(0);
        try {
          JsonNode reply = JSON.readTree(message);
          CompletableFuture<JsonNode> call = reply.has("id") ? calls.remove(reply.path("id").asInt()) : null;
          if (call != null) {
            call.complete(reply);
          }
        } catch (IOException e) {
          calls.values().forEach(c -> c.completeExceptionally(e));
        }
      }
      webSocket.request(1);
      return null;
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (socket != null) {
      socket.abort();
    }
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }
}
