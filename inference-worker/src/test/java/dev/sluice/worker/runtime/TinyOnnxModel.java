package dev.sluice.worker.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a tiny ONNX model by hand (protobuf wire format, no ONNX library needed):
 * {@code y = x * 2 + [1, 2, 3]} over an input {@code x} of shape {@code [batch, 3]}, with a
 * second output {@code x_copy = x} so that "the first output" is observable.
 */
final class TinyOnnxModel {
  static final float[] BIAS = {1f, 2f, 3f};

  private TinyOnnxModel() {}

  /** Writes the model to {@code directory/model.onnx} and returns that file. */
  static Path writeTo(Path directory) throws IOException {
    Files.createDirectories(directory);
    Path file = directory.resolve("model.onnx");
    Files.write(file, model());
    return file;
  }

  static byte[] model() {
    Proto graph = new Proto()
        .message(1, node("Mul", "x", "two", "scaled"))
        .message(1, node("Add", "scaled", "bias", "y"))
        .message(1, node("Identity", "x", null, "x_copy"))
        .string(2, "tiny")
        .message(5, floatTensor("two", new long[0], new float[] {2f}))
        .message(5, floatTensor("bias", new long[] {3}, BIAS))
        .message(11, valueInfo("x"))
        .message(12, valueInfo("y"))
        .message(12, valueInfo("x_copy"));
    return new Proto()
        .varint(1, 8)
        .string(2, "sluice-test")
        .message(7, graph)
        .message(8, new Proto().string(1, "").varint(2, 13))
        .bytes();
  }

  private static Proto node(String op, String first, String second, String output) {
    Proto node = new Proto().string(1, first);
    if (second != null) {
      node.string(1, second);
    }
    return node.string(2, output).string(3, op + "_" + output).string(4, op);
  }

  private static Proto floatTensor(String name, long[] dims, float[] values) {
    Proto tensor = new Proto();
    for (long dim : dims) {
      tensor.varint(1, dim);
    }
    ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float value : values) {
      raw.putFloat(value);
    }
    return tensor.varint(2, 1).string(8, name).raw(9, raw.array());
  }

  /** A float tensor of shape [batch, 3]. */
  private static Proto valueInfo(String name) {
    Proto shape = new Proto()
        .message(1, new Proto().string(2, "batch"))
        .message(1, new Proto().varint(1, 3));
    Proto tensorType = new Proto().varint(1, 1).message(2, shape);
    return new Proto().string(1, name).message(2, new Proto().message(1, tensorType));
  }

  /** A protobuf message under construction. */
  private static final class Proto {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Proto varint(int field, long value) {
      tag(field, 0);
      writeVarint(value);
      return this;
    }

    Proto string(int field, String value) {
      return raw(field, value.getBytes(StandardCharsets.UTF_8));
    }

    Proto message(int field, Proto message) {
      return raw(field, message.bytes());
    }

    Proto raw(int field, byte[] value) {
      tag(field, 2);
      writeVarint(value.length);
      out.writeBytes(value);
      return this;
    }

    byte[] bytes() {
      return out.toByteArray();
    }

    private void tag(int field, int wireType) {
      writeVarint(((long) field << 3) | wireType);
    }

    private void writeVarint(long value) {
      long rest = value;
      while ((rest & ~0x7FL) != 0) {
        out.write((int) ((rest & 0x7F) | 0x80));
        rest >>>= 7;
      }
      out.write((int) rest);
    }
  }
}
