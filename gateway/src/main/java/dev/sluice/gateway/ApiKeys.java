package dev.sluice.gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The API keys the gateway accepts, each mapped to a tenant. Only SHA-256 hashes are kept (the
 * configuration holds {@code <key id>:<tenant>:sha256:<64 hex digits>}, made with
 * {@code sluice gateway hash-key}); a presented key is hashed and looked up, and the comparison is
 * constant-time. The key id names the key in the audit trail and the metrics; the key itself is
 * never logged or stored.
 */
public final class ApiKeys {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final String SCHEME = "sha256:";
  private static final HexFormat HEX = HexFormat.of();

  /** Who a valid key belongs to. */
  public record Caller(String keyId, String tenant) {}

  private final Map<String, Caller> byHash;

  private ApiKeys(Map<String, Caller> byHash) {
    this.byHash = Map.copyOf(byHash);
  }

  /** No keys. */
  public static ApiKeys none() {
    return new ApiKeys(Map.of());
  }

  /**
   * Reads key entries.
   *
   * @throws IllegalArgumentException naming the first malformed entry by position (never its content)
   */
  public static ApiKeys parse(List<String> entries) {
    Map<String, Caller> byHash = new LinkedHashMap<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      String[] parts = entries.get(i).strip().split(":", 3);
      if (parts.length != 3 || !NAME.matcher(parts[0]).matches() || !NAME.matcher(parts[1]).matches() || !parts[2].startsWith(SCHEME)) {
        throw new IllegalArgumentException("key entry " + (i + 1) + " is not <key id>:<tenant>:sha256:<64 hex digits>"
            + " (key ids and tenants: letters, digits, '.', '_', '-')");
      }
      String hex = parts[2].substring(SCHEME.length()).toLowerCase(java.util.Locale.ROOT);
      if (hex.length() != 64 || !hex.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        throw new IllegalArgumentException("key entry " + (i + 1) + " (" + parts[0] + ") has no 64-digit SHA-256 hash after sha256:"
            + " (make one with sluice gateway hash-key)");
      }
      if (ids.contains(parts[0])) {
        throw new IllegalArgumentException("key id " + parts[0] + " is given twice");
      }
      ids.add(parts[0]);
      byHash.put(hex, new Caller(parts[0], parts[1]));
    }
    return new ApiKeys(byHash);
  }

  /** The stored form of a key: {@code sha256:<hex>}. */
  public static String hash(String key) {
    return SCHEME + HEX.formatHex(sha256(key));
  }

  /** Whether any key is configured. */
  public boolean isEmpty() {
    return byHash.isEmpty();
  }

  /** The caller a presented key belongs to, or empty when it is no configured key. */
  public Optional<Caller> authenticate(String presented) {
    if (presented == null || presented.isEmpty()) {
      return Optional.empty();
    }
    byte[] digest = sha256(presented);
    Caller found = null;
    for (Map.Entry<String, Caller> entry : byHash.entrySet()) {
      if (MessageDigest.isEqual(digest, HEX.parseHex(entry.getKey()))) {
        found = entry.getValue();
      }
    }
    return Optional.ofNullable(found);
  }

  private static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
