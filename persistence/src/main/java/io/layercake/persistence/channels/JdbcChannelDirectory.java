package io.layercake.persistence.channels;

import io.layercake.config.Secret;
import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.persistence.secrets.SecretBox;
import io.layercake.runtime.channel.Binding;
import io.layercake.runtime.channel.ChannelAccount;
import io.layercake.runtime.channel.ChannelDirectory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Channel bindings ({@code channel_bindings}) and organizations' channel setup ({@code channel_accounts}). Access
 * tokens are stored encrypted by the {@link SecretBox}, bound to their organization and channel; rows stored in plain
 * text before encryption existed are still read, and {@link #encryptPlainTokens()} rewrites them at start.
 */
public final class JdbcChannelDirectory implements ChannelDirectory {
  private static final Logger log = LoggerFactory.getLogger(JdbcChannelDirectory.class);

  private final ApplicationDatabase database;
  private final SecretBox secrets;
  private final Clock clock;

  public JdbcChannelDirectory(ApplicationDatabase database, SecretBox secrets, Clock clock) {
    this.database = database;
    this.secrets = secrets;
    this.clock = clock;
  }

  /**
   * Encrypts the access tokens still stored in plain text; answers how many rows it rewrote. Safe to run on
   * several nodes at once: a row is rewritten only while it still holds the plain value that was read.
   */
  public CompletionStage<Integer> encryptPlainTokens() {
    return database.write(connection -> {
      List<String[]> plain = new ArrayList<>();
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT org_id, channel, access_token FROM channel_accounts"
              + " WHERE access_token IS NOT NULL AND access_token NOT LIKE 'enc:%'");
          ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          plain.add(new String[] {rows.getString(1), rows.getString(2), rows.getString(3)});
        }
      }
      int rewritten = 0;
      try (PreparedStatement update = connection.prepareStatement(
          "UPDATE channel_accounts SET access_token = ? WHERE org_id = ? AND channel = ? AND access_token = ?")) {
        for (String[] row : plain) {
          update.setString(1, secrets.seal(row[2], context(row[0], row[1])));
          update.setString(2, row[0]);
          update.setString(3, row[1]);
          update.setString(4, row[2]);
          rewritten += update.executeUpdate();
        }
      }
      if (rewritten > 0) {
        log.info("Encrypted {} access tokens that were stored in plain text", rewritten);
      }
      return rewritten;
    });
  }

  @Override
  public CompletionStage<Optional<Binding>> agentAt(String channel, String address) {
    return database.read(connection -> find(connection, channel, address));
  }

  @Override
  public CompletionStage<Optional<String>> addressOf(String agentId, String channel) {
    return database.read(connection -> {
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT address FROM channel_bindings WHERE agent_id = ? AND channel = ? ORDER BY created_at, address FETCH FIRST 1 ROWS ONLY")) {
        select.setString(1, agentId);
        select.setString(2, channel);
        try (ResultSet rows = select.executeQuery()) {
          return rows.next() ? Optional.of(rows.getString(1)) : Optional.<String>empty();
        }
      }
    });
  }

  @Override
  public CompletionStage<Binding> bind(Binding binding) {
    return database.write(connection -> {
      Optional<Binding> existing = find(connection, binding.channel(), binding.address());
      if (existing.isPresent()) {
        return existing.get();
      }
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO channel_bindings (channel, address, org_id, agent_id, created_at) VALUES (?, ?, ?, ?, ?)")) {
        insert.setString(1, binding.channel());
        insert.setString(2, binding.address());
        insert.setString(3, binding.orgId());
        insert.setString(4, binding.agentId());
        insert.setTimestamp(5, Timestamp.from(clock.instant()));
        insert.executeUpdate();
      }
      return binding;
    }).exceptionallyCompose(failure -> database.read(connection -> find(connection, binding.channel(), binding.address())
        .orElseThrow(() -> new IllegalStateException("binding failed", failure))));
  }

  @Override
  public CompletionStage<Boolean> unbind(String agentId, String channel, String address) {
    return database.write(connection -> {
      try (PreparedStatement delete = connection.prepareStatement(
          "DELETE FROM channel_bindings WHERE agent_id = ? AND channel = ? AND address = ?")) {
        delete.setString(1, agentId);
        delete.setString(2, channel);
        delete.setString(3, address);
        return delete.executeUpdate() > 0;
      }
    });
  }

  @Override
  public CompletionStage<List<Binding>> bindings(String orgId) {
    return database.read(connection -> {
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT channel, address, org_id, agent_id FROM channel_bindings WHERE org_id = ? ORDER BY channel, address")) {
        select.setString(1, orgId);
        List<Binding> bindings = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            bindings.add(binding(rows));
          }
        }
        return bindings;
      }
    });
  }

  @Override
  public CompletionStage<ChannelAccount> account(String orgId, String channel) {
    return database.read(connection -> {
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT access_token, sender_id, entity_id FROM channel_accounts WHERE org_id = ? AND channel = ?")) {
        select.setString(1, orgId);
        select.setString(2, channel);
        try (ResultSet rows = select.executeQuery()) {
          return rows.next()
              ? new ChannelAccount(orgId, channel, token(orgId, channel, rows.getString(1)), rows.getString(2),
                  rows.getString(3))
              : ChannelAccount.none(orgId, channel);
        }
      }
    });
  }

  @Override
  public CompletionStage<Optional<ChannelAccount>> accountWithEntity(String channel, String entityId) {
    return database.read(connection -> {
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT org_id, access_token, sender_id, entity_id FROM channel_accounts WHERE channel = ? AND entity_id = ?")) {
        select.setString(1, channel);
        select.setString(2, entityId);
        try (ResultSet rows = select.executeQuery()) {
          return rows.next()
              ? Optional.of(new ChannelAccount(rows.getString(1), channel,
                  token(rows.getString(1), channel, rows.getString(2)), rows.getString(3), rows.getString(4)))
              : Optional.<ChannelAccount>empty();
        }
      }
    });
  }

  /** Upserts the whole account; concurrent first saves of one account end with one row. */
  @Override
  public CompletionStage<ChannelAccount> saveAccount(ChannelAccount account) {
    return database.write(connection -> {
      upsert(connection, account);
      return account;
    }).exceptionallyCompose(failure -> database.write(connection -> {
      upsert(connection, account);
      return account;
    }));
  }

  private void upsert(Connection connection, ChannelAccount account) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(
        "UPDATE channel_accounts SET access_token = ?, sender_id = ?, entity_id = ?, updated_at = ? WHERE org_id = ? AND channel = ?")) {
      fill(update, account, 1);
      update.setString(5, account.orgId());
      update.setString(6, account.channel());
      if (update.executeUpdate() > 0) {
        return;
      }
    }
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO channel_accounts (access_token, sender_id, entity_id, updated_at, org_id, channel) VALUES (?, ?, ?, ?, ?, ?)")) {
      fill(insert, account, 1);
      insert.setString(5, account.orgId());
      insert.setString(6, account.channel());
      insert.executeUpdate();
    }
  }

  private void fill(PreparedStatement statement, ChannelAccount account, int first) throws SQLException {
    statement.setString(first, account.accessToken().isEmpty()
        ? null : secrets.seal(account.accessToken().reveal(), context(account.orgId(), account.channel())));
    statement.setString(first + 1, account.senderId());
    statement.setString(first + 2, account.entityId());
    statement.setTimestamp(first + 3, Timestamp.from(clock.instant()));
  }

  private Secret token(String orgId, String channel, String stored) {
    return Secret.of(stored == null ? null : secrets.open(stored, context(orgId, channel)));
  }

  /** Where a token belongs: its ciphertext decrypts only there. */
  private static String context(String orgId, String channel) {
    return "channel_accounts/" + orgId + "/" + channel;
  }

  private static Optional<Binding> find(Connection connection, String channel, String address) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT channel, address, org_id, agent_id FROM channel_bindings WHERE channel = ? AND address = ?")) {
      select.setString(1, channel);
      select.setString(2, address);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? Optional.of(binding(rows)) : Optional.empty();
      }
    }
  }

  private static Binding binding(ResultSet rows) throws SQLException {
    return new Binding(rows.getString("channel"), rows.getString("address"), rows.getString("org_id"), rows.getString("agent_id"));
  }
}
