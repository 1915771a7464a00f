package dev.sluice.worker.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ONNX Runtime copies its native libraries into a fresh {@code onnxruntime-java*} folder under
 * {@code java.io.tmpdir} on every start and marks them for deletion at exit in an order that
 * leaves the empty folder behind, one per start. This removes this process's folder right after
 * the libraries are loaded: on Linux a loaded library stays mapped after its file is unlinked.
 * The folder is found through {@code /proc/self/maps}, so folders of other processes sharing the
 * temp directory are never touched; where that file does not exist nothing is removed.
 */
final class OrtNativeTempDirs {
  private static final Logger LOG = LoggerFactory.getLogger(OrtNativeTempDirs.class);
  private static final Path MAPS = Path.of("/proc/self/maps");
  private static final String PREFIX = "onnxruntime-java";

  private OrtNativeTempDirs() {}

  /** Removes the folders this process's ONNX Runtime libraries were loaded from; returns them. */
  static List<Path> removeLoadedFrom(Path tempDir) {
    Set<Path> folders = new LinkedHashSet<>();
    try {
      if (!Files.isReadable(MAPS)) {
        return List.of();
      }
      Path root = tempDir.toAbsolutePath().normalize();
      for (String line : Files.readAllLines(MAPS)) {
        int slash = line.indexOf('/');
        if (slash < 0) {
          continue;
        }
        Path mapped = Path.of(line.substring(slash).replace(" (deleted)", "")).normalize();
        Path folder = mapped.getParent();
        if (folder != null && root.equals(folder.getParent()) && folder.getFileName().toString().startsWith(PREFIX)) {
          folders.add(folder);
        }
      }
      for (Path folder : folders) {
        deleteFolder(folder);
      }
    } catch (IOException e) {
      LOG.warn("Could not remove ONNX Runtime's native library copies from {}: {}", tempDir, e.toString());
    }
    return List.copyOf(folders);
  }

  private static void deleteFolder(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return;
    }
    try (var files = Files.list(folder)) {
      for (Path file : files.toList()) {
        Files.deleteIfExists(file);
      }
    }
    Files.deleteIfExists(folder);
  }
}
