package io.layercake.persistence.conversations;

import io.layercake.persistence.testing.TestDatabases;

class ConversationTurnH2Test extends ConversationTurnContract {
  @Override
  TestDatabases kind() {
    return TestDatabases.H2;
  }
}
