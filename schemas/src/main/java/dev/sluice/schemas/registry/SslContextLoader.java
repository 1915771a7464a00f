package dev.sluice.schemas.registry;

import static dev.sluice.schemas.registry.SchemaRegistryClientConfig.SSL_KEYSTORE_LOCATION;
import static dev.sluice.schemas.registry.SchemaRegistryClientConfig.SSL_KEYSTORE_PASSWORD;
import static dev.sluice.schemas.registry.SchemaRegistryClientConfig.SSL_KEYSTORE_TYPE;
import static dev.sluice.schemas.registry.SchemaRegistryClientConfig.SSL_KEY_PASSWORD;
import static dev.sluice.schemas.registry.SchemaRegistryClientConfig.SSL_TRUSTSTORE_LOCATION;
import static dev.sluice.schemas.registry.SchemaRegistryClientConfig.SSL_TRUSTSTORE_PASSWORD;
import static dev.sluice.schemas.registry.SchemaRegistryClientConfig.SSL_TRUSTSTORE_TYPE;

import dev.sluice.schemas.config.ConfigReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds an {@link SSLContext} from Confluent's {@code schema.registry.ssl.truststore.*} and
 * {@code schema.registry.ssl.keystore.*} keys (JKS or PKCS12 files), recording unreadable stores
 * as configuration problems.
 */
final class SslContextLoader {
  private SslContextLoader() {}

  static Optional<SSLContext> load(ConfigReader reader) {
    TrustManager[] trust = null;
    KeyManager[] keys = null;
    Optional<String> truststore = reader.string(SSL_TRUSTSTORE_LOCATION);
    if (truststore.isPresent()) {
      KeyStore store = store(reader, SSL_TRUSTSTORE_LOCATION, truststore.get(), SSL_TRUSTSTORE_TYPE, reader.string(SSL_TRUSTSTORE_PASSWORD).orElse(null));
      if (store == null) {
        return Optional.empty();
      }
      try {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        trust = factory.getTrustManagers();
      } catch (GeneralSecurityException e) {
        reader.invalid(SSL_TRUSTSTORE_LOCATION, truststore.get(), "cannot build trust managers: " + e.getMessage());
        return Optional.empty();
      }
    }
    Optional<String> keystore = reader.string(SSL_KEYSTORE_LOCATION);
    if (keystore.isPresent()) {
      String storePassword = reader.string(SSL_KEYSTORE_PASSWORD).orElse(null);
      KeyStore store = store(reader, SSL_KEYSTORE_LOCATION, keystore.get(), SSL_KEYSTORE_TYPE, storePassword);
      if (store == null) {
        return Optional.empty();
      }
      String keyPassword = reader.string(SSL_KEY_PASSWORD).orElse(storePassword);
      try {
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, keyPassword == null ? new char[0] : keyPassword.toCharArray());
        keys = factory.getKeyManagers();
      } catch (GeneralSecurityException e) {
        reader.invalid(SSL_KEYSTORE_LOCATION, keystore.get(), "cannot read the private key: " + e.getMessage());
        return Optional.empty();
      }
    }
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys, trust, null);
      return Optional.of(context);
    } catch (GeneralSecurityException e) {
      reader.invalid(truststore.isPresent() ? SSL_TRUSTSTORE_LOCATION : SSL_KEYSTORE_LOCATION, truststore.orElse(keystore.orElse(null)), "cannot build a TLS context: " + e.getMessage());
      return Optional.empty();
    }
  }

  private static KeyStore store(ConfigReader reader, String locationKey, String location, String typeKey, String password) {
    String type = reader.string(typeKey).orElse("JKS");
    try (InputStream in = Files.newInputStream(Path.of(location))) {
      KeyStore store = KeyStore.getInstance(type);
      store.load(in, password == null ? null : password.toCharArray());
      return store;
    } catch (IOException | GeneralSecurityException e) {
      reader.invalid(locationKey, location, "cannot load " + type + " store: " + e);
      return null;
    }
  }
}
