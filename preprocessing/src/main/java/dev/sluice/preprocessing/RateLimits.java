package dev.sluice.preprocessing;

import java.util.Map;
import java.util.Objects;

/**
 * The rate limits of all tenants.
 *
 * @param defaultLimit the limit of a tenant without its own entry
 * @param perTenant limits by tenant name; the entry {@value #DEFAULT_TENANT} applies to requests
 *     that name no tenant
 */
public record RateLimits(RateLimit defaultLimit, Map<String, RateLimit> perTenant) {
  /** The tenant name under which requests without a tenant are limited. */
  public static final String DEFAULT_TENANT = "default";

  /** Checks both parts are present and copies the map. */
  public RateLimits {
    Objects.requireNonNull(defaultLimit, "defaultLimit");
    perTenant = Map.copyOf(Objects.requireNonNull(perTenant, "perTenant"));
  }

  /**
   * No tenant is limited.
   *
   * @return unlimited defaults and no per-tenant entries
   */
  public static RateLimits unlimited() {
    return new RateLimits(RateLimit.unlimited(), Map.of());
  }

  /**
   * The limit of one tenant.
   *
   * @param tenantOrNull the request's tenant; null (or blank) means {@value #DEFAULT_TENANT}
   * @return the tenant's own limit, else the default limit
   */
  public RateLimit forTenant(String tenantOrNull) {
    String key = tenantOrNull == null || tenantOrNull.isBlank() ? DEFAULT_TENANT : tenantOrNull;
    return perTenant.getOrDefault(key, defaultLimit);
  }
}
