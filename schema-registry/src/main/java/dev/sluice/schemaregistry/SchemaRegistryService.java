package dev.sluice.schemaregistry;

import dev.sluice.schemas.registry.CompatibilityLevel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The registry's operations, independent of HTTP: reads answer from the in-memory {@link
 * RegistryState}; each write is checked, appended to the {@link SchemaStore}, and applied to the
 * state only once the store acknowledged it. One lock serializes writes, which makes version and
 * global-id allocation safe within this registry instance (several instances writing one store are
 * not coordinated). Failures are {@link RegistryApiException}s carrying Confluent's error codes.
 */
final class SchemaRegistryService {

  private final SchemaStore store;
  private final RegistryState state = new RegistryState();
  private final ReentrantLock writeLock = new ReentrantLock();
  private int highestIdAttempted;

  private SchemaRegistryService(SchemaStore store) {
    this.store = store;
  }

  /** Rebuilds the state from everything {@code store} holds. */
  static SchemaRegistryService load(SchemaStore store) {
    SchemaRegistryService service = new SchemaRegistryService(store);
    store.replay(service.state::apply);
    return service;
  }

  List<String> subjects(boolean includeDeleted) {
    return state.subjects(includeDeleted);
  }

  /** Every live version of every subject, by subject then version. */
  List<SubjectVersion> liveVersions() {
    List<SubjectVersion> out = new ArrayList<>();
    state.subjects(false).forEach(subject -> out.addAll(state.versions(subject, false)));
    return out;
  }

  List<Integer> versions(String subject, boolean includeDeleted) {
    List<SubjectVersion> versions = state.versions(subject, includeDeleted);
    if (versions.isEmpty()) {
      throw RegistryApiException.subjectNotFound(subject);
    }
    return versions.stream().map(SubjectVersion::version).toList();
  }

  SubjectVersion version(String subject, VersionId id, boolean includeDeleted) {
    List<SubjectVersion> versions = state.versions(subject, includeDeleted);
    if (versions.isEmpty()) {
      throw RegistryApiException.subjectNotFound(subject);
    }
    if (id.isLatest()) {
      return versions.get(versions.size() - 1);
    }
    return versions.stream().filter(v -> v.version() == id.value()).findFirst()
        .orElseThrow(() -> RegistryApiException.versionNotFound(id.value()));
  }

  String schema(int id) {
    return state.schemaById(id).orElseThrow(() -> RegistryApiException.schemaNotFound(id));
  }

  /** The subject versions that registered schema {@code id}; 40403 when the id is unknown. */
  List<SubjectVersion> usages(int id, boolean includeDeleted) {
    schema(id);
    return state.versionsWithId(id).stream().filter(v -> includeDeleted || !v.deleted()).toList();
  }

  SubjectVersion lookup(String subject, String schemaText, boolean includeDeleted) {
    CanonicalSchema candidate = CanonicalSchema.parse(schemaText);
    List<SubjectVersion> versions = state.versions(subject, includeDeleted);
    if (versions.isEmpty()) {
      throw RegistryApiException.subjectNotFound(subject);
    }
    return latestMatching(versions, candidate.text()).orElseThrow(RegistryApiException::schemaNotFound);
  }

  /** Registers a schema under a subject, or finds it registered there already; returns its global id. */
  int register(String subject, String schemaText) {
    requireValidSubject(subject);
    CanonicalSchema candidate = CanonicalSchema.parse(schemaText);
    writeLock.lock();
    try {
      List<SubjectVersion> all = state.versions(subject, true);
      List<SubjectVersion> live = all.stream().filter(v -> !v.deleted()).toList();
      Optional<SubjectVersion> existing = latestMatching(live, candidate.text());
      if (existing.isPresent()) {
        return existing.get().id();
      }
      List<String> problems = new CompatibilityRule(state.effectiveLevel(subject)).againstSubject(candidate.schema(), live);
      if (!problems.isEmpty()) {
        throw RegistryApiException.incompatibleSchema(subject, problems.toString());
      }
      int version = all.isEmpty() ? 1 : all.get(all.size() - 1).version() + 1;
      int id = state.idOf(candidate.text()).orElseGet(this::allocateId);
      write(new SubjectVersion(subject, version, id, candidate.text(), false), "Register schema");
      return id;
    } finally {
      writeLock.unlock();
    }
  }

  /** Soft-deletes a subject's live versions, or permanently removes its soft-deleted ones; returns their numbers. */
  List<Integer> deleteSubject(String subject, boolean permanent) {
    writeLock.lock();
    try {
      List<SubjectVersion> all = state.versions(subject, true);
      if (all.isEmpty()) {
        throw RegistryApiException.subjectNotFound(subject);
      }
      List<SubjectVersion> live = all.stream().filter(v -> !v.deleted()).toList();
      if (!permanent) {
        if (live.isEmpty()) {
          throw RegistryApiException.subjectSoftDeleted(subject);
        }
        write(new StoreRecord.SubjectDeleted(subject, live.get(live.size() - 1).version()), "Delete subject");
        return live.stream().map(SubjectVersion::version).toList();
      }
      if (!live.isEmpty()) {
        throw RegistryApiException.subjectNotSoftDeleted(subject);
      }
      for (int i = all.size() - 1; i >= 0; i--) {
        write(new StoreRecord.VersionErased(subject, all.get(i).version()), "Delete subject");
      }
      clearSubjectLevelIfSet(subject);
      return all.stream().map(SubjectVersion::version).toList();
    } finally {
      writeLock.unlock();
    }
  }

