package dev.sluice.worker.runtime;

import dev.sluice.worker.model.ModelLoadException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Turns a deployment's artifact URI into model files on local disk (DJL and ONNX Runtime need
 * files). Accepted forms:
 *
 * <ul>
 *   <li>a local directory holding the model file and, for text tasks, {@code tokenizer.json}; or a
 *       local model file with {@code tokenizer.json} next to it. Plain paths or {@code file:/...}.
 *   <li>{@code classpath:models/all-minilm-l6-v2}: a resource directory holding those files; they
 *       are copied into the scratch directory.
 *   <li>{@code http(s)://}: downloaded into the scratch directory, see {@link HttpArtifactFetcher}.
 * </ul>
 */
final class ModelArtifacts {
  private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]+):.*");
  private static final String CLASSPATH = "classpath:";

  private final Path scratchDir;
  private final HttpArtifactFetcher fetcher;

  ModelArtifacts(Path scratchDir, HttpArtifactFetcher fetcher) {
    this.scratchDir = scratchDir;
    this.fetcher = fetcher;
  }

  /** Resolves the URI to files laid out as the engine and task need them. */
  ModelFiles resolve(String uri, ArtifactLayout layout) throws ModelLoadException {
    String trimmed = trimmed(uri);
    return switch (scheme(trimmed, uri)) {
      case "" -> local(trimmed, toPath(trimmed, uri), layout);
      case "classpath" -> local(uri, copyFromClasspath(trimmed.substring(CLASSPATH.length()), layout), layout);
      case "file" -> local(uri, fileUriPath(trimmed), layout);
      default -> local(uri, fetcher.fetch(httpUri(trimmed), layout), layout);
    };
  }

  /**
   * Checks what can be checked without copying or downloading anything: a local artifact as
   * {@link #resolve} would (it exists, holds the model file and, for text tasks, the tokenizer), a
   * classpath artifact's resources on this process's classpath, an http(s) artifact's files
   * answering.
   */
  void check(String uri, ArtifactLayout layout) throws ModelLoadException {
    String trimmed = trimmed(uri);
    switch (scheme(trimmed, uri)) {
      case "" -> local(trimmed, toPath(trimmed, uri), layout);
      case "classpath" -> classpathResources(trimmed.substring(CLASSPATH.length()), layout);
      case "file" -> local(uri, fileUriPath(trimmed), layout);
      default -> fetcher.probe(httpUri(trimmed), layout);
    }
  }

  private static String trimmed(String uri) throws ModelLoadException {
    String trimmed = uri == null ? "" : uri.trim();
    if (trimmed.isEmpty()) {
      throw new ModelLoadException("The deployment has an empty artifact_uri", null);
    }
    return trimmed;
  }

  /** The URI's scheme in lower case ({@code classpath}, {@code file}, {@code http}, {@code https}), empty for a plain path. */
  private static String scheme(String trimmed, String uri) throws ModelLoadException {
    var scheme = SCHEME.matcher(trimmed);
    if (!scheme.matches()) {
      return "";
    }
    String name = scheme.group(1).toLowerCase(Locale.ROOT);
    if (!List.of("classpath", "file", "http", "https").contains(name)) {
      throw new ModelLoadException("Unsupported scheme '" + name + "' in artifact URI " + uri
          + ": use a local path, file:, classpath: or http(s):", null);
    }
    return name;
  }

  private static ModelFiles local(String uri, Path path, ArtifactLayout layout) throws ModelLoadException {
    if (!Files.exists(path)) {
      throw new ModelLoadException("Model artifact " + uri + " not found: " + path.toAbsolutePath() + " does not exist", null);
    }
    Path directory = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
    Path modelFile = Files.isDirectory(path) ? findModelFile(uri, path, layout) : path;
    if (!modelFile.getFileName().toString().endsWith(layout.modelExtension())) {
      throw new ModelLoadException("Model artifact " + uri + " is not a " + layout.modelExtension() + " file", null);
    }
    Path tokenizer = directory.resolve(ArtifactLayout.TOKENIZER_FILE);
    if (layout.needsTokenizer() && !Files.isRegularFile(tokenizer)) {
      throw new ModelLoadException("Model artifact " + uri + " has no " + ArtifactLayout.TOKENIZER_FILE + " in "
          + directory.toAbsolutePath() + ": a text model needs its HuggingFace tokenizer next to the model file", null);
    }
    return new ModelFiles(directory, modelFile, Files.isRegularFile(tokenizer) ? Optional.of(tokenizer) : Optional.empty());
  }

  private static Path findModelFile(String uri, Path directory, ArtifactLayout layout) throws ModelLoadException {
    Path conventional = directory.resolve(layout.modelFileName());
    if (Files.isRegularFile(conventional)) {
      return conventional;
    }
    List<Path> candidates;
    try (Stream<Path> files = Files.list(directory)) {
      candidates = files.filter(f -> f.getFileName().toString().endsWith(layout.modelExtension())).sorted().toList();
    } catch (IOException e) {
      throw new ModelLoadException("Cannot list model directory " + directory.toAbsolutePath() + ": " + e.getMessage(), e);
    }
    if (candidates.size() == 1) {
      return candidates.get(0);
    }
    throw new ModelLoadException("Model artifact " + uri + " has no " + layout.modelFileName() + " in "
        + directory.toAbsolutePath() + (candidates.isEmpty() ? "" : " and more than one " + layout.modelExtension()
        + " file to choose from: " + candidates.stream().map(p -> p.getFileName().toString()).toList()), null);
  }

  private static Path toPath(String text, String uri) throws ModelLoadException {
    try {
      return Path.of(text);
    } catch (InvalidPathException e) {
      throw new ModelLoadException("Artifact URI " + uri + " is not a valid path: " + e.getMessage(), e);
    }
  }

  private static URI httpUri(String uri) throws ModelLoadException {
    try {
      URI parsed = new URI(uri);
      if (parsed.getHost() == null) {
        throw new ModelLoadException("Artifact URI " + uri + " has no host", null);
      }
      return parsed;
    } catch (URISyntaxException e) {
      throw new ModelLoadException("Artifact URI " + uri + " is not a valid URL: " + e.getMessage(), e);
    }
  }

  private static Path fileUriPath(String uri) throws ModelLoadException {
    try {
      return Path.of(URI.create(uri));
    } catch (IllegalArgumentException e) {
      throw new ModelLoadException("Artifact URI " + uri + " is not a valid file URI (use file:/absolute/path): "
          + e.getMessage(), e);
    }
  }

  /** The resources of a classpath artifact. */
  private record ClasspathArtifact(String directory, String modelResource, boolean isFile, Optional<String> tokenizerResource) {}

  /** Finds a classpath artifact's resources: the model file's must exist, and the tokenizer's where the layout needs one. */
  private static ClasspathArtifact classpathResources(String resource, ArtifactLayout layout) throws ModelLoadException {
    String base = stripSlashes(resource);
    if (base.isEmpty() || base.contains("..")) {
      throw new ModelLoadException("Artifact URI classpath:" + resource + " does not name a resource directory", null);
    }
    ClassLoader loader = ModelArtifacts.class.getClassLoader();
    boolean isFile = base.endsWith(layout.modelExtension());
    String directory = isFile ? (base.contains("/") ? base.substring(0, base.lastIndexOf('/')) : "") : base;
    String modelResource = isFile ? base : base + "/" + layout.modelFileName();
    if (loader.getResource(modelResource) == null) {
      throw new ModelLoadException("Model artifact classpath:" + resource + " not found: no resource " + modelResource
          + " on the classpath", null);
    }
    String tokenizerResource = (directory.isEmpty() ? "" : directory + "/") + ArtifactLayout.TOKENIZER_FILE;
    boolean hasTokenizer = loader.getResource(tokenizerResource) != null;
    if (layout.needsTokenizer() && !hasTokenizer) {
      throw new ModelLoadException("Model artifact classpath:" + resource + " has no resource " + tokenizerResource
          + ": a text model needs its HuggingFace tokenizer next to the model file", null);
    }
    return new ClasspathArtifact(directory, modelResource, isFile, hasTokenizer ? Optional.of(tokenizerResource) : Optional.empty());
  }

  private Path copyFromClasspath(String resource, ArtifactLayout layout) throws ModelLoadException {
    ClasspathArtifact artifact = classpathResources(resource, layout);
    ClassLoader loader = ModelArtifacts.class.getClassLoader();
    Path target = scratchDir.resolve("classpath").resolve(artifact.directory().isEmpty() ? "root" : artifact.directory());
    Path modelFile = copyResource(loader, artifact.modelResource(), target);
    if (artifact.tokenizerResource().isPresent()) {
      copyResource(loader, artifact.tokenizerResource().get(), target);
    }
    return artifact.isFile() ? modelFile : target;
  }

  private static Path copyResource(ClassLoader loader, String resource, Path directory) throws ModelLoadException {
    String fileName = resource.substring(resource.lastIndexOf('/') + 1);
    Path target = directory.resolve(fileName);
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new ModelLoadException("Resource " + resource + " vanished from the classpath", null);
      }
      Files.createDirectories(directory);
      ScratchFiles.writeAtomically(target, partial -> Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING));
      return target;
    } catch (IOException e) {
      throw new ModelLoadException("Cannot copy classpath resource " + resource + " to " + target + ": " + e.getMessage(), e);
    }
  }

  private static String stripSlashes(String text) {
    String result = text.trim();
    while (result.startsWith("/")) {
      result = result.substring(1);
    }
    while (result.endsWith("/")) {
      result = result.substring(0, result.length() - 1);
    }
    return result;
  }
}
