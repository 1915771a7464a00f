package dev.sluice.schemaregistry;

import dev.sluice.schemas.registry.CompatibilityLevel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The registry's in-memory view, built by applying {@link StoreRecord}s in log order. Thread-safe:
 * every method holds this object's monitor, so readers see each record applied entirely or not at
 * all.
 */
final class RegistryState {

  static final CompatibilityLevel DEFAULT_LEVEL = CompatibilityLevel.BACKWARD;

  private final Map<String, NavigableMap<Integer, SubjectVersion>> subjects = new TreeMap<>();
  private final Map<Integer, String> schemasById = new HashMap<>();
  private final Map<String, Integer> idsBySchema = new HashMap<>();
  private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
  private CompatibilityLevel globalLevel = DEFAULT_LEVEL;
  private int maxId;

  synchronized void apply(StoreRecord record) {
    if (record instanceof SubjectVersion version) {
      subjects.computeIfAbsent(version.subject(), s -> new TreeMap<>()).put(version.version(), version);
      schemasById.putIfAbsent(version.id(), version.schema());
      idsBySchema.putIfAbsent(version.schema(), version.id());
      maxId = Math.max(maxId, version.id());
    } else if (record instanceof StoreRecord.VersionErased erased) {
      erase(erased.subject(), erased.version());
    } else if (record instanceof StoreRecord.SubjectDeleted deleted) {
      NavigableMap<Integer, SubjectVersion> versions = subjects.get(deleted.subject());
      if (versions != null) {
        versions.headMap(deleted.version(), true).replaceAll((v, sv) -> sv.asDeleted());
      }
    } else if (record instanceof StoreRecord.CompatibilitySet set) {
      set.subject().ifPresentOrElse(s -> subjectLevels.put(s, set.level()), () -> globalLevel = set.level());
    } else if (record instanceof StoreRecord.CompatibilityCleared cleared) {
      cleared.subject().ifPresentOrElse(subjectLevels::remove, () -> globalLevel = DEFAULT_LEVEL);
    }
  }

  /** Subject names, sorted; with {@code includeDeleted} also those whose versions are all soft-deleted. */
  synchronized List<String> subjects(boolean includeDeleted) {
    List<String> out = new ArrayList<>();
    subjects.forEach((name, versions) -> {
      if (includeDeleted || versions.values().stream().anyMatch(v -> !v.deleted())) {
        out.add(name);
      }
    });
    return out;
  }

  /** A subject's versions, oldest first, optionally with the soft-deleted ones; empty if none. */
  synchronized List<SubjectVersion> versions(String subject, boolean includeDeleted) {
    NavigableMap<Integer, SubjectVersion> versions = subjects.getOrDefault(subject, new TreeMap<>());
    return versions.values().stream().filter(v -> includeDeleted || !v.deleted()).toList();
  }

  synchronized Optional<String> schemaById(int id) {
    return Optional.ofNullable(schemasById.get(id));
  }

  synchronized Optional<Integer> idOf(String canonicalSchema) {
    return Optional.ofNullable(idsBySchema.get(canonicalSchema));
  }

  /** Every version, in every subject, that registered schema {@code id}, including soft-deleted ones. */
  synchronized List<SubjectVersion> versionsWithId(int id) {
    List<SubjectVersion> out = new ArrayList<>();
    subjects.values().forEach(versions -> versions.values().stream().filter(v -> v.id() == id).forEach(out::add));
    return out;
  }

  synchronized int maxId() {
    return maxId;
  }

  synchronized CompatibilityLevel globalLevel() {
    return globalLevel;
  }

  synchronized Optional<CompatibilityLevel> subjectLevel(String subject) {
    return Optional.ofNullable(subjectLevels.get(subject));
  }

  /** The level that governs registrations under {@code subject}. */
  synchronized CompatibilityLevel effectiveLevel(String subject) {
    return subjectLevels.getOrDefault(subject, globalLevel);
  }

  private void erase(String subject, int version) {
    NavigableMap<Integer, SubjectVersion> versions = subjects.get(subject);
    if (versions == null) {
      return;
    }
    SubjectVersion removed = versions.remove(version);
    if (versions.isEmpty()) {
      subjects.remove(subject);
    }
    if (removed != null && versionsWithId(removed.id()).isEmpty()) {
      schemasById.remove(removed.id());
      idsBySchema.remove(removed.schema());
    }
  }
}
