package dev.sluice.topology.ingress;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The value of one model in the registry's global store ({@link IngressStores#MODELS}): each
 * deployed version's registry key ({@code model/version}) and the deployment's Avro bytes as they
 * are on {@code <prefix>.models}, in key order. Encoded as a format byte (1), the entry count,
 * then per entry the key's UTF-8 length and bytes and the value's length and bytes, every number
 * a big-endian int. Private to the ingress's in-memory store, which is rebuilt from the topic on
 * every start, so the format never has to be read by another version.
 */
final class ModelVersions {
  private static final byte FORMAT = 1;

  private ModelVersions() {}

  /** The bytes of a model's versions, keyed by registry key. */
  static byte[] encode(SortedMap<String, byte[]> versions) {
    List<byte[]> keys = new ArrayList<>(versions.size());
    int size = 1 + Integer.BYTES;
    for (Map.Entry<String, byte[]> version : versions.entrySet()) {
      byte[] key = version.getKey().getBytes(StandardCharsets.UTF_8);
      keys.add(key);
      size += 2 * Integer.BYTES + key.length + version.getValue().length;
    }
    ByteBuffer buffer = ByteBuffer.allocate(size).put(FORMAT).putInt(versions.size());
    int i = 0;
    for (byte[] value : versions.values()) {
      byte[] key = keys.get(i++);
      buffer.putInt(key.length).put(key).putInt(value.length).put(value);
    }
    return buffer.array();
  }

  /** A model's versions from their bytes, by registry key in key order; empty for null. */
  static TreeMap<String, byte[]> decode(byte[] encoded) {
    TreeMap<String, byte[]> versions = new TreeMap<>();
    if (encoded == null) {
      return versions;
    }
    ByteBuffer buffer = ByteBuffer.wrap(encoded);
    byte format = buffer.get();
    if (format != FORMAT) {
      throw new IllegalStateException("Store " + IngressStores.MODELS + " holds a value of format " + format + ", expected " + FORMAT);
    }
    int count = buffer.getInt();
    for (int i = 0; i < count; i++) {
      byte[] key = new byte[buffer.getInt()];
      buffer.get(key);
      byte[] value = new byte[buffer.getInt()];
      buffer.get(value);
      versions.put(new String(key, StandardCharsets.UTF_8), value);
    }
    return versions;
  }
}
