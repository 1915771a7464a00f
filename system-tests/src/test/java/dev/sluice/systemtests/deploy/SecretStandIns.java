package dev.sluice.systemtests.deploy;

import dev.sluice.gateway.ApiKeys;
import dev.sluice.testkit.SelfSignedKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Files that stand in for the keys of the Secrets the manifests mount, so that a component whose
 * settings name such a file (the gateway's certificate, key and API keys) can parse them as in its
 * pod: each made once per test JVM in a temporary directory, of the kind a real Secret of that key
 * holds. A key the test does not know fails the test rather than passing unread.
 */
final class SecretStandIns {
  /** The API key whose hash the stand-in {@code api-keys} file holds, for tests that call with it. */
  static final String API_KEY = "deploy-test-key";
  static final String API_KEY_TENANT = "deploy-test";

  private static final Map<String, Path> FILES = new ConcurrentHashMap<>();
  private static Path dir;
  private static SelfSignedKeys keys;

  private SecretStandIns() {}

  /** A file standing in for key {@code key} of Secret {@code secret}. */
  static synchronized Path file(String secret, String key) {
    return FILES.computeIfAbsent(secret + "/" + key, name -> {
      Path file = directory().resolve(secret).resolve(key);
      switch (key) {
        case "tls.crt", "ca.crt" -> keys().writeCertificatePem(file);
        case "tls.key" -> keys().writeKeyPem(file);
        case "api-keys" -> write(file, "deploy-test:" + API_KEY_TENANT + ":" + ApiKeys.hash(API_KEY) + "\n");
        default -> throw new AssertionError("the test has no stand-in for key " + key + " of Secret " + secret);
      }
      return file;
    });
  }

  private static Path directory() {
    if (dir == null) {
      try {
        dir = Files.createTempDirectory("sluice-secret-stand-ins");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      dir.toFile().deleteOnExit();
    }
    return dir;
  }

  private static SelfSignedKeys keys() {
    if (keys == null) {
      keys = SelfSignedKeys.create(directory(), "stand-in");
    }
    return keys;
  }

  private static Path write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      return Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
