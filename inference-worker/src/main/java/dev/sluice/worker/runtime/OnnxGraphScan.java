package dev.sluice.worker.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Looks into an ONNX file for operators that make a row's result depend on the rows batched
 * with it. {@code DynamicQuantizeLinear} (dynamically quantized models such as
 * all-minilm-l6-v2-q) picks one quantization scale from the minimum and maximum of the whole
 * input tensor, so a text's vector changes with its batch companions and their padding (measured
 * here: cosine down to 0.94 against the same text run alone). Operator names are stored verbatim
 * in the graph's nodes, so a byte search finds them without an ONNX parser.
 */
final class OnnxGraphScan {
  private static final byte[] DYNAMIC_QUANTIZE = "DynamicQuantizeLinear".getBytes(StandardCharsets.US_ASCII);
  private static final int CHUNK = 1 << 20;

  private OnnxGraphScan() {}

  /** Whether the model quantizes activations per batch. */
  static boolean quantizesPerBatch(Path onnxFile) throws IOException {
    return contains(onnxFile, DYNAMIC_QUANTIZE);
  }

  static boolean contains(Path file, byte[] pattern) throws IOException {
    byte[] buffer = new byte[CHUNK + pattern.length - 1];
    int carried = 0;
    try (InputStream in = Files.newInputStream(file)) {
      while (true) {
        int read = in.readNBytes(buffer, carried, CHUNK);
        int filled = carried + read;
        if (indexOf(buffer, filled, pattern) >= 0) {
          return true;
        }
        if (read < CHUNK) {
          return false;
        }
        carried = Math.min(pattern.length - 1, filled);
        System.arraycopy(buffer, filled - carried, buffer, 0, carried);
      }
    }
  }

  private static int indexOf(byte[] buffer, int length, byte[] pattern) {
    outer:
    for (int i = 0; i <= length - pattern.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (buffer[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
