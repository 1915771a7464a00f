package dev.sluice.worker.runtime;

import dev.sluice.worker.model.ModelLoadException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Downloads a model over http(s) into the scratch directory, under a folder named after the URI's
 * hash. The URL may name:
 *
 * <ul>
 *   <li>a {@code .zip} archive of the model directory (unpacked; a single top folder is entered);
 *   <li>the model file itself ({@code .../encoder.onnx}); a text model's {@code tokenizer.json} is
 *       then fetched from next to it;
 *   <li>anything else is taken as a base "directory": {@code <url>/model.onnx} and, for text
 *       models, {@code <url>/tokenizer.json} are fetched.
 * </ul>
 *
 * I/O errors, 429 and 5xx answers are retried with a doubling backoff; other answers fail at once.
 */
final class HttpArtifactFetcher {
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  private final Path downloadsDir;
  private final Duration timeout;
  private final int retries;
  private final HttpClient client;

  HttpArtifactFetcher(Path scratchDir, Duration timeout, int retries) {
    this.downloadsDir = scratchDir.resolve("downloads");
    this.timeout = timeout;
    this.retries = retries;
    Duration connect = timeout.compareTo(Duration.ofSeconds(30)) < 0 ? timeout : Duration.ofSeconds(30);
    this.client = HttpClient.newBuilder().connectTimeout(connect).followRedirects(HttpClient.Redirect.NORMAL).build();
  }

  /** Downloads the artifact; returns the local model directory or model file. */
  Path fetch(URI uri, ArtifactLayout layout) throws ModelLoadException {
    Path directory = downloadsDir.resolve(hash(uri));
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new ModelLoadException("Cannot create download directory " + directory + ": " + e.getMessage(), e);
    }
    List<Download> downloads = downloads(uri, layout, directory);
    for (Download download : downloads) {
      download(download.from(), download.to());
    }
    if (isArchive(uri)) {
      return unpack(uri, downloads.get(0).to(), directory.resolve("unpacked"));
    }
    return isModelFile(uri, layout) ? downloads.get(0).to() : directory;
  }

  /**
   * Checks, downloading nothing, that every file {@link #fetch} would download answers: a HEAD
   * request each (a ranged GET of one byte where HEAD is not allowed), redirects followed, no retry.
   */
  void probe(URI uri, ArtifactLayout layout) throws ModelLoadException {
    for (Download download : downloads(uri, layout, downloadsDir)) {
      HttpRequest.Builder head = HttpRequest.newBuilder(download.from()).timeout(timeout).method("HEAD", HttpRequest.BodyPublishers.noBody());
      int status = status(download.from(), head);
      if (status == 405 || status == 501) {
        status = status(download.from(), HttpRequest.newBuilder(download.from()).timeout(timeout).header("Range", "bytes=0-0").GET());
      }
      if (status >= 400) {
        throw new ModelLoadException("Model file " + download.from() + " is not there: HTTP " + status, null);
      }
    }
  }

  private int status(URI uri, HttpRequest.Builder request) throws ModelLoadException {
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      throw new ModelLoadException("Model file " + uri + " does not answer: " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModelLoadException("Interrupted while checking " + uri, e);
    }
  }

  /** One file to download and where it goes. */
  private record Download(URI from, Path to) {}

  /** What the artifact at {@code uri} comes to: a zip archive, a model file (and its tokenizer), or a directory's files. */
  private static List<Download> downloads(URI uri, ArtifactLayout layout, Path directory) throws ModelLoadException {
    String path = uri.getPath() == null ? "" : uri.getPath();
    List<Download> downloads = new ArrayList<>();
    if (isArchive(uri)) {
      downloads.add(new Download(uri, directory.resolve("artifact.zip")));
      return downloads;
    }
    URI base;
    if (isModelFile(uri, layout)) {
      downloads.add(new Download(uri, directory.resolve(path.substring(path.lastIndexOf('/') + 1))));
      base = uri;
    } else {
      base = asDirectory(uri);
      downloads.add(new Download(base.resolve(layout.modelFileName()), directory.resolve(layout.modelFileName())));
    }
    if (layout.needsTokenizer()) {
      downloads.add(new Download(base.resolve(ArtifactLayout.TOKENIZER_FILE), directory.resolve(ArtifactLayout.TOKENIZER_FILE)));
    }
    return downloads;
  }

  private static boolean isArchive(URI uri) {
    return uri.getPath() != null && uri.getPath().endsWith(".zip");
  }

  private static boolean isModelFile(URI uri, ArtifactLayout layout) {
    return uri.getPath() != null && uri.getPath().endsWith(layout.modelExtension());
  }

  private void download(URI uri, Path target) throws ModelLoadException {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
    Duration backoff = FIRST_BACKOFF;
    for (int attempt = 0; ; attempt++) {
      String failure;
      IOException cause = null;
      try {
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
          int status = response.statusCode();
          if (status == 200) {
            ScratchFiles.writeAtomically(target, partial -> Files.copy(body, partial, StandardCopyOption.REPLACE_EXISTING));
            return;
          }
          failure = "HTTP " + status;
          if (status != 429 && status < 500) {
            throw new ModelLoadException("Downloading model file " + uri + " failed: " + failure, null);
          }
        }
      } catch (IOException e) {
        failure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        cause = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ModelLoadException("Interrupted while downloading " + uri, e);
      }
      if (attempt >= retries) {
        throw new ModelLoadException("Downloading model file " + uri + " failed after " + (attempt + 1)
            + " attempts: " + failure, cause);
      }
      pause(backoff, uri);
      backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
    }
  }

  private static void pause(Duration backoff, URI uri) throws ModelLoadException {
    try {
      Thread.sleep(backoff.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModelLoadException("Interrupted while waiting to retry the download of " + uri, e);
    }
  }

  private static Path unpack(URI uri, Path archive, Path target) throws ModelLoadException {
    try {
      deleteTree(target);
      Files.createDirectories(target);
      try (ZipInputStream in = new ZipInputStream(Files.newInputStream(archive))) {
        for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
          Path file = target.resolve(entry.getName()).normalize();
          if (!file.startsWith(target)) {
            throw new ModelLoadException("Model archive " + uri + " has an entry outside its root: " + entry.getName(), null);
          }
          if (entry.isDirectory()) {
            Files.createDirectories(file);
          } else {
            Files.createDirectories(file.getParent());
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
      Files.delete(archive);
      try (Stream<Path> children = Files.list(target)) {
        List<Path> all = children.toList();
        return all.size() == 1 && Files.isDirectory(all.get(0)) ? all.get(0) : target;
      }
    } catch (IOException e) {
      throw new ModelLoadException("Cannot unpack model archive " + uri + ": " + e.getMessage(), e);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  private static URI asDirectory(URI uri) throws ModelLoadException {
    String path = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
    if (path.endsWith("/")) {
      return uri;
    }
    try {
      return new URI(uri.getScheme(), uri.getAuthority(), path + "/", uri.getQuery(), null);
    } catch (URISyntaxException e) {
      throw new ModelLoadException("Artifact URI " + uri + " cannot be used as a base URL: " + e.getMessage(), e);
    }
  }

  private static String hash(URI uri) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(uri.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}
