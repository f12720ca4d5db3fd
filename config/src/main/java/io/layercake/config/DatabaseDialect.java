package io.layercake.config;

/** The databases the journal and the read models run on. */
public enum DatabaseDialect {
  H2("org.h2.Driver"),
  POSTGRES("org.postgresql.Driver");

  private final String driverClassName;

  DatabaseDialect(String driverClassName) {
    this.driverClassName = driverClassName;
  }

  public String driverClassName() {
    return driverClassName;
  }

  /** The dialect a JDBC URL speaks, or null if it is neither H2 nor PostgreSQL. */
  static DatabaseDialect ofUrl(String jdbcUrl) {
    if (jdbcUrl.startsWith("jdbc:h2:")) {
      return H2;
    }
    if (jdbcUrl.startsWith("jdbc:postgresql:")) {
      return POSTGRES;
    }
    return null;
  }
}
