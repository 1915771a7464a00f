package dev.sluice.platform.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** With an endpoint, spans leave the process over OTLP/HTTP (the JDK sender: no OkHttp on the class path). */
class OtlpExportTest {

  @Test
  void exportsSpansOverOtlpHttpWithTheConfiguredHeadersWhenClosed() throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    HttpServer collector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    collector.createContext("/", exchange -> {
      received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " "
          + exchange.getRequestHeaders().getFirst("Content-Type") + " " + exchange.getRequestHeaders().getFirst("Api-Key")
          + " " + exchange.getRequestBody().readAllBytes().length);
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    collector.start();
    try {
      URI endpoint = URI.create("http://127.0.0.1:" + collector.getAddress().getPort() + "/v1/traces");
      try (Tracing tracing = Tracing.start(new TracingSettings("sluice-test", Optional.of(endpoint), Map.of("api-key", "secret")))) {
        tracing.tracer().spanBuilder("stage").startSpan().end();
      }

      assertThat(received).singleElement().satisfies(request -> {
        assertThat(request).startsWith("POST /v1/traces application/x-protobuf secret ");
        assertThat(Integer.parseInt(request.substring(request.lastIndexOf(' ') + 1))).isPositive();
      });
    } finally {
      collector.stop(0);
    }
  }
}
