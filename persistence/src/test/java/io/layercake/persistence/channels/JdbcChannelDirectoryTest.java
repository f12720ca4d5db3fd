package io.layercake.persistence.channels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.layercake.config.DatabaseSettings;
import io.layercake.config.LayercakeSettings;
import io.layercake.config.Secret;
import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.persistence.schema.SchemaMigrations;
import io.layercake.persistence.secrets.SecretBox;
import io.layercake.persistence.testing.FreshDatabases;
import io.layercake.persistence.testing.Sql;
import io.layercake.persistence.testing.TestDatabases;
import io.layercake.persistence.testing.TestNodes;
import io.layercake.runtime.channel.ChannelAccount;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Organizations' access tokens on H2 and PostgreSQL: stored encrypted, per organization; old plain rows still work. */
@ExtendWith(FreshDatabases.Extension.class)
class JdbcChannelDirectoryTest {
  private static final String TOKEN = "EAAG-piet-token-" + "x".repeat(1000);
  private static final String OLD_TOKEN = "EAAG-stored-before-encryption";

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void tokensAreStoredEncryptedAndOldPlainRowsStillWork(
      TestDatabases kind, FreshDatabases databases, @TempDir Path dir) {
    LayercakeSettings settings = TestNodes.settings(dir, databases.create(kind, dir), 100);
    DatabaseSettings db = settings.database();
    SchemaMigrations.migrate(db);
    ActorTestKit testKit = ActorTestKit.create(io.layercake.persistence.NodeConfig.pekkoConfig(settings));
    try {
      ApplicationDatabase database = ApplicationDatabase.start(testKit.system(), db);
      JdbcChannelDirectory channels =
          new JdbcChannelDirectory(database, new SecretBox(new byte[32]), Clock.systemUTC());
      Sql.update(db, "INSERT INTO channel_accounts (org_id, channel, access_token, updated_at)"
          + " VALUES (?, ?, ?, CURRENT_TIMESTAMP)", "old-org", "whatsapp", OLD_TOKEN);

      join(channels.saveAccount(new ChannelAccount("piet", "whatsapp", Secret.of(TOKEN), null, null)));
      join(channels.saveAccount(new ChannelAccount("piet", "sms", Secret.of(""), "Piet", "entity-9")));

      assertThat(raw(db, "piet", "whatsapp")).doesNotContain("EAAG-piet-token").startsWith("enc:v1:");
      assertThat(raw(db, "piet", "sms")).isNull();
      assertThat(join(channels.account("piet", "whatsapp")).accessToken().reveal()).isEqualTo(TOKEN);
      assertThat(join(channels.accountWithEntity("sms", "entity-9")).orElseThrow().accessToken().isEmpty()).isTrue();
      assertThat(join(channels.account("old-org", "whatsapp")).accessToken().reveal()).as("a plain row reads")
          .isEqualTo(OLD_TOKEN);

      assertThat(join(channels.encryptPlainTokens())).isEqualTo(1);
      assertThat(join(channels.encryptPlainTokens())).as("nothing left to rewrite").isZero();
      assertThat(raw(db, "old-org", "whatsapp")).doesNotContain(OLD_TOKEN).startsWith("enc:v1:");
      assertThat(join(channels.account("old-org", "whatsapp")).accessToken().reveal()).isEqualTo(OLD_TOKEN);
      assertThat(raw(db, "piet", "whatsapp")).as("already encrypted rows are left as they are").startsWith("enc:v1:");

      // a token copied into another organization's row does not decrypt there
      Sql.update(db, "UPDATE channel_accounts SET access_token = ? WHERE org_id = ? AND channel = ?",
          raw(db, "piet", "whatsapp"), "old-org", "whatsapp");
      assertThatThrownBy(() -> join(channels.account("old-org", "whatsapp"))).hasMessageContaining("does not decrypt")
          .hasMessageNotContaining("EAAG");
    } finally {
      testKit.shutdownTestKit();
    }
  }

  private static String raw(DatabaseSettings db, String orgId, String channel) {
    return Sql.strings(db, "SELECT access_token FROM channel_accounts WHERE org_id = ? AND channel = ?", orgId, channel)
        .get(0);
  }

  private static <T> T join(CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }
}