  /** Soft-deletes one live version, or permanently removes a soft-deleted one; returns its number. */
  int deleteVersion(String subject, VersionId id, boolean permanent) {
    writeLock.lock();
    try {
      List<SubjectVersion> all = state.versions(subject, true);
      if (all.isEmpty()) {
        throw RegistryApiException.subjectNotFound(subject);
      }
      SubjectVersion target = versionToDelete(all, id, permanent);
      if (!permanent) {
        if (target.deleted()) {
          throw RegistryApiException.versionSoftDeleted(subject, target.version());
        }
        write(target.asDeleted(), "Delete Schema Version");
        return target.version();
      }
      if (!target.deleted()) {
        throw RegistryApiException.versionNotSoftDeleted(subject, target.version());
      }
      write(new StoreRecord.VersionErased(subject, target.version()), "Delete Schema Version");
      if (state.versions(subject, true).isEmpty()) {
        clearSubjectLevelIfSet(subject);
      }
      return target.version();
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Checks a schema against one live version of a subject ({@code latest}: the newest, or nothing
   * when the subject has none) under the subject's level.
   *
   * @return the incompatibilities; empty when compatible
   */
  List<String> checkAgainstVersion(String subject, VersionId id, String schemaText) {
    List<SubjectVersion> live = state.versions(subject, false);
    List<SubjectVersion> against;
    if (id.isLatest()) {
      against = live.isEmpty() ? List.of() : List.of(live.get(live.size() - 1));
    } else {
      if (state.versions(subject, true).isEmpty()) {
        throw RegistryApiException.subjectNotFound(subject);
      }
      against = List.of(live.stream().filter(v -> v.version() == id.value()).findFirst()
          .orElseThrow(() -> RegistryApiException.versionNotFound(id.value())));
    }
    CanonicalSchema candidate = CanonicalSchema.parse(schemaText);
    return new CompatibilityRule(state.effectiveLevel(subject)).against(candidate.schema(), against);
  }

  /** Checks a schema against a subject's live versions as registration would. */
  List<String> checkAgainstSubject(String subject, String schemaText) {
    CanonicalSchema candidate = CanonicalSchema.parse(schemaText);
    return new CompatibilityRule(state.effectiveLevel(subject)).againstSubject(candidate.schema(), state.versions(subject, false));
  }

  CompatibilityLevel globalLevel() {
    return state.globalLevel();
  }

  Optional<CompatibilityLevel> subjectLevel(String subject) {
    return state.subjectLevel(subject);
  }

  /** Sets the global level (empty subject) or a subject's level. */
  void setLevel(Optional<String> subject, CompatibilityLevel level) {
    subject.ifPresent(SchemaRegistryService::requireValidSubject);
    writeLock.lock();
    try {
      write(new StoreRecord.CompatibilitySet(subject, level), "Update compatibility level");
    } finally {
      writeLock.unlock();
    }
  }

  /** Resets the global level to BACKWARD; returns the level it had. */
  CompatibilityLevel clearGlobalLevel() {
    writeLock.lock();
    try {
      CompatibilityLevel previous = state.globalLevel();
      write(new StoreRecord.CompatibilityCleared(Optional.empty()), "Delete compatibility level");
      return previous;
    } finally {
      writeLock.unlock();
    }
  }

  /** Removes a subject's level; returns the level it had, or 40401 when it had none. */
  CompatibilityLevel clearSubjectLevel(String subject) {
    writeLock.lock();
    try {
      CompatibilityLevel previous = state.subjectLevel(subject).orElseThrow(() -> RegistryApiException.subjectNotFound(subject));
      write(new StoreRecord.CompatibilityCleared(Optional.of(subject)), "Delete compatibility level");
      return previous;
    } finally {
      writeLock.unlock();
    }
  }

  private void clearSubjectLevelIfSet(String subject) {
    if (state.subjectLevel(subject).isPresent()) {
      write(new StoreRecord.CompatibilityCleared(Optional.of(subject)), "Delete compatibility level");
    }
  }

  private static SubjectVersion versionToDelete(List<SubjectVersion> all, VersionId id, boolean permanent) {
    if (id.isLatest()) {
      List<SubjectVersion> candidates = permanent ? all : all.stream().filter(v -> !v.deleted()).toList();
      return candidates.isEmpty() ? all.get(all.size() - 1) : candidates.get(candidates.size() - 1);
    }
    return all.stream().filter(v -> v.version() == id.value()).findFirst()
        .orElseThrow(() -> RegistryApiException.versionNotFound(id.value()));
  }

  private static Optional<SubjectVersion> latestMatching(List<SubjectVersion> versions, String canonicalText) {
    List<SubjectVersion> newestFirst = new ArrayList<>(versions);
    Collections.reverse(newestFirst);
    return newestFirst.stream().filter(v -> v.schema().equals(canonicalText)).findFirst();
  }

  private static void requireValidSubject(String subject) {
    if (subject.isEmpty() || subject.chars().anyMatch(Character::isISOControl)) {
      throw RegistryApiException.invalidSubject(subject);
    }
  }

  /** Never hands out an id twice, even when a write carrying it failed and might land later. */
  private int allocateId() {
    highestIdAttempted = Math.max(highestIdAttempted, state.maxId()) + 1;
    return highestIdAttempted;
  }

  private void write(StoreRecord record, String operation) {
    try {
      store.append(record);
    } catch (SchemaStoreTimeoutException e) {
      throw RegistryApiException.operationTimeout(operation + " operation timed out", e);
    } catch (SchemaStoreException e) {
      throw RegistryApiException.storeError(operation + " operation failed while writing to the Kafka store", e);
    }
    state.apply(record);
  }
}
