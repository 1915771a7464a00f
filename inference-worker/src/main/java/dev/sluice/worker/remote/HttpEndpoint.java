package dev.sluice.worker.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.avro.ModelEndpoint;
import dev.sluice.worker.model.ModelLoadException;
import dev.sluice.worker.model.ModelRunException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * One HTTP endpoint of a model version: the JDK's HTTP client (HTTP/1.1 on http, HTTP/2 where https
 * offers it; trusting the endpoint's {@code trust_file} or the JVM's trust store), the endpoint's
 * headers and API key (a bearer token read from its environment variable once, or from its file
 * at each call, so a rotated Secret is picked up), at most {@code max_concurrency} calls in flight,
 * a micro-batch split into calls of at most {@code max_batch_size} inputs sent at once, each bounded
 * by the time left. Thread-safe.
 */
final class HttpEndpoint {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MESSAGE_CHARS = 300;

  private final String name;
  private final URI base;
  private final WireFormat wire;
  private final HttpClient client;
  private final Map<String, String> headers;
  private final String envKey;
  private final Path keyFile;
  private final int maxBatch;
  private final Semaphore permits;

  /**
   * @param config the endpoint as deployed
   * @param wire its protocol's request and answer shapes
   * @param environment reads an environment variable (System::getenv outside tests)
   * @throws ModelLoadException when the URL, the key or the trust file is unusable
   */
  HttpEndpoint(ModelEndpoint config, WireFormat wire, UnaryOperator<String> environment) throws ModelLoadException {
    this.name = config.getName();
    this.base = baseUri(config);
    this.wire = wire;
    this.headers = Map.copyOf(config.getHeaders());
    for (String header : headers.keySet()) {
      Optional<String> refused = EndpointHeaders.refused(header);
      if (refused.isPresent()) {
        throw new ModelLoadException("Endpoint " + name + ": " + refused.get(), null);
      }
    }
    if (config.getApiKeyEnv() != null) {
      this.envKey = environment.apply(config.getApiKeyEnv());
      if (envKey == null || envKey.isBlank()) {
        throw new ModelLoadException("Endpoint " + name + " takes its API key from the environment variable " + config.getApiKeyEnv()
            + ", which is not set on this worker: set it (e.g. from a Secret) and restart the worker", null);
      }
    } else {
      this.envKey = null;
    }
    this.keyFile = config.getApiKeyFile() == null ? null : Path.of(config.getApiKeyFile());
    if (keyFile != null) {
      try {
        key();
      } catch (IOException e) {
        throw new ModelLoadException("Endpoint " + name + " takes its API key from " + keyFile + ", which cannot be read: " + e, e);
      }
    }
    if (config.getMaxConcurrency() < 1 || config.getTimeoutMs() < 1 || config.getMaxBatchSize() < 0) {
      throw new ModelLoadException("Endpoint " + name + " needs max_concurrency >= 1, timeout_ms >= 1 and max_batch_size >= 0, was "
          + config.getMaxConcurrency() + ", " + config.getTimeoutMs() + " and " + config.getMaxBatchSize(), null);
    }
    this.maxBatch = config.getMaxBatchSize() == 0 ? Integer.MAX_VALUE : config.getMaxBatchSize();
    this.permits = new Semaphore(config.getMaxConcurrency(), true);
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(Math.min(config.getTimeoutMs(), 10_000)))
        .version("https".equals(base.getScheme()) ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1);
    if (config.getTrustFile() != null) {
      builder.sslContext(trusting(Path.of(config.getTrustFile())));
    }
    this.client = builder.build();
    try {
      HttpRequest.Builder trial = HttpRequest.newBuilder(base);
      headers.forEach(trial::header);
    } catch (IllegalArgumentException e) {
      throw new ModelLoadException("Endpoint " + name + " has a header the HTTP client refuses (" + e.getMessage() + "): headers such as Host"
          + ", Connection or Content-Length are the client's own, and names and values must be plain text", e);
    }
  }

  String name() {
    return name;
  }

  /**
   * Calls the endpoint for the inputs: in parts of at most {@code max_batch_size} (and what the
   * protocol allows) sent at once, every part within the timeout.
   *
   * @throws ModelRunException when an input cannot be put on the wire
   * @throws EndpointFailure when a part got no usable answer (the first failure met)
   */
  Answer call(List<Object> inputs, Duration timeout) throws ModelRunException, EndpointFailure {
    long until = System.nanoTime() + timeout.toNanos();
    int perCall = Math.min(maxBatch, wire.maxInputsPerCall(inputs));
    List<List<Object>> parts = new ArrayList<>();
    for (int from = 0; from < inputs.size(); from += perCall) {
      parts.add(inputs.subList(from, Math.min(inputs.size(), from + perCall)));
    }
    List<CompletableFuture<HttpResponse<byte[]>>> sent = new ArrayList<>(parts.size());
    try {
      for (List<Object> part : parts) {
        sent.add(send(part, until));
      }
      Answer answer = null;
      for (int i = 0; i < parts.size(); i++) {
        Answer partAnswer = answer(parts.get(i), await(sent.get(i), until));
        answer = answer == null ? partAnswer : answer.then(partAnswer);
      }
      return answer;
    } finally {
      sent.forEach(future -> future.cancel(true)); // aborts an exchange still going; its permit is released as it ends
    }
  }

  private CompletableFuture<HttpResponse<byte[]>> send(List<Object> part, long until) throws ModelRunException, EndpointFailure {
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(wire.request(part));
    } catch (IOException e) {
      throw new ModelRunException("Cannot write the request for endpoint " + name + ": " + e.getMessage(), e);
    }
    Duration left = left(until);
    try {
      if (!permits.tryAcquire(left.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new EndpointFailure(EndpointFailure.Kind.TIMEOUT, name + ": no free call slot (max_concurrency) within " + timeout(left), null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EndpointFailure(EndpointFailure.Kind.UNAVAILABLE, name + ": interrupted", e);
    }
    CompletableFuture<HttpResponse<byte[]>> exchange;
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(base.getPath().replaceAll("/+$", "") + wire.path()))
          .timeout(left(until)).header("Content-Type", "application/json").header("Accept", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(body));
      headers.forEach(request::header);
      String key = key();
      if (key != null) {
        request.header("Authorization", "Bearer " + key);
      }
      exchange = client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      permits.release();
      throw new EndpointFailure(EndpointFailure.Kind.UNAVAILABLE, name + ": cannot read the API key file " + keyFile + ": " + e, e);
    } catch (RuntimeException e) {
      permits.release();
      throw e;
    }
    exchange.whenComplete((response, failure) -> permits.release());
    return exchange;
  }

  private HttpResponse<byte[]> await(CompletableFuture<HttpResponse<byte[]>> future, long until) throws EndpointFailure {
    try {
      return future.get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new EndpointFailure(EndpointFailure.Kind.TIMEOUT, name + ": no answer in time", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EndpointFailure(EndpointFailure.Kind.UNAVAILABLE, name + ": interrupted", e);
    } catch (ExecutionException | CompletionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof HttpTimeoutException) {
        throw new EndpointFailure(EndpointFailure.Kind.TIMEOUT, name + ": no answer in time (" + cause.getMessage() + ")", cause);
      }
      String what = cause instanceof ConnectException ? "cannot connect to " + base : cause.toString();
      throw new EndpointFailure(EndpointFailure.Kind.UNAVAILABLE, name + ": " + what, cause);
    }
  }

  private Answer answer(List<Object> part, HttpResponse<byte[]> response) throws EndpointFailure {
    byte[] bytes = response.body() == null ? new byte[0] : response.body();
    JsonNode body = readOrNull(bytes);
    if (response.statusCode() != 200) {
      String message = body == null ? null : wire.errorMessage(body);
      if (message == null) {
        message = new String(bytes, 0, Math.min(bytes.length, MESSAGE_CHARS), StandardCharsets.UTF_8);
      }
      throw new EndpointFailure(EndpointFailure.ofStatus(response.statusCode()), name + " answered " + response.statusCode() + ": "
          + (message.length() > MESSAGE_CHARS ? message.substring(0, MESSAGE_CHARS) + "..." : message), null);
    }
    if (body == null) {
      throw new EndpointFailure(EndpointFailure.Kind.UNAVAILABLE, name + " answered 200 with a body that is not JSON", null);
    }
    return wire.answer(body, part);
  }

  private static JsonNode readOrNull(byte[] bytes) {
    if (bytes.length == 0) {
      return null;
    }
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      return null;
    }
  }

  /** The API key: the environment variable's, or the key file's as it is now; null without one. */
  private String key() throws IOException {
    if (envKey != null) {
      return envKey;
    }
    return keyFile == null ? null : Files.readString(keyFile, StandardCharsets.UTF_8).strip();
  }

  private static Duration left(long until) {
    return Duration.ofNanos(Math.max(1, until - System.nanoTime()));
  }

  private static String timeout(Duration left) {
    return left.toMillis() + " ms";
  }

  private static URI baseUri(ModelEndpoint config) throws ModelLoadException {
    String url = config.getUrl();
    if (url == null || url.isBlank()) {
      throw new ModelLoadException("Endpoint " + config.getName() + " (" + config.getProtocol() + ") needs a url", null);
    }
    try {
      URI uri = new URI(url.strip());
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
        throw new ModelLoadException("Endpoint " + config.getName() + " has url " + url + ": use http://host:port or https://host:port", null);
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new ModelLoadException("Endpoint " + config.getName() + " has url " + url + ", which is not a URL: " + e.getMessage(), e);
    }
  }

  private static SSLContext trusting(Path pem) throws ModelLoadException {
    try (InputStream in = Files.newInputStream(pem)) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("ca-" + i++, certificate);
      }
      if (i == 0) {
        throw new ModelLoadException("The trust file " + pem + " holds no PEM certificate", null);
      }
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new ModelLoadException("Cannot use the trust file " + pem + ": " + e.getMessage(), e);
    }
  }
}
