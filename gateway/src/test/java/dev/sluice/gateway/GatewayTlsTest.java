package dev.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.avro.Task;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS from a PKCS#12 keystore or PEM files, with self-signed certificates made here by the JDK's keytool. */
class GatewayTlsTest {
  private static final String PASSWORD = "changeit";
  private final FakePipeline pipeline = new FakePipeline().deploy("minilm", "v1", Task.TEXT_EMBEDDING);
  @TempDir Path dir;
  private TestGateway server;

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  /** A self-signed key pair for localhost in a PKCS#12 file. */
  private Path keystore(String name) throws Exception {
    Path file = dir.resolve(name + ".p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
        "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "san=dns:localhost,ip:127.0.0.1",
        "-validity", "2", "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
        .redirectErrorStream(true).start();
    String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).as(output).isZero();
    return file;
  }

  private static KeyStore load(Path p12) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(p12)) {
      store.load(in, PASSWORD.toCharArray());
    }
    return store;
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  /** The certificate of a keystore as a PEM file. */
  private Path certificatePem(Path p12, String alias) throws Exception {
    Path file = dir.resolve(alias + ".crt");
    Files.writeString(file, pem("CERTIFICATE", load(p12).getCertificate(alias).getEncoded()));
    return file;
  }

  private String start(Map<String, String> tls) throws Exception {
    server = new TestGateway(pipeline, tls);
    return "https://localhost:" + server.port();
  }

  private static HttpClient client(Path trusted, String alias, Path clientKeys) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("server", load(trusted).getCertificate(alias));
    TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(trust);
    KeyManagerFactory keyManagers = null;
    if (clientKeys != null) {
      keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keyManagers.init(load(clientKeys), PASSWORD.toCharArray());
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keyManagers == null ? null : keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(context).build();
  }

  private static HttpResponse<String> models(HttpClient client, String url) throws IOException, InterruptedException {
    return client.send(HttpRequest.newBuilder(URI.create(url + "/v1/models")).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesHttpsAndHttp2FromAPkcs12KeystoreToClientsThatTrustIt() throws Exception {
    Path keys = keystore("gateway");
    String url = start(Map.of(GatewayTls.KEYSTORE_PATH, keys.toString(), GatewayTls.KEYSTORE_PASSWORD, PASSWORD));

    HttpResponse<String> trusted = models(client(keys, "gateway", null), url);
    assertThat(trusted.statusCode()).isEqualTo(200);
    assertThat(trusted.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThatThrownBy(() -> models(HttpClient.newHttpClient(), url)).isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void servesHttpsFromPemFilesAndCanRequireClientCertificates() throws Exception {
    Path keys = keystore("gateway");
    Path key = dir.resolve("gateway.key");
    Files.writeString(key, pem("PRIVATE KEY", load(keys).getKey("gateway", PASSWORD.toCharArray()).getEncoded()));
    Path clientKeys = keystore("client");
    String url = start(Map.of(GatewayTls.CERTIFICATE_PATH, certificatePem(keys, "gateway").toString(), GatewayTls.KEY_PATH, key.toString(),
        GatewayTls.CLIENT_AUTH, "need", GatewayTls.CLIENT_CA_PATH, certificatePem(clientKeys, "client").toString()));

    assertThat(models(client(keys, "gateway", clientKeys), url).statusCode()).isEqualTo(200);
    assertThatThrownBy(() -> models(client(keys, "gateway", null), url)).isInstanceOf(IOException.class);
  }

  @Test
  void plainHttpBeyondLoopbackAndHalfAPemPairAreRefusedAtStart() {
    assertThatThrownBy(() -> GatewayConfig.parse(Map.of("bootstrap.servers", "k:9092", "schema.registry.url", "http://r:8081",
        GatewayConfig.HOST, "0.0.0.0"))).hasMessageContaining(GatewayConfig.ALLOW_PLAINTEXT);
    assertThatThrownBy(() -> GatewayConfig.parse(Map.of("bootstrap.servers", "k:9092", "schema.registry.url", "http://r:8081",
        GatewayTls.CERTIFICATE_PATH, "/x.crt"))).hasMessageContaining(GatewayTls.KEY_PATH);
  }
}
