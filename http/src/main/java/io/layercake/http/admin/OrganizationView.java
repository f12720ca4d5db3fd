package io.layercake.http.admin;

import io.layercake.runtime.credits.OrgEntity;

/** An organization as the API shows it. */
public record OrganizationView(String id, String name, String tier, String parentOrgId) {
  static OrganizationView of(OrgEntity.Summary summary) {
    return new OrganizationView(summary.orgId(), summary.name(), summary.tier(), summary.parentOrgId());
  }
}
