package io.layercake.http.providers;

import io.layercake.runtime.channel.Binding;
import io.layercake.runtime.channel.ChannelAccount;
import io.layercake.runtime.channel.ChannelDirectory;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A directory answering at once: no bindings, no account details; a test overrides what its sender reads. */
class FixedChannelDirectory implements ChannelDirectory {
  @Override
  public CompletionStage<Optional<Binding>> agentAt(String channel, String address) {
    return CompletableFuture.completedFuture(Optional.empty());
  }

  @Override
  public CompletionStage<Optional<String>> addressOf(String agentId, String channel) {
    return CompletableFuture.completedFuture(Optional.empty());
  }

  @Override
  public CompletionStage<Binding> bind(Binding binding) {
    return CompletableFuture.completedFuture(binding);
  }

  @Override
  public CompletionStage<Boolean> unbind(String agentId, String channel, String address) {
    return CompletableFuture.completedFuture(false);
  }

  @Override
  public CompletionStage<List<Binding>> bindings(String orgId) {
    return CompletableFuture.completedFuture(List.of());
  }

  @Override
  public CompletionStage<ChannelAccount> account(String orgId, String channel) {
    return CompletableFuture.completedFuture(ChannelAccount.none(orgId, channel));
  }

  @Override
  public CompletionStage<Optional<ChannelAccount>> accountWithEntity(String channel, String entityId) {
    return CompletableFuture.completedFuture(Optional.empty());
  }

  @Override
  public CompletionStage<ChannelAccount> saveAccount(ChannelAccount account) {
    return CompletableFuture.completedFuture(account);
  }
}
