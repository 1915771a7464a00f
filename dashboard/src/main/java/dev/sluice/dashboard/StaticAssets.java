package dev.sluice.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The page's files from the classpath ({@code dashboard/}, uPlot's under {@code dashboard/vendor/},
 * put there by the build from the npm registry), read once at start; anything else is 404.
 */
final class StaticAssets implements HttpHandler {
  private record Asset(String contentType, byte[] body) {}

  private static final Map<String, String> FILES = Map.of(
      "/", "index.html",
      "/index.html", "index.html",
      "/dashboard.js", "dashboard.js",
      "/dashboard.css", "dashboard.css",
      "/vendor/uPlot.iife.min.js", "vendor/uPlot.iife.min.js",
      "/vendor/uPlot.min.css", "vendor/uPlot.min.css",
      "/vendor/uPlot.LICENSE", "vendor/uPlot.LICENSE");

  private final Map<String, Asset> assets = new HashMap<>();

  StaticAssets() {
    FILES.forEach((path, file) -> assets.put(path, new Asset(contentType(file), read("dashboard/" + file))));
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    Asset asset = assets.get(exchange.getRequestURI().getPath());
    if (asset == null) {
      HttpAnswers.send(exchange, 404, "text/plain; charset=utf-8", "not found\n".getBytes(StandardCharsets.UTF_8));
    } else {
      HttpAnswers.send(exchange, 200, asset.contentType(), asset.body());
    }
  }

  private static String contentType(String file) {
    if (file.endsWith(".html")) {
      return "text/html; charset=utf-8";
    }
    if (file.endsWith(".js")) {
      return "text/javascript; charset=utf-8";
    }
    return file.endsWith(".css") ? "text/css; charset=utf-8" : "text/plain; charset=utf-8";
  }

  private static byte[] read(String resource) {
    try (InputStream in = StaticAssets.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the dashboard's " + resource + " is missing from the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
