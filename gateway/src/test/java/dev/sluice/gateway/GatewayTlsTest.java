package dev.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.avro.Task;
import dev.sluice.testkit.SelfSignedKeys;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS from a PKCS#12 keystore or PEM files, with self-signed certificates made by the JDK's keytool (testkit SelfSignedKeys). */
class GatewayTlsTest {
  private final FakePipeline pipeline = new FakePipeline().deploy("minilm", "v1", Task.TEXT_EMBEDDING);
  @TempDir Path dir;
  private TestGateway server;

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private SelfSignedKeys keystore(String name) {
    return SelfSignedKeys.create(dir, name);
  }

  private String start(Map<String, String> tls) throws Exception {
    server = new TestGateway(pipeline, tls);
    return "https://localhost:" + server.port();
  }

  private static HttpClient client(SelfSignedKeys trusted, SelfSignedKeys clientKeys) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("server", trusted.load().getCertificate(trusted.alias()));
    TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(trust);
    KeyManagerFactory keyManagers = null;
    if (clientKeys != null) {
      keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keyManagers.init(clientKeys.load(), clientKeys.password().toCharArray());
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
    SelfSignedKeys keys = keystore("gateway");
    String url = start(Map.of(GatewayTls.KEYSTORE_PATH, keys.keystore().toString(), GatewayTls.KEYSTORE_PASSWORD, keys.password()));

    HttpResponse<String> trusted = models(client(keys, null), url);
    assertThat(trusted.statusCode()).isEqualTo(200);
    assertThat(trusted.version()).isEqualTo(HttpClient.Version.HTTP_2);
    assertThatThrownBy(() -> models(HttpClient.newHttpClient(), url)).isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void servesHttpsFromPemFilesAndCanRequireClientCertificates() throws Exception {
    SelfSignedKeys keys = keystore("gateway");
    SelfSignedKeys clientKeys = keystore("client");
    String url = start(Map.of(GatewayTls.CERTIFICATE_PATH, keys.writeCertificatePem(dir.resolve("gateway.crt")).toString(),
        GatewayTls.KEY_PATH, keys.writeKeyPem(dir.resolve("gateway.key")).toString(),
        GatewayTls.CLIENT_AUTH, "need", GatewayTls.CLIENT_CA_PATH, clientKeys.writeCertificatePem(dir.resolve("client.crt")).toString()));

    assertThat(models(client(keys, clientKeys), url).statusCode()).isEqualTo(200);
    assertThatThrownBy(() -> models(client(keys, null), url)).isInstanceOf(IOException.class);
  }

  @Test
  void plainHttpBeyondLoopbackAndHalfAPemPairAreRefusedAtStart() {
    assertThatThrownBy(() -> GatewayConfig.parse(Map.of("bootstrap.servers", "k:9092", "schema.registry.url", "http://r:8081",
        GatewayConfig.HOST, "0.0.0.0"))).hasMessageContaining(GatewayConfig.ALLOW_PLAINTEXT);
    assertThatThrownBy(() -> GatewayConfig.parse(Map.of("bootstrap.servers", "k:9092", "schema.registry.url", "http://r:8081",
        GatewayTls.CERTIFICATE_PATH, "/x.crt"))).hasMessageContaining(GatewayTls.KEY_PATH);
  }
}
