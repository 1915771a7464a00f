package dev.sluice.gateway;

import dev.sluice.schemas.config.ConfigReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The gateway's HTTPS: its certificate and key from a PKCS#12 keystore
 * ({@value #KEYSTORE_PATH}, {@value #KEYSTORE_PASSWORD}) or from PEM files ({@value #CERTIFICATE_PATH}:
 * the chain, leaf first; {@value #KEY_PATH}: an unencrypted PKCS#8 key), and optionally client
 * certificates ({@value #CLIENT_AUTH} {@code want} or {@code need}, trusted when signed by a CA of
 * {@value #CLIENT_CA_PATH}). Secrets come from the environment ({@code SLUICE_GATEWAY_TLS_KEYSTORE_PASSWORD})
 * or mounted files, never the command line.
 *
 * @param keyStore the server's key and chain
 * @param password the keystore's password
 * @param clientAuth none, want or need
 * @param clientCas the CAs client certificates must chain to, or null
 */
public record GatewayTls(KeyStore keyStore, String password, String clientAuth, KeyStore clientCas) {
  public static final String KEYSTORE_PATH = "gateway.tls.keystore.path";
  public static final String KEYSTORE_PASSWORD = "gateway.tls.keystore.password";
  public static final String CERTIFICATE_PATH = "gateway.tls.certificate.path";
  public static final String KEY_PATH = "gateway.tls.key.path";
  public static final String CLIENT_AUTH = "gateway.tls.client.auth";
  public static final String CLIENT_CA_PATH = "gateway.tls.client.ca.path";
  private static final String ALIAS = "gateway";

  /** The TLS settings, or null when none are given; problems are reported to the reader. */
  static GatewayTls read(ConfigReader reader) {
    String keystore = reader.string(KEYSTORE_PATH).orElse(null);
    String certificate = reader.string(CERTIFICATE_PATH).orElse(null);
    String key = reader.string(KEY_PATH).orElse(null);
    String clientAuth = reader.string(CLIENT_AUTH).orElse("none").toLowerCase(Locale.ROOT);
    if (!List.of("none", "want", "need").contains(clientAuth)) {
      reader.invalid(CLIENT_AUTH, clientAuth, "must be none, want or need");
    }
    if (keystore == null && certificate == null && key == null) {
      if (!clientAuth.equals("none")) {
        reader.invalid(CLIENT_AUTH, clientAuth, "needs TLS: set " + KEYSTORE_PATH + " or " + CERTIFICATE_PATH + " and " + KEY_PATH);
      }
      return null;
    }
    String password = reader.string(KEYSTORE_PASSWORD).orElse("");
    KeyStore store = null;
    try {
      if (keystore != null) {
        if (certificate != null || key != null) {
          reader.invalid(KEYSTORE_PATH, keystore, "is given with " + CERTIFICATE_PATH + "/" + KEY_PATH + ": use one or the other");
        }
        store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(Path.of(keystore))) {
          store.load(in, password.toCharArray());
        }
      } else if (certificate == null || key == null) {
        reader.invalid(certificate == null ? CERTIFICATE_PATH : KEY_PATH, "(missing)", "PEM TLS needs both " + CERTIFICATE_PATH + " and " + KEY_PATH);
      } else {
        store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        password = "";
        store.setKeyEntry(ALIAS, privateKey(Path.of(key)), password.toCharArray(), certificates(Path.of(certificate)).toArray(Certificate[]::new));
      }
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      reader.invalid(keystore != null ? KEYSTORE_PATH : CERTIFICATE_PATH, keystore != null ? keystore : certificate,
          "cannot be read as a key and certificate: " + e.getMessage());
      store = null;
    }
    KeyStore cas = null;
    String caPath = reader.string(CLIENT_CA_PATH).orElse(null);
    if (!clientAuth.equals("none")) {
      if (caPath == null) {
        reader.invalid(CLIENT_AUTH, clientAuth, "needs " + CLIENT_CA_PATH + ": the CAs client certificates must chain to");
      } else {
        try {
          cas = KeyStore.getInstance("PKCS12");
          cas.load(null, null);
          int i = 0;
          for (Certificate ca : certificates(Path.of(caPath))) {
            cas.setCertificateEntry("ca-" + i++, ca);
          }
        } catch (IOException | GeneralSecurityException e) {
          reader.invalid(CLIENT_CA_PATH, caPath, "cannot be read as PEM certificates: " + e.getMessage());
        }
      }
    }
    return store == null ? null : new GatewayTls(store, password, clientAuth, cas);
  }

  /** Jetty's server-side TLS for these settings. */
  SslContextFactory.Server contextFactory() {
    SslContextFactory.Server factory = new SslContextFactory.Server();
    factory.setKeyStore(keyStore);
    factory.setKeyStorePassword(password);
    factory.setCertAlias(null);
    if (clientCas != null) {
      factory.setTrustStore(clientCas);
    }
    factory.setWantClientAuth(clientAuth.equals("want"));
    factory.setNeedClientAuth(clientAuth.equals("need"));
    return factory;
  }

  private static List<Certificate> certificates(Path pem) throws IOException, GeneralSecurityException {
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    List<Certificate> chain = new ArrayList<>(factory.generateCertificates(new ByteArrayInputStream(Files.readAllBytes(pem))));
    if (chain.isEmpty()) {
      throw new GeneralSecurityException(pem + " holds no certificate");
    }
    return chain;
  }

  private static PrivateKey privateKey(Path pem) throws IOException, GeneralSecurityException {
    String text = Files.readString(pem, StandardCharsets.US_ASCII);
    if (text.contains("BEGIN RSA PRIVATE KEY") || text.contains("BEGIN EC PRIVATE KEY") || text.contains("ENCRYPTED")) {
      throw new GeneralSecurityException(pem + " is not an unencrypted PKCS#8 key (convert it: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8)");
    }
    int begin = text.indexOf("-----BEGIN PRIVATE KEY-----");
    int end = text.indexOf("-----END PRIVATE KEY-----");
    if (begin < 0 || end < begin) {
      throw new GeneralSecurityException(pem + " holds no -----BEGIN PRIVATE KEY----- block");
    }
    byte[] der = Base64.getMimeDecoder().decode(text.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end));
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    GeneralSecurityException last = null;
    for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        last = e;
      }
    }
    throw new GeneralSecurityException(pem + " holds a key of an algorithm other than RSA, EC or Ed25519", last);
  }
}
