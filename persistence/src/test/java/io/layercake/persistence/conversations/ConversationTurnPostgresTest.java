package io.layercake.persistence.conversations;

import io.layercake.persistence.testing.TestDatabases;

class ConversationTurnPostgresTest extends ConversationTurnContract {
  @Override
  TestDatabases kind() {
    return TestDatabases.POSTGRES;
  }
}
