package io.layercake.persistence.credits;

import io.layercake.persistence.testing.TestDatabases;

class CreditLedgerPostgresTest extends CreditLedgerContract {
  @Override
  TestDatabases kind() {
    return TestDatabases.POSTGRES;
  }
}
