package io.layercake.runtime.reference;

import io.layercake.runtime.channel.Binding;
import io.layercake.runtime.channel.ChannelAccount;
import io.layercake.runtime.channel.ChannelDirectory;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The channel directory with what every message reads kept on the node: the agent bound to an
 * address (inbound), an agent's address and an organization's account with its token (outbound).
 * Every write through it makes every node forget the directory's entries (writes are rare).
 */
public final class CachedChannelDirectory implements ChannelDirectory {
  private final ChannelDirectory directory;
  private final ReferenceData data;
  private final NodeCache<Optional<Binding>> bound;
  private final NodeCache<Optional<String>> addresses;
  private final NodeCache<ChannelAccount> accounts;

  public CachedChannelDirectory(ChannelDirectory directory, ReferenceData data) {
    this.directory = directory;
    this.data = data;
    this.bound = data.cache(ReferenceData.CHANNELS + ".bound");
    this.addresses = data.cache(ReferenceData.CHANNELS + ".addresses");
    this.accounts = data.cache(ReferenceData.CHANNELS + ".accounts");
  }

  @Override
  public CompletionStage<Optional<Binding>> agentAt(String channel, String address) {
    return bound.get(channel + "|" + address, () -> directory.agentAt(channel, address));
  }

  @Override
  public CompletionStage<Optional<String>> addressOf(String agentId, String channel) {
    return addresses.get(agentId + "|" + channel, () -> directory.addressOf(agentId, channel));
  }

  @Override
  public CompletionStage<ChannelAccount> account(String orgId, String channel) {
    return accounts.get(orgId + "|" + channel, () -> directory.account(orgId, channel));
  }

  @Override
  public CompletionStage<Binding> bind(Binding binding) {
    return changing(directory.bind(binding));
  }

  @Override
  public CompletionStage<Boolean> unbind(String agentId, String channel, String address) {
    return changing(directory.unbind(agentId, channel, address));
  }

  @Override
  public CompletionStage<List<Binding>> bindings(String orgId) {
    return directory.bindings(orgId);
  }

  @Override
  public CompletionStage<Optional<ChannelAccount>> accountWithEntity(String channel, String entityId) {
    return directory.accountWithEntity(channel, entityId);
  }

  @Override
  public CompletionStage<ChannelAccount> saveAccount(ChannelAccount account) {
    return changing(directory.saveAccount(account));
  }

  /** Once the write is done (or failed: it may have happened), every node forgets. */
  private <T> CompletionStage<T> changing(CompletionStage<T> write) {
    return write.whenComplete((result, failure) -> data.changed(ReferenceData.CHANNELS, null));
  }
}
