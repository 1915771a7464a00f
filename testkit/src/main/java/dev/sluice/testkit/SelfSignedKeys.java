package dev.sluice.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed EC key pair for {@code localhost} and 127.0.0.1, made by the JDK's own keytool into
 * a PKCS#12 file, and the same key and certificate as PEM files (the certificate, and the key as
 * unencrypted PKCS#8), as TLS tests and mounted-Secret stand-ins need them.
 *
 * @param keystore the PKCS#12 file
 * @param alias the entry's alias
 * @param password the keystore's and the key's password
 */
public record SelfSignedKeys(Path keystore, String alias, String password) {
  private static final String PASSWORD = "changeit";

  /** Makes {@code <dir>/<alias>.p12}; valid for two days. */
  public static SelfSignedKeys create(Path dir, String alias) {
    Path file = dir.resolve(alias + ".p12");
    try {
      Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
          "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "san=dns:localhost,ip:127.0.0.1",
          "-validity", "2", "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
          .redirectErrorStream(true).start();
      String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!keytool.waitFor(60, TimeUnit.SECONDS)) {
        keytool.destroyForcibly();
        throw new IllegalStateException("keytool did not finish within 60 s");
      }
      if (keytool.exitValue() != 0) {
        throw new IllegalStateException("keytool failed: " + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return new SelfSignedKeys(file, alias, PASSWORD);
  }

  /** The keystore, loaded. */
  public KeyStore load() {
    try (InputStream in = Files.newInputStream(keystore)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password.toCharArray());
      return store;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes the certificate as PEM to {@code file}. */
  public Path writeCertificatePem(Path file) {
    try {
      return write(file, "CERTIFICATE", load().getCertificate(alias).getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes the private key as unencrypted PKCS#8 PEM to {@code file}. */
  public Path writeKeyPem(Path file) {
    try {
      return write(file, "PRIVATE KEY", load().getKey(alias, password.toCharArray()).getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path write(Path file, String type, byte[] der) {
    String pem = "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      return Files.writeString(file, pem);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
