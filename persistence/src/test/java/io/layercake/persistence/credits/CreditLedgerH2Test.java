package io.layercake.persistence.credits;

import io.layercake.persistence.testing.TestDatabases;

class CreditLedgerH2Test extends CreditLedgerContract {
  @Override
  TestDatabases kind() {
    return TestDatabases.H2;
  }
}
