package io.layercake.persistence.channels;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.config.LayercakeSettings;
import io.layercake.persistence.NodeConfig;
import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.persistence.secrets.SecretBox;
import io.layercake.persistence.schema.SchemaMigrations;
import io.layercake.persistence.testing.FreshDatabases;
import io.layercake.persistence.testing.TestDatabases;
import io.layercake.persistence.testing.TestNodes;
import io.layercake.runtime.channel.Binding;
import java.nio.file.Path;
import java.time.Clock;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** SMS bindings stored as written before numbers were normalized are rewritten into E.164, on H2 and PostgreSQL. */
@ExtendWith(FreshDatabases.Extension.class)
class SmsBindingRepairTest {

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void bindingsWrittenWithSpacesAreRoutedAgain(TestDatabases kind, FreshDatabases databases, @TempDir Path dir) {
    LayercakeSettings settings = TestNodes.settings(dir, databases.create(kind, dir), 100);
    SchemaMigrations.migrate(settings.database());
    ActorTestKit testKit = ActorTestKit.create(NodeConfig.pekkoConfig(settings));
    try {
      ApplicationDatabase database = ApplicationDatabase.start(testKit.system(), settings.database());
      JdbcChannelDirectory directory = new JdbcChannelDirectory(database, new SecretBox(new byte[32]), Clock.systemUTC());
      for (Binding binding : new Binding[] {
          new Binding("sms", "+31 6 1234 5678", "org", "imported"),
          new Binding("sms", "+31 6 1234 5679", "org", "twin"), new Binding("sms", "+31612345679", "org", "other"),
          new Binding("sms", "020 7946 0958", "org", "national"), new Binding("webchat", "+31 6 1234 5670", "org", "chat")}) {
        directory.bind(binding).toCompletableFuture().join();
      }

      assertThat(SmsBindingRepair.run(database).toCompletableFuture().join()).isEqualTo(1);

      assertThat(directory.agentAt("sms", "+31612345678").toCompletableFuture().join())
          .hasValueSatisfying(binding -> assertThat(binding.agentId()).isEqualTo("imported"));
      assertThat(directory.bindings("org").toCompletableFuture().join()).extracting(Binding::address)
          .as("a number another binding holds, a national one and other channels stay as they are")
          .contains("+31 6 1234 5679", "+31612345679", "020 7946 0958", "+31 6 1234 5670")
          .doesNotContain("+31 6 1234 5678");
      assertThat(SmsBindingRepair.run(database).toCompletableFuture().join()).as("idempotent").isZero();
    } finally {
      testKit.shutdownTestKit();
    }
  }
}
